"""Homes when boundaries change (``areas.signals.relocating``): each in the wijk of its point."""

from __future__ import annotations

from typing import Any

from omkijken.platform.accounts.models import User
from omkijken.platform.areas import services as areas
from omkijken.platform.areas.signals import relocating


@relocating.connect
def relocate_homes(_sender: Any, *, changed: dict[str, int]) -> None:
    changed["woonadressen"] = changed.get("woonadressen", 0) + areas.relocate_rows(User, User.home)
