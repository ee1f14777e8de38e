"""The capability table: global roles hold a capability everywhere, scoped roles only in their wijk."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from omkijken.platform.accounts.permissions import CAPABILITIES, may, may_moderate, wijk_ids


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
