"""The migration path from an empty database, on the backend under test."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from omkijken.platform.extensions import db
from tests.conftest import backend_config, make_app

TABLES = {
    "gemeenten", "wijken", "buurten", "users", "role_grants", "outbox_messages", "worker_heartbeats",
    "posts", "hulpvragen", "aanbod", "vacatures", "initiatieven", "ontmoetingsplekken", "activiteiten",
    "meldingen", "gesprekken", "berichten", "diensten", "dienst_coordinatoren", "voorstellen", "koppelingen",
    "afhandelingen", "checkins", "wachtlijstrapporten", "agendapunten", "agendasteun", "agendapuntvolgers",
    "agendareacties", "sociale_agendas", "agendathemas", "wijkvolgers", "audit_log", "regelingen",
    "subsidieaanvragen", "begrotingsregels", "subsidiebijlagen", "subsidieberichten", "moderatie_vangnet", "gesprekstanden",
    "welzijn_metingen",
}


def spatial_indexes(connection) -> set[tuple[str, str]]:
    if connection.dialect.name == "postgresql":
        rows = connection.execute(text(
            "SELECT t.relname, a.attname FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam "
            "JOIN pg_class t ON t.oid = i.indrelid "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey) WHERE am.amname = 'gist'"
        ))
    else:
        rows = connection.execute(text(
            "SELECT f_table_name, f_geometry_column FROM geometry_columns WHERE spatial_index_enabled = 1"
        ))
    return {(table, column) for table, column in rows}


def test_upgrade_from_empty_down_and_up_again(tmp_path):
    app = make_app(tmp_path, backend_config(tmp_path, "migrations"))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            assert TABLES <= set(inspect(conn).get_table_names())
            assert {("wijken", "geom"), ("users", "home_rd"), ("posts", "locatie_rd"), ("posts", "toon_locatie_rd")} <= (
                spatial_indexes(conn)
            )
            assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "0026"

        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert not TABLES & set(inspect(conn).get_table_names())

        upgrade()
        with db.engine.connect() as conn:
            assert TABLES <= set(inspect(conn).get_table_names())
        db.engine.dispose()


def row_at(table, **given):
    """Insert one row into a table as reflected at an old revision, with the given values and a plain
    value for every other column that needs one. The rows of a data migration's test are made this
    way, not through today's models, which have the columns of later revisions."""
    import datetime

    from geoalchemy2 import WKTElement
    from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, Numeric, String, Text

    plain = ((Boolean, False), (DateTime, datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)),
             (Date, datetime.date(2026, 1, 1)), (Integer, 0), (Numeric, 0), (JSON, []), (String, ""), (Text, ""))
    values = dict(given)
    for column in table.columns:
        if column.name in values or column.nullable or column.server_default is not None or column.primary_key:
            continue
        if type(column.type).__name__ == "Geometry":
            values[column.name] = WKTElement("POINT(5.53 51.76)", srid=column.type.srid)
            continue
        values[column.name] = next(value for kind, value in plain if isinstance(column.type, kind))
    return db.session.execute(table.insert().values(values).returning(table.c.id)).scalar_one()


def test_conversations_from_before_0015_start_read_and_mailed(tmp_path):
    """Issue 22, item 3: the job that mails unread messages must not, on its first run after the
    upgrade, mail everyone about every old conversation."""
    from datetime import timedelta

    from sqlalchemy import MetaData

    from omkijken.platform.accounts.models import User
    from omkijken.platform.clock import utcnow
    from omkijken.platform.posts import ongelezen

    app = make_app(tmp_path, backend_config(tmp_path, "migrations-gesprek"))
    with app.app_context():
        upgrade(revision="0014")
        old = MetaData()
        old.reflect(db.engine)
        t = old.tables
        now = utcnow() - timedelta(days=30)
        truus_id, sanne_id = (row_at(t["users"], email=f"{naam}@example.nl", naam=naam.title(), login_token=f"token-{naam}",
                                     created_at=now) for naam in ("truus", "sanne"))
        post = row_at(t["posts"], soort="post", titel="Heg knippen", auteur_id=truus_id, created_at=now, updated_at=now)
        gesprek = row_at(t["gesprekken"], post_id=post, deelnemer_id=sanne_id, created_at=now)
        for afzender, tekst in ((sanne_id, "Ik help"), (truus_id, "Fijn")):
            row_at(t["berichten"], gesprek_id=gesprek, afzender_id=afzender, tekst=tekst, created_at=now)
        db.session.commit()

        upgrade()
        truus, sanne = db.session.get(User, truus_id), db.session.get(User, sanne_id)
        assert ongelezen.unread_count(truus) == ongelezen.unread_count(sanne) == 0
        assert ongelezen.mail_unread(now=utcnow()) == 0
        db.session.rollback()
        db.engine.dispose()


