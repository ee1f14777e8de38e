"""Subsidieaanvragen: the road through the one state machine with its audit trail, the money
checks against the regeling and its pot (also when two officers grant at once), and the bijlagen:
what is taken, what is refused, and who may see them."""

from __future__ import annotations

import io
import shutil
import zlib
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from sqlalchemy import func, select

from omkijken.platform.accounts.models import User
from omkijken.platform.accounts.permissions import NotAllowed
from omkijken.platform.areas.models import Gemeente
from omkijken.platform.clock import at_local, local, utcnow, werkdag
from omkijken.platform.extensions import db
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Initiatief
from omkijken.platform.subsidies import attachments, gemeente_services, services, volledigheid
from omkijken.platform.subsidies.models import Bijlage, Subsidieaanvraag, SubsidieBericht
from omkijken.platform.system import audit
from omkijken.platform.system.audit import AppendOnly
from tests.support import DOMMELBERGEN, RUWAARD, at_once

RUWAARD_WIJK, DOMMELBERGEN_WIJK = "WK082806", "WK082606"
EURO = 100


@pytest.fixture
def truus(make_user) -> User:
    return make_user("truus@example.nl", home=RUWAARD, naam="Truus")


@pytest.fixture
def ambtenaar(make_user) -> User:
    return make_user("fatima@oss.nl", roles=("gemeente",), naam="Fatima")


@pytest.fixture
def karim(make_user) -> User:
    return make_user("karim@example.nl", roles=("opbouwwerker",), wijken=(RUWAARD_WIJK,), naam="Karim")


@pytest.fixture
def beheerder(make_user) -> User:
    return make_user("beheer@example.nl", roles=("beheerder",))


def oss() -> Gemeente:
    return db.session.scalar(select(Gemeente).where(Gemeente.code == "GM0828"))


def new_regeling(beheerder, *, budget=1000, maximum=800, naam="Initiatieven sociale basis", **kwargs):
    return gemeente_services.create_regeling(gemeente=oss(), jaar=2025, naam=naam, budget_cents=budget * EURO,
                                    max_per_aanvraag_cents=maximum * EURO,
                                    soorten=["ontmoeting", "dagontmoeting", "anders"], by=beheerder, now=utcnow(),
                                    **kwargs)


def complete_draft(aanvrager, regeling, *, lines=(("Koffie en thee", 150 * EURO), ("Zaalhuur", 450 * EURO)),
                   titel="Koffieochtend Ruwaard", **changes) -> Subsidieaanvraag:
    initiatief = posts.create(Initiatief(titel=titel, categorie="ontmoeting_gezelschap"), auteur=aanvrager,
                              now=utcnow(), where=RUWAARD)
    aanvraag = services.create_draft(initiatief, by=aanvrager, now=utcnow())
    services.edit(aanvraag, by=aanvrager, now=utcnow(), **{
        "soort": "ontmoeting", "wat": "Elke dinsdag koffie in het wijkhuis", "voor_wie": "Ouderen die alleen zijn",
        "wanneer": "Elke dinsdag van maart tot december", "deelnemers": 25, "regeling_id": regeling.id,
        "eigen_bijdrage_cents": 0, "bijdragen": "De bakker geeft koek", **changes})
    services.set_lines(aanvraag, list(lines), by=aanvrager, now=utcnow())
    return aanvraag


def in_behandeling(aanvraag, ambtenaar) -> Subsidieaanvraag:
    services.submit(aanvraag, by=aanvraag.aanvrager, now=utcnow())
    services.move(aanvraag, "in_behandeling", by=ambtenaar, now=utcnow())
    return aanvraag


# ---- the state machine, through the service ------------------------------------------------------

