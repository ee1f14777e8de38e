"""Effect on people (issue 23, item 8): the hulpvrager says how she is doing at the start and with
each check-in, a maatje's hulpvrager also answers the six loneliness statements, nobody else reads
or gives those answers, erasing her erases them, and the dashboard shows the change from the start."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from omkijken.platform import clock
from omkijken.platform.accounts import privacy, privacy_export
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import diensten, nazorg, welzijn
from omkijken.platform.koppelingen import services as koppelingen
from omkijken.platform.koppelingen.models import Checkin, Koppeling, WelzijnMeting
from tests.integration.test_insights import csv_rows, maak_koppeling, page, table_row
from tests.integration.test_nazorg import (
    checkin_mails,
    links_in,
    maatje,
    path,
    sweep,
)
from tests.support import RUWAARD, garden_voorstel, submit

ZES_ZINNEN = {"stelling_1": "ja", "stelling_2": "min_of_meer", "stelling_3": "nee", "stelling_4": "ja",
              "stelling_5": "nee", "stelling_6": "min_of_meer"}


@pytest.fixture
def koppeling(standaard_diensten, make_user) -> Koppeling:
    """Sanne helps Truus in the garden once (Burenhulp), as in test_nazorg."""
    voorstel = garden_voorstel(make_user)
    koppelingen.accept(voorstel, by=voorstel.vrijwilliger, now=clock.utcnow())
    return koppelingen.accept(voorstel, by=voorstel.hulpvraag.auteur, now=clock.utcnow())


def metingen(koppeling: Koppeling) -> list[WelzijnMeting]:
    db.session.expire_all()
    return list(db.session.scalars(select(WelzijnMeting).where(WelzijnMeting.koppeling_id == koppeling.id)
                                   .order_by(WelzijnMeting.id)))


def test_her_first_page_after_the_koppeling_asks_how_she_is_and_stores_it(koppeling, client, login):
    login("truus@example.nl")
    assert f"/koppelingen/{koppeling.id}/hoe-gaat-het" in page(client, f"/koppelingen/{koppeling.id}")
    form = page(client, f"/koppelingen/{koppeling.id}/hoe-gaat-het")
    assert "Hoe gaat het met je?" in form and 'value="0"' in form and 'value="10"' in form
    assert "Zes zinnen" not in form, "the loneliness statements are for maatjes"

    wrong = submit(client, f"/koppelingen/{koppeling.id}/hoe-gaat-het", {"cijfer": "11"})
    assert wrong.status_code == 422 and "Kies een cijfer van 0 tot en met 10." in wrong.get_data(as_text=True)
    assert submit(client, f"/koppelingen/{koppeling.id}/hoe-gaat-het", {"cijfer": "4"}).status_code == 302

    assert [(m.moment, m.cijfer, m.user_id, m.eenzaam_1) for m in metingen(koppeling)] == [
        ("start", 4, koppeling.hulpvrager_id, None)]
    assert f"/koppelingen/{koppeling.id}/hoe-gaat-het" not in page(client, f"/koppelingen/{koppeling.id}")
    assert "Je hoeft nu niets in te vullen" in page(client, f"/koppelingen/{koppeling.id}/hoe-gaat-het")
    assert submit(client, f"/koppelingen/{koppeling.id}/hoe-gaat-het", {"cijfer": "9"}).status_code == 200
    assert [m.cijfer for m in metingen(koppeling)] == [4], "a second start answer changes nothing"


def test_an_empty_answer_stores_nothing_and_the_question_stays(koppeling, client, login):
    login("truus@example.nl")
    assert submit(client, f"/koppelingen/{koppeling.id}/hoe-gaat-het", {}).status_code == 302
    assert metingen(koppeling) == []
    assert f"/koppelingen/{koppeling.id}/hoe-gaat-het" in page(client, f"/koppelingen/{koppeling.id}")


def test_the_check_in_asks_her_how_she_is_and_never_the_volunteer(app, koppeling, client):
    sweep(app, clock.as_utc(koppeling.started_at) + timedelta(days=7, minutes=1))
    truus_link = path(links_in(checkin_mails(koppeling.hulpvrager.email)[0])["goed"])
    sanne_link = path(links_in(checkin_mails(koppeling.vrijwilliger.email)[0])["goed"])

    sanne_page = client.get(sanne_link).get_data(as_text=True)
    assert "En hoe gaat het met jou?" not in sanne_page and 'name="welzijn"' not in sanne_page
    # Even a hand-made form field from the volunteer is not stored as anyone's wellbeing.
    submit(client, sanne_link, {"antwoord": "goed", "welzijn": "2"})
    assert metingen(koppeling) == []

    truus_page = client.get(truus_link).get_data(as_text=True)
    assert "En hoe gaat het met jou?" in truus_page and truus_page.count('name="welzijn"') == 11
    done = submit(client, truus_link, {"antwoord": "goed", "welzijn": "7"})
    assert done.status_code == 200
    assert [(m.moment, m.ronde, m.dagen, m.cijfer) for m in metingen(koppeling)] == [("ronde", 1, 7, 7)]


def test_after_her_first_check_in_the_start_is_no_longer_asked(app, koppeling, client, login):
    sweep(app, clock.as_utc(koppeling.started_at) + timedelta(days=7, minutes=1))
    submit(client, path(links_in(checkin_mails(koppeling.hulpvrager.email)[0])["goed"]), {"antwoord": "goed"})
    login("truus@example.nl")
    assert f"/koppelingen/{koppeling.id}/hoe-gaat-het" not in page(client, f"/koppelingen/{koppeling.id}")


def test_a_maatje_answers_six_statements_at_start_six_months_and_end(standaard_diensten, make_user, client,
                                                                     login):
    k = maatje(make_user)
    login("truus@example.nl")
    form = page(client, f"/koppelingen/{k.id}/hoe-gaat-het")
    assert "Ik ervaar een leegte om me heen." in form and form.count('type="radio"') == 11 + 6 * 3
    wrong = submit(client, f"/koppelingen/{k.id}/hoe-gaat-het", {"cijfer": "5", "stelling_2": "soms"})
    assert wrong.status_code == 422 and "Kies ja, min of meer of nee." in wrong.get_data(as_text=True)
    assert 'checked id="cijfer-5"' in wrong.get_data(as_text=True), "what she chose stays"
    submit(client, f"/koppelingen/{k.id}/hoe-gaat-het", {"cijfer": "5", **ZES_ZINNEN})
    start = metingen(k)[0]
    assert (start.moment, start.cijfer) == ("start", 5)
    assert start.eenzaam() == {1: "ja", 2: "min_of_meer", 3: "nee", 4: "ja", 5: "nee", 6: "min_of_meer"}

    now = clock.utcnow()
    k.started_at = now - timedelta(days=183)
    db.session.commit()
    halfway = page(client, f"/koppelingen/{k.id}/hoe-gaat-het")
    assert "een half jaar" in halfway and 'name="cijfer"' not in halfway, "the grade comes with the check-in"
    submit(client, f"/koppelingen/{k.id}/hoe-gaat-het", {**ZES_ZINNEN, "stelling_1": "nee"})
    nazorg.end(k, "doel_bereikt", now=now)
    db.session.commit()
    assert "gestopt als maatjes" in page(client, f"/koppelingen/{k.id}/hoe-gaat-het")
    submit(client, f"/koppelingen/{k.id}/hoe-gaat-het", {**ZES_ZINNEN, "stelling_2": "nee"})
    assert [(m.moment, m.eenzaam_1, m.eenzaam_2) for m in metingen(k)] == [
        ("start", "ja", "min_of_meer"), ("6m", "nee", "min_of_meer"), ("eind", "ja", "nee")]


def test_nobody_else_answers_or_reads_her_answers(standaard_diensten, make_user, client, login):
    k = maatje(make_user)
    welzijn.record(k, by=k.hulpvrager, cijfer=3, stellingen={1: "ja"}, now=clock.utcnow())
    db.session.commit()
    mieke = make_user("mieke@example.nl", roles=("coordinator",), naam="Mieke")
    diensten.by_code("blink").coordinatoren.append(mieke)
    make_user("buurman@example.nl", naam="Buurman")
    db.session.commit()
    for email in ("sanne@example.nl", "mieke@example.nl", "buurman@example.nl"):
        login(email)
        assert client.get(f"/koppelingen/{k.id}/hoe-gaat-het").status_code == 404, email
        assert submit(client, f"/koppelingen/{k.id}/hoe-gaat-het", {"cijfer": "9"},
                      page="/").status_code == 404, email
        if email != "buurman@example.nl":
            assert "hoe-gaat-het" not in page(client, f"/koppelingen/{k.id}"), email
        submit(client, "/uitloggen", {}, page="/")
    assert [m.cijfer for m in metingen(k)] == [3]
    assert "welzijn_metingen" not in privacy_export.export(k.vrijwilliger)
    assert [row["cijfer"] for row in privacy_export.export(k.hulpvrager)["welzijn_metingen"]] == [3]
    with pytest.raises(welzijn.WelzijnError):
        welzijn.record(k, by=mieke, cijfer=9, stellingen={}, now=clock.utcnow())


def test_erasing_her_account_erases_how_she_said_she_was(standaard_diensten, make_user):
    k = maatje(make_user)
    welzijn.record(k, by=k.hulpvrager, cijfer=3, stellingen={1: "ja"}, now=clock.utcnow())
    db.session.commit()
    privacy.erase(k.hulpvrager, now=clock.utcnow())
    db.session.commit()
    assert metingen(k) == []
    assert db.session.scalar(select(Checkin.id).where(Checkin.koppeling_id == k.id)) is not None


# --- the dashboard -------------------------------------------------------------------------------


def _met_metingen(hulpvrager, vrijwilliger, dienst, *, begon, start: int, later: int,
                  eenzaam_start: dict | None = None, eenzaam_eind: dict | None = None) -> None:
    k = maak_koppeling(hulpvrager, vrijwilliger, dienst, begon=begon, soort=dienst.soort_koppeling,
                       antwoorden=((14, "goed", 8),))
    db.session.add(WelzijnMeting(koppeling_id=k.id, user_id=hulpvrager.id, moment="start", ronde=0, dagen=0,
                                 cijfer=start, created_at=begon,
                                 **{f"eenzaam_{i}": a for i, a in (eenzaam_start or {}).items()}))
    db.session.add(WelzijnMeting(koppeling_id=k.id, user_id=hulpvrager.id, moment="ronde", ronde=1, dagen=14,
                                 cijfer=later, created_at=begon + timedelta(days=14)))
    if eenzaam_eind:
        db.session.add(WelzijnMeting(koppeling_id=k.id, user_id=hulpvrager.id, moment="6m", ronde=0, dagen=182,
                                     created_at=begon + timedelta(days=182),
                                     **{f"eenzaam_{i}": a for i, a in eenzaam_eind.items()}))


EENZAAM = {1: "ja", 2: "ja", 3: "ja", 4: "nee", 5: "nee", 6: "nee"}  # score 6
MINDER = {1: "ja", 2: "nee", 3: "nee", 4: "ja", 5: "ja", 6: "nee"}  # score 2


@pytest.fixture
def effect_stand(standaard_diensten, make_user):
    """Five Blink maatjes who went from 5 to 5, 6, 7, 8, 9 (changes 0..4), and whose loneliness went from
    6 to 2; two Burenhulp helped from 6 to 8: too few people for a figure."""
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    truus = make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    begon = clock.utcnow() - timedelta(days=200)
    for later in (5, 6, 7, 8, 9):
        _met_metingen(truus, sanne, standaard_diensten["blink"], begon=begon, start=5, later=later,
                      eenzaam_start=EENZAAM, eenzaam_eind=MINDER)
    for _ in range(2):
        _met_metingen(truus, sanne, standaard_diensten["burenhulp"], begon=begon, start=6, later=8)
    db.session.commit()


def test_the_dashboard_shows_the_change_from_the_start_with_its_interval(effect_stand, client, make_user, login):
    make_user("gea@example.nl", roles=("gemeente",), naam="Gea")
    login("gea@example.nl")
    html = page(client, "/inzicht")
    # Changes 0,1,2,3,4: mean 2, sd 1.5811, se 0.7071, t(0.975,4) 2.7764 -> 0.04 .. 3.96.
    # Loneliness 6 -> 2 for all five: -4 with no spread.
    assert table_row(html, "effect-tabel", "blink") == ["Blink", "+2,0", "+0,0 tot +4,0", "5", "−4,0",
                                                        "−4,0 tot −4,0", "5"]
    assert table_row(html, "effect-tabel", "burenhulp") == ["Burenhulp", "te weinig mensen", "2",
                                                            "te weinig mensen", "0"]
    # All seven: changes 0,1,2,3,4,2,2 -> mean 2, sd sqrt(10/6) 1.2910, se 0.48795, t(0.975,6) 2.4469 -> 0.81 .. 3.19.
    assert table_row(html, "effect-tabel", "alle")[:4] == ["Alle diensten", "+2,0", "+0,8 tot +3,2", "7"]
    rows = csv_rows(client, "effect")
    assert rows[0][:3] == ["code", "dienst", "hoe gaat het: verschil"]
    blink = next(r for r in rows if r[0] == "blink")
    assert blink == ["blink", "Blink", "2,00", "0,04", "3,96", "5", "-4,00", "-4,00", "-4,00", "5"]
    burenhulp = next(r for r in rows if r[0] == "burenhulp")
    assert burenhulp == ["burenhulp", "Burenhulp", "", "", "", "2", "", "", "", "0"]


def test_the_demo_shows_a_believable_change_and_leaves_truus_her_start_question(app):
    from omkijken import demo
    from omkijken.platform.accounts import services as accounts
    from omkijken.platform.insights import effect
    from omkijken.platform.insights.feiten import standaard_periode

    now = clock.utcnow()
    demo.seed(now=now)
    db.session.commit()
    rows = {r.code: r for r in effect.per_dienst(standaard_periode(now))}
    alle = rows["alle"]
    assert alle.n_welzijn >= 100 and 0.2 <= alle.welzijn.mean <= 1.6 and alle.welzijn.ci_low > 0  # modest, not rosy
    assert all(r.welzijn is not None for code, r in rows.items() if code in ("burenhulp", "blink", "maatjes"))
    assert alle.n_eenzaamheid >= effect.MIN_MENSEN and alle.eenzaamheid.mean < 0
    truus = accounts.find_by_email("inwoner@demo.omkijken.nl")
    hers = db.session.scalars(select(Koppeling).where(Koppeling.hulpvrager_id == truus.id)).all()
    due = [k for k in hers if welzijn.moment_due(k, truus, now=now)]
    assert due, "the demo resident finds a question about herself on one of her koppelingen"
