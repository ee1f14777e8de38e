"""Where a voorstel, a koppeling and a check-in may go next: pure rules, no database, so they are
tested on their own and the services (``services``, ``nazorg``, ``pipeline``) only apply them.

A **voorstel** pairs one hulpvraag with one volunteer:

    te_bevestigen -> open                  a coordinator of a mediated dienst lets the two see it (bevestigen)
    open -> open                           one side says yes, the other has not yet (akkoord)
    open -> gekoppeld                      the second yes: the koppeling starts (koppelen)
    te_bevestigen | open -> afgewezen      a side or the coordinator says no; never proposed again (afwijzen)
    te_bevestigen | open -> vervallen      the vraag got help, closed or moved, or the aanbod stopped (vervallen)
    te_bevestigen | vervallen -> open      a coordinator chooses this pair by hand (met_de_hand)

``te_bevestigen`` and ``open`` wait for someone (``LIVE``): one per vraag at a time.

A **koppeling** runs until it ends, with a reason:

    actief -> afgerond                     the goal was reached (reden ``doel_bereikt``), or at the last
                                           planned ronde she said they do not carry on
    actief -> actief                       at the last planned ronde she said they carry on: a new ronde
                                           half a year later (``nazorg.carry_on``)
    actief -> gestopt                      any other reason: stopped early, an account erased

A **check-in** asks one of the two, per ronde, how it goes:

    gepland -> verstuurd                   the sweep mails the question when it is due (versturen)
    verstuurd -> herinnerd                 no answer after a few days (herinneren)
    herinnerd -> bij_coordinator           still silent: the coordinator calls (naar_coordinator)
    verstuurd | herinnerd -> bij_coordinator     the mail could not be delivered (mail_mislukt)
    verstuurd | herinnerd | bij_coordinator -> beantwoord   the answer (beantwoorden)
    verstuurd | herinnerd | bij_coordinator -> verlopen     a newer ronde was asked, or the hulpvrager
                                                            answered this ronde and the volunteer's
                                                            question is not needed; the volunteer's
                                                            answer never spares hers (verlopen)
    gepland | verstuurd | herinnerd | bij_coordinator -> vervallen   the koppeling ended (the sent question
                                                            of the ronde the hulpvrager completed it in
                                                            stays open), or the sweep asks only the newest
                                                            of rondes it missed (vervallen)
"""

from __future__ import annotations

VOORSTEL_STATUSSEN = ("te_bevestigen", "open", "gekoppeld", "afgewezen", "vervallen")
KOPPELING_STATUSSEN = ("actief", "gestopt", "afgerond")
CHECKIN_STATUSSEN = ("gepland", "verstuurd", "herinnerd", "bij_coordinator", "beantwoord", "verlopen", "vervallen")

KOPPELING_BEGIN = "actief"
CHECKIN_BEGIN = "gepland"
# Voorstellen that still wait for someone: one per vraag at a time.
LIVE = ("te_bevestigen", "open")
# Check-ins that were asked and wait for an answer.
CHECKIN_OPEN = ("verstuurd", "herinnerd", "bij_coordinator")
# Check-ins that lapse when their koppeling ends.
CHECKIN_NOG_NIET_BEANTWOORD = ("gepland", *CHECKIN_OPEN)
# The reason that completes a koppeling; every other reason stops it.
DOEL_BEREIKT = "doel_bereikt"

# step -> (the statuses it may be taken from, the status it leads to)
_VOORSTEL_STAPPEN: dict[str, tuple[frozenset[str], str]] = {
    "bevestigen": (frozenset({"te_bevestigen"}), "open"),
    "akkoord": (frozenset({"open"}), "open"),
    "koppelen": (frozenset({"open"}), "gekoppeld"),
    "afwijzen": (frozenset(LIVE), "afgewezen"),
    "vervallen": (frozenset(LIVE), "vervallen"),
    "met_de_hand": (frozenset({"te_bevestigen", "vervallen"}), "open"),
}

_CHECKIN_STAPPEN: dict[str, tuple[frozenset[str], str]] = {
    "versturen": (frozenset({"gepland"}), "verstuurd"),
    "herinneren": (frozenset({"verstuurd"}), "herinnerd"),
    "naar_coordinator": (frozenset({"herinnerd"}), "bij_coordinator"),
    "mail_mislukt": (frozenset({"verstuurd", "herinnerd"}), "bij_coordinator"),
    "beantwoorden": (frozenset(CHECKIN_OPEN), "beantwoord"),
    "verlopen": (frozenset(CHECKIN_OPEN), "verlopen"),
    "vervallen": (frozenset(CHECKIN_NOG_NIET_BEANTWOORD), "vervallen"),
}


def voorstel_begin(*, mediated: bool) -> str:
    """A new voorstel: a mediated dienst's coordinator looks first, else the two see it at once."""
    return "te_bevestigen" if mediated else "open"


def voorstel_may(status: str, stap: str) -> bool:
    """Whether a voorstel in ``status`` may take ``stap`` (a key of the diagram above)."""
    return status in _VOORSTEL_STAPPEN[stap][0]


def voorstel_after(stap: str) -> str:
    """The status a voorstel has after ``stap``."""
    return _VOORSTEL_STAPPEN[stap][1]


def may_propose_again(status: str) -> bool:
    """A pair that was said no to is never proposed again, not even by hand."""
    return status != "afgewezen"


def koppeling_loopt(status: str) -> bool:
    return status == "actief"


def koppeling_after_end(reden: str) -> str:
    """The status a koppeling ends in: completed when its goal was reached, else stopped."""
    return "afgerond" if reden == DOEL_BEREIKT else "gestopt"


def checkin_may(status: str, stap: str) -> bool:
    """Whether a check-in in ``status`` may take ``stap``."""
    return status in _CHECKIN_STAPPEN[stap][0]


def checkin_step(stap: str) -> tuple[frozenset[str], str]:
    """The statuses ``stap`` may be taken from and the one it leads to, for the sweep's claims."""
    return _CHECKIN_STAPPEN[stap]


def checkin_after(stap: str) -> str:
    return _CHECKIN_STAPPEN[stap][1]
