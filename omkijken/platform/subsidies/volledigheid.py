"""Whether a subsidieaanvraag is complete: what the aanvrager still has to fill in, and the intake
officer's check against the regeling's maximum and what is left in its pot.

Read by the aanvrager's form, the gemeente's intake page, the figures and ``services.move`` (which
refuses to send in or grant what is not complete). It only reads: nothing here changes a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from omkijken.platform.extensions import db
from omkijken.platform.formatting import format_cents
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.subsidies import lifecycle
from omkijken.platform.subsidies.models import SOORTEN, Regeling, Subsidieaanvraag


@dataclass(frozen=True)
class Tekort:
    """One thing missing or wrong: the field it belongs to and what to do, in plain Dutch."""

    veld: str
    tekst: str


@dataclass
class Volledigheid:
    """The intake officer's check of one aanvraag against its regeling and what is left in the pot."""

    tekorten: list[Tekort] = field(default_factory=list)
    gevraagd_cents: int = 0
    maximum_cents: int | None = None
    resterend_cents: int | None = None

    @property
    def binnen_maximum(self) -> bool:
        return self.maximum_cents is not None and self.gevraagd_cents <= self.maximum_cents

    @property
    def past_in_pot(self) -> bool:
        return self.resterend_cents is not None and self.gevraagd_cents <= self.resterend_cents

    @property
    def ok(self) -> bool:
        return not self.tekorten


def granted(regeling: Regeling) -> int:
    """What this regeling has granted so far, in cents."""
    return db.session.scalar(
        select(func.coalesce(func.sum(Subsidieaanvraag.toegekend_cents), 0)).where(
            Subsidieaanvraag.regeling_id == regeling.id, Subsidieaanvraag.status.in_(lifecycle.MET_GELD))) or 0


def remaining(regeling: Regeling) -> int:
    """What is left in the pot: the budget minus what was granted (not what was paid: a grant is
    a promise the pot must keep)."""
    return regeling.budget_cents - int(granted(regeling))


def missing(aanvraag: Subsidieaanvraag) -> list[Tekort]:
    """What the aanvrager still has to fill in or fix before sending in, per field."""
    tekorten: list[Tekort] = []

    def need(veld: str, ok: bool, tekst: Any) -> None:
        if not ok:
            tekorten.append(Tekort(veld, str(tekst)))

    need("titel", bool(aanvraag.titel.strip()), _l("Geef je aanvraag een korte titel."))
    need("soort", aanvraag.soort in SOORTEN, _l("Kies wat voor initiatief het is."))
    need("wat", bool(aanvraag.wat.strip()), _l("Schrijf op wat je wilt doen."))
    need("voor_wie", bool(aanvraag.voor_wie.strip()), _l("Schrijf op voor wie het is."))
    need("wijk", aanvraag.wijk_id is not None, _l("Kies in welke wijk het is."))
    need("wanneer", bool(aanvraag.wanneer.strip()), _l("Schrijf op wanneer het is."))
    need("deelnemers", bool(aanvraag.deelnemers), _l("Schrijf op hoeveel mensen ongeveer meedoen."))
    need("regels", bool(aanvraag.regels), _l("Zet in de begroting waar je geld voor nodig hebt."))
    need("regels", not aanvraag.regels or aanvraag.gevraagd_cents > 0,
         _l("Je vraagt niets: de bijdragen van anderen betalen alles al."))
    regeling = aanvraag.regeling
    need("regeling_id", regeling is not None, _l("Kies de regeling waar je subsidie uit vraagt."))
    if regeling is not None:
        need("soort", aanvraag.soort is None or aanvraag.soort in regeling.soorten,
             _l("Deze regeling is niet voor dit soort initiatief. Kies een andere regeling."))
        need("regels", aanvraag.gevraagd_cents <= regeling.max_per_aanvraag_cents,
             _l("Je vraagt meer dan deze regeling geeft. Vraag hooguit %(max)s.",
                max=format_cents(regeling.max_per_aanvraag_cents)))
    return tekorten


def completeness(aanvraag: Subsidieaanvraag) -> Volledigheid:
    """The intake officer's check: the required fields, the total within the regeling's maximum,
    and whether the pot still holds it (a pot that falls short is not the aanvrager's fault, so
    it is reported, and it is ``move`` that refuses a grant the pot cannot pay)."""
    result = Volledigheid(tekorten=missing(aanvraag), gevraagd_cents=aanvraag.gevraagd_cents)
    regeling = aanvraag.regeling
    if regeling is not None:
        result.maximum_cents = regeling.max_per_aanvraag_cents
        result.resterend_cents = remaining(regeling)
        if not result.past_in_pot:
            result.tekorten.append(Tekort("regeling_id", str(_l(
                "Er zit nog %(rest)s in deze regeling. Dat is minder dan er gevraagd wordt.",
                rest=format_cents(result.resterend_cents)))))
    return result
