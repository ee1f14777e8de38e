"""What the gemeente does beside the aanvrager's lifecycle: the beheerder sets up and keeps a
regeling, the officer sets the decision term, writes down the wijk- or dorpsraad's advice and
records payments. Status steps stay in ``services.move``; this module uses its lock and checks."""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.permissions import NotAllowed, may
from omkijken.platform.areas.models import Gemeente
from omkijken.platform.database import lock_row
from omkijken.platform.extensions import db
from omkijken.platform.formatting import format_cents
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.subsidies import lifecycle
from omkijken.platform.subsidies.models import BESLISTERMIJN_DAGEN, SOORTEN, Regeling, Subsidieaanvraag
from omkijken.platform.subsidies.services import (
    ONDERWERP,
    TEKST_MAX,
    SubsidieError,
    check_whole_cents,
    roles_of,
)
from omkijken.platform.subsidies.volledigheid import granted
from omkijken.platform.system import audit
from omkijken.platform.system.models import AuditEntry

WIJKRAAD_ADVIES = "advies_wijkraad"  # an audit note, no status: see ``note_wijkraad_advice``
BETALING = "betaald"


def create_regeling(*, gemeente: Gemeente, jaar: int, naam: str, budget_cents: int, max_per_aanvraag_cents: int,
                    soorten: Sequence[str], by: User, now: datetime,
                    beslistermijn_dagen: int = BESLISTERMIJN_DAGEN) -> Regeling:
    """The beheerder sets up a regeling of one gemeente for one year."""
    if not may(by, "beheren"):
        raise NotAllowed("", _l("Alleen de beheerder maakt een regeling."))
    _check_regeling(naam, budget_cents, max_per_aanvraag_cents, soorten, beslistermijn_dagen)
    regeling = Regeling(gemeente_id=gemeente.id, jaar=jaar, naam=naam.strip(), budget_cents=budget_cents,
                        max_per_aanvraag_cents=max_per_aanvraag_cents, soorten=list(soorten),
                        beslistermijn_dagen=beslistermijn_dagen, created_at=now)
    db.session.add(regeling)
    db.session.flush()
    return regeling


def update_regeling(regeling: Regeling, *, by: User, now: datetime, naam: str, budget_cents: int,
                    max_per_aanvraag_cents: int, soorten: Sequence[str], beslistermijn_dagen: int) -> Regeling:
    """The beheerder changes a regeling; the budget never drops below what it already granted.
    Gemeente and jaar stay: aanvragen were made against them."""
    if not may(by, "beheren"):
        raise NotAllowed("", _l("Alleen de beheerder verandert een regeling."))
    _check_regeling(naam, budget_cents, max_per_aanvraag_cents, soorten, beslistermijn_dagen)
    regeling = lock_row(Regeling, regeling.id, "naam")  # a grant at the same moment waits, then sees the new budget
    al = int(granted(regeling))
    if budget_cents < al:
        raise SubsidieError("budget_cents", _l("Er is al %(al)s toegekend. Het budget kan niet lager.",
                                               al=format_cents(al)))
    regeling.naam, regeling.budget_cents = naam.strip(), budget_cents
    regeling.max_per_aanvraag_cents, regeling.soorten = max_per_aanvraag_cents, list(soorten)
    regeling.beslistermijn_dagen = beslistermijn_dagen
    db.session.flush()
    return regeling


def set_beslistermijn(regeling: Regeling, dagen: int, *, by: User, now: datetime) -> Regeling:
    """The intake officer (or the beheerder) sets the norm for deciding: it counts for aanvragen
    sent in from now on; those already in keep the date they were told."""
    if not may(by, "subsidies_behandelen"):
        raise NotAllowed("", _l("Alleen de gemeente stelt de termijn vast."))
    if not isinstance(dagen, int) or isinstance(dagen, bool) or not 1 <= dagen <= 365:
        raise SubsidieError("dagen", _l("Kies een termijn van 1 tot 365 dagen."))
    regeling.beslistermijn_dagen = dagen
    db.session.flush()
    return regeling