def test_the_whole_road_is_one_audit_trail(truus, ambtenaar, karim, beheerder):
    regeling = new_regeling(beheerder)
    aanvraag = complete_draft(truus, regeling)
    assert (aanvraag.status, aanvraag.totaal_cents, aanvraag.gevraagd_cents) == ("concept", 60000, 60000)

    sent = utcnow()
    services.submit(aanvraag, by=truus, now=sent)
    assert aanvraag.ingediend_at is not None
    assert aanvraag.beslis_voor == werkdag(local(sent).date() + timedelta(days=28))
    services.move(aanvraag, "in_behandeling", by=ambtenaar, now=utcnow())
    assert aanvraag.contactpersoon_id == ambtenaar.id
    services.move(aanvraag, "vragen_gesteld", by=ambtenaar, reden="Is het wijkhuis al vastgelegd?", now=utcnow())
    services.move(aanvraag, "in_behandeling", by=truus, reden="Ja, voor het hele jaar.", now=utcnow())
    services.move(aanvraag, "advies_gevraagd", by=ambtenaar, reden="Past dit in de wijk?", now=utcnow())
    services.move(aanvraag, "in_behandeling", by=karim, reden="Ja, er is veel eenzaamheid.", now=utcnow())
    services.move(aanvraag, "toegekend", by=ambtenaar, reden="Past goed bij de regeling.", now=utcnow(),
                  bedrag_cents=550 * EURO)
    assert aanvraag.toegekend_cents == 55000 and aanvraag.reden == "Past goed bij de regeling."
    services.move(aanvraag, "verantwoording_gevraagd", by=ambtenaar, now=utcnow())
    with pytest.raises(services.Incomplete) as incomplete:
        services.move(aanvraag, "verantwoord", by=truus, now=utcnow())
    assert len(incomplete.value.tekorten) == 4 and aanvraag.status == "verantwoording_gevraagd"
    with pytest.raises(services.SubsidieError):  # the application itself is decided on: it stays as it was
        services.edit(aanvraag, by=truus, now=utcnow(), wat="Iets anders")
    services.edit(aanvraag, by=truus, now=utcnow(), bereikt="Elke week 20 mensen",
                  bijdragen_van_wie="Buren zetten koffie", deelnemers_vonden="Gezellig",
                  werkelijke_kosten_cents=530 * EURO)
    services.move(aanvraag, "verantwoord", by=truus, now=utcnow())
    closed = utcnow()
    services.move(aanvraag, "afgesloten", by=ambtenaar, now=closed)
    assert aanvraag.status == "afgesloten" and aanvraag.steun_eind == local(closed).date()

    entries = list(reversed(audit.entries(onderwerp="subsidieaanvraag", onderwerp_id=aanvraag.id)))
    assert [e.besluit for e in entries] == [
        "ingediend", "in_behandeling", "vragen_gesteld", "in_behandeling", "advies_gevraagd", "in_behandeling",
        "toegekend", "verantwoording_gevraagd", "verantwoord", "afgesloten"]
    assert [e.actor_naam for e in entries][:6] == ["Truus", "Fatima", "Fatima", "Truus", "Fatima", "Karim"]
    assert all(e.wijk_id == aanvraag.wijk_id for e in entries)
    assert entries[6].details["bedrag_cents"] == 55000 and entries[6].reden == "Past goed bij de regeling."
    assert entries[5].reden == "Ja, er is veel eenzaamheid."
    # The question and its answer are the thread both of them read; the advice is not in it.
    assert [(b.afzender_id, b.tekst) for b in aanvraag.berichten] == [
        (ambtenaar.id, "Is het wijkhuis al vastgelegd?"), (truus.id, "Ja, voor het hele jaar.")]
    entries[0].reden = "anders"
    with pytest.raises(AppendOnly):
        db.session.commit()
    db.session.rollback()


def test_a_decision_term_that_ends_on_new_years_day_ends_on_the_next_working_day(truus, beheerder, client, login):
    """Four weeks after 4 December 2026 is Friday 1 January 2027: the gemeente decides by Monday the 4th,
    and the aanvrager reads that date, not a holiday (issue 22, item 9)."""
    aanvraag = complete_draft(truus, new_regeling(beheerder))
    services.submit(aanvraag, by=truus, now=at_local(date(2026, 12, 4), time(10)))
    db.session.commit()
    assert aanvraag.beslis_voor == date(2027, 1, 4)

    login("truus@example.nl")
    page = client.get(f"/subsidies/{aanvraag.id}").get_data(as_text=True)
    assert "maandag 4 januari 2027" in page and "1 januari 2027" not in page


