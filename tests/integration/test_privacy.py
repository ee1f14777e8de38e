"""Privacy (AVG): a person sees and downloads all their data, erases their account, and closed
hulpvragen lose their text after the bewaartermijn, while the KPI and subsidy figures keep their counts.

Everything Marieke writes carries the word MERELBOOM, so after erasing a scan of every text column
of every table shows where anything of her is left: only in the sent subsidy aanvraag, which the
gemeente must keep.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import String, select, update

from omkijken.cli import main
from omkijken.platform.accounts import privacy, privacy_export
from omkijken.platform.accounts.models import User
from omkijken.platform.areas import services as areas
from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.insights import kpi
from omkijken.platform.insights.feiten import standaard_periode
from omkijken.platform.koppelingen import retention
from omkijken.platform.koppelingen.models import Afhandeling, Checkin, Dienst, Koppeling, WelzijnMeting
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.erasure import VERWIJDERD_BERICHT
from omkijken.platform.posts.models import Aanbod, Gesprek, Hulpvraag, Initiatief, Melding
from omkijken.platform.subsidies import cijfers
from omkijken.platform.subsidies.models import Begrotingsregel, Bijlage, Regeling, Subsidieaanvraag
from omkijken.platform.system import services as system
from omkijken.platform.system.mail import Email, deliver
from omkijken.platform.system.models import OutboxMessage
from omkijken.platform.wijkagenda.models import Agendapunt, Puntvolger, Reactie, Steun, Wijkvolger
from tests.integration.test_insights import bouw_stand, maak_koppeling
from tests.support import RUWAARD, at_once, submit

MARKER = "MERELBOOM"
WIJK = "WK082806"


def everything(user: User) -> dict:
    """Marieke's life on the platform: a row in every kind of table that refers to a person."""
    now = utcnow()
    wijk = areas.wijk_by_code(WIJK)
    other = db.session.scalar(select(User).where(User.email == "sanne@example.nl"))
    vraag = posts.create(Hulpvraag(titel=f"Boodschappen {MARKER}", categorie="boodschappen",
                                   wil=f"Ik wil {MARKER}", nodig=f"Nodig {MARKER}"), auteur=user, now=now)
    aanbod = posts.create(Aanbod(titel=f"Ik help {MARKER}", categorieen=["klussen"], categorie="klussen"),
                          auteur=user, now=now)
    initiatief = posts.create(Initiatief(titel=f"Buurtmoestuin {MARKER}", categorie="ontmoeting",
                                         beschrijving=f"Samen tuinieren {MARKER}"),
                              auteur=user, now=now, where=RUWAARD, op_huisadres=False)
    sannes = posts.create(Hulpvraag(titel="Hulp bij de computer", categorie="digitaal"), auteur=other, now=now)
    gesprek = posts.respond(sannes, by=user, tekst=f"Ik kan helpen {MARKER}", now=now)
    posts.reply(gesprek, by=other, tekst="Fijn, dank je", now=now)
    db.session.add(Melding(post_id=sannes.id, melder_id=user.id, reden=f"Raar {MARKER}", created_at=now))
    punt = Agendapunt(wijk_id=wijk.id, auteur_id=user.id, soort="wens", onderwerp="voorzieningen",
                      titel="Meer bankjes", beschrijving="In het park", moderatie="goedgekeurd", created_at=now,
                      updated_at=now)
    db.session.add(punt)
    db.session.flush()
    db.session.add_all([
        Steun(punt_id=punt.id, user_id=user.id, created_at=now),
        Puntvolger(punt_id=punt.id, user_id=user.id, meehelpen=True, created_at=now),
        Reactie(punt_id=punt.id, auteur_id=user.id, tekst=f"Goed plan {MARKER}", created_at=now),
        Wijkvolger(wijk_id=wijk.id, user_id=user.id, created_at=now),
    ])
    dienst = db.session.scalar(select(Dienst).where(Dienst.code == "burenhulp"))
    coordinator = db.session.scalar(select(User).where(User.email == "coco@example.nl"))
    dienst.coordinatoren.append(coordinator)
    koppeling = maak_koppeling(user, other, dienst, begon=now - timedelta(days=20), soort="eenmalig",
                               antwoorden=((7, "goed", 8),))
    db.session.execute(Checkin.__table__.update().where(Checkin.koppeling_id == koppeling.id)
                       .values(opmerking=f"Fijn {MARKER}"))
    db.session.add(WelzijnMeting(koppeling_id=koppeling.id, user_id=user.id, moment="start", ronde=0, dagen=0,
                                 cijfer=6, eenzaam_1="ja", created_at=now))
    regeling = Regeling(gemeente_id=wijk.gemeente_id, jaar=now.year, naam="Initiatieven", budget_cents=500_000,
                        max_per_aanvraag_cents=100_000, soorten=["ontmoeting"], created_at=now)
    db.session.add(regeling)
    db.session.flush()
    verstuurd = Subsidieaanvraag(initiatief_id=initiatief.id, aanvrager_id=user.id, regeling=regeling, wijk_id=wijk.id,
                                 status="toegekend", soort="ontmoeting", titel="Moestuin", wat=f"Tuin {MARKER}",
                                 toegekend_cents=40_000, betaald_cents=40_000, ingediend_at=now, created_at=now,
                                 updated_at=now)
    verstuurd.regels.append(Begrotingsregel(omschrijving="Zaad", bedrag_cents=40_000))
    verstuurd.bijlagen.append(Bijlage(soort="offerte", bestandsnaam="offerte-tuincentrum.pdf", mime="application/pdf",
                                      grootte=10, opslag_naam="a" * 32, created_at=now))
    concept = Subsidieaanvraag(aanvrager_id=user.id, regeling=regeling, wijk_id=wijk.id, status="concept",
                               titel="Nog bezig", wat=f"Concept {MARKER}", created_at=now, updated_at=now)
    db.session.add_all([verstuurd, concept])
    system.enqueue(system.SEND_EMAIL, {"to": user.email, "subject": "Hallo", "body": f"Hoi {MARKER}"}, now=now)
    db.session.commit()
    return {"vraag": vraag.id, "aanbod": aanbod.id, "koppeling": koppeling.id, "verstuurd": verstuurd.id,
            "concept": concept.id}


