"""The periodic jobs, in one list.

Each job is written once here: which service it runs, when beat fires it, and, for the jobs a person
may start by hand, its ``omkijken`` command. ``workers/app.py`` builds the beat schedule from this
list, ``workers/tasks.py`` the Celery tasks and ``cli/jobs.py`` the commands, so a new job is one
entry here. Services are imported when a job runs, so the CLI starts without loading every domain.
This module imports neither Celery nor the workers: a schedule is plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable

from flask import current_app


@dataclass(frozen=True)
class Cron:
    """A moment of the week or month, as Celery's ``crontab`` takes it ("*" is every)."""

    minute: int | str = "*"
    hour: int | str = "*"
    day_of_week: int | str = "*"
    day_of_month: int | str = "*"


@dataclass(frozen=True)
class Option:
    """A CLI option besides ``--now``; ``parse`` turns the text into the job's keyword argument and
    raises ValueError on nonsense, which the CLI shows as ``invalid`` (with ``{value!r}``)."""

    flag: str
    keyword: str
    help: str
    parse: Callable[[str], Any]
    invalid: str


@dataclass(frozen=True)
class Command:
    """How a job is started by hand: its name, help text and the line it prints."""

    name: str
    help: str
    report: Callable[[Any], str]
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class Job:
    """``run(now, **options)`` calls the service; ``result`` turns its outcome into what the task
    returns (something JSON can carry)."""

    name: str
    beat: str
    schedule: float | Cron
    summary: str
    run: Callable[..., Any]
    result: Callable[[Any], Any] = field(default=lambda outcome: outcome)
    command: Command | None = None

    @property
    def task(self) -> str:
        """The Celery task name, e.g. ``omkijken.follow_ups``."""
        return f"omkijken.{self.name}"


# --- the services the jobs run -----------------------------------------------------------------


def _follow_ups(now: datetime) -> Any:
    from omkijken.platform.koppelingen import nazorg

    return nazorg.sweep(now=now)


def _vragen_digest(now: datetime) -> int:
    from omkijken.platform.posts import volgen

    return volgen.stuur_digests(now=now)


def _gesprek_meldingen(now: datetime) -> int:
    from omkijken.platform.posts import ongelezen

    return ongelezen.mail_unread(now=now)


def _lange_wacht(now: datetime) -> int:
    from omkijken.platform.koppelingen import wachten

    return wachten.mail_long_waits(now=now)


def _match_all(now: datetime) -> Any:
    from omkijken.platform.koppelingen import pipeline

    return pipeline.match_all(now=now)


def _wijk_digest(now: datetime) -> int:
    from omkijken.platform.wijkagenda import digest

    return digest.send_digests(now=now)


def _samen_doen(now: datetime) -> int:
    from omkijken.platform.koppelingen import wachtrij

    return wachtrij.mail_idle_volunteers(now=now)


def _subsidie_opvolging(now: datetime) -> Any:
    from omkijken.platform.subsidies import opvolging

    return opvolging.sweep(now=now)


def _bewaar_maanden() -> int:
    return current_app.config["HULPVRAAG_BEWAAR_MAANDEN"]


def _hulpvragen_bewaren(now: datetime) -> int:
    from omkijken.platform.koppelingen import retention

    return retention.wis_oude_hulpvragen(now=now, maanden=_bewaar_maanden())


def _wachtlijst_rapport(now: datetime, maand: date | None = None) -> Any:
    """The report of ``maand``, by default of the month that just ended; a second run finds it there."""
    from omkijken.platform.insights import wachtlijst

    return wachtlijst.generate(maand or wachtlijst.previous_months(now, 1)[0], now=now)


def _month(value: str) -> date:
    return datetime.strptime(value, "%Y-%m").date()


