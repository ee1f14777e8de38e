"""What accounts tells the domains above it, so it never imports them (DESIGN.md "Which way imports go").

Each domain connects its own handler in its own ``erasure`` module and cleans its own rows;
``create_app`` imports those modules, so web, CLI, worker and tests erase alike.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent first by ``accounts.privacy.erase`` inside its transaction: wipe what the person wrote.
#: Sender: the ``User``; keywords ``now`` and ``result`` (the ``Erasure`` whose counts the handlers
#: add to). A handler flushes or bulk-updates, never commits.
user_erasing = _signals.signal("user-erasing")
#: Sent second, with the same arguments, once every text is wiped: end what the person took part in
#: (a koppeling stops and its coordinator's note must survive the wiping of phase one). Blinker
#: calls the receivers of one signal in no fixed order, hence two signals.
user_erased = _signals.signal("user-erased")
