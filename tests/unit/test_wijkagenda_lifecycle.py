"""Where an agendapunt may go: the rules an opbouwwerker's buttons follow."""

from __future__ import annotations

import itertools

import pytest

from omkijken.platform.wijkagenda.lifecycle import (
    BESLUITEN,
    MODERATIE,
    STATUSSEN,
    Refused,
    after,
    may_resubmit,
    next_statuses,
)


def test_the_whole_road_from_idea_to_done():
    state = ("ingediend", "nieuw")
    for besluit in ("goedkeuren", "besproken", "sociale_agenda", "in_uitvoering", "gerealiseerd"):
        state = after(*state, besluit)
    assert state == ("goedgekeurd", "gerealiseerd")
    assert next_statuses(*state) == []


def test_a_refusal_or_a_request_for_change_needs_a_reason_the_author_reads():
    for besluit in ("weigeren", "wijziging_vragen"):
        with pytest.raises(Refused) as refused:
            after("ingediend", "nieuw", besluit, reden="  ")
        assert refused.value.code == "reden_nodig"
        assert after("ingediend", "nieuw", besluit, reden="Dit staat er al")[0] in ("geweigerd", "wijziging_gevraagd")


def test_niet_opgepakt_says_why_and_can_be_picked_up_later():
    with pytest.raises(Refused):
        after("goedgekeurd", "besproken", "niet_opgepakt")
    state = after("goedgekeurd", "besproken", "niet_opgepakt", reden="Geen geld dit jaar")
    assert state == ("goedgekeurd", "niet_opgepakt")
    assert next_statuses(*state) == ["besproken"]


def test_no_status_before_approval_and_no_jumping_ahead():
    with pytest.raises(Refused) as refused:
        after("ingediend", "nieuw", "besproken")
    assert refused.value.code == "niet_goedgekeurd"
    with pytest.raises(Refused) as refused:
        after("goedgekeurd", "nieuw", "gerealiseerd")
    assert refused.value.code == "niet_nu"


def test_a_decided_punt_is_not_approved_twice_and_a_merged_one_is_final():
    with pytest.raises(Refused):
        after("goedgekeurd", "nieuw", "goedkeuren")
    with pytest.raises(Refused):
        after("samengevoegd", "nieuw", "goedkeuren")
    assert next_statuses("samengevoegd", "nieuw") == []


def test_the_author_may_send_again_after_a_refusal_or_a_request_for_change_only():
    assert may_resubmit("wijziging_gevraagd") and may_resubmit("geweigerd")
    assert not may_resubmit("goedgekeurd") and not may_resubmit("samengevoegd")


def test_an_unknown_decision_is_refused():
    with pytest.raises(Refused) as refused:
        after("goedgekeurd", "nieuw", "verwijderen")
    assert refused.value.code == "onbekend"


# Every decision that is allowed, written out apart from the module from its docstring's diagram:
# (moderatie, status, besluit) -> (moderatie, status) after it.
MODERATED = {("ingediend", "goedkeuren"): "goedgekeurd", ("ingediend", "wijziging_vragen"): "wijziging_gevraagd",
             ("ingediend", "weigeren"): "geweigerd", ("goedgekeurd", "weigeren"): "geweigerd",
             ("ingediend", "samenvoegen"): "samengevoegd", ("goedgekeurd", "samenvoegen"): "samengevoegd"}
MOVES = {("nieuw", "besproken"), ("nieuw", "sociale_agenda"), ("nieuw", "niet_opgepakt"),
         ("besproken", "sociale_agenda"), ("besproken", "niet_opgepakt"),
         ("sociale_agenda", "besproken"), ("sociale_agenda", "in_uitvoering"), ("sociale_agenda", "niet_opgepakt"),
         ("in_uitvoering", "gerealiseerd"), ("in_uitvoering", "niet_opgepakt"), ("niet_opgepakt", "besproken")}


def test_every_decision_from_every_state_is_allowed_exactly_as_the_table_says():
    for moderatie, status, besluit in itertools.product(MODERATIE, STATUSSEN, BESLUITEN):
        if (moderatie, besluit) in MODERATED:
            expected = (MODERATED[(moderatie, besluit)], status)
        elif moderatie == "goedgekeurd" and (status, besluit) in MOVES:
            expected = (moderatie, besluit)
        else:
            expected = None
        try:
            got = after(moderatie, status, besluit, reden="Omdat het zo is.")
        except Refused as refused:
            got = None
            # the opbouwwerker reads why (besluiten.REFUSALS): a status only for an approved punt
            waits_for_approval = besluit in STATUSSEN and moderatie != "goedgekeurd"
            assert refused.code == ("niet_goedgekeurd" if waits_for_approval else "niet_nu"), (moderatie, besluit)
            assert str(refused) == refused.code  # what a log line shows
        assert got == expected, (moderatie, status, besluit)
