"""The periodic jobs by hand, with ``--now`` to move the clock (tests and demo's).

A command is made for every job of ``platform/jobs.py`` that has one; its text is there."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

import click
from flask.cli import with_appcontext

from omkijken.cli import main
from omkijken.platform.clock import as_utc
from omkijken.platform.errors import RuleBroken
from omkijken.platform.jobs import JOBS, Job, Option

NOW_HELP = "Doe alsof het nu dit moment is (ISO 8601, zonder zone is UTC), voor tests en demo's."


def parse_moment(value: str) -> datetime:
    """``--now`` of the commands that move the clock; a moment without a zone is UTC."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is geen datum en tijd. Schrijf bijvoorbeeld 2026-12-01T09:00.",
                                 param_hint="--now") from error
    return as_utc(moment)


def _parsed(option: Option, value: str | None) -> Any:
    if value is None:
        return None
    try:
        return option.parse(value)
    except ValueError as error:
        raise click.BadParameter(option.invalid.format(value=value), param_hint=option.flag) from error


def _command(job: Job) -> Callable[..., None]:
    """The ``omkijken`` command of ``job``: its options, ``--now``, the service, one line of output."""
    assert job.command is not None
    spec = job.command

    def run(moment: str | None, **values: str | None) -> None:
        from omkijken.platform.clock import utcnow

        now = parse_moment(moment) if moment else utcnow()
        options = {o.keyword: _parsed(o, values[o.keyword]) for o in spec.options}
        try:
            outcome = job.run(now, **options)
        except RuleBroken as error:
            raise click.ClickException(str(error.message)) from error
        click.echo(spec.report(outcome))

    run.__name__ = job.name
    command = with_appcontext(run)
    command = click.option("--now", "moment", default=None, help=NOW_HELP)(command)
    for option in reversed(spec.options):
        command = click.option(option.flag, option.keyword, default=None, help=option.help)(command)
    return main.command(spec.name, help=spec.help)(command)


for _job in JOBS:
    if _job.command is not None:
        _command(_job)