def note_wijkraad_advice(aanvraag: Subsidieaanvraag, tekst: str, *, by: User, now: datetime) -> AuditEntry:
    """The officer writes down what the wijk- or dorpsraad advised. It is no step in the lifecycle
    (the raad has no account here) and not a message to the aanvrager, so it goes in the audit log
    of the aanvraag, where the officer's colleagues read it: ``besluit="advies_wijkraad"``."""
    if "gemeente" not in roles_of(by, aanvraag):
        raise NotAllowed("", _l("Alleen de gemeente schrijft het advies van de wijkraad op."))
    tekst = (tekst or "").strip()
    if not tekst:
        raise SubsidieError("reden", _l("Schrijf op wat de wijk- of dorpsraad adviseert."))
    if len(tekst) > TEKST_MAX:
        raise SubsidieError("reden", _l("Maak dit korter: hooguit %(max)s tekens.", max=TEKST_MAX))
    if aanvraag.status not in lifecycle.OPEN:
        raise SubsidieError("reden", _l("Over deze aanvraag is al besloten."))
    entry = audit.record(by=by, onderwerp=ONDERWERP, onderwerp_id=aanvraag.id, wijk_id=aanvraag.wijk_id,
                         besluit=WIJKRAAD_ADVIES, reden=tekst, details={"titel": aanvraag.titel}, now=now)
    db.session.flush()
    return entry


def record_payment(aanvraag: Subsidieaanvraag, bedrag_cents: int, *, by: User, now: datetime) -> AuditEntry:
    """The officer writes down a payment of granted money (in parts, if the gemeente pays so).
    Never more than was granted: the aanvraag row is locked, so two officers cannot both pay the rest."""
    if "gemeente" not in roles_of(by, aanvraag):
        raise NotAllowed("", _l("Alleen de gemeente legt een betaling vast."))
    check_whole_cents(bedrag_cents, "bedrag")
    if bedrag_cents <= 0:
        raise SubsidieError("bedrag", _l("Het bedrag moet meer dan € 0 zijn."))
    locked = lock_row(Subsidieaanvraag, aanvraag.id, "betaald_cents")
    if locked.status not in lifecycle.MET_GELD:
        raise SubsidieError("bedrag", _l("Voor deze aanvraag is geen geld toegekend."))
    open_cents = (locked.toegekend_cents or 0) - locked.betaald_cents
    if bedrag_cents > open_cents:
        raise SubsidieError("bedrag", _l("Dat is meer dan er nog te betalen is: %(bedrag)s.",
                                         bedrag=format_cents(open_cents)))
    locked.betaald_cents += bedrag_cents
    entry = audit.record(by=by, onderwerp=ONDERWERP, onderwerp_id=locked.id, wijk_id=locked.wijk_id,
                         besluit=BETALING, details={"titel": locked.titel, "bedrag_cents": bedrag_cents,
                                                    "betaald_cents": locked.betaald_cents}, now=now)
    db.session.flush()
    return entry


def _check_regeling(naam: str, budget_cents: int, max_per_aanvraag_cents: int, soorten: Sequence[str],
                    beslistermijn_dagen: int) -> None:
    """What a regeling must be, when it is made and when it is changed."""
    if not naam.strip():
        raise SubsidieError("naam", _l("Geef de regeling een naam."))
    check_whole_cents(budget_cents, "budget_cents")
    check_whole_cents(max_per_aanvraag_cents, "max_per_aanvraag_cents")
    if budget_cents <= 0:
        raise SubsidieError("budget_cents", _l("Het budget moet meer dan € 0 zijn."))
    if not 0 < max_per_aanvraag_cents <= budget_cents:
        raise SubsidieError("max_per_aanvraag_cents",
                            _l("Het maximum per aanvraag moet meer dan € 0 zijn en niet meer dan het budget."))
    if not soorten or set(soorten) - set(SOORTEN):
        raise SubsidieError("soorten", _l("Kies voor welke soorten initiatieven de regeling is."))
    if not 1 <= beslistermijn_dagen <= 365:
        raise SubsidieError("beslistermijn_dagen", _l("Kies een termijn van 1 tot 365 dagen."))
