"""Postcode + huisnummer -> a point, and a point -> the nearest address, through an interface.

Production asks the PDOK Locatieserver (public, no key). Tests give the same class a recorded
response. When no answer comes, the resident picks the point on the map instead, and a point
picked on the map simply has no street address.

A lookup tells "this address does not exist" (None) apart from "the service could not be asked"
(:class:`GeocoderUnavailable`): the first is a typing error to check, the second is not the
resident's doing, and telling her to check her postcode would send her looking for a mistake she
did not make.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any, Callable, Protocol

import requests

from omkijken.platform.errors import RuleBroken
from omkijken.platform.i18n import lazy_gettext as _l

log = logging.getLogger(__name__)

_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")
_HUISNUMMER = re.compile(r"^\s*([1-9][0-9]{0,4})\s*[-\s]?\s*([A-Za-z0-9]{0,4})\s*$")
_POINT = re.compile(r"POINT\(\s*([-0-9.]+)\s+([-0-9.]+)\s*\)")
# A point picked on the map is a click near a house: the nearest address further away than this
# is more likely a neighbour's, so the point gets no address rather than a wrong one.
REVERSE_RADIUS_M = 40


class GeocoderUnavailable(Exception):
    """The address service could not be reached, or gave an answer we cannot read."""


@dataclass(frozen=True)
class Address:
    lat: float
    lon: float
    label: str


class Geocoder(Protocol):
    def lookup(self, postcode: str, huisnummer: str) -> Address | None:
        """The address, None when it does not exist; raises GeocoderUnavailable when nobody could tell."""
        ...

    def reverse(self, lat: float, lon: float) -> Address | None: ...


def normalise_postcode(text: str) -> str | None:
    """'5341 ab' -> '5341AB'; None when it is not a Dutch postcode."""
    found = _POSTCODE.match(text or "")
    return f"{found.group(1)}{found.group(2).upper()}" if found else None


def split_huisnummer(text: str) -> tuple[int, str] | None:
    """'12 a' -> (12, 'A'); None when there is no house number."""
    found = _HUISNUMMER.match(text or "")
    return (int(found.group(1)), found.group(2).upper()) if found else None


def checked_address(postcode: str | None, huisnummer: str | None) -> tuple[str | None, str | None]:
    """('5341AB', '12A') from what a person typed; empty stays None, a malformed one is refused
    with a message for its form field."""
    code = normalise_postcode(postcode) if postcode else None
    if postcode and code is None:
        raise RuleBroken("postcode", _l("Vul een postcode in zoals 5341 AB."))
    number = split_huisnummer(huisnummer) if huisnummer else None
    if huisnummer and number is None:
        raise RuleBroken("huisnummer", _l("Vul een huisnummer in zoals 12 of 12a."))
    return code, f"{number[0]}{number[1]}" if number else None


Fetch = Callable[[str, dict[str, Any]], dict[str, Any]]


def http_fetch(url: str, params: dict[str, Any]) -> dict[str, Any]:
    response = requests.get(url, params=params, timeout=3)
    response.raise_for_status()
    return response.json()


class PdokGeocoder:
    def __init__(self, url: str, fetch: Fetch = http_fetch) -> None:
        self.url = url
        self.fetch = fetch

    def lookup(self, postcode: str, huisnummer: str) -> Address | None:
        code, number = normalise_postcode(postcode), split_huisnummer(huisnummer)
        if code is None or number is None:
            return None
        params = {
            "q": f"postcode:{code} and huisnummer:{number[0]}",
            "fq": "type:adres",
            "fl": "weergavenaam,centroide_ll,huisletter,huisnummertoevoeging",
            "rows": 10,
        }
        docs = self._docs(self.url, params, strict=True)
        if not docs:
            return None
        wanted = number[1]
        doc = next(
            (
                d
                for d in docs
                if (d.get("huisletter", "") + d.get("huisnummertoevoeging", "")).upper() == wanted
            ),
            docs[0],
        )
        found = _POINT.search(doc.get("centroide_ll", ""))
        if not found:
            return None
        return Address(lat=float(found.group(2)), lon=float(found.group(1)), label=doc.get("weergavenaam", ""))

    def reverse(self, lat: float, lon: float) -> Address | None:
        """The address nearest to a point picked on the map, within ``REVERSE_RADIUS_M``; None when
        there is none that close or the service gives no answer. The point itself stays as picked."""
        params = {
            "lat": f"{lat:.6f}",
            "lon": f"{lon:.6f}",
            "type": "adres",
            "distance": REVERSE_RADIUS_M,
            "fl": "weergavenaam,centroide_ll,afstand",
            "rows": 1,
        }
        docs = self._docs(self.reverse_url, params)
        label = docs[0].get("weergavenaam", "") if docs else ""
        if not label or float(docs[0].get("afstand", 0) or 0) > REVERSE_RADIUS_M:
            return None
        return Address(lat=lat, lon=lon, label=label)

    def _docs(self, url: str, params: dict, *, strict: bool = False) -> list[dict]:
        """PDOK's answers. When the service cannot be reached or answers nonsense: none, or with
        ``strict`` GeocoderUnavailable, so the lookup of a typed address can say so (the map is the
        way on either way, so a lookup never stops a person)."""
        try:
            return self.fetch(url, params)["response"]["docs"]
        except Exception as error:
            log.info("PDOK gaf geen antwoord: %s", error)
            if strict:
                raise GeocoderUnavailable(str(error)) from error
            return []

    @property
    def reverse_url(self) -> str:
        """The ``reverse`` endpoint beside the configured ``free`` one."""
        base, _, last = self.url.rstrip("/").rpartition("/")
        return f"{base}/reverse" if last == "free" else f"{self.url.rstrip('/')}/reverse"


class NoGeocoder:
    """For places without internet: the resident always picks the point on the map."""

    def lookup(self, postcode: str, huisnummer: str) -> Address | None:
        raise GeocoderUnavailable("no address service configured")

    def reverse(self, lat: float, lon: float) -> Address | None:
        return None


def from_config(config: dict[str, Any]) -> Geocoder:
    if config.get("GEOCODER") == "pdok":
        return PdokGeocoder(config["PDOK_URL"])
    return NoGeocoder()
