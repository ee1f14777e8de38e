"""Where an agendapunt may go next: pure rules, no database, so they are tested on their own.

A punt has two states. ``moderatie`` says whether it is on the wijkagenda at all:

    ingediend -> goedgekeurd | wijziging_gevraagd | geweigerd | samengevoegd
    goedgekeurd -> geweigerd | samengevoegd      (taken off later, or found to be a duplicate)
    wijziging_gevraagd | geweigerd -> ingediend  (the author changes it and sends it again)

``status`` says how far the wijk got with an approved punt:

    nieuw -> besproken -> sociale_agenda -> in_uitvoering -> gerealiseerd
    and from every open status to niet_opgepakt (always with why); niet_opgepakt -> besproken
    when the wijk picks it up after all; sociale_agenda -> besproken when it leaves the plan.

A decision that needs a reason (asking for a change, refusing, niet opgepakt) is refused without one.
"""

from __future__ import annotations

MODERATIE = ("ingediend", "goedgekeurd", "wijziging_gevraagd", "geweigerd", "samengevoegd")
STATUSSEN = ("nieuw", "besproken", "sociale_agenda", "in_uitvoering", "gerealiseerd", "niet_opgepakt")

# Moderation decisions: the state they lead to and the states they may be taken from.
_MODERATIE_BESLUITEN: dict[str, tuple[str, frozenset[str]]] = {
    "goedkeuren": ("goedgekeurd", frozenset({"ingediend"})),
    "wijziging_vragen": ("wijziging_gevraagd", frozenset({"ingediend"})),
    "weigeren": ("geweigerd", frozenset({"ingediend", "goedgekeurd"})),
    "samenvoegen": ("samengevoegd", frozenset({"ingediend", "goedgekeurd"})),
}

_VOLGENDE_STATUS: dict[str, frozenset[str]] = {
    "nieuw": frozenset({"besproken", "sociale_agenda", "niet_opgepakt"}),
    "besproken": frozenset({"sociale_agenda", "niet_opgepakt"}),
    "sociale_agenda": frozenset({"besproken", "in_uitvoering", "niet_opgepakt"}),
    "in_uitvoering": frozenset({"gerealiseerd", "niet_opgepakt"}),
    "gerealiseerd": frozenset(),
    "niet_opgepakt": frozenset({"besproken"}),
}

BESLUITEN = (*_MODERATIE_BESLUITEN, *(s for s in STATUSSEN if s != "nieuw"))
NEEDS_REASON = frozenset({"wijziging_vragen", "weigeren", "niet_opgepakt"})
RESUBMITTABLE = frozenset({"wijziging_gevraagd", "geweigerd"})


class Refused(ValueError):
    """The decision does not fit the punt as it is now; ``code`` names why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def after(moderatie: str, status: str, besluit: str, *, reden: str = "") -> tuple[str, str]:
    """The (moderatie, status) a punt has after ``besluit``; raises Refused when it may not."""
    if besluit in NEEDS_REASON and not reden.strip():
        raise Refused("reden_nodig")
    if besluit in _MODERATIE_BESLUITEN:
        target, allowed_from = _MODERATIE_BESLUITEN[besluit]
        if moderatie not in allowed_from:
            raise Refused("niet_nu")
        return target, status
    if besluit not in _VOLGENDE_STATUS:
        raise Refused("onbekend")
    if moderatie != "goedgekeurd":
        raise Refused("niet_goedgekeurd")
    if besluit not in _VOLGENDE_STATUS[status]:
        raise Refused("niet_nu")
    return moderatie, besluit


def next_statuses(moderatie: str, status: str) -> list[str]:
    """The status moves an opbouwwerker can make now, in the order of the lifecycle."""
    if moderatie != "goedgekeurd":
        return []
    return [s for s in STATUSSEN if s in _VOLGENDE_STATUS[status]]


def may_resubmit(moderatie: str) -> bool:
    return moderatie in RESUBMITTABLE