def test_a_refused_step_changes_nothing_and_says_why_in_dutch(truus, ambtenaar, beheerder, make_user):
    aanvraag = in_behandeling(complete_draft(truus, new_regeling(beheerder)), ambtenaar)
    before = db.session.scalar(select(func.count()).select_from(audit.AuditEntry))

    with pytest.raises(services.SubsidieError) as error:
        services.move(aanvraag, "afgewezen", by=ambtenaar, reden="  ", now=utcnow())
    assert error.value.field == "reden" and "waarom" in str(error.value.message)
    with pytest.raises(NotAllowed):
        services.move(aanvraag, "toegekend", by=truus, reden="Graag", now=utcnow())
    with pytest.raises(NotAllowed):
        services.move(aanvraag, "ingetrokken", by=make_user("piet@example.nl", home=RUWAARD), now=utcnow())
    with pytest.raises(services.SubsidieError) as error:
        services.move(aanvraag, "afgesloten", by=ambtenaar, now=utcnow())
    assert error.value.field == "status"
    with pytest.raises(services.SubsidieError) as error:
        services.move(aanvraag, "vragen_gesteld", by=ambtenaar, reden="Vraag", bedrag_cents=100, now=utcnow())
    assert error.value.field == "bedrag"

    assert aanvraag.status == "in_behandeling" and aanvraag.toegekend_cents is None
    assert db.session.scalar(select(func.count()).select_from(audit.AuditEntry)) == before
    assert db.session.scalar(select(func.count()).select_from(SubsidieBericht)) == 0


def test_the_aanvrager_withdraws_but_only_until_the_decision(truus, ambtenaar, beheerder):
    regeling = new_regeling(beheerder)
    early = in_behandeling(complete_draft(truus, regeling), ambtenaar)
    services.move(early, "ingetrokken", by=truus, now=utcnow())
    assert early.status == "ingetrokken"

    late = in_behandeling(complete_draft(truus, regeling, titel="Buurtbarbecue"), ambtenaar)
    services.move(late, "afgewezen", by=ambtenaar, reden="Geen barbecues uit deze regeling.", now=utcnow())
    with pytest.raises(services.SubsidieError):
        services.move(late, "ingetrokken", by=truus, now=utcnow())
    assert late.status == "afgewezen" and late.toegekend_cents is None


def test_nobody_decides_on_their_own_aanvraag(make_user, ambtenaar, beheerder):
    collega = make_user("kees@oss.nl", roles=("inwoner", "gemeente"), home=RUWAARD)
    aanvraag = complete_draft(collega, new_regeling(beheerder))
    services.submit(aanvraag, by=collega, now=utcnow())
    with pytest.raises(NotAllowed):
        services.move(aanvraag, "in_behandeling", by=collega, now=utcnow())
    services.move(aanvraag, "in_behandeling", by=ambtenaar, now=utcnow())
    assert aanvraag.contactpersoon_id == ambtenaar.id


def test_only_the_opbouwwerker_of_the_wijk_gives_advice(truus, ambtenaar, karim, beheerder, make_user):
    aanvraag = in_behandeling(complete_draft(truus, new_regeling(beheerder)), ambtenaar)
    services.move(aanvraag, "advies_gevraagd", by=ambtenaar, reden="Past dit in de wijk?", now=utcnow())
    els = make_user("els@example.nl", roles=("opbouwwerker",), wijken=(DOMMELBERGEN_WIJK,))
    with pytest.raises(NotAllowed):
        services.move(aanvraag, "in_behandeling", by=els, reden="Goed plan", now=utcnow())
    assert services.next_statuses(aanvraag, karim) == ["in_behandeling"]
    services.move(aanvraag, "in_behandeling", by=karim, reden="Goed plan", now=utcnow())
    assert aanvraag.status == "in_behandeling"


