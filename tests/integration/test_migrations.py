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
            assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "0024"

        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert not TABLES & set(inspect(conn).get_table_names())

        upgrade()
        with db.engine.connect() as conn:
            assert TABLES <= set(inspect(conn).get_table_names())
        db.engine.dispose()


def test_conversations_from_before_0015_start_read_and_mailed(tmp_path):
    """Issue 22, item 3: the job that mails unread messages must not, on its first run after the
    upgrade, mail everyone about every old conversation."""
    from datetime import timedelta

    from omkijken.platform.accounts.models import User
    from omkijken.platform.clock import utcnow
    from omkijken.platform.database import point, point_rd
    from omkijken.platform.posts import ongelezen
    from omkijken.platform.posts.models import Bericht, Gesprek, Post
    from tests.support import RUWAARD

    app = make_app(tmp_path, backend_config(tmp_path, "migrations-gesprek"))
    with app.app_context():
        upgrade(revision="0014")
        now = utcnow() - timedelta(days=30)
        # The users as the 0014 table holds them (later revisions add columns to it, the ORM model has them).
        truus_id, sanne_id = (db.session.execute(text(
            "INSERT INTO users (email, naam, password_hash, login_token, taal, consent_at, created_at, is_demo) "
            "VALUES (:email, :naam, 'x', :token, 'nl', :now, :now, :demo) RETURNING id"),
            {"email": f"{naam}@example.nl", "naam": naam.title(), "token": f"token-{naam}", "now": now,
             "demo": False}).scalar_one()
            for naam in ("truus", "sanne"))
        post = Post(soort="post", titel="Heg knippen", auteur_id=truus_id, locatie=point(*RUWAARD),
                    locatie_rd=point_rd(*RUWAARD), toon_locatie=point(*RUWAARD), toon_locatie_rd=point_rd(*RUWAARD),
                    created_at=now, updated_at=now)
        gesprek = Gesprek(post=post, deelnemer_id=sanne_id, created_at=now)
        gesprek.berichten += [Bericht(afzender_id=sanne_id, tekst="Ik help", created_at=now),
                              Bericht(afzender_id=truus_id, tekst="Fijn", created_at=now)]
        db.session.add(gesprek)
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

    from sqlalchemy import insert, select

    from omkijken.platform.accounts import services as accounts
    from omkijken.platform.clock import as_utc, utcnow
    from omkijken.platform.koppelingen import diensten, nazorg
    from omkijken.platform.koppelingen import services as koppelingen
    from omkijken.platform.koppelingen.models import Checkin, Koppeling
    from omkijken.platform.posts import services as posts
    from omkijken.platform.posts.models import Hulpvraag
    from omkijken.platform.subsidies.models import Subsidieaanvraag
    from tests.support import NEAR_RUWAARD, RUWAARD

    app = make_app(tmp_path, backend_config(tmp_path, "migrations-soort"))
    with app.app_context():
        upgrade(revision="0017")  # the models are used to make the rows: the revision they match but for 0018
        # ... and for the later columns, added here by hand and dropped before the upgrade adds them.
        later_columns = ("ALTER TABLE users ADD COLUMN voorstellen_per_mail BOOLEAN NOT NULL DEFAULT TRUE",)
        for statement in later_columns:
            db.session.execute(text(statement))
        started = utcnow() - timedelta(days=20)
        diensten.ensure_standard()
        sanne = accounts.create_user(email="sanne@example.nl", naam="Sanne", password="wachtwoord-123",
                                     roles=("inwoner", "vrijwilliger"), wijk_ids=[], home=RUWAARD, now=started)
        truus = accounts.create_user(email="truus@example.nl", naam="Truus", password="wachtwoord-123",
                                     roles=("inwoner",), wijk_ids=[], home=NEAR_RUWAARD, now=started)
        tot = (started + timedelta(days=120)).date()

        def old_koppeling(titel: str) -> Koppeling:
            """As start() made it before: Burenhulp's kind, one check-in a week after the start."""
            vraag = posts.create(Hulpvraag(titel=titel, categorie="boodschappen", periode_tot=tot), auteur=truus,
                                 now=started - timedelta(days=3))
            voorstel = koppelingen.offer_help(vraag, by=sanne, tekst="", now=started)
            koppeling = koppelingen.accept(voorstel, by=truus, now=started)
            for checkin in list(koppeling.checkins):
                db.session.delete(checkin)
            db.session.flush()
            koppeling.soort, koppeling.eind_datum = "eenmalig", None
            nazorg.plan(koppeling)
            db.session.flush()
            return koppeling

        running, ended = old_koppeling("Wekelijkse boodschappen"), old_koppeling("Boodschappen in de zomer")
        asked = db.session.scalars(select(Checkin).filter_by(koppeling_id=running.id)).all()
        assert [(c.ronde, c.dagen) for c in asked] == [(1, 7), (1, 7)]
        for checkin in asked:
            checkin.status, checkin.sent_at = "verstuurd", started + timedelta(days=7)
        ended.status, ended.ended_at, ended.eind_reden = "gestopt", started + timedelta(days=9), "geen_tijd"
        running_id, ended_id = running.id, ended.id
        # Rows through the table, not the model: the model has 0019's columns, not there yet at 0017.
        aanvraag_ids = tuple(db.session.execute(insert(Subsidieaanvraag.__table__).values(
            titel=titel, aanvrager_id=truus.id, status="ingediend", beslis_voor=dag, created_at=started,
            updated_at=started).returning(Subsidieaanvraag.__table__.c.id)).scalar_one()
            for titel, dag in (("Koffieochtend", date(2027, 1, 1)), ("Buurtfeest", date(2027, 1, 5))))
        db.session.commit()
        for statement in later_columns:
            db.session.execute(text(statement.split(" ADD COLUMN ")[0] + " DROP COLUMN "
                                    + statement.split(" ADD COLUMN ")[1].split()[0]))
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
        assert [db.session.get(Subsidieaanvraag, i).beslis_voor for i in aanvraag_ids] == [
            date(2027, 1, 4), date(2027, 1, 5)]
        db.session.rollback()
        db.engine.dispose()


def test_0024_moves_homes_into_the_wijk_whose_polygon_holds_them_and_says_how_many(tmp_path, capsys):
    """Issue 24, item 1: before 0024 a point took its buurt's wijk; the coarse 2014 buurten put
    this home of Lithoijen in wijk Tuinlangel."""
    from omkijken.platform.areas import services as areas
    from tests.integration.test_areas import LITHOIJEN_IN_A_NEIGHBOURS_BUURT

    app = make_app(tmp_path, backend_config(tmp_path, "migrations-0024"))
    with app.app_context():
        upgrade(revision="0020")
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

        assert "0024: 0 bericht(en) en 1 woonadres(sen) naar de wijk van hun punt verplaatst." in capsys.readouterr().out
        assert db.session.execute(text(
            "SELECT w.code FROM users u JOIN wijken w ON w.id = u.wijk_id JOIN buurten b ON b.id = u.buurt_id "
            "WHERE u.email = 'lithoijen@example.nl' AND b.wijk_id = w.id")).scalar_one() == "WK082819"
        db.session.rollback()
        db.engine.dispose()