def test_0018_makes_a_running_weekly_koppeling_a_series_and_keeps_ended_ones(tmp_path):
    """Issue 22, item 9c: a koppeling of a vraag up to an end date that was typed "eenmalig" by its
    dienst is a series from 0018 on, with the check-ins of a series still to come; the rondes
    already asked stay, and a koppeling that ended keeps its kind. Item 9f: a decision term stored
    on New Year's Day moves to the next working day."""
    from datetime import date, timedelta

    from sqlalchemy import MetaData, select

    from omkijken.platform.clock import as_utc, utcnow
    from omkijken.platform.koppelingen.models import Checkin, Koppeling
    from omkijken.platform.subsidies.models import Subsidieaanvraag

    app = make_app(tmp_path, backend_config(tmp_path, "migrations-soort"))
    with app.app_context():
        upgrade(revision="0017")
        old = MetaData()
        old.reflect(db.engine)
        t = old.tables
        started = utcnow() - timedelta(days=20)
        tot = (started + timedelta(days=120)).date()
        sanne = row_at(t["users"], email="sanne@example.nl", naam="Sanne", login_token="a" * 32)
        truus = row_at(t["users"], email="truus@example.nl", naam="Truus", login_token="b" * 32)

        def old_koppeling(titel: str) -> int:
            """As start() made it before 0018: Burenhulp's kind "eenmalig", one check-in a week after
            the start for each side, asked already."""
            vraag = row_at(t["posts"], soort="hulpvraag", titel=titel, categorie="boodschappen", auteur_id=truus,
                           status="open")
            row_at(t["hulpvragen"], id=vraag, periode_tot=tot)
            voorstel = row_at(t["voorstellen"], hulpvraag_id=vraag, vrijwilliger_id=sanne, bron="aanbod",
                              status="geaccepteerd")
            koppeling = row_at(t["koppelingen"], voorstel_id=voorstel, hulpvraag_id=vraag, hulpvrager_id=truus,
                               vrijwilliger_id=sanne, soort="eenmalig", status="actief", started_at=started)
            for kant, user in (("hulpvrager", truus), ("vrijwilliger", sanne)):
                row_at(t["checkins"], koppeling_id=koppeling, user_id=user, kant=kant, ronde=1, dagen=7,
                       status="verstuurd", due_at=started + timedelta(days=7), sent_at=started + timedelta(days=7))
            return koppeling

        running_id, ended_id = old_koppeling("Wekelijkse boodschappen"), old_koppeling("Boodschappen in de zomer")
        db.session.execute(t["koppelingen"].update().where(t["koppelingen"].c.id == ended_id).values(
            status="gestopt", ended_at=started + timedelta(days=9), eind_reden="geen_tijd"))
        aanvraag_ids = tuple(row_at(t["subsidieaanvragen"], titel=titel, aanvrager_id=truus, status="ingediend",
                                    beslis_voor=dag, created_at=started, updated_at=started)
                             for titel, dag in (("Koffieochtend", date(2027, 1, 1)), ("Buurtfeest", date(2027, 1, 5))))
        db.session.commit()

        upgrade()
        db.session.expire_all()
        running, ended = db.session.get(Koppeling, running_id), db.session.get(Koppeling, ended_id)
        assert (running.soort, running.eind_datum) == ("periodiek", tot)
        rows = db.session.scalars(select(Checkin).filter_by(koppeling_id=running_id)
                                  .order_by(Checkin.ronde, Checkin.kant)).all()
        end = (tot - started.date()).days
        assert sorted({(c.ronde, c.dagen, c.status) for c in rows}) == [
            (1, 7, "verstuurd"), (2, 14, "gepland"), (3, 42, "gepland"), (4, 91, "gepland"), (5, end, "gepland")]
        assert all(as_utc(c.due_at) == as_utc(running.started_at) + timedelta(days=c.dagen) for c in rows)
        assert {c.kant for c in rows if c.ronde == 5} == {"hulpvrager", "vrijwilliger"}
        assert ended.soort == "eenmalig"
        assert [c.status for c in ended.checkins] == ["verstuurd", "verstuurd"]
        assert [db.session.get(Subsidieaanvraag, i).beslis_voor for i in aanvraag_ids] == [
            date(2027, 1, 4), date(2027, 1, 5)]
        db.session.rollback()
        db.engine.dispose()