def test_an_incomplete_draft_is_kept_and_told_what_is_missing(truus, beheerder):
    regeling = new_regeling(beheerder)
    initiatief = posts.create(Initiatief(titel="Repaircafé", categorie="klussen"), auteur=truus, now=utcnow(),
                              where=RUWAARD)
    aanvraag = services.create_draft(initiatief, by=truus, now=utcnow())
    services.edit(aanvraag, by=truus, now=utcnow(), wat="Samen spullen repareren")

    with pytest.raises(services.Incomplete) as incomplete:
        services.submit(aanvraag, by=truus, now=utcnow())
    velden = {t.veld for t in incomplete.value.tekorten}
    assert velden == {"soort", "voor_wie", "wanneer", "deelnemers", "regels", "regeling_id"}
    assert all(t.tekst and t.tekst[0].isupper() for t in incomplete.value.tekorten)
    db.session.refresh(aanvraag)
    assert aanvraag.status == "concept" and aanvraag.wat == "Samen spullen repareren"
    assert audit.entries(onderwerp="subsidieaanvraag", onderwerp_id=aanvraag.id) == []

    services.edit(aanvraag, by=truus, now=utcnow(), soort="anders", voor_wie="Iedereen", wanneer="Elke zaterdag",
                  deelnemers=12, regeling_id=regeling.id)
    services.set_lines(aanvraag, [("Gereedschap", 200 * EURO)], by=truus, now=utcnow())
    services.submit(aanvraag, by=truus, now=utcnow())
    assert aanvraag.status == "ingediend"
    with pytest.raises(services.SubsidieError):
        services.edit(aanvraag, by=truus, now=utcnow(), wat="Toch iets anders")


def test_the_draft_is_the_aanvragers_and_money_is_whole_cents(truus, beheerder, make_user):
    aanvraag = complete_draft(truus, new_regeling(beheerder))
    piet = make_user("piet@example.nl", home=RUWAARD)
    with pytest.raises(NotAllowed):
        services.edit(aanvraag, by=piet, now=utcnow(), wat="Iets anders")
    with pytest.raises(NotAllowed):
        services.set_lines(aanvraag, [("Taart", 10 * EURO)], by=piet, now=utcnow())
    with pytest.raises(TypeError):
        services.set_lines(aanvraag, [("Taart", 12.5)], by=truus, now=utcnow())
    with pytest.raises(services.SubsidieError):
        services.set_lines(aanvraag, [("Taart", -500)], by=truus, now=utcnow())
    with pytest.raises(services.SubsidieError):
        services.set_lines(aanvraag, [("  ", 500)], by=truus, now=utcnow())
    db.session.refresh(aanvraag)
    assert [(r.omschrijving, r.bedrag_cents) for r in aanvraag.regels] == [
        ("Koffie en thee", 15000), ("Zaalhuur", 45000)]

    services.set_lines(aanvraag, [("Zaalhuur", 45000), ("Koffie", 1), ("Thee", 2)], by=truus, now=utcnow())
    services.edit(aanvraag, by=truus, now=utcnow(), eigen_bijdrage_cents=3, sponsor_bijdrage_cents=10000)
    assert [r.omschrijving for r in aanvraag.regels] == ["Zaalhuur", "Koffie", "Thee"]
    assert aanvraag.totaal_cents == 45003 and aanvraag.gevraagd_cents == 35000


# ---- money: the regeling's maximum and the pot ---------------------------------------------------

def test_more_than_the_maximum_is_not_sent_in_and_not_granted(truus, ambtenaar, beheerder):
    regeling = new_regeling(beheerder, budget=5000, maximum=500)
    aanvraag = complete_draft(truus, regeling)  # asks € 600
    with pytest.raises(services.Incomplete) as incomplete:
        services.submit(aanvraag, by=truus, now=utcnow())
    [tekort] = incomplete.value.tekorten
    assert tekort.veld == "regels" and "€ 500,00" in tekort.tekst

    services.set_lines(aanvraag, [("Zaalhuur", 500 * EURO)], by=truus, now=utcnow())
    in_behandeling(aanvraag, ambtenaar)
    check = volledigheid.completeness(aanvraag)
    assert check.ok and check.binnen_maximum and check.past_in_pot
    assert (check.gevraagd_cents, check.maximum_cents, check.resterend_cents) == (50000, 50000, 500000)
    with pytest.raises(services.SubsidieError) as error:
        services.move(aanvraag, "toegekend", by=ambtenaar, reden="Meer mag", bedrag_cents=50001, now=utcnow())
    assert error.value.field == "bedrag" and "€ 500,00" in str(error.value.message)
    assert aanvraag.status == "in_behandeling" and aanvraag.toegekend_cents is None


