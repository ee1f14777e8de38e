"""What areas asks the domains above it, so it never imports them (DESIGN.md "Which way imports go").

A wijk where nobody lives (an industrial estate, ``Wijk.woonwijk`` False) stays out of public lists
unless something is posted there; only the domains that post know whether something is.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent by ``areas.services.public_wijken`` with the set of ids of wijken that are no woonwijk as
#: sender. Each receiver returns the ids among them where something of its domain is public now.
wijken_in_use = _signals.signal("wijken-in-use")
