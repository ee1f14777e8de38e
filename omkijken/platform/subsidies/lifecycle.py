"""Where a subsidieaanvraag may go next, and who may send it there: pure rules, no database, so
they are tested on their own and ``services.move`` is the only place that applies them.

    concept -> ingediend                                   the aanvrager sends it in
    ingediend -> in_behandeling                            the gemeente takes it up
    in_behandeling -> vragen_gesteld -> in_behandeling     a question in the thread, and its answer
    in_behandeling -> advies_gevraagd -> in_behandeling    advice from the wijk's opbouwwerker
    in_behandeling -> toegekend | deels_toegekend | afgewezen
    toegekend | deels_toegekend -> verantwoording_gevraagd -> verantwoord -> afgesloten
    concept | ingediend | in_behandeling | vragen_gesteld -> ingetrokken   (only the aanvrager)

Who moves (``ROLLEN``): the ``aanvrager`` (who applied), the ``gemeente`` (the intake officer) and
the ``adviseur`` (the opbouwwerker of the aanvraag's wijk). The aanvrager answers a question; the
gemeente may also take a question back. The adviseur gives the advice; the gemeente may go on
without it. While advice is asked the aanvraag is with the gemeente, so it is not withdrawn then.

A step someone else has to read needs a text (``reden``): each decision (toegekend,
deels_toegekend, afgewezen: the aanvrager reads why), a question, the request for advice, the
answer and the advice. Withdrawing may say why, but need not.
"""

from __future__ import annotations

STATUSSEN = (
    "concept", "ingediend", "in_behandeling", "vragen_gesteld", "advies_gevraagd", "toegekend", "deels_toegekend",
    "afgewezen", "verantwoording_gevraagd", "verantwoord", "afgesloten", "ingetrokken",
)
ROLLEN = ("aanvrager", "gemeente", "adviseur")

# (from, to) -> the roles that may make that step.
_STAPPEN: dict[tuple[str, str], frozenset[str]] = {
    ("concept", "ingediend"): frozenset({"aanvrager"}),
    ("ingediend", "in_behandeling"): frozenset({"gemeente"}),
    ("in_behandeling", "vragen_gesteld"): frozenset({"gemeente"}),
    ("vragen_gesteld", "in_behandeling"): frozenset({"aanvrager", "gemeente"}),
    ("in_behandeling", "advies_gevraagd"): frozenset({"gemeente"}),
    ("advies_gevraagd", "in_behandeling"): frozenset({"adviseur", "gemeente"}),
    ("in_behandeling", "toegekend"): frozenset({"gemeente"}),
    ("in_behandeling", "deels_toegekend"): frozenset({"gemeente"}),
    ("in_behandeling", "afgewezen"): frozenset({"gemeente"}),
    ("toegekend", "verantwoording_gevraagd"): frozenset({"gemeente"}),
    ("deels_toegekend", "verantwoording_gevraagd"): frozenset({"gemeente"}),
    ("verantwoording_gevraagd", "verantwoord"): frozenset({"aanvrager"}),
    ("verantwoord", "afgesloten"): frozenset({"gemeente"}),
    **{(van, "ingetrokken"): frozenset({"aanvrager"})
       for van in ("concept", "ingediend", "in_behandeling", "vragen_gesteld")},
}

BESLUITEN = frozenset({"toegekend", "deels_toegekend", "afgewezen"})
TOEKENNINGEN = frozenset({"toegekend", "deels_toegekend"})
# Statuses in which money is granted: these count against the regeling's pot.
MET_GELD = frozenset({"toegekend", "deels_toegekend", "verantwoording_gevraagd", "verantwoord", "afgesloten"})
# Statuses in which the aanvrager may still change what they asked.
BEWERKBAAR = frozenset({"concept", "vragen_gesteld"})
OPEN = frozenset({"ingediend", "in_behandeling", "vragen_gesteld", "advies_gevraagd"})
EINDE = frozenset(s for s in STATUSSEN if not any(van == s for van, _ in _STAPPEN))

_TEKST_NODIG = frozenset({
    *((van, naar) for van, naar in _STAPPEN if naar in BESLUITEN | {"vragen_gesteld", "advies_gevraagd"}),
    ("vragen_gesteld", "in_behandeling"),
    ("advies_gevraagd", "in_behandeling"),
})


class Refused(ValueError):
    """The step does not fit the aanvraag as it is now, or not this person; ``code`` names why:
    ``onbekend`` (no such status), ``niet_nu`` (not from this status), ``niet_jij`` (not this
    role), ``reden_nodig`` (the step needs a text)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check(van: str, naar: str, *, rollen: frozenset[str] | set[str], reden: str = "") -> None:
    """Raises Refused when ``rollen`` may not move an aanvraag from ``van`` to ``naar`` now."""
    if naar not in STATUSSEN or van not in STATUSSEN:
        raise Refused("onbekend")
    allowed = _STAPPEN.get((van, naar))
    if allowed is None:
        raise Refused("niet_nu")
    if not allowed & set(rollen):
        raise Refused("niet_jij")
    if needs_reason(van, naar) and not reden.strip():
        raise Refused("reden_nodig")


def needs_reason(van: str, naar: str) -> bool:
    return (van, naar) in _TEKST_NODIG


def next_statuses(van: str, *, rollen: frozenset[str] | set[str]) -> list[str]:
    """The steps these roles can take now, in the order of the lifecycle (for the buttons)."""
    return [naar for naar in STATUSSEN if (van, naar) in _STAPPEN and _STAPPEN[(van, naar)] & set(rollen)]