def test_the_pot_is_the_budget_minus_what_was_granted(truus, ambtenaar, beheerder):
    regeling = new_regeling(beheerder, budget=1000, maximum=800)
    first = in_behandeling(complete_draft(truus, regeling), ambtenaar)  # asks € 600
    second = in_behandeling(complete_draft(truus, regeling, titel="Jeu de boules"), ambtenaar)  # also € 600
    rejected = in_behandeling(complete_draft(truus, regeling, titel="Feest"), ambtenaar)
    assert volledigheid.remaining(regeling) == 100000

    services.move(rejected, "afgewezen", by=ambtenaar, reden="Een feest is besloten.", now=utcnow())
    services.move(first, "toegekend", by=ambtenaar, reden="Goed plan", now=utcnow())
    assert first.toegekend_cents == 60000
    assert volledigheid.granted(regeling) == 60000 and volledigheid.remaining(regeling) == 40000

    check = volledigheid.completeness(second)
    assert not check.ok and check.binnen_maximum and not check.past_in_pot
    assert any("€ 400,00" in t.tekst for t in check.tekorten)
    with pytest.raises(services.SubsidieError) as error:
        services.move(second, "toegekend", by=ambtenaar, reden="Goed plan", now=utcnow())
    assert "€ 400,00" in str(error.value.message)
    with pytest.raises(services.SubsidieError):  # deels is less than asked, and more than 0
        services.move(second, "deels_toegekend", by=ambtenaar, reden="Een deel", bedrag_cents=60000, now=utcnow())
    with pytest.raises(services.SubsidieError):
        services.move(second, "deels_toegekend", by=ambtenaar, reden="Niets", bedrag_cents=0, now=utcnow())
    services.move(second, "deels_toegekend", by=ambtenaar, reden="Wat er nog is", bedrag_cents=40000, now=utcnow())
    assert volledigheid.remaining(regeling) == 0


def test_grants_at_the_same_moment_never_overdraw_the_pot(app, make_user, ambtenaar, beheerder):
    """Six officers each grant € 300 from a pot of € 1.000 at once: three fit, three are refused.
    Without the lock each would read € 1.000 left (the real test is on PostGIS)."""
    regeling = new_regeling(beheerder, budget=1000, maximum=300)
    ids = []
    for number in range(6):
        aanvrager = make_user(f"aanvrager{number}@example.nl", home=RUWAARD)
        aanvraag = complete_draft(aanvrager, regeling, lines=[("Materiaal", 300 * EURO)], titel=f"Plan {number}")
        ids.append(in_behandeling(aanvraag, ambtenaar).id)
    officer_id, regeling_id = ambtenaar.id, regeling.id
    queue = iter(ids)

    def grant() -> str:
        aanvraag = db.session.get(Subsidieaanvraag, next(queue))
        try:
            services.move(aanvraag, "toegekend", by=db.session.get(User, officer_id), reden="Goed plan",
                          now=utcnow())
            return "toegekend"
        except services.SubsidieError:
            return "pot leeg"

    results = at_once(app, grant, 6)
    assert sorted(results) == ["pot leeg"] * 3 + ["toegekend"] * 3
    db.session.expire_all()
    regeling = db.session.get(type(regeling), regeling_id)
    assert volledigheid.granted(regeling) == 90000 and volledigheid.remaining(regeling) == 10000
    granted_entries = [e for e in audit.entries(onderwerp="subsidieaanvraag") if e.besluit == "toegekend"]
    assert len(granted_entries) == 3


# ---- bijlagen ------------------------------------------------------------------------------------

