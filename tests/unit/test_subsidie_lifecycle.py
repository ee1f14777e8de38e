"""Where a subsidieaanvraag may go, and who may send it there: the rules behind every button."""

from __future__ import annotations

import itertools

import pytest

from omkijken.platform.subsidies.lifecycle import (
    EINDE,
    ROLLEN,
    STATUSSEN,
    Refused,
    check,
    needs_reason,
    next_statuses,
)

AANVRAGER, GEMEENTE, ADVISEUR = {"aanvrager"}, {"gemeente"}, {"adviseur"}


def walk(*steps: tuple[str, set[str]], start: str = "concept") -> str:
    status = start
    for naar, rollen in steps:
        check(status, naar, rollen=rollen, reden="omdat")
        status = naar
    return status


def test_the_whole_road_from_draft_to_closed():
    end = walk(("ingediend", AANVRAGER), ("in_behandeling", GEMEENTE), ("vragen_gesteld", GEMEENTE),
               ("in_behandeling", AANVRAGER), ("advies_gevraagd", GEMEENTE), ("in_behandeling", ADVISEUR),
               ("toegekend", GEMEENTE), ("verantwoording_gevraagd", GEMEENTE), ("verantwoord", AANVRAGER),
               ("afgesloten", GEMEENTE))
    assert end == "afgesloten"
    assert next_statuses(end, rollen={"aanvrager", "gemeente", "adviseur"}) == []


@pytest.mark.parametrize("besluit", ["toegekend", "deels_toegekend", "afgewezen"])
def test_each_decision_is_the_gemeentes_and_needs_a_reason(besluit):
    with pytest.raises(Refused) as refused:
        check("in_behandeling", besluit, rollen=GEMEENTE, reden="  ")
    assert refused.value.code == "reden_nodig"
    check("in_behandeling", besluit, rollen=GEMEENTE, reden="Past goed bij de regeling")
    for rollen in (AANVRAGER, ADVISEUR):
        with pytest.raises(Refused) as refused:
            check("in_behandeling", besluit, rollen=rollen, reden="Graag")
        assert refused.value.code == "niet_jij"


def test_only_a_granted_aanvraag_is_accounted_for():
    for van in ("toegekend", "deels_toegekend"):
        check(van, "verantwoording_gevraagd", rollen=GEMEENTE)
    with pytest.raises(Refused) as refused:
        check("afgewezen", "verantwoording_gevraagd", rollen=GEMEENTE)
    assert refused.value.code == "niet_nu"


def test_no_jumping_ahead_and_no_way_back_from_a_decision():
    refused_steps = [("concept", "in_behandeling"), ("ingediend", "toegekend"), ("concept", "toegekend"),
                     ("toegekend", "afgewezen"), ("afgewezen", "in_behandeling"), ("toegekend", "afgesloten"),
                     ("verantwoording_gevraagd", "afgesloten"), ("vragen_gesteld", "toegekend"),
                     ("advies_gevraagd", "afgewezen"), ("afgesloten", "verantwoording_gevraagd")]
    for van, naar in refused_steps:
        with pytest.raises(Refused) as refused:
            check(van, naar, rollen={"aanvrager", "gemeente", "adviseur"}, reden="toch")
        assert refused.value.code == "niet_nu", (van, naar)


def test_the_aanvrager_withdraws_until_the_gemeente_decides():
    for van in ("concept", "ingediend", "in_behandeling", "vragen_gesteld"):
        check(van, "ingetrokken", rollen=AANVRAGER)
        with pytest.raises(Refused) as refused:
            check(van, "ingetrokken", rollen=GEMEENTE)
        assert refused.value.code == "niet_jij"
    for van in ("advies_gevraagd", "toegekend", "afgewezen", "verantwoord", "afgesloten"):
        with pytest.raises(Refused):
            check(van, "ingetrokken", rollen=AANVRAGER)


