"""The rules of a subsidieaanvraag: a draft the aanvrager comes back to, sending it in, and every
status step. Whether it is complete is ``volledigheid``'s question.

``move`` is the only place a status changes: it asks ``lifecycle`` whether the step is allowed
for this person, checks the money on a grant, writes the audit entry (the audit log of system/audit.py,
``onderwerp="subsidieaanvraag"``), all in the caller's one transaction. What the gemeente does
beside the lifecycle (regelingen, the decision term, notes, payments) is in ``gemeente_services``.

Two officers granting at the same moment must not overdraw a pot. A grant therefore first locks
the regeling's row (``database.lock_row``) and only then sums what was granted.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Sequence

from sqlalchemy import func, select

from omkijken.platform.accounts.models import RoleGrant, User
from omkijken.platform.accounts.permissions import NotAllowed, may, may_moderate
from omkijken.platform.areas.models import Wijk
from omkijken.platform.clock import local, werkdag
from omkijken.platform.database import lock_row
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.formatting import format_cents
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.posts.models import Initiatief
from omkijken.platform.subsidies import lifecycle, notify, pdf
from omkijken.platform.subsidies.models import (
    BESLISTERMIJN_DAGEN,
    SOORTEN,
    Begrotingsregel,
    Regeling,
    Subsidieaanvraag,
    SubsidieBericht,
)
from omkijken.platform.subsidies.vocabulary import NOTITIE_LABELS, STATUS_LABELS
from omkijken.platform.subsidies.volledigheid import Tekort, missing, remaining
from omkijken.platform.system import audit
from omkijken.platform.system.models import AuditEntry

ONDERWERP = "subsidieaanvraag"
audit.register_labels(ONDERWERP, STATUS_LABELS | NOTITIE_LABELS)
TITEL_MAX = 120
KORT_MAX = 200
TEKST_MAX = 4000
REGELS_MAX = 30

# What the aanvrager fills in, and while it is theirs to change; the accountability comes later.
AANVRAAG_VELDEN = frozenset({
    "titel", "wat", "voor_wie", "wijk_id", "plek", "wanneer", "deelnemers", "soort", "regeling_id",
    "eigen_bijdrage_cents", "sponsor_bijdrage_cents", "uren_vrijwilligers", "bijdragen",
})
VERANTWOORDING_VELDEN = frozenset({"bereikt", "bijdragen_van_wie", "deelnemers_vonden", "werkelijke_kosten_cents"})
_TEKSTEN = {"titel": TITEL_MAX, "plek": KORT_MAX, "wanneer": KORT_MAX, "wat": TEKST_MAX, "voor_wie": TEKST_MAX,
            "bijdragen": TEKST_MAX, "bereikt": TEKST_MAX, "bijdragen_van_wie": TEKST_MAX,
            "deelnemers_vonden": TEKST_MAX}
_AANTALLEN = frozenset({"deelnemers", "uren_vrijwilligers"})
_BEDRAGEN = frozenset({"eigen_bijdrage_cents", "sponsor_bijdrage_cents", "werkelijke_kosten_cents"})

_REFUSALS = {
    "onbekend": ("status", _l("Deze stap bestaat niet.")),
    "niet_nu": ("status", _l("Dit kan nu niet. Misschien deed iemand anders net een stap.")),
    "niet_jij": ("status", _l("Deze stap is niet aan jou.")),
}
_REDEN_NODIG = {
    "toegekend": _l("Schrijf kort waarom. De aanvrager leest dit."),
    "deels_toegekend": _l("Schrijf kort waarom niet alles. De aanvrager leest dit."),
    "afgewezen": _l("Schrijf kort waarom niet. De aanvrager leest dit."),
    "vragen_gesteld": _l("Schrijf je vraag op."),
    "advies_gevraagd": _l("Schrijf op waarover je advies wilt."),
    "vragen_gesteld->in_behandeling": _l("Schrijf je antwoord op."),
    "advies_gevraagd->in_behandeling": _l("Schrijf je advies op, of waarom het zonder advies verder gaat."),
}
# Advice is only asked where someone can give it: else the aanvraag would wait where nobody sees it.
NIEMAND_ADVISEERT = _l("Niemand kan nu advies geven. Deze wijk heeft geen opbouwwerker op Omkijken. "
                       "Schrijf het advies van de wijk- of dorpsraad op, of ga zelf verder.")


class SubsidieError(RuleBroken):
    """A rule of the subsidies was broken; the message is for the form."""


class Incomplete(SubsidieError):
    """The aanvraag cannot be sent in yet: ``tekorten`` says what is missing, per field."""

    def __init__(self, tekorten: list[Tekort], message: Any = None) -> None:
        super().__init__("", message or _l("Je aanvraag is nog niet compleet. Kijk wat er nog mist."))
        self.tekorten = tekorten


# ---- regelingen and pots (set up in gemeente_services) -------------------------------------------

def regelingen_voor(aanvraag: Subsidieaanvraag, *, now: datetime) -> list[Regeling]:
    """The regelingen the aanvrager can choose from: those of the gemeente of the aanvraag's wijk
    for this year or later, and the one already chosen."""
    if aanvraag.wijk is None:
        return []
    found = db.session.scalars(select(Regeling).where(
        Regeling.gemeente_id == aanvraag.wijk.gemeente_id,
        (Regeling.jaar >= local(now).year) | (Regeling.id == aanvraag.regeling_id),
    ).order_by(Regeling.jaar, Regeling.naam)).all()
    return list(found)


# ---- the aanvrager's draft -----------------------------------------------------------------------

def create_draft(initiatief: Initiatief, *, by: User, now: datetime) -> Subsidieaanvraag:
    """A new draft from an initiatief's page; the initiatief's owner applies (residents stay owner)."""
    if by.id != initiatief.auteur_id:
        raise NotAllowed("", _l("Alleen wie het initiatief begon, kan subsidie aanvragen."))
    aanvraag = Subsidieaanvraag(initiatief_id=initiatief.id, aanvrager_id=by.id, wijk_id=initiatief.wijk_id,
                                status="concept", titel=initiatief.titel[:TITEL_MAX], created_at=now,
                                updated_at=now)
    db.session.add(aanvraag)
    db.session.flush()
    return aanvraag


def edit(aanvraag: Subsidieaanvraag, *, by: User, now: datetime, **changes: Any) -> Subsidieaanvraag:
    """Save what the aanvrager filled in. The application can be changed while it is a draft or
    while the gemeente asks a question; the accountability while it is asked for. Incomplete is
    fine here: a draft is saved half-done and finished later."""
    if by.id != aanvraag.aanvrager_id:
        raise NotAllowed("", _l("Alleen de aanvrager kan de aanvraag veranderen."))
    allowed = (AANVRAAG_VELDEN if aanvraag.status in lifecycle.BEWERKBAAR
               else VERANTWOORDING_VELDEN if aanvraag.status == "verantwoording_gevraagd" else frozenset())
    for name in changes:
        if name not in allowed:
            raise SubsidieError(name, _l("Dit kun je nu niet meer veranderen."))
    for name, value in changes.items():
        setattr(aanvraag, name, _clean(aanvraag, name, value))
    aanvraag.updated_at = now
    db.session.flush()
    return aanvraag


def _clean(aanvraag: Subsidieaanvraag, name: str, value: Any) -> Any:
    if name in _TEKSTEN:
        text = (value or "").strip()
        if len(text) > _TEKSTEN[name]:
            raise SubsidieError(name, _l("Maak dit korter: hooguit %(max)s tekens.", max=_TEKSTEN[name]))
        return text
    if name in _AANTALLEN:
        if value is None and name == "deelnemers":
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise SubsidieError(name, _l("Vul een heel getal in, 0 of meer."))
        return value
    if name in _BEDRAGEN:
        if value is None and name == "werkelijke_kosten_cents":
            return None
        check_whole_cents(value, name)
        if value < 0:
            raise SubsidieError(name, _l("Een bedrag kan niet onder € 0 zijn."))
        return value
    if name == "soort":
        if value is not None and value not in SOORTEN:
            raise SubsidieError(name, _l("Kies wat voor initiatief het is."))
        return value
    if name == "wijk_id":
        # Where it happens; by default the initiatief's wijk. Pass it before ``regeling_id``.
        wijk = db.session.get(Wijk, value) if isinstance(value, int) else None
        if wijk is None:
            raise SubsidieError(name, _l("Kies in welke wijk het is."))
        aanvraag.wijk = wijk
        return wijk.id
    if name == "regeling_id":
        if value is None:
            return None
        regeling = db.session.get(Regeling, value)
        if regeling is None or aanvraag.wijk is None or regeling.gemeente_id != aanvraag.wijk.gemeente_id:
            raise SubsidieError(name, _l("Kies een regeling van je eigen gemeente."))
        return regeling.id
    raise SubsidieError(name, _l("Dit veld kennen we niet."))


def set_lines(aanvraag: Subsidieaanvraag, lines: Sequence[tuple[str, int]], *, by: User,
              now: datetime) -> Subsidieaanvraag:
    """Replace the begroting with ``lines`` of (what, amount in cents), in this order."""
    if by.id != aanvraag.aanvrager_id:
        raise NotAllowed("", _l("Alleen de aanvrager kan de begroting veranderen."))
    if aanvraag.status not in lifecycle.BEWERKBAAR:
        raise SubsidieError("regels", _l("De begroting kun je nu niet meer veranderen."))
    if len(lines) > REGELS_MAX:
        raise SubsidieError("regels", _l("Gebruik hooguit %(max)s regels.", max=REGELS_MAX))
    cleaned: list[tuple[str, int]] = []
    for omschrijving, bedrag in lines:
        text = (omschrijving or "").strip()
        check_whole_cents(bedrag, "regels")
        if not text:
            raise SubsidieError("regels", _l("Schrijf bij elk bedrag waar het voor is."))
        if len(text) > KORT_MAX:
            raise SubsidieError("regels", _l("Maak elke regel korter: hooguit %(max)s tekens.", max=KORT_MAX))
        if bedrag <= 0:
            raise SubsidieError("regels", _l("Elk bedrag moet meer dan € 0 zijn."))
        cleaned.append((text, bedrag))
    aanvraag.regels.clear()
    db.session.flush()
    aanvraag.regels.extend(Begrotingsregel(omschrijving=text, bedrag_cents=bedrag, volgorde=i)
                           for i, (text, bedrag) in enumerate(cleaned))
    aanvraag.updated_at = now
    db.session.flush()
    return aanvraag


def check_whole_cents(value: Any, veld: str) -> None:
    """Money is whole cents: a float here is a bug in the caller, not the user's typing."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{veld}: money is whole cents (int), not {type(value).__name__}")