def picture(fmt: str) -> bytes:
    """A real file as a program makes it: a small chart as PDF, PNG or JPEG."""
    figure = Figure(figsize=(2, 1.5), dpi=50)
    figure.add_subplot().plot([1, 3, 2])
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture
def aanvraag(truus, ambtenaar, beheerder) -> Subsidieaanvraag:
    return complete_draft(truus, new_regeling(beheerder))


def stored_files(app) -> set[str]:
    folder = Path(app.instance_path) / "bijlagen"
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


@pytest.mark.parametrize("fmt, mime", [("pdf", "application/pdf"), ("png", "image/png"), ("jpeg", "image/jpeg")])
def test_a_real_pdf_png_or_jpeg_is_kept_outside_static(app, aanvraag, truus, fmt, mime):
    content = picture(fmt)
    bijlage = attachments.store(aanvraag, io.BytesIO(content), bestandsnaam=f"C:\\Users\\truus\\offerte.{fmt}",
                                soort="offerte", by=truus, now=utcnow())
    db.session.commit()

    assert (bijlage.mime, bijlage.grootte, bijlage.bestandsnaam) == (mime, len(content), f"offerte.{fmt}")
    path = attachments.path_of(bijlage)
    assert path.read_bytes() == content
    assert path.parent == Path(app.instance_path) / "bijlagen"
    assert "static" not in path.parts and path.name != bijlage.bestandsnaam and len(path.name) == 32
    assert path.stat().st_mode & 0o077 == 0


def test_a_program_renamed_to_pdf_is_refused(app, aanvraag, truus, tmp_path):
    before = stored_files(app)
    renamed = tmp_path / "offerte.pdf"
    shutil.copy("/bin/true", renamed)
    assert renamed.read_bytes()[:4] == b"\x7fELF"
    windows = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200) + b"This program cannot be run"
    for name, stream in (("offerte.pdf", renamed.open("rb")), ("foto.jpg", io.BytesIO(windows)),
                         ("foto.png", io.BytesIO(b"<html>%PDF-</html>")), ("leeg.pdf", io.BytesIO(b""))):
        with stream, pytest.raises(attachments.BijlageError) as refused:
            attachments.store(aanvraag, stream, bestandsnaam=name, soort="offerte", by=truus, now=utcnow())
        assert refused.value.field == "bestand" and "PDF" in str(refused.value.message)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Bijlage)) == 0
    assert stored_files(app) == before


def test_an_oversized_file_is_refused_and_leaves_nothing_behind(app, aanvraag, truus, tmp_path):
    before = stored_files(app)
    big = tmp_path / "offerte.pdf"
    with big.open("wb") as out:
        out.write(picture("pdf"))
        out.write(bytes(11 * 1024 * 1024))
    with big.open("rb") as stream, pytest.raises(attachments.BijlageError) as refused:
        attachments.store(aanvraag, stream, bestandsnaam="offerte.pdf", soort="offerte", by=truus, now=utcnow())
    assert "10 MB" in str(refused.value.message)
    assert stored_files(app) == before

    exactly = io.BytesIO(b"%PDF-" + bytes(10 * 1024 * 1024 - 5))
    bijlage = attachments.store(aanvraag, exactly, bestandsnaam="precies.pdf", soort="offerte", by=truus,
                                now=utcnow())
    assert bijlage.grootte == 10 * 1024 * 1024


def test_a_smaller_limit_can_be_set(app, aanvraag, truus):
    app.config["SUBSIDIE_MAX_BIJLAGE_BYTES"] = 1024
    with pytest.raises(attachments.BijlageError):
        attachments.store(aanvraag, io.BytesIO(picture("png")), bestandsnaam="foto.png", soort="foto", by=truus,
                          now=utcnow())


def test_only_the_aanvrager_or_the_gemeente_adds_a_file(aanvraag, truus, karim, make_user):
    piet = make_user("piet@example.nl", home=RUWAARD)
    for who in (piet, karim):
        with pytest.raises(attachments.BijlageError):
            attachments.store(aanvraag, io.BytesIO(picture("png")), bestandsnaam="foto.png", soort="foto", by=who,
                              now=utcnow())
    with pytest.raises(attachments.BijlageError) as refused:
        attachments.store(aanvraag, io.BytesIO(picture("png")), bestandsnaam="foto.png", soort="selfie", by=truus,
                          now=utcnow())
    assert refused.value.field == "soort"


