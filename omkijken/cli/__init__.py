"""The ``omkijken`` command: run the site, the workers, migrations, imports, demo data and jobs.

A module per topic registers its commands on ``main``: ``run`` (site, worker, beat), ``data``
(schema, areas, demo data, accounts, matching) and ``jobs`` (the periodic jobs by hand)."""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable

from flask.cli import FlaskGroup, routes_command, shell_command

from omkijken.platform import create_app


class _Commands(FlaskGroup):
    """Every command of ours is one transaction: committed when it ends, rolled back when it fails."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Any]:
        register = super().command(*args, **kwargs)

        def decorator(callback: Callable[..., Any]) -> Any:
            @wraps(callback)
            def in_one_transaction(*cargs: Any, **ckwargs: Any) -> Any:
                from omkijken.platform.transaction import unit_of_work

                with unit_of_work():
                    return callback(*cargs, **ckwargs)

            return register(in_one_transaction)

        return decorator


main = _Commands(
    name="omkijken", create_app=create_app, add_default_commands=False, help=__doc__, set_debug_flag=False
)
main.add_command(shell_command)
main.add_command(routes_command)

from omkijken.cli import data, jobs, run  # noqa: E402,F401  (each registers its commands on main)
