"""The ``omkijken`` command: run the site, the workers, migrations, imports, demo data and jobs.

A module per topic registers its commands on ``main``: ``run`` (site, worker, beat), ``data``
(schema, areas, demo data, accounts, matching) and ``jobs`` (the periodic jobs by hand)."""

from __future__ import annotations

from flask.cli import FlaskGroup, routes_command, shell_command

from omkijken.platform import create_app

main = FlaskGroup(
    name="omkijken", create_app=create_app, add_default_commands=False, help=__doc__, set_debug_flag=False
)
main.add_command(shell_command)
main.add_command(routes_command)

from omkijken.cli import data, jobs, run  # noqa: E402,F401  (each registers its commands on main)
