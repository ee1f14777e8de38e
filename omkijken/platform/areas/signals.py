"""What areas tells the domains above it when boundaries change, so it never imports them
(DESIGN.md "Which way imports go"). Each domain connects its own handler in its ``relocation``
module, which ``create_app`` imports. Handlers flush or bulk-update, never commit."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent by ``areas.services.relocate_all``: place your stored points again with ``locate``.
#: Keyword ``changed``: a dict to add "what: how many changed wijk or buurt" to.
relocating = _signals.signal("relocating")
#: Sent by an import when a wijk whose code disappeared goes into another one: every foreign key
#: was moved already; move what refers to the wijk otherwise (ids in JSON lists).
#: Keywords ``old_id`` and ``new_id``.
wijk_merged = _signals.signal("wijk-merged")
