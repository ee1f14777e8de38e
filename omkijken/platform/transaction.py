"""One transaction per unit of work: a request, a Celery task or a CLI command.

Services only ``flush()``; whoever started the work commits once at its end and rolls back when it
failed, as Indico's request handler does. So two services combine in one transaction without tricks,
and a page that fails leaves no half change behind. The outbox's messages go to the broker after
that one commit (``system.services``).

A request fails when its view raises, also an ``abort(404)`` or a RuleBroken nobody caught. A view
that catches a RuleBroken and shows the form again rolls back itself (``errors.show_error``); one
that answers 4xx without raising keeps what it did on purpose (a draft saved while sending it in
was refused).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from flask import Flask, Response

from omkijken.platform.extensions import db


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit what the block did, or roll it all back when it raised (tasks and CLI commands)."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


class TransactionalFlask(Flask):
    """Rolls back as soon as a view raised, before the error page is made; the response of a
    request that raised nothing is committed by ``_commit`` below."""

    def handle_user_exception(self, e: Exception) -> Any:
        db.session.rollback()
        return super().handle_user_exception(e)

    def handle_exception(self, e: Exception) -> Response:
        db.session.rollback()
        return super().handle_exception(e)


def _commit(response: Response) -> Response:
    db.session.commit()
    return response


def init_app(app: Flask) -> None:
    app.after_request(_commit)
