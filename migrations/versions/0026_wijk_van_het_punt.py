"""Every stored post and home in the wijk whose polygon holds it (issue 24, item 1).

Until now a point took the buurt whose polygon held it and then that buurt's wijk. The coarse CBS
2014 buurten do not nest inside the wijken, so one demo post in six sat in a neighbouring wijk
(Bibliotheek Oss in Ussen), and every per-wijk figure, scope and list inherited that. From now on
``areas.services.locate`` takes the wijk first and a buurt of that wijk (the nearest one when none
of them holds the point). This places the posts (aanbod included) and homes already stored the
same way and prints how many changed. The SQL repeats ``locate`` on purpose: a migration must not
import the app's models, which follow later revisions. Downgrade leaves the places as they are.

Revision ID: 0026
Revises: 0025
"""

from alembic import op
import sqlalchemy as sa

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

_WIJK = sa.text("SELECT id FROM wijken WHERE ST_Contains(geom, ST_GeomFromText(:p, 4326)) ORDER BY id LIMIT 1")
_BUURT_IN_WIJK = sa.text(
    "SELECT id FROM buurten WHERE wijk_id = :wijk "
    "ORDER BY ST_Distance(geom, ST_GeomFromText(:p, 4326)), id LIMIT 1")
_BUURT_OUTSIDE = sa.text(
    "SELECT id, wijk_id FROM buurten WHERE ST_Contains(geom, ST_GeomFromText(:p, 4326)) ORDER BY id LIMIT 1")


def _relocate(bind, table: str, column: str) -> int:
    rows = bind.execute(sa.text(
        f"SELECT id, wijk_id, buurt_id, ST_X({column}), ST_Y({column}) FROM {table} "
        f"WHERE {column} IS NOT NULL ORDER BY id")).all()
    changed = 0
    for row_id, wijk_id, buurt_id, lon, lat in rows:
        here = f"POINT({lon:.7f} {lat:.7f})"
        wijk = bind.scalar(_WIJK, {"p": here})
        if wijk is not None:
            buurt = bind.scalar(_BUURT_IN_WIJK, {"wijk": wijk, "p": here})
        else:
            found = bind.execute(_BUURT_OUTSIDE, {"p": here}).first()
            buurt, wijk = (None, None) if found is None else found
        if (wijk, buurt) != (wijk_id, buurt_id):
            bind.execute(sa.text(f"UPDATE {table} SET wijk_id = :wijk, buurt_id = :buurt WHERE id = :id"),
                         {"wijk": wijk, "buurt": buurt, "id": row_id})
            changed += 1
    return changed


def upgrade():
    bind = op.get_bind()
    posts = _relocate(bind, "posts", "locatie")
    homes = _relocate(bind, "users", "home")
    print(f"0026: {posts} bericht(en) en {homes} woonadres(sen) naar de wijk van hun punt verplaatst.")


def downgrade():
    pass
