"""Money as whole cents: a float cannot hold 0,10 exactly, and a pot that is summed from floats
drifts. Amounts come in as Dutch text ("1.250,50", "€ 12,5", "12,-"); they go out as "€ 1.250,50"
through :func:`omkijken.platform.formatting.format_cents`.

Pure functions, no Flask: the forms parse with ``parse_cents`` and show ``BadAmount.code`` as a
message of their own.
"""

from __future__ import annotations

import re
from typing import Iterable

# A hundred million euro: far above any regeling, far below what a BIGINT holds.
MAX_CENTS = 100_000_000 * 100

_EURO = re.compile(r"^(?:€|eur(?:o)?)\s*|\s*(?:€|eur(?:o)?)$", re.IGNORECASE)
# Dutch: dots group thousands, a comma starts the cents ("1.250,50", "1250,5", "12,-").
_DUTCH = re.compile(r"^(?P<euro>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<cent>\d{1,2}|-{1,2}))?$")
# Typed on a phone with a decimal point ("12.50"): one dot and one or two digits cannot be a
# thousands group, so it can only mean cents.
_POINT = re.compile(r"^(?P<euro>\d+)\.(?P<cent>\d{1,2})$")
# Well formed but for the cents: "12,505", or "12.5055" that no thousands group explains.
_TOO_PRECISE = re.compile(r"^(?:(?:\d{1,3}(?:\.\d{3})+|\d+),|\d+\.)\d{3,}$")


class BadAmount(ValueError):
    """``code``: ``leeg``, ``negatief``, ``te_veel_decimalen``, ``te_groot`` or ``ongeldig``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_cents(text: str) -> int:
    """The amount in ``text`` as whole cents; raises BadAmount with a code the form can explain."""
    cleaned = _EURO.sub("", (text or "").strip()).strip()
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", cleaned)
    if not cleaned:
        raise BadAmount("leeg")
    if cleaned.startswith("-") or cleaned.startswith("\u2212"):
        raise BadAmount("negatief")
    found = _DUTCH.match(cleaned) or _POINT.match(cleaned)
    if found is None:
        if _TOO_PRECISE.match(cleaned):
            raise BadAmount("te_veel_decimalen")
        raise BadAmount("ongeldig")
    cent = found.group("cent") or ""
    cent = "00" if cent.startswith("-") else cent.ljust(2, "0")
    cents = int(found.group("euro").replace(".", "")) * 100 + int(cent)
    if cents > MAX_CENTS:
        raise BadAmount("te_groot")
    return cents


def sum_lines(amounts: Iterable[int]) -> int:
    """The total of ``amounts``; refuses anything but whole cents, so a float never sneaks in."""
    total = 0
    for amount in amounts:
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise TypeError("money is whole cents (int)")
        total += amount
    return total