def test_who_may_see_a_bijlage(client, aanvraag, truus, ambtenaar, karim, beheerder, make_user):
    bijlage = attachments.store(aanvraag, io.BytesIO(picture("pdf")), bestandsnaam="offerte.pdf", soort="offerte",
                                by=truus, now=utcnow())
    db.session.commit()
    buurman = make_user("piet@example.nl", home=RUWAARD)
    els = make_user("els@example.nl", roles=("opbouwwerker",), wijken=(DOMMELBERGEN_WIJK,), home=DOMMELBERGEN)
    vrijwilliger = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger", "coordinator"), home=RUWAARD)
    anonymous = client.application.login_manager.anonymous_user()

    # A draft is the aanvrager's own.
    assert attachments.may_see(truus, bijlage)
    assert not any(attachments.may_see(u, bijlage) for u in (ambtenaar, karim, buurman, anonymous))

    services.submit(aanvraag, by=truus, now=utcnow())
    assert attachments.may_see(truus, bijlage)
    assert attachments.may_see(ambtenaar, bijlage)
    assert attachments.may_see(karim, bijlage)
    assert attachments.may_see(beheerder, bijlage)
    assert not attachments.may_see(buurman, bijlage)
    assert not attachments.may_see(els, bijlage)
    assert not attachments.may_see(vrijwilliger, bijlage)
    assert not attachments.may_see(anonymous, bijlage)


# --- issue 19, finding 7: a file is named after what it is; PDFs that run code are refused --------------


@pytest.mark.parametrize("fmt, name, shown", [("pdf", "begroting.hta", "begroting.pdf"),
                                              ("png", "foto.exe", "foto.png"),
                                              ("jpeg", "kassabon.jpeg.html", "kassabon.jpeg.jpg"),
                                              ("pdf", "offerte", "offerte.pdf"),
                                              ("pdf", ".htaccess", "bijlage.pdf")])
def test_a_file_is_named_after_the_type_its_bytes_show(app, aanvraag, truus, fmt, name, shown):
    # A PDF named begroting.hta was served as "attachment; filename=begroting.hta": opened from the
    # download folder, Windows runs an .hta as a program.
    bijlage = attachments.store(aanvraag, io.BytesIO(picture(fmt)), bestandsnaam=name, soort="offerte", by=truus,
                                now=utcnow())
    db.session.commit()
    assert bijlage.bestandsnaam == shown
    old = Bijlage(aanvraag=aanvraag, soort="offerte", bestandsnaam=name, mime=bijlage.mime, grootte=1,
                  opslag_naam="b" * 32, created_at=utcnow())  # a row from before: named at download
    assert attachments.download_name(old) == shown


ACTIVE_PDFS = {
    "javascript": b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n",
    "launch": b"%PDF-1.4\n1 0 obj << /Type /Action /S /Launch /F (cmd.exe) >> endobj\n",
    "escaped name": b"%PDF-1.4\n1 0 obj << /OpenAction << /S /J#61vaScript /JS (x) >> >> endobj\n",
    "in a compressed stream": b"%PDF-1.5\n1 0 obj << /Type /ObjStm /Filter /FlateDecode /Length 99 >>\nstream\n"
                              + zlib.compress(b"<< /S /JavaScript /JS (app.alert(1)) >>") + b"\nendstream\nendobj\n",
}


@pytest.mark.parametrize("kind", ACTIVE_PDFS)
def test_a_pdf_that_would_run_code_is_refused_and_leaves_nothing_behind(app, aanvraag, truus, kind):
    before = stored_files(app)
    with pytest.raises(attachments.BijlageError) as refused:
        attachments.store(aanvraag, io.BytesIO(ACTIVE_PDFS[kind]), bestandsnaam="offerte.pdf", soort="offerte",
                          by=truus, now=utcnow())
    assert refused.value.field == "bestand" and "programma" in str(refused.value.message)
    assert stored_files(app) == before
