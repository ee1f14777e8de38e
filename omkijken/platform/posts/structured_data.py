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


def _address(post: Activiteit, wijk: areas.WijkInfo | None) -> dict[str, str]:
    """A PostalAddress of the activity's public place only: the meeting place's own address, or no
    more than the wijk and gemeente. Never a street of a resident's home (an activity at home, or
    one placed on the map by a resident, has no street here)."""
    address = {"@type": "PostalAddress", "addressCountry": "NL"}
    if wijk:
        address["addressLocality"] = wijk.gemeente.naam
    if post.plek and post.plek.is_public and post.plek.adres and not post.plek.op_huisadres:
        address["streetAddress"] = post.plek.adres
    return address


def event(post: Activiteit) -> Markup:
    """Schema.org Event for search engines; '<' is escaped so no title can end the script tag."""
    lat, lon = services.public_point(post)
    start, eind = local(post.start), local(post.eind)
    wijk = areas.wijk_info(post.wijk_id) if post.wijk_id else None
    place: dict[str, Any] = {
        "@type": "Place",
        "name": post.plek.titel if post.plek else (wijk.naam if wijk else post.titel),
        "address": _address(post, wijk),
        "geo": {"@type": "GeoCoordinates", "latitude": round(lat, 5), "longitude": round(lon, 5)},
    }
    url = url_for("posts.detail", post_id=post.id, _external=True)
    if post.initiatief and post.initiatief.is_public:
        organizer = {"@type": "Organization", "name": post.initiatief.titel,
                     "url": url_for("posts.detail", post_id=post.initiatief.id, _external=True)}
    else:
        # A resident has no page of her own: her first name, and the page where one can write to her.
        organizer = {"@type": "Person", "name": (post.auteur.naam or "").split(" ")[0], "url": url}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": post.titel,
        "description": post.beschrijving or "",
        "startDate": start.isoformat(),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "location": place,
        "organizer": organizer,
        "isAccessibleForFree": not post.prijs,
        "offers": {"@type": "Offer", "price": f"{post.prijs or 0:.2f}", "priceCurrency": "EUR"},
        "url": url,
    }
    if eind:
        data["endDate"] = eind.isoformat()
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704  (JSON built above, with every markup character escaped)