def test_a_question_is_answered_by_the_aanvrager_and_advice_given_by_the_adviseur():
    assert needs_reason("in_behandeling", "vragen_gesteld")
    assert needs_reason("vragen_gesteld", "in_behandeling")
    assert needs_reason("advies_gevraagd", "in_behandeling")
    assert not needs_reason("concept", "ingediend") and not needs_reason("ingediend", "ingetrokken")
    with pytest.raises(Refused) as refused:
        check("vragen_gesteld", "in_behandeling", rollen=AANVRAGER)
    assert refused.value.code == "reden_nodig"
    with pytest.raises(Refused) as refused:
        check("vragen_gesteld", "in_behandeling", rollen=ADVISEUR, reden="Advies")
    assert refused.value.code == "niet_jij"
    with pytest.raises(Refused) as refused:
        check("in_behandeling", "advies_gevraagd", rollen=ADVISEUR, reden="Ik wil meekijken")
    assert refused.value.code == "niet_jij"
    check("advies_gevraagd", "in_behandeling", rollen=GEMEENTE, reden="Geen antwoord, we gaan door")


def test_the_buttons_each_role_sees():
    assert next_statuses("concept", rollen=AANVRAGER) == ["ingediend", "ingetrokken"]
    assert next_statuses("concept", rollen=GEMEENTE) == []
    assert next_statuses("in_behandeling", rollen=GEMEENTE) == [
        "vragen_gesteld", "advies_gevraagd", "toegekend", "deels_toegekend", "afgewezen"]
    assert next_statuses("in_behandeling", rollen=AANVRAGER) == ["ingetrokken"]
    assert next_statuses("advies_gevraagd", rollen=ADVISEUR) == ["in_behandeling"]
    assert next_statuses("verantwoording_gevraagd", rollen=AANVRAGER) == ["verantwoord"]


def test_unknown_statuses_are_refused_and_the_end_states_are_final():
    with pytest.raises(Refused) as refused:
        check("in_behandeling", "goedgekeurd", rollen=GEMEENTE, reden="ja")
    assert refused.value.code == "onbekend"
    assert EINDE == {"afgewezen", "afgesloten", "ingetrokken"}
    for status in EINDE:
        assert all(next_statuses(status, rollen={r}) == [] for r in ("aanvrager", "gemeente", "adviseur"))
    assert len(STATUSSEN) == len(set(STATUSSEN)) == 12


# Every step and who may take it, written out here apart from the module, from the road in its
# docstring: a change of a role in the module must be a change of this table too.
ALLOWED = {
    ("concept", "ingediend", "aanvrager"),
    ("ingediend", "in_behandeling", "gemeente"),
    ("in_behandeling", "vragen_gesteld", "gemeente"),
    ("vragen_gesteld", "in_behandeling", "aanvrager"),
    ("vragen_gesteld", "in_behandeling", "gemeente"),
    ("in_behandeling", "advies_gevraagd", "gemeente"),
    ("advies_gevraagd", "in_behandeling", "adviseur"),
    ("advies_gevraagd", "in_behandeling", "gemeente"),
    ("in_behandeling", "toegekend", "gemeente"),
    ("in_behandeling", "deels_toegekend", "gemeente"),
    ("in_behandeling", "afgewezen", "gemeente"),
    ("toegekend", "verantwoording_gevraagd", "gemeente"),
    ("deels_toegekend", "verantwoording_gevraagd", "gemeente"),
    ("verantwoording_gevraagd", "verantwoord", "aanvrager"),
    ("verantwoord", "afgesloten", "gemeente"),
    ("concept", "ingetrokken", "aanvrager"),
    ("ingediend", "ingetrokken", "aanvrager"),
    ("in_behandeling", "ingetrokken", "aanvrager"),
    ("vragen_gesteld", "ingetrokken", "aanvrager"),
}


def test_every_step_by_every_role_is_allowed_exactly_as_the_table_says():
    """All 12 x 12 x 3 combinations: the aanvrager never closes or grants, the adviseur only gives advice."""
    refused_codes = set()
    for van, naar, rol in itertools.product(STATUSSEN, STATUSSEN, ROLLEN):
        try:
            check(van, naar, rollen={rol}, reden="Omdat het zo is.")
            allowed = True
        except Refused as refused:
            allowed = False
            refused_codes.add(refused.code)
            assert str(refused) == refused.code  # what a log line shows
        assert allowed == ((van, naar, rol) in ALLOWED), (van, naar, rol)
    assert refused_codes == {"niet_nu", "niet_jij"}