@pytest.fixture
def marieke(app, make_user, standaard_diensten):
    make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    make_user("coco@example.nl", roles=("coordinator",), naam="Coco")
    user = make_user("marieke@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD,
                     naam=f"Marieke {MARKER}")
    user.postcode, user.huisnummer, user.adres = "5344AB", "12", "Wilgenstraat 12, 5344AB Oss"
    db.session.commit()
    return user, everything(user)


def text_columns_containing(needle: str) -> dict[str, int]:
    """How many rows of each table hold ``needle`` in any column, read as text."""
    found = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if not c.name.endswith(("locatie", "locatie_rd", "home", "home_rd"))]
        condition = None
        for column in columns:
            clause = column.cast(String).contains(needle)
            condition = clause if condition is None else condition | clause
        count = len(db.session.execute(select(*table.primary_key.columns).where(condition)).all())
        if count:
            found[table.name] = count
    return found


# --- coverage ----------------------------------------------------------------------------------


def test_every_column_that_refers_to_a_person_has_an_erase_rule(app):
    """A new table with a user id fails here until someone decides what erasing does with it;
    the export reads every such column by itself (see the next test)."""
    references = {(table.name, column.name) for table, column in privacy_export.user_references()}
    assert references, "no foreign keys to users.id found"
    assert references - set(privacy.ERASE_RULES) == set(), "add these to privacy.ERASE_RULES"
    assert set(privacy.ERASE_RULES) - references == set(), "rules for columns that no longer exist"


def test_the_export_has_a_row_for_every_column_that_refers_to_her(marieke):
    user, _ = marieke
    data = privacy_export.export(user)
    referring = {table.name for table, column in privacy_export.user_references()
                 if db.session.execute(select(column).where(column == user.id).limit(1)).first()}
    assert referring - set(data) == set()
    assert set(data) >= {"users", "posts", "role_grants", "gesprekken", "berichten", "meldingen", "voorstellen",
                         "koppelingen", "checkins", "agendapunten", "agendasteun", "agendapuntvolgers",
                         "agendareacties", "wijkvolgers", "subsidieaanvragen", "begrotingsregels", "subsidiebijlagen",
                         "outbox_messages", "welzijn_metingen"}


