"""Data set right for issue 22, item 9: a koppeling's kind, and deadlines on a holiday.

A koppeling's kind follows its vraag (item 9c): a vraag up to an end date is a series,
but the koppeling took its dienst's usual kind, so a weekly boodschappen vraag of Burenhulp became
"Eenmalig", asked about once, a week after the start, and then counted as a one-off.

Koppelingen that still run are set right here: "periodiek", ending on the vraag's end date, and the
check-ins not yet asked are planned again on the periodiek schedule (as ``nazorg.schedule_days``
plans it: the dienst's days or 14 and 42, the end day, and the horizon of 91 days when the series
runs longer), numbered after the rondes already asked. Koppelingen that ended keep their kind:
their check-ins were asked and answered as a one-off, and their outcome is history.

Item 9f found a subsidy's decision term ending on New Year's Day: a term that ends on a
weekend or a public holiday ends on the next working day (``clock.werkdag``, as the Algemene
termijnenwet has it). The terms already stored are moved the same way, so the aanvrager and the
gemeente read the date that holds.

The downgrade changes nothing back: the old kind and the old dates were the mistake.

Revision ID: 0018
Revises: 0017
"""

from datetime import date, timedelta, timezone

import holidays
import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

HORIZON_DAGEN = 91
PERIODIEK_DAGEN = (14, 42)

koppelingen = sa.table(
    "koppelingen", sa.column("id", sa.Integer), sa.column("hulpvraag_id", sa.Integer),
    sa.column("dienst_id", sa.Integer), sa.column("hulpvrager_id", sa.Integer), sa.column("vrijwilliger_id", sa.Integer),
    sa.column("soort", sa.String), sa.column("status", sa.String), sa.column("started_at", sa.DateTime(timezone=True)),
    sa.column("eind_datum", sa.Date),
)
hulpvragen = sa.table("hulpvragen", sa.column("id", sa.Integer), sa.column("datum", sa.Date),
                      sa.column("periode_tot", sa.Date))
diensten = sa.table("diensten", sa.column("id", sa.Integer), sa.column("nazorg_dagen", sa.JSON))
checkins = sa.table(
    "checkins", sa.column("id", sa.Integer), sa.column("koppeling_id", sa.Integer), sa.column("user_id", sa.Integer),
    sa.column("kant", sa.String), sa.column("ronde", sa.SmallInteger), sa.column("dagen", sa.Integer),
    sa.column("status", sa.String), sa.column("due_at", sa.DateTime(timezone=True)), sa.column("opmerking", sa.Text),
    sa.column("aandacht", sa.Boolean), sa.column("notitie", sa.Text),
)


subsidieaanvragen = sa.table("subsidieaanvragen", sa.column("id", sa.Integer), sa.column("beslis_voor", sa.Date))


def _werkdag(day: date) -> date:
    """As ``omkijken.platform.clock.werkdag`` on the day of this migration."""
    while day.weekday() >= 5 or day in holidays.country_holidays("NL", years=day.year) or (day.month, day.day) == (5, 5):
        day += timedelta(days=1)
    return day


def _days(base: list[int], started: date, eind: date | None) -> list[int]:
    end = (eind - started).days if eind and eind > started else HORIZON_DAGEN
    days = [d for d in base if d < end] + [end] + ([HORIZON_DAGEN] if end > HORIZON_DAGEN else [])
    return sorted({d for d in days if d > 0})


def upgrade():
    conn = op.get_bind()
    for aanvraag_id, beslis_voor in conn.execute(
            sa.select(subsidieaanvragen.c.id, subsidieaanvragen.c.beslis_voor)
            .where(subsidieaanvragen.c.beslis_voor.is_not(None))).all():
        if _werkdag(beslis_voor) != beslis_voor:
            conn.execute(sa.update(subsidieaanvragen).where(subsidieaanvragen.c.id == aanvraag_id)
                         .values(beslis_voor=_werkdag(beslis_voor)))
    _kind_follows_the_vraag(conn)


def _kind_follows_the_vraag(conn) -> None:
    wrong = conn.execute(
        sa.select(koppelingen.c.id, koppelingen.c.started_at, koppelingen.c.eind_datum, koppelingen.c.hulpvrager_id,
                  koppelingen.c.vrijwilliger_id, hulpvragen.c.periode_tot, diensten.c.nazorg_dagen)
        .select_from(koppelingen.join(hulpvragen, hulpvragen.c.id == koppelingen.c.hulpvraag_id)
                     .outerjoin(diensten, diensten.c.id == koppelingen.c.dienst_id))
        .where(koppelingen.c.status == "actief", koppelingen.c.soort == "eenmalig",
               hulpvragen.c.periode_tot.is_not(None),
               sa.or_(hulpvragen.c.datum.is_(None), hulpvragen.c.periode_tot > hulpvragen.c.datum))
    ).all()
    for row in wrong:
        started = row.started_at if row.started_at.tzinfo else row.started_at.replace(tzinfo=timezone.utc)
        eind = row.eind_datum or row.periode_tot
        conn.execute(sa.update(koppelingen).where(koppelingen.c.id == row.id)
                     .values(soort="periodiek", eind_datum=eind))
        conn.execute(sa.delete(checkins).where(checkins.c.koppeling_id == row.id, checkins.c.status == "gepland"))
        asked = conn.execute(sa.select(sa.func.max(checkins.c.ronde), sa.func.max(checkins.c.dagen))
                             .where(checkins.c.koppeling_id == row.id)).one()
        ronde, after = asked[0] or 0, asked[1] or 0
        base = list(row.nazorg_dagen) if row.nazorg_dagen else list(PERIODIEK_DAGEN)
        new = []
        for dagen in (d for d in _days(base, started.date(), eind) if d > after):
            ronde += 1
            for kant, user_id in (("hulpvrager", row.hulpvrager_id), ("vrijwilliger", row.vrijwilliger_id)):
                new.append({"koppeling_id": row.id, "user_id": user_id, "kant": kant, "ronde": ronde, "dagen": dagen,
                            "status": "gepland", "due_at": started + timedelta(days=dagen), "opmerking": "",
                            "aandacht": False, "notitie": ""})
        if new:
            conn.execute(sa.insert(checkins), new)


def downgrade():
    pass
