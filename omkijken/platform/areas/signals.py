"""What areas asks and tells the domains above it, so it never imports them (DESIGN.md "Which way
imports go"). Each domain connects its own handlers in a module that ``create_app`` imports;
handlers flush or bulk-update, never commit.

A wijk where nobody lives (an industrial estate, ``Wijk.woonwijk`` False) stays out of public lists
unless something is posted there; only the domains that post know whether something is. When the
boundaries change, each domain places its own stored points again (``relocation`` modules).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent by ``areas.services.public_wijken`` with the set of ids of wijken that are no woonwijk as
#: sender. Each receiver returns the ids among them where something of its domain is public now.
wijken_in_use = _signals.signal("wijken-in-use")

#: Sent by ``areas.services.relocate_all``: place your stored points again with ``locate``.
#: Keyword ``changed``: a dict to add "what: how many changed wijk or buurt" to.
relocating = _signals.signal("relocating")
#: Sent by an import when a wijk whose code disappeared goes into another one: every foreign key
#: was moved already; move what refers to the wijk otherwise (ids in JSON lists).
#: Keywords ``old_id`` and ``new_id``.
wijk_merged = _signals.signal("wijk-merged")