# --- export ------------------------------------------------------------------------------------


def test_she_downloads_all_her_data_as_a_json_file(marieke, client, login):
    user, rows = marieke
    login("marieke@example.nl")
    response = client.get("/mijn-gegevens.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=\"omkijken-mijn-gegevens-")
    data = json.loads(response.get_data(as_text=True))["gegevens"]
    account = data["users"][0]
    assert account["email"] == "marieke@example.nl" and account["postcode"] == "5344AB"
    assert "password_hash" not in account and "login_token" not in account
    assert abs(account["home"]["lat"] - RUWAARD[0]) < 1e-5
    vraag = next(p for p in data["posts"] if p["id"] == rows["vraag"])
    assert vraag["wil"] == f"Ik wil {MARKER}" and "locatie_rd" not in vraag
    assert {p["soort"] for p in data["posts"]} >= {"hulpvraag", "aanbod", "initiatief"}
    assert [b["bestandsnaam"] for b in data["subsidiebijlagen"]] == ["offerte-tuincentrum.pdf"]
    assert "opslag_naam" not in data["subsidiebijlagen"][0]
    assert {b["tekst"] for b in data["berichten"]} == {f"Ik kan helpen {MARKER}", "Fijn, dank je"}
    assert data["agendapuntvolgers"][0]["meehelpen"] is True
    assert data["checkins"][0]["opmerking"] == f"Fijn {MARKER}"
    assert {r["role"] for r in data["role_grants"]} == {"inwoner", "vrijwilliger"}
    assert f"Hoi {MARKER}" in [m["body"] for m in data["outbox_messages"]]


def test_she_reads_her_data_on_a_page_linked_from_her_profile(marieke, client, login):
    login("marieke@example.nl")
    assert 'href="/mijn-gegevens"' in client.get("/profiel").get_data(as_text=True)
    page = client.get("/mijn-gegevens").get_data(as_text=True)
    for heading in ("Je account", "Wat je op het prikbord zette", "Je koppelingen", "Je subsidieaanvragen",
                    "Punten die je steunt", "Bijlagen bij je subsidieaanvragen"):
        assert heading in page
    assert f"Ik wil {MARKER}" in page and "offerte-tuincentrum.pdf" in page
    assert 'href="/mijn-gegevens.json"' in page


def test_someone_else_never_sees_her_data(marieke, client, login):
    login("sanne@example.nl")
    page = client.get("/mijn-gegevens").get_data(as_text=True)
    assert "sanne@example.nl" in page and "Ik kan helpen" in page  # her own data is there: the page is not empty
    assert MARKER not in page.replace("Ik kan helpen " + MARKER, "")


@pytest.mark.parametrize("url", ["/mijn-gegevens", "/mijn-gegevens.json", "/account-verwijderen"])
def test_anonymous_visitors_log_in_first(app, client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


# --- erase -------------------------------------------------------------------------------------


def test_a_wrong_password_erases_nothing_and_says_so(marieke, client, login):
    login("marieke@example.nl")
    response = submit(client, "/account-verwijderen", {"password": "fout", "zeker": "y"})
    assert response.status_code == 422
    assert "Dit wachtwoord klopt niet" in response.get_data(as_text=True)
    assert client.get("/mijn-gegevens").status_code == 200
    response = submit(client, "/account-verwijderen", {"password": "wachtwoord-123"})
    assert response.status_code == 422 and "Zet een vinkje" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "marieke@example.nl")) is not None