JOBS: tuple[Job, ...] = (
    Job("follow_ups", "follow-ups", 900.0,
        "Nazorg: check-ins that are due, reminders, and rondes for the coordinator.",
        _follow_ups,
        result=lambda r: {"sent": r.sent, "reminded": r.reminded, "escalated": r.escalated},
        command=Command(
            "follow-ups",
            "Verstuur de check-ins van de nazorg die klaarstaan, herinneringen, en geef stille koppelingen aan\n"
            "de coördinator (wat beat elk kwartier doet).",
            lambda r: f"Check-ins verstuurd: {r.sent}, herinneringen: {r.reminded}, "
                      f"naar de coördinator: {r.escalated}.")),
    Job("vragen_digest", "vragen-digest", Cron(minute=0, hour=17),
        "Posts: one mail per followed aanbod with the vragen that are new since the last one.",
        _vragen_digest),
    Job("gesprek_meldingen", "gesprek-meldingen", 300.0,
        "Posts: one mail per conversation to a party who left a message unread for GESPREK_MAIL_NA_MINUTEN.",
        _gesprek_meldingen),
    Job("match_all", "match-all-nightly", Cron(minute=15, hour=3),
        "Match every open hulpvraag without a voorstel again (by hand: omkijken match --all).",
        _match_all, result=lambda outcome: outcome.proposed),
    Job("lange_wacht", "lange-wacht-daily", Cron(minute=0, hour=10),
        "Koppelingen: a resident whose hulpvraag waited WACHT_DAGEN_COORDINATOR days without a voorstel "
        "hears it, once per vraag (004:262-264).",
        _lange_wacht,
        command=Command("lange-wacht",
                        "Mail wie een hulpvraag heeft die een week zonder voorstel wacht, één keer per vraag\n"
                        "(wat beat elke dag om 10:00 doet).",
                        lambda sent: f"Mails over een lange wachttijd: {sent}.")),
    Job("wijk_digest", "wijk-digest-weekly", Cron(minute=0, hour=8, day_of_week="mon"),
        "Wijkagenda: the weekly mail to who follows a wijk.",
        _wijk_digest,
        command=Command("wijk-digest",
                        "Verstuur de wekelijkse mail aan wie een wijk volgt (wat beat elke maandag doet).",
                        lambda sent: f"Wijkmails verstuurd: {sent}.")),
    Job("samen_doen", "samen-doen-weekly", Cron(minute=0, hour=10, day_of_week="mon"),
        "Koppelingen: a volunteer idle for a while hears of group activities near them (once a month).",
        _samen_doen),
    Job("subsidie_opvolging", "subsidie-opvolging", Cron(minute=0, hour=9),
        "Subsidies: reminders of the accountability, and 'bestaat het nog?' a year after support ended.",
        _subsidie_opvolging,
        result=lambda r: {"herinneringen": r.herinneringen, "bestaat_nog": r.bestaat_nog},
        command=Command(
            "subsidie-opvolging",
            "Herinner aan de verantwoording die te laat is, en vraag een jaar na de steun of het initiatief\n"
            "nog bestaat (wat beat elke dag om 9:00 doet).",
            lambda r: f"Herinneringen verantwoording: {r.herinneringen}, "
                      f"vragen 'bestaat het nog?': {r.bestaat_nog}.")),
    Job("hulpvragen_bewaren", "hulpvragen-bewaren", Cron(minute=30, hour=2),
        "Privacy: closed hulpvragen lose their text and exact place after OMKIJKEN_HULPVRAAG_BEWAAR_MAANDEN.",
        _hulpvragen_bewaren,
        command=Command(
            "hulpvragen-bewaren",
            "Haal tekst en precieze plek weg van hulpvragen die langer dan de bewaartermijn klaar zijn\n"
            "(wat beat elke nacht om 2:30 doet).",
            lambda wiped: f"Hulpvragen geanonimiseerd: {wiped} (bewaartermijn {_bewaar_maanden()} maanden).")),
    Job("wachtlijst_rapport", "wachtlijst-rapport", Cron(minute=0, hour=6, day_of_month=1),
        "The waiting-list report of the month before, kept (004:266-270).",
        _wachtlijst_rapport, result=lambda rapport: rapport.maand.isoformat(),
        command=Command(
            "wachtlijst-rapport",
            "Maak het wachtlijstrapport van een maand en bewaar het (wat beat op de eerste van de maand doet).",
            lambda rapport: f"Wachtlijstrapport {rapport.maand:%Y-%m}: {rapport.data['open']} open hulpvragen, "
                            f"{rapport.data['tekort']} vrijwilligers te weinig.",
            options=(Option("--maand", "maand",
                            "De maand van het rapport, bijvoorbeeld 2026-03. Standaard: vorige maand.",
                            _month, "{value!r} is geen maand. Schrijf bijvoorbeeld 2026-03."),))),
)
