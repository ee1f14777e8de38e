"""What posts tells the domains above it when a post loses its text (erasure or the retention sweep)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent by ``posts.erasure.wipe_post`` after a post's text and exact place are wiped. Sender: the
#: post's id; keyword ``now``. A domain that keeps what others wrote about the post wipes it.
post_wiped = _signals.signal("post-wiped")
