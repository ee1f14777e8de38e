"""Where a voorstel, a koppeling and a check-in may go: the rules the koppelingen services and the
nazorg sweep follow."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from omkijken.platform.koppelingen import lifecycle
from omkijken.platform.koppelingen.lifecycle import (
    CHECKIN_OPEN,
    CHECKIN_STATUSSEN,
    LIVE,
    VOORSTEL_STATUSSEN,
    checkin_after,
    checkin_may,
    checkin_step,
    koppeling_after_end,
    koppeling_loopt,
    may_propose_again,
    voorstel_after,
    voorstel_begin,
    voorstel_may,
)


def test_a_voorstel_of_a_mediated_dienst_waits_for_the_coordinator_first():
    assert voorstel_begin(mediated=True) == "te_bevestigen"
    assert voorstel_begin(mediated=False) == "open"
    assert voorstel_may("te_bevestigen", "bevestigen") and voorstel_after("bevestigen") == "open"
    assert not voorstel_may("open", "bevestigen")


def test_only_an_open_voorstel_is_answered_yes_and_becomes_gekoppeld():
    for status in VOORSTEL_STATUSSEN:
        assert voorstel_may(status, "akkoord") == (status == "open")
        assert voorstel_may(status, "koppelen") == (status == "open")
    assert voorstel_after("koppelen") == "gekoppeld"


def test_a_waiting_voorstel_may_be_said_no_to_or_lapse_and_nothing_else_may():
    for stap, after in (("afwijzen", "afgewezen"), ("vervallen", "vervallen")):
        assert {s for s in VOORSTEL_STATUSSEN if voorstel_may(s, stap)} == set(LIVE)
        assert voorstel_after(stap) == after


def test_the_coordinator_may_open_a_waiting_or_lapsed_pair_by_hand_but_never_one_said_no_to():
    assert {s for s in VOORSTEL_STATUSSEN if voorstel_may(s, "met_de_hand")} == {"te_bevestigen", "vervallen"}
    assert voorstel_after("met_de_hand") == "open"
    assert not may_propose_again("afgewezen")
    assert all(may_propose_again(s) for s in VOORSTEL_STATUSSEN if s != "afgewezen")


def test_a_koppeling_ends_completed_only_when_its_goal_was_reached():
    assert koppeling_loopt("actief") and not koppeling_loopt("gestopt") and not koppeling_loopt("afgerond")
    assert koppeling_after_end("doel_bereikt") == "afgerond"
    for reden in ("klikte_niet", "geen_tijd", "verhuisd", "anders"):
        assert koppeling_after_end(reden) == "gestopt"


def test_a_checkin_is_sent_reminded_and_then_called_about():
    road = [("versturen", "gepland"), ("herinneren", "verstuurd"), ("naar_coordinator", "herinnerd")]
    status = "gepland"
    for stap, before in road:
        assert status == before and checkin_may(status, stap)
        status = checkin_after(stap)
    assert status == "bij_coordinator"
    assert checkin_may(status, "beantwoorden") and checkin_after("beantwoorden") == "beantwoord"


def test_only_an_asked_checkin_is_answered():
    assert {s for s in CHECKIN_STATUSSEN if checkin_may(s, "beantwoorden")} == set(CHECKIN_OPEN)
    for done in ("gepland", "beantwoord", "verlopen", "vervallen"):
        assert not checkin_may(done, "beantwoorden")


def test_a_mail_that_cannot_be_delivered_hands_the_checkin_to_the_coordinator():
    allowed_from, after = checkin_step("mail_mislukt")
    assert allowed_from == {"verstuurd", "herinnerd"} and after == "bij_coordinator"


def test_an_ended_koppeling_lets_every_unanswered_checkin_lapse_but_not_an_answer():
    assert {s for s in CHECKIN_STATUSSEN if checkin_may(s, "vervallen")} == {"gepland", *CHECKIN_OPEN}
    assert not checkin_may("beantwoord", "vervallen")


@pytest.mark.parametrize("stap", ["versturen", "herinneren", "naar_coordinator", "mail_mislukt", "beantwoorden",
                                  "verlopen", "vervallen"])
def test_every_checkin_step_leads_to_a_known_status(stap):
    allowed_from, after = checkin_step(stap)
    assert allowed_from <= set(CHECKIN_STATUSSEN) and after in CHECKIN_STATUSSEN


def test_the_lifecycle_is_pure_python():
    tree = ast.parse(Path(lifecycle.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= {"__future__"}