def test_after_erasing_nothing_of_her_is_left_but_the_subsidy_file(marieke, client, login, app):
    user, rows = marieke
    user_id, email = user.id, user.email
    mail_folder = app.config["MAIL_FOLDER"]
    mail_file = Path(deliver(app.config, Email(email, "Hallo", "Een mail als bestand"), now=utcnow()))
    assert mail_file.exists()
    db.session.execute(update(OutboxMessage).values(done_at=utcnow()))  # the worker sent what waited
    db.session.commit()
    login("marieke@example.nl")
    page = client.get("/account-verwijderen").get_data(as_text=True)
    assert "De gemeente moet die aanvraag bewaren" in page
    response = submit(client, "/account-verwijderen", {"password": "wachtwoord-123", "zeker": "y"})
    assert response.status_code == 302
    assert "Je account is verwijderd" in client.get("/").get_data(as_text=True)
    assert client.get("/mijn-gegevens").status_code == 302  # logged out
    assert client.get("/inloggen").status_code == 200
    failed = submit(client, "/inloggen", {"email": "marieke@example.nl", "password": "wachtwoord-123"})
    assert failed.status_code == 422

    db.session.expire_all()
    assert text_columns_containing(MARKER) == {"subsidieaanvragen": 1}
    assert text_columns_containing(email) == {}
    assert text_columns_containing("5344AB") == {}
    shell = db.session.get(User, user_id)
    assert shell.naam == privacy.VERWIJDERD_NAAM and shell.home is None and shell.huisnummer is None
    assert shell.roles == [] and shell.verwijderd_at is not None
    assert not mail_file.exists()
    assert not any(email in path.read_text() for path in Path(mail_folder).glob("*.eml"))

    vraag = db.session.get(Hulpvraag, rows["vraag"])
    assert (vraag.status, vraag.sluit_reden, vraag.categorie) == ("gesloten", "niet_meer_nodig", "boodschappen")
    assert vraag.wil == "" and vraag.geanonimiseerd_at is not None
    assert db.session.get(Aanbod, rows["aanbod"]).status == "gesloten"
    koppeling = db.session.get(Koppeling, rows["koppeling"])
    assert (koppeling.status, koppeling.eind_reden) == ("gestopt", "anders")
    notes = db.session.scalars(select(Afhandeling.tekst).where(Afhandeling.hulpvraag_id == koppeling.hulpvraag_id))
    # Written after her texts are wiped (accounts.signals: user_erasing, then user_erased), so it stays.
    assert "Gestopt: een van de twee heeft het account verwijderd." in list(notes)
    mails = {m.payload["to"]: m.payload["body"] for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.task == system.SEND_EMAIL))}
    assert "heeft het account op Omkijken verwijderd" in mails["sanne@example.nl"]
    assert "heeft het account op Omkijken verwijderd" in mails["coco@example.nl"]
    assert db.session.get(Subsidieaanvraag, rows["concept"]) is None
    verstuurd = db.session.get(Subsidieaanvraag, rows["verstuurd"])
    assert verstuurd.toegekend_cents == 40_000 and verstuurd.aanvrager is None
    assert [b.bestandsnaam for b in verstuurd.bijlagen] == ["offerte-tuincentrum.pdf"]
    assert db.session.scalar(select(Steun).where(Steun.user_id == user_id)) is not None  # the count stays
    assert db.session.scalar(select(Puntvolger).where(Puntvolger.user_id == user_id)) is None
    assert db.session.scalar(select(Wijkvolger).where(Wijkvolger.user_id == user_id)) is None
    assert db.session.scalar(select(WelzijnMeting).where(WelzijnMeting.user_id == user_id)) is None
    gesprek = db.session.scalar(select(Gesprek).where(Gesprek.deelnemer_id == user_id))
    assert [b.tekst for b in gesprek.berichten] == [VERWIJDERD_BERICHT, "Fijn, dank je"]


def test_the_last_beheerder_cannot_erase_the_account(app, client, make_user, login):
    make_user("baas@example.nl", roles=("beheerder",))
    login("baas@example.nl")
    page = client.get("/account-verwijderen").get_data(as_text=True)
    assert "Je bent de laatste beheerder" in page and 'name="password"' not in page
    response = submit(client, "/account-verwijderen", {"password": "wachtwoord-123", "zeker": "y"})
    assert response.status_code == 200
    assert db.session.scalar(select(User).where(User.email == "baas@example.nl")).verwijderd_at is None
    make_user("tweede@example.nl", roles=("beheerder",))
    assert submit(client, "/account-verwijderen", {"password": "wachtwoord-123", "zeker": "y"}).status_code == 302


def dashboard_now(now):
    return kpi.dashboard(standaard_periode(now), now=now)


