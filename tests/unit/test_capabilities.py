"""The capability table: global roles hold a capability everywhere, scoped roles only in their wijk."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from omkijken.platform.accounts.permissions import (
    CAPABILITIES,
    has_role,
    may,
    may_moderate,
    moderated_wijk_ids,
    wijk_ids,
)


def person(*grants: tuple[str, int | None]) -> SimpleNamespace:
    return SimpleNamespace(is_authenticated=True, roles=[SimpleNamespace(role=r, wijk_id=w) for r, w in grants])


ANONYMOUS = SimpleNamespace(is_authenticated=False, roles=[])


def test_a_global_role_holds_its_capability_in_every_wijk():
    beheerder = person(("beheerder", None))
    assert may(beheerder, "modereren") and may(beheerder, "modereren", wijk_id=7)
    assert wijk_ids(beheerder, "modereren") is None
    assert may_moderate(beheerder, None)


def test_a_scoped_role_holds_it_only_in_its_own_wijken():
    opbouwwerker = person(("opbouwwerker", 1), ("opbouwwerker", 2))
    assert may(opbouwwerker, "modereren") and may(opbouwwerker, "modereren", wijk_id=1)
    assert not may(opbouwwerker, "modereren", wijk_id=3)
    assert wijk_ids(opbouwwerker, "modereren") == {1, 2}
    assert not may_moderate(opbouwwerker, None)  # something without a wijk is the beheerder's


def test_nobody_anonymous_may_anything():
    assert not any(may(ANONYMOUS, name) for name in CAPABILITIES)
    assert wijk_ids(ANONYMOUS, "collectief_koppelen") == set()


def test_an_unknown_capability_is_a_programming_error():
    with pytest.raises(KeyError):
        may(person(("beheerder", None)), "alles")


def test_an_opbouwwerker_moderates_their_own_wijk_and_no_other():
    opbouwwerker = person(("opbouwwerker", 1), ("opbouwwerker", 2))
    assert may_moderate(opbouwwerker, 1) and may_moderate(opbouwwerker, 2)
    assert not may_moderate(opbouwwerker, 3)
    assert moderated_wijk_ids(opbouwwerker) == {1, 2}
    coordinator = person(("coordinator", None))
    assert not may_moderate(coordinator, 1) and moderated_wijk_ids(coordinator) == set()
    assert may_moderate(person(("beheerder", None)), 3) and moderated_wijk_ids(person(("beheerder", None))) is None


def test_no_user_at_all_holds_no_role():
    # A background job or a template without a request has no user object, not even an anonymous one.
    assert not may(None, "beheren") and not has_role(None, "beheerder")
    assert wijk_ids(None, "modereren") == set() and not may_moderate(None, 1)
