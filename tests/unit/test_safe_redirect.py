"""The one check before sending someone to a place another person chose (issue 31): each payload
a browser would read as another site falls back to the default; a path on this site is kept."""

from __future__ import annotations

import pytest

from omkijken.platform.security import safe_redirect_target
from tests.integration.test_hostile_input import ELSEWHERE, HERE

# Beyond the views' list: no target at all, an empty one, a DEL character, a relative path.
NOWHERE = [None, "", "/prikbord\x7f/evil.example", "prikbord", "/ prikbord", "/\u00a0/evil.example"]


@pytest.mark.parametrize("target", ELSEWHERE + NOWHERE)
def test_a_target_elsewhere_or_broken_gives_the_default(target):
    assert safe_redirect_target(target, "/mijn") == "/mijn"


@pytest.mark.parametrize("target", [*HERE, "/prikbord?next=//evil.example", "/zoeken?q=a%2F%2Fb"])
def test_a_path_on_this_site_is_kept_with_its_query_and_fragment(target):
    assert safe_redirect_target(target, "/mijn") == target