def test_erasing_keeps_the_kpi_and_subsidy_figures(app, make_user, standaard_diensten):
    """Truus asked for help in every koppeling of the dashboard's test; Sanne helped. Once the
    running ones have ended, both erase their accounts: every figure stays, except placement,
    which counts who offers help today (as when Sanne closes her aanbod herself)."""
    stand = bouw_stand(make_user, standaard_diensten)
    for koppeling in db.session.scalars(select(Koppeling).where(Koppeling.status == "actief")):
        koppeling.status, koppeling.ended_at, koppeling.eind_reden = "afgerond", stand.now, "doel_bereikt"
    wijk = areas.wijk_by_code(WIJK)
    regeling = Regeling(gemeente_id=wijk.gemeente_id, jaar=stand.now.year, naam="Potje", budget_cents=100_000,
                        max_per_aanvraag_cents=50_000, soorten=["ontmoeting"], created_at=stand.now)
    truus = db.session.scalar(select(User).where(User.email == "truus@example.nl"))
    sanne = db.session.scalar(select(User).where(User.email == "sanne@example.nl"))
    db.session.add(Subsidieaanvraag(aanvrager_id=truus.id, regeling=regeling, wijk_id=wijk.id, status="toegekend",
                                    soort="ontmoeting", titel="Koffie", toegekend_cents=30_000, betaald_cents=30_000,
                                    ingediend_at=stand.now, created_at=stand.now, updated_at=stand.now))
    db.session.commit()
    now = stand.now + timedelta(minutes=1)
    before = dashboard_now(now)
    subsidies_before = (cijfers.tellingen(cijfers.ingediend()), cijfers.potten())

    for person in (truus, sanne):
        privacy.erase(person, now=now)
    db.session.expire_all()

    after = dashboard_now(now)
    assert after.totaal == before.totaal and after.totaal.successes == 6
    assert after.geholpen == before.geholpen and after.geholpen.successes == 1  # Burenhulp's one-off job
    assert dataclasses.replace(after, plaatsing=[]) == dataclasses.replace(before, plaatsing=[])
    assert (cijfers.tellingen(cijfers.ingediend()), cijfers.potten()) == subsidies_before
    assert db.session.scalar(select(Koppeling).where(Koppeling.status == "actief")) is None


def test_no_mail_reaches_an_erased_account(marieke, app):
    """Whatever still mails the shell (a moderation decision on her punt, 'bestaat het nog?' for
    her initiatief) goes nowhere: the shell's address is under the reserved .invalid domain."""
    user, _ = marieke
    privacy.erase(user, now=utcnow())
    assert deliver(app.config, Email(user.email, "Je punt", "Goedgekeurd"), now=utcnow()).startswith("dropped")
    assert not any(user.email in p.read_text() for p in Path(app.config["MAIL_FOLDER"]).glob("*.eml"))


def test_erasing_twice_is_refused(marieke):
    user, _ = marieke
    privacy.erase(user, now=utcnow())
    with pytest.raises(privacy.PrivacyError):
        privacy.erase(user, now=utcnow())


# --- retention ---------------------------------------------------------------------------------


def closed_vraag(user, titel: str, *, closed_at, status: str = "gesloten") -> Hulpvraag:
    vraag = posts.create(Hulpvraag(titel=titel, categorie="vervoer", wil=f"{titel} {MARKER}"), auteur=user,
                         now=closed_at - timedelta(days=30))
    vraag.status, vraag.sluit_reden, vraag.updated_at = status, "gelukt" if status == "gesloten" else None, closed_at
    db.session.commit()
    return vraag


