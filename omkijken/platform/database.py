"""Database setup for the two backends: SQLite + SpatiaLite and PostgreSQL + PostGIS.

Python's own ``sqlite3`` is often built without extension loading, so on SQLite we use
``sqlean`` (a drop-in DB-API module that can load extensions) and load Debian's mod_spatialite.

Import order matters: SQLite loads extensions with RTLD_GLOBAL, so once mod_spatialite is in,
its (Debian) GEOS symbols win over the GEOS that shapely bundles, and shapely breaks in odd
ways ("WKT output dimension must be 2 or 3"). Importing shapely first binds it to its own GEOS.
"""

from __future__ import annotations

import os
from typing import Any

import shapely  # noqa: F401  (must load before mod_spatialite, see below)
from geoalchemy2 import WKTElement
from geoalchemy2.admin.dialects.sqlite import init_spatialite, load_spatialite_driver
from sqlalchemy import Boolean, Float, event, func, inspect, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from omkijken.platform.extensions import db

WGS84 = 4326
RD_NEW = 28992

os.environ.setdefault("SPATIALITE_LIBRARY_PATH", "mod_spatialite")


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def engine_options(url: str) -> dict[str, Any]:
    """Engine options per backend; pre-ping lets PostgreSQL restarts heal by themselves."""
    if is_sqlite(url):
        import sqlean

        return {"module": sqlean, "connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}


def _on_sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    load_spatialite_driver(dbapi_conn)
    dbapi_conn.execute("PRAGMA foreign_keys = ON")
    dbapi_conn.execute("PRAGMA busy_timeout = 30000")
    if dbapi_conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        dbapi_conn.execute("PRAGMA journal_mode = WAL")
    init_spatialite(dbapi_conn, transaction=True, init_mode="EMPTY")
    for srid in (WGS84, RD_NEW):
        known = dbapi_conn.execute("SELECT count(*) FROM spatial_ref_sys WHERE srid = ?", (srid,))
        if known.fetchone()[0] == 0:
            dbapi_conn.execute(f"SELECT InsertEpsgSrid({srid})")
    dbapi_conn.commit()


def prepare_engine(engine: Engine) -> None:
    """Load SpatiaLite on every new SQLite connection; on PostgreSQL, end read-only transactions
    with a commit (``_commit_what_only_read``). On both, no NUL reaches the database (``_without_nul``)."""
    event.listen(engine, "before_cursor_execute", _without_nul, retval=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "begin", _forget_writes)
        event.listen(engine, "before_cursor_execute", _note_writes)
        event.listen(engine, "rollback", _commit_what_only_read)


_WROTE = "omkijken.wrote"


def _no_nul(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) and "\x00" in value else value


def _without_nul(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
                 executemany: bool) -> tuple[str, Any]:
    """PostgreSQL refuses a NUL in any text parameter, also in a query (DataError: a search for
    "tr\\x00uus@..." was a 500 there and simply found nothing on SQLite). The web drops NUL from
    forms and query strings, the flush hook below from what is written; this covers the rest
    (a service called from the CLI, a bulk statement, a look-up), on both backends alike."""
    def clean(params: Any) -> Any:
        if isinstance(params, dict):
            return {key: _no_nul(value) for key, value in params.items()}
        if isinstance(params, (list, tuple)):
            return type(params)(_no_nul(value) for value in params)
        return params

    if executemany and isinstance(parameters, (list, tuple)):
        return statement, type(parameters)(clean(params) for params in parameters)
    return statement, clean(parameters)


def _forget_writes(conn: Any) -> None:
    conn.info.pop(_WROTE, None)


def _note_writes(conn: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any, executemany: bool) -> None:
    if executemany or statement.lstrip()[:6].upper() != "SELECT":
        conn.info[_WROTE] = True


def _commit_what_only_read(conn: Any) -> None:
    """psycopg forgets its prepared statements at every ROLLBACK, and the session ends every
    request with one, so PostgreSQL planned each query again on every page (the post page's
    join over all kinds of post: 1.5 ms of planning). A transaction that only ran SELECTs
    changes nothing when it commits, so it commits and psycopg's rollback after it has nothing
    to do; anything that wrote, or failed, is still rolled back."""
    from psycopg.pq import TransactionStatus

    if conn.info.pop(_WROTE, False):
        return
    dbapi_connection = conn.connection.dbapi_connection
    if dbapi_connection is not None and dbapi_connection.info.transaction_status == TransactionStatus.INTRANS:
        dbapi_connection.commit()


def insert_ignoring_duplicates(model: Any, values: dict[str, Any]):
    """An INSERT that does nothing when a unique key already holds the row, on both backends:
    the database, not a check before the insert, keeps concurrent requests from doubling it."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    from omkijken.platform.extensions import db

    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return insert(model).values(**values).on_conflict_do_nothing()


def point(lat: float, lon: float) -> WKTElement:
    """A WGS84 point; note that WKT puts longitude first."""
    return WKTElement(f"POINT({lon:.7f} {lat:.7f})", srid=WGS84)


def point_rd(lat: float, lon: float):
    """The same point in RD New (metres), computed by the database on both backends."""
    return func.ST_Transform(func.ST_GeomFromText(f"POINT({lon:.7f} {lat:.7f})", WGS84), RD_NEW)


class DWithin(FunctionElement):
    """``a`` within ``metres`` of ``b``, both in RD New: ST_DWithin on PostGIS, PtDistWithin on
    SpatiaLite. Both use planar metres in RD New, so the two backends agree."""

    inherit_cache = True
    type = Boolean()


@compiles(DWithin, "postgresql")
def _dwithin_postgis(element, compiler, **kw):
    return "ST_DWithin(%s)" % compiler.process(element.clauses, **kw)


@compiles(DWithin, "sqlite")
def _dwithin_spatialite(element, compiler, **kw):
    return "PtDistWithin(%s)" % compiler.process(element.clauses, **kw)


class Distance(FunctionElement):
    """Planar distance between two RD New geometries, to order by: ``<->`` on PostGIS, which
    walks the spatial index nearest first (exact for points), ST_Distance on SpatiaLite."""

    inherit_cache = True
    type = Float()


@compiles(Distance, "postgresql")
def _distance_postgis(element, compiler, **kw):
    a, b = list(element.clauses)
    return "(%s <-> %s)" % (compiler.process(a, **kw), compiler.process(b, **kw))


@compiles(Distance, "sqlite")
def _distance_spatialite(element, compiler, **kw):
    return "ST_Distance(%s)" % compiler.process(element.clauses, **kw)


class InBox(FunctionElement):
    """A WGS84 point inside a box (min lon, min lat, max lon, max lat), using the spatial index."""

    inherit_cache = True
    type = Boolean()


@compiles(InBox, "postgresql")
def _inbox_postgis(element, compiler, **kw):
    column, *box = list(element.clauses)
    return "%s && ST_MakeEnvelope(%s, 4326)" % (
        compiler.process(column, **kw), ", ".join(compiler.process(c, **kw) for c in box)
    )


@compiles(InBox, "sqlite")
def _inbox_spatialite(element, compiler, **kw):
    column, *box = list(element.clauses)
    return "MbrWithin(%s, BuildMbr(%s, 4326))" % (
        compiler.process(column, **kw), ", ".join(compiler.process(c, **kw) for c in box)
    )


# PostgreSQL text cannot hold NUL (0x00): a row with one is a DataError there, while SQLite keeps
# it, so what works on one backend fails on the other. The web drops NUL from every form field
# and query string (platform/__init__.py); this drops it from anything else a service is handed
# (the CLI, the demo, an import), for every text column, just before it is written.
@event.listens_for(Session, "before_flush")
def _drop_nul(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.dirty):
        state = inspect(obj)
        for attribute in state.mapper.column_attrs:
            value = state.dict.get(attribute.key)
            if isinstance(value, str) and "\x00" in value:
                setattr(obj, attribute.key, value.replace("\x00", ""))


def lock_row(model: type[Any], row_id: int, touch: str) -> Any:
    """Load one row locked for this transaction, fresh from the database, so that two requests that
    both read-then-write it (a grant against a pot, a first download that stores a letter) take turns.

    On PostgreSQL this is ``SELECT ... FOR UPDATE``: the second waits for the first to commit and then
    sees its change. SQLite has no row locks, and its driver only opens a transaction at the first
    write, so reading first would let both read the same value; there the lock is a write of
    ``touch`` (a column, to itself), which makes this transaction the database's one writer before
    anything is read."""
    if db.session.get_bind().dialect.name == "sqlite":
        column = getattr(model, touch)
        db.session.execute(update(model).where(model.id == row_id).values({column: column})
                           .execution_options(synchronize_session=False))
    return db.session.scalars(select(model).where(model.id == row_id).with_for_update()
                              .execution_options(populate_existing=True)).one()
