"""Schema.org data for search engines and other tools that read the pages."""

from __future__ import annotations

import json
from typing import Any

from flask import url_for
from markupsafe import Markup

from omkijken.platform.areas import services as areas
from omkijken.platform.clock import local
from omkijken.platform.posts import services
from omkijken.platform.posts.models import Activiteit


def event(post: Activiteit) -> Markup:
    """Schema.org Event for search engines; '<' is escaped so no title can end the script tag."""
    lat, lon = services.public_point(post)
    start, eind = local(post.start), local(post.eind)
    wijk = areas.wijk_info(post.wijk_id) if post.wijk_id else None
    place: dict[str, Any] = {
        "@type": "Place",
        "name": post.plek.titel if post.plek else (wijk.naam if wijk else post.titel),
        "geo": {"@type": "GeoCoordinates", "latitude": round(lat, 5), "longitude": round(lon, 5)},
    }
    if post.plek and post.plek.adres:
        place["address"] = post.plek.adres
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": post.titel,
        "description": post.beschrijving or "",
        "startDate": start.isoformat(),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "location": place,
        "organizer": {"@type": "Person", "name": (post.auteur.naam or "").split(" ")[0]},
        "isAccessibleForFree": not post.prijs,
        "url": url_for("posts.detail", post_id=post.id, _external=True),
    }
    if eind:
        data["endDate"] = eind.isoformat()
    if post.prijs:
        data["offers"] = {"@type": "Offer", "price": f"{post.prijs:.2f}", "priceCurrency": "EUR"}
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704  (JSON built above, with every markup character escaped)