def test_closed_hulpvragen_lose_their_text_after_the_bewaartermijn_and_keep_their_counts(
        app, make_user, standaard_diensten):
    now = utcnow()
    truus = make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    oud = closed_vraag(truus, "Oud", closed_at=now - timedelta(days=400))
    recent = closed_vraag(truus, "Recent", closed_at=now - timedelta(days=300))
    open_vraag = posts.create(Hulpvraag(titel="Nog open", categorie="vervoer", wil=MARKER), auteur=truus,
                              now=now - timedelta(days=500))
    afgelopen = maak_koppeling(truus, sanne, standaard_diensten["burenhulp"], begon=now - timedelta(days=420),
                               soort="eenmalig", antwoorden=((7, "goed", 9),), gestopt=(10, "doel_bereikt"))
    loopt = maak_koppeling(truus, sanne, standaard_diensten["maatjes"], begon=now - timedelta(days=420),
                           soort="maatje", antwoorden=((14, "goed", 9),))
    exact = posts.exact_point(oud)
    before = dashboard_now(now)

    assert retention.wis_oude_hulpvragen(now=now, maanden=12) == 2
    assert retention.wis_oude_hulpvragen(now=now, maanden=12) == 0  # twice is harmless
    db.session.expire_all()
    wiped = {v.id for v in db.session.scalars(select(Hulpvraag).where(Hulpvraag.geanonimiseerd_at.is_not(None)))}
    assert wiped == {oud.id, afgelopen.hulpvraag_id}
    oud = db.session.get(Hulpvraag, oud.id)
    assert (oud.titel, oud.wil, oud.categorie, oud.status) == ("Hulpvraag", "", "vervoer", "gesloten")
    assert posts.exact_point(oud) == posts.public_point(oud) != exact
    assert db.session.get(Hulpvraag, recent.id).wil.endswith(MARKER)
    assert db.session.get(Hulpvraag, open_vraag.id).wil == MARKER
    assert db.session.get(Hulpvraag, loopt.hulpvraag_id).geanonimiseerd_at is None
    assert dashboard_now(now) == before


def test_four_sweeps_at_once_wipe_each_vraag_once(app, make_user):
    """Beat and the CLI (or two beat processes) at the same moment: every old vraag is claimed by
    exactly one sweep (the real test is on PostGIS)."""
    now = utcnow()
    truus = make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    ids = [closed_vraag(truus, f"Vraag {n}", closed_at=now - timedelta(days=400)).id for n in range(6)]

    results = at_once(app, lambda: retention.wis_oude_hulpvragen(now=now, maanden=12), 4)
    assert sum(results) == 6
    db.session.expire_all()
    assert all(db.session.get(Hulpvraag, i).wil == "" for i in ids)


def test_the_bewaartermijn_follows_the_setting_and_the_cli_moves_the_clock(app, make_user):
    now = utcnow()
    truus = make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    vraag = closed_vraag(truus, "Tuin", closed_at=now - timedelta(days=100))
    assert app.config["HULPVRAAG_BEWAAR_MAANDEN"] == 12
    runner = app.test_cli_runner()
    result = runner.invoke(main, ["hulpvragen-bewaren", "--now", now.isoformat()])
    assert result.exit_code == 0 and "geanonimiseerd: 0" in result.output
    result = runner.invoke(main, ["hulpvragen-bewaren", "--now", (now + timedelta(days=300)).isoformat()])
    assert result.exit_code == 0 and "geanonimiseerd: 1" in result.output
    app.config["HULPVRAAG_BEWAAR_MAANDEN"] = 3
    try:
        other = closed_vraag(truus, "Ramen", closed_at=now - timedelta(days=100))
        result = runner.invoke(main, ["hulpvragen-bewaren", "--now", now.isoformat()])
        assert "geanonimiseerd: 1" in result.output
    finally:
        app.config["HULPVRAAG_BEWAAR_MAANDEN"] = 12
    db.session.expire_all()
    assert db.session.get(Hulpvraag, vraag.id).wil == "" and db.session.get(Hulpvraag, other.id).wil == ""


def test_the_nightly_task_is_on_the_beat_schedule():
    from omkijken.workers.app import BEAT_SCHEDULE
    from omkijken.workers.tasks import hulpvragen_bewaren

    assert BEAT_SCHEDULE["hulpvragen-bewaren"]["task"] == hulpvragen_bewaren.name


def test_the_privacy_page_is_linked_from_every_page_and_tells_the_bewaartermijn(app, client):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/privacy"' in home
    assert 'href="/privacy"' in client.get("/registreren").get_data(as_text=True)
    page = client.get("/privacy").get_data(as_text=True)
    assert "12 maanden" in page and "logboek" in page and "subsidieaanvraag" in page


# --- on behalf ---------------------------------------------------------------------------------