def test_0022_gives_blink_its_target_and_every_dienst_the_usual_horizons(tmp_path):
    """Issue 23: of the diensten that exist, only Blink gets a durability target (the seeds' 85%); every
    dienst judges a series after 91 days and a maatje after 182, and no check-in has said 'Gaan jullie door?'."""
    app = make_app(tmp_path, backend_config(tmp_path, "migrations-doel"))
    with app.app_context():
        upgrade(revision="0020")
        for code, soort in (("blink", "maatje"), ("burenhulp", "eenmalig")):
            db.session.execute(text(
                "INSERT INTO diensten (code, naam, beschrijving, soort_koppeling, bemiddeld, vog_nodig, categorieen) "
                "VALUES (:code, :code, '', :soort, false, false, '[]')"), {"code": code, "soort": soort})
        db.session.commit()

        upgrade()
        rows = db.session.execute(text(
            "SELECT code, duurzaam_doel, horizon_periodiek, horizon_maatje FROM diensten ORDER BY code")).all()
        assert [tuple(r) for r in rows] == [("blink", 0.85, 91, 182), ("burenhulp", None, 91, 182)]
        db.session.commit()

        downgrade(revision="0020")
        with db.engine.connect() as conn:
            assert "duurzaam_doel" not in {c["name"] for c in inspect(conn).get_columns("diensten")}
            assert "doorgaan" not in {c["name"] for c in inspect(conn).get_columns("checkins")}


def test_0026_moves_homes_into_the_wijk_whose_polygon_holds_them_and_says_how_many(tmp_path, capsys):
    """Issue 24, item 1: before 0026 a point took its buurt's wijk; the coarse 2014 buurten put
    this home of Lithoijen in wijk Tuinlangel."""
    from omkijken.platform.areas import services as areas
    from tests.integration.test_areas import LITHOIJEN_IN_A_NEIGHBOURS_BUURT

    app = make_app(tmp_path, backend_config(tmp_path, "migrations-0026"))
    with app.app_context():
        upgrade(revision="0025")
        areas.import_features([f for p in areas.MAP_2014 for f in areas.load_geojson(p)])
        old_wijk, old_buurt = db.session.execute(text(
            "SELECT wijk_id, id FROM buurten WHERE code = 'BU08281209'")).one()
        lat, lon = LITHOIJEN_IN_A_NEIGHBOURS_BUURT
        db.session.execute(text(
            "INSERT INTO users (email, naam, password_hash, login_token, taal, consent_at, created_at, is_demo, "
            "home, wijk_id, buurt_id) VALUES ('lithoijen@example.nl', 'Truus', 'x', 'token', 'nl', :now, :now, "
            ":demo, ST_GeomFromText(:home, 4326), :wijk, :buurt)"),
            {"now": "2026-01-01 10:00:00", "demo": False, "home": f"POINT({lon} {lat})", "wijk": old_wijk,
             "buurt": old_buurt})
        db.session.commit()
        capsys.readouterr()

        upgrade()

        assert "0026: 0 bericht(en) en 1 woonadres(sen) naar de wijk van hun punt verplaatst." in capsys.readouterr().out
        assert db.session.execute(text(
            "SELECT w.code FROM users u JOIN wijken w ON w.id = u.wijk_id JOIN buurten b ON b.id = u.buurt_id "
            "WHERE u.email = 'lithoijen@example.nl' AND b.wijk_id = w.id")).scalar_one() == "WK082819"
        db.session.rollback()
        db.engine.dispose()