def submit(aanvraag: Subsidieaanvraag, *, by: User, now: datetime) -> AuditEntry:
    """Send the draft in; refused with ``Incomplete`` (and what is missing) when it is not done."""
    if aanvraag.aanvrager_id != by.id:
        raise NotAllowed("", _l("Alleen de aanvrager kan de aanvraag versturen."))
    return move(aanvraag, "ingediend", by=by, now=now)


# ---- status steps --------------------------------------------------------------------------------

def roles_of(user: User | Any, aanvraag: Subsidieaanvraag) -> frozenset[str]:
    """Which lifecycle roles ``user`` has for this aanvraag. Whoever applied is only the aanvrager
    of it, also when they work at the gemeente: nobody reviews or grants their own aanvraag."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if user.id == aanvraag.aanvrager_id:
        return frozenset({"aanvrager"})
    rollen = set()
    if may(user, "namens_gemeente"):
        rollen.add("gemeente")
    if may(user, "adviseren") and may_moderate(user, aanvraag.wijk_id):
        rollen.add("adviseur")
    return frozenset(rollen)


def advisers(aanvraag: Subsidieaanvraag) -> list[User]:
    """Who can give advice on this aanvraag: the opbouwwerkers of its wijk with an account still
    in use, never the aanvrager. Nobody: then advice is not asked (see ``move``)."""
    if aanvraag.wijk_id is None:
        return []
    return list(db.session.scalars(select(User).join(RoleGrant, RoleGrant.user_id == User.id).where(
        RoleGrant.role == "opbouwwerker", RoleGrant.wijk_id == aanvraag.wijk_id, User.verwijderd_at.is_(None),
        User.id != aanvraag.aanvrager_id).order_by(User.naam).distinct()))


def next_statuses(aanvraag: Subsidieaanvraag, user: User | Any) -> list[str]:
    """The steps ``user`` can take now; asking advice only when someone can give it."""
    volgende = lifecycle.next_statuses(aanvraag.status, rollen=roles_of(user, aanvraag))
    if "advies_gevraagd" in volgende and not advisers(aanvraag):
        volgende.remove("advies_gevraagd")
    return volgende


def besluitbrief(aanvraag: Subsidieaanvraag, besluit: str) -> bytes:
    """The stored decision letter. A decision made before letters were stored gets its letter now,
    on the first download, once: the row is locked, so two first downloads at once store one file.
    ``besluit`` is what was decided (the status may have moved on since)."""
    if aanvraag.besluit_bestand is None:
        aanvraag = lock_row(Subsidieaanvraag, aanvraag.id, "besluit_bestand")
        if aanvraag.besluit_bestand is None:
            pdf.store(aanvraag, besluit)
            db.session.flush()
    return pdf.read(aanvraag)


def move(aanvraag: Subsidieaanvraag, status: str, *, by: User, now: datetime, reden: str = "",
         bedrag_cents: int | None = None) -> AuditEntry:
    """Take one step in the lifecycle; the only place a status changes.

    Raises NotAllowed when ``by`` has no part in this aanvraag, SubsidieError (with a Dutch
    message) when the step, the reason or the amount does not fit. ``bedrag_cents`` is for a grant
    only: toegekend defaults to what was asked, deels_toegekend needs less than that. A refusal
    comes before the step changed anything; the locks go when the caller's transaction ends (the
    request, task or command), so what the caller saved before the step (a draft) may stay.
    """
    return _move(aanvraag, status, by=by, now=now, reden=reden, bedrag_cents=bedrag_cents)


def _move(aanvraag: Subsidieaanvraag, status: str, *, by: User, now: datetime, reden: str,
          bedrag_cents: int | None) -> AuditEntry:
    # Always the regeling before the aanvraag: two steps never wait for each other's lock.
    if status in lifecycle.TOEKENNINGEN and aanvraag.regeling_id is not None:
        regeling = lock_row(Regeling, aanvraag.regeling_id, "naam")
    else:
        regeling = None
    aanvraag = lock_row(Subsidieaanvraag, aanvraag.id, "updated_at")
    rollen = roles_of(by, aanvraag)
    if not rollen:
        raise NotAllowed("", _l("Je hebt met deze aanvraag niets te maken."))
    van = aanvraag.status
    try:
        lifecycle.check(van, status, rollen=rollen, reden=reden)
    except lifecycle.Refused as refused:
        if refused.code == "reden_nodig":
            key = f"{van}->{status}" if f"{van}->{status}" in _REDEN_NODIG else status
            raise SubsidieError("reden", _REDEN_NODIG[key]) from None
        veld, message = _REFUSALS[refused.code]
        error = NotAllowed if refused.code == "niet_jij" else SubsidieError
        raise error(veld, message) from None
    if bedrag_cents is not None and status not in lifecycle.TOEKENNINGEN:
        raise SubsidieError("bedrag", _l("Alleen bij een toekenning hoort een bedrag."))
    if status == "advies_gevraagd" and not advisers(aanvraag):
        raise SubsidieError("reden", NIEMAND_ADVISEERT)
    reden = reden.strip()
    details: dict[str, Any] = {"titel": aanvraag.titel, "van": van, "naar": status}

    if status == "ingediend":
        _submitted(aanvraag, now)
    elif regeling is not None and regeling.id != aanvraag.regeling_id:
        raise SubsidieError("regeling_id", _REFUSALS["niet_nu"][1])
    elif status == "in_behandeling" and van == "ingediend":
        aanvraag.contactpersoon_id = by.id
    elif status == "vragen_gesteld" or (van, status) == ("vragen_gesteld", "in_behandeling"):
        # The question, its answer, or why the gemeente goes on without one: the thread both read.
        db.session.add(SubsidieBericht(aanvraag=aanvraag, afzender_id=by.id, tekst=reden, created_at=now))
    elif status in lifecycle.BESLUITEN:
        details |= _decide(aanvraag, regeling, status, bedrag_cents)
        aanvraag.reden, aanvraag.besloten_at = reden, now
    elif status == "verantwoord":
        _accounted(aanvraag, now)
    elif status == "afgesloten" and aanvraag.steun_eind is None:
        aanvraag.steun_eind = local(now).date()

    aanvraag.status = status
    aanvraag.updated_at = now
    if status in lifecycle.BESLUITEN:
        pdf.store(aanvraag, status)  # the letter is the record of the decision: made once, now
    notify.tell_applicant(aanvraag, now, van=van, by=by)
    entry = audit.record(by=by, onderwerp=ONDERWERP, onderwerp_id=aanvraag.id, wijk_id=aanvraag.wijk_id,
                         besluit=status, reden=reden, details=details, now=now)
    db.session.flush()
    return entry


def _submitted(aanvraag: Subsidieaanvraag, now: datetime) -> None:
    """Sent in, when complete: the clock of the decision term starts (the regeling's norm, else
    four weeks, ending on a working day)."""
    tekorten = missing(aanvraag)
    if tekorten:
        raise Incomplete(tekorten)
    dagen = aanvraag.regeling.beslistermijn_dagen if aanvraag.regeling else BESLISTERMIJN_DAGEN
    aanvraag.ingediend_at = now
    # A date in Oss, not in UTC; one that falls on a weekend or a public holiday moves to the next working day.
    aanvraag.beslis_voor = werkdag(local(now).date() + timedelta(days=dagen))
    if aanvraag.contactpersoon_id is None:
        aanvraag.contactpersoon_id = _least_busy_officer(besides=aanvraag.aanvrager_id)


def _least_busy_officer(*, besides: int | None) -> int | None:
    """One contact person from the moment of sending in ("one clear contact point"): the intake
    officer with the fewest open aanvragen. Whoever takes the aanvraag up becomes the contact."""
    open_cases = (select(func.count(Subsidieaanvraag.id))
                  .where(Subsidieaanvraag.contactpersoon_id == RoleGrant.user_id,
                         Subsidieaanvraag.status.in_(lifecycle.OPEN))
                  .scalar_subquery())
    stmt = select(RoleGrant.user_id).where(RoleGrant.role == "gemeente").order_by(open_cases, RoleGrant.user_id)
    if besides is not None:
        stmt = stmt.where(RoleGrant.user_id != besides)
    return db.session.scalar(stmt.limit(1))


def _decide(aanvraag: Subsidieaanvraag, regeling: Regeling | None, status: str,
            bedrag_cents: int | None) -> dict[str, Any]:
    """The money of a decision; for a grant, checked against the regeling's maximum and against
    the pot, which the caller has locked."""
    if status == "afgewezen":
        aanvraag.toegekend_cents = None
        return {}
    if regeling is None:
        raise SubsidieError("regeling_id", _l("Kies eerst uit welke regeling dit betaald wordt."))
    gevraagd = aanvraag.gevraagd_cents
    bedrag = gevraagd if bedrag_cents is None and status == "toegekend" else bedrag_cents
    if bedrag is None:
        raise SubsidieError("bedrag", _l("Vul in hoeveel je toekent."))
    check_whole_cents(bedrag, "bedrag")
    if bedrag <= 0:
        raise SubsidieError("bedrag", _l("Het bedrag moet meer dan € 0 zijn. Wijs anders af."))
    if status == "deels_toegekend" and bedrag >= gevraagd:
        raise SubsidieError("bedrag", _l("Deels toekennen is minder dan gevraagd (%(gevraagd)s).",
                                         gevraagd=format_cents(gevraagd)))
    if bedrag > regeling.max_per_aanvraag_cents:
        raise SubsidieError("bedrag", _l("Dit is meer dan de regeling per aanvraag geeft: hooguit %(max)s.",
                                             max=format_cents(regeling.max_per_aanvraag_cents)))
    rest = remaining(regeling)
    if bedrag > rest:
        raise SubsidieError("bedrag", _l("Er zit nog maar %(rest)s in deze regeling.", rest=format_cents(rest)))
    aanvraag.toegekend_cents = bedrag
    return {"bedrag_cents": bedrag, "gevraagd_cents": gevraagd, "resterend_cents": rest - bedrag}


def _accounted(aanvraag: Subsidieaanvraag, now: datetime) -> None:
    """The accountability is sent in: the three questions answered and what it really cost."""
    tekorten = [Tekort(veld, str(tekst)) for veld, ok, tekst in (
        ("bereikt", aanvraag.bereikt.strip(), _l("Schrijf op wat het heeft opgeleverd.")),
        ("bijdragen_van_wie", aanvraag.bijdragen_van_wie.strip(), _l("Schrijf op wie wat heeft bijgedragen.")),
        ("deelnemers_vonden", aanvraag.deelnemers_vonden.strip(), _l("Schrijf op wat de deelnemers ervan vonden.")),
        ("werkelijke_kosten_cents", aanvraag.werkelijke_kosten_cents is not None,
         _l("Vul in wat het echt heeft gekost.")),
    ) if not ok]
    if tekorten:
        raise Incomplete(tekorten, _l("Je verantwoording is nog niet compleet. Kijk wat er nog mist."))
    aanvraag.verantwoord_at = now