def test_the_beheerder_erases_the_account_of_a_resident_who_phoned(marieke, client, make_user, login):
    user, rows = marieke
    make_user("baas@example.nl", roles=("beheerder",))
    login("baas@example.nl")
    url = f"/beheer/gebruikers/{user.id}/verwijderen"
    assert url in client.get(f"/beheer/gebruikers/{user.id}").get_data(as_text=True)
    wrong = submit(client, url, {"password": "wachtwoord-123"})
    assert wrong.status_code == 422 and "de inwoner hier zelf om vroeg" in wrong.get_data(as_text=True)
    assert submit(client, url, {"password": "fout", "zeker": "y"}).status_code == 422
    assert submit(client, url, {"password": "wachtwoord-123", "zeker": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).naam == privacy.VERWIJDERD_NAAM
    assert db.session.get(Hulpvraag, rows["vraag"]).status == "gesloten"
    assert client.get(url).status_code == 404


def test_only_the_beheerder_erases_for_someone_else(marieke, client, login):
    user, _ = marieke
    url = f"/beheer/gebruikers/{user.id}/verwijderen"
    assert client.get(url).status_code == 302
    login("sanne@example.nl")
    assert client.get(url).status_code == 403
    assert client.post(url, data={"password": "wachtwoord-123", "zeker": "y"}).status_code in (400, 403)
    db.session.expire_all()
    assert db.session.get(User, user.id).verwijderd_at is None


# --- issue 19, finding 5: names with accents, the wijk on the shell ---------------------------------


def _payloads() -> list[dict]:
    db.session.expire_all()
    return [m.payload for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.task == system.SEND_EMAIL).order_by(OutboxMessage.id))]


def test_erasing_renee_forgets_the_mails_that_name_her_and_her_wijk(app, make_user):
    """The outbox stores its JSON with \\u escapes ("Ren\\u00e9e") and was searched for "Renée", so
    every sent mail that named someone with an accent stayed. The shell kept its wijk."""
    renee = make_user("renée@example.nl", home=RUWAARD, naam="Renée Çelik")
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    now = utcnow()
    for to, subject, body in ((sanne.email, "Hoe gaat het met Renée Çelik?", "Je helpt Renée Çelik al een week."),
                              (sanne.email, "Nieuws", "Renée Çeliktas en Anna doen ook mee."),
                              ("renée@example.nl", "Welkom", "Hoi")):
        system.enqueue(system.SEND_EMAIL, {"to": to, "subject": subject, "body": body}, now=now)
    db.session.execute(update(OutboxMessage).values(done_at=now))
    db.session.commit()
    assert renee.wijk is not None
    folder = Path(app.config["MAIL_FOLDER"])
    as_file = Path(deliver(app.config, Email(sanne.email, "Over Renée Çelik", "Renée Çelik belde."), now=now))

    privacy.erase(renee, now=now, mail_folder=folder)

    left = _payloads()
    assert not [m for m in left if "Renée Çelik" in m["subject"] + m["body"].replace("Çeliktas", "")]
    assert not [m for m in left if m["to"] == "renée@example.nl"]
    assert [m["subject"] for m in left] == ["Nieuws"]  # another name that starts the same stays
    assert not as_file.exists()
    shell = db.session.get(User, renee.id)
    assert (shell.wijk_id, shell.buurt_id) == (None, None)


def test_a_name_that_is_a_like_wildcard_erases_no_one_elses_mail(app, make_user):
    underscore = make_user("streep@example.nl", home=RUWAARD, naam="_")
    system.enqueue(system.SEND_EMAIL, {"to": "sanne@example.nl", "subject": "Hallo Sanne", "body": "Tot morgen"},
                   now=utcnow())
    db.session.execute(update(OutboxMessage).values(done_at=utcnow()))
    db.session.commit()

    privacy.erase(underscore, now=utcnow())

    assert [m["subject"] for m in _payloads()] == ["Hallo Sanne"]


def test_her_export_finds_mails_to_an_address_with_an_accent(app, make_user):
    from omkijken.platform.accounts import privacy_export

    renee = make_user("renée@example.nl", home=RUWAARD, naam="Renée")
    system.enqueue(system.SEND_EMAIL, {"to": "renée@example.nl", "subject": "Welkom", "body": "Hoi"}, now=utcnow())
    db.session.commit()
    assert [m.payload["subject"] for m in privacy_export.mails_to(renee.email)] == ["Welkom"]
