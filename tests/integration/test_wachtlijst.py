"""The monthly waiting-list report: what is counted as waiting, where volunteers are missing, and
that a kept report is made once and shown to the gemeente as a page and as CSV."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from omkijken.cli import main
from omkijken.platform.areas import services as areas
from omkijken.platform.extensions import db
from omkijken.platform.insights import wachtlijst
from omkijken.platform.insights.models import Wachtlijstrapport
from omkijken.platform.koppelingen.models import Afhandeling, Koppeling, Voorstel
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Hulpvraag
from tests.support import DOMMELBERGEN, OSS_CENTRUM, RUWAARD

# The end of March 2026 in the Netherlands (summer time starts on 29 March).
END_OF_MARCH = datetime(2026, 3, 31, 22, 0, tzinfo=timezone.utc)
MARCH = date(2026, 3, 1)


def _vraag(auteur, categorie: str, days_old: float, *, where=None, **values) -> Hulpvraag:
    return posts.create(Hulpvraag(titel=f"Hulp met {categorie}", categorie=categorie, **values), auteur=auteur,
                        now=END_OF_MARCH - timedelta(days=days_old), where=where)


def _koppeling(vraag: Hulpvraag, helper, started: datetime, ended: datetime | None = None) -> Koppeling:
    """The rows ``koppelingen.services.start`` leaves, without its mail."""
    voorstel = Voorstel(hulpvraag=vraag, vrijwilliger_id=helper.id, bron="match", status="gekoppeld",
                        created_at=started, updated_at=started)
    koppeling = Koppeling(voorstel=voorstel, hulpvraag=vraag, hulpvrager_id=vraag.auteur_id, vrijwilliger_id=helper.id,
                          soort="eenmalig", status="actief" if ended is None else "afgerond", started_at=started,
                          ended_at=ended)
    vraag.status, vraag.updated_at = "gekoppeld", started
    db.session.add_all([voorstel, koppeling])
    db.session.commit()
    return koppeling


@pytest.fixture
def waiting_list(make_user):
    """Truus in the Ruwaard waits for her garden (four vragen of every age) and a lamp; Ahmed in
    Dommelbergen for a ride. What is closed, hidden, handled or newer does not wait."""
    truus = make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    ahmed = make_user("ahmed@example.nl", home=DOMMELBERGEN, naam="Ahmed")
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    piet = make_user("piet@example.nl", roles=("inwoner", "vrijwilliger"), home=DOMMELBERGEN, naam="Piet")
    kees = make_user("kees@example.nl", roles=("inwoner", "vrijwilliger"), home=OSS_CENTRUM, naam="Kees")
    ruwaard = areas.wijk_by_code("WK082806")

    for days in (2, 10, 40, 100):
        _vraag(truus, "tuinonderhoud", days)
    _vraag(truus, "klussen", 3)
    _vraag(ahmed, "vervoer", 20)
    gesloten = _vraag(truus, "boodschappen", 5)
    gesloten.status, gesloten.updated_at = "gesloten", END_OF_MARCH - timedelta(days=1)
    _vraag(truus, "digitaal", 5).verborgen = True
    groep = _vraag(truus, "ontmoeting", 5)
    posts.create(Hulpvraag(titel="Na de maand", categorie="vervoer"), auteur=ahmed,
                 now=END_OF_MARCH + timedelta(days=2))
    # Helped in March after 5 days: not waiting any more. Helped only in April: still waiting in March.
    geholpen = _vraag(ahmed, "vervoer", 12)
    _koppeling(geholpen, piet, END_OF_MARCH - timedelta(days=7))
    later = _vraag(ahmed, "klussen", 9)
    _koppeling(later, piet, END_OF_MARCH + timedelta(days=3))
    # Referred in March after 9 days.
    verwezen = _vraag(ahmed, "administratie", 15)
    verwezen.status, verwezen.sluit_reden = "gesloten", "doorverwezen"
    verwezen.updated_at = END_OF_MARCH - timedelta(days=6)
    db.session.add(Afhandeling(hulpvraag_id=verwezen.id, soort="doorverwezen", tekst="Het wijkteam",
                               created_at=END_OF_MARCH - timedelta(days=6)))

    month_ago = END_OF_MARCH - timedelta(days=30)
    posts.create(Aanbod(titel="Klussen en tuin", categorieen=["klussen", "tuinonderhoud"], capaciteit=1),
                 auteur=sanne, now=month_ago)
    posts.create(Aanbod(titel="Ik rijd", categorieen=["vervoer"], capaciteit=2), auteur=piet, now=month_ago)
    posts.create(Aanbod(titel="Tuinen in de Ruwaard", categorieen=["tuinonderhoud"], wijk_ids=[ruwaard.id],
                        capaciteit=1), auteur=kees, now=month_ago)
    db.session.commit()
    return {"groep": groep}


def _row(data, wijk_code: str, categorie: str) -> dict:
    return next(r for r in data["wijken"] if r["wijk_code"] == wijk_code and r["categorie"] == categorie)


def test_build_counts_who_waited_at_the_end_of_the_month_by_age_and_where_volunteers_are_missing(app, waiting_list):
    data = wachtlijst.build(now=END_OF_MARCH, maand=MARCH)

    tuin = _row(data, "WK082806", "tuinonderhoud")
    assert tuin["leeftijden"] == [1, 1, 1, 1]
    # Sanne (her home is in the Ruwaard) and Kees (Oss-Centrum, but he named the Ruwaard): 2 places for 4 vragen.
    assert (tuin["open"], tuin["vrijwilligers"], tuin["capaciteit"], tuin["tekort"]) == (4, 2, 2, 2)
    assert _row(data, "WK082806", "klussen")["tekort"] == 0
    assert (_row(data, "WK082606", "vervoer")["open"], _row(data, "WK082606", "vervoer")["tekort"]) == (1, 0)
    # Helped in April, so in March it still waited: 9 days old, and no klussen volunteer in Dommelbergen.
    assert _row(data, "WK082606", "klussen")["leeftijden"] == [0, 1, 0, 0]
    assert data["open"] == 8 and data["tekort"] == 4  # 2 garden, 1 ontmoeting, 1 klussen in Dommelbergen
    assert data["tekort_per_categorie"][0]["categorie"] == "tuinonderhoud"
    assert {"boodschappen", "digitaal", "administratie"}.isdisjoint({r["categorie"] for r in data["wijken"]})

    oss = next(g for g in data["gemeenten"] if g["code"] == "GM0828")
    assert oss["categorieen"][0] == {"categorie": "tuinonderhoud", "leeftijden": [1, 1, 1, 1], "open": 4}
    # Waiting time in March: 5 days to a koppeling, 9 days to a referral.
    assert data["wachttijd"]["gekoppeld"] == 1 and data["wachttijd"]["doorverwezen"] == 1
    assert data["wachttijd"]["mediaan_dagen"] == 7.0


def test_a_vraag_linked_to_a_group_activity_does_not_wait(app, waiting_list, make_user):
    from omkijken.platform.posts.models import Activiteit

    host = make_user("karim@example.nl", roles=("opbouwwerker",), wijken=("WK082806",), home=RUWAARD)
    start = END_OF_MARCH + timedelta(days=3)
    activiteit = posts.create(Activiteit(titel="Koffieochtend", categorie="ontmoeting", start=start,
                                         eind=start + timedelta(hours=1), regels_gelezen=True),
                              auteur=host, now=END_OF_MARCH - timedelta(days=20), where=RUWAARD)
    before = _row(wachtlijst.build(now=END_OF_MARCH), "WK082806", "ontmoeting")["open"]
    waiting_list["groep"].collectief_id = activiteit.id
    db.session.commit()

    assert before == 1
    assert not [r for r in wachtlijst.build(now=END_OF_MARCH)["wijken"] if r["categorie"] == "ontmoeting"]


def test_generate_keeps_one_report_per_month_and_refuses_a_month_that_is_not_over(app, waiting_list):
    first = wachtlijst.generate(MARCH, now=END_OF_MARCH + timedelta(hours=8))
    again = wachtlijst.generate(date(2026, 3, 15), now=END_OF_MARCH + timedelta(days=20))

    assert again.id == first.id and again.data == first.data
    assert db.session.scalar(select(func.count(Wachtlijstrapport.id))) == 1
    assert first.data["maand"] == "2026-03" and first.data["open"] == 8
    assert wachtlijst.latest().id == first.id and wachtlijst.by_month(MARCH).id == first.id
    with pytest.raises(wachtlijst.WachtlijstError):
        wachtlijst.generate(date(2026, 4, 1), now=END_OF_MARCH + timedelta(days=10))


def test_two_beats_at_once_end_with_one_report(app, waiting_list, monkeypatch):
    """The other beat inserted its report between our look and our insert: the unique month
    decides, and we return theirs."""
    theirs = Wachtlijstrapport(maand=MARCH, created_at=END_OF_MARCH, data={"open": -1})
    db.session.add(theirs)
    db.session.commit()
    real, looks = wachtlijst.by_month, []

    def by_month(maand):
        looks.append(maand)
        return None if len(looks) == 1 else real(maand)

    monkeypatch.setattr(wachtlijst, "by_month", by_month)

    kept = wachtlijst.generate(MARCH, now=END_OF_MARCH + timedelta(hours=6))

    assert kept.id == theirs.id and kept.data == {"open": -1}
    assert db.session.scalar(select(func.count(Wachtlijstrapport.id))) == 1


def test_the_gemeente_reads_the_report_as_a_page_and_as_csv(app, client, login, make_user, waiting_list):
    wachtlijst.generate(MARCH, now=END_OF_MARCH + timedelta(hours=6))
    make_user("gemeente@example.nl", roles=("gemeente",))
    login("gemeente@example.nl")

    overzicht = client.get("/inzicht/wachtlijst").get_data(as_text=True)
    page = client.get("/inzicht/wachtlijst/2026-03")
    csv = client.get("/inzicht/wachtlijst/2026-03.csv")

    assert "maart 2026" in overzicht and "/inzicht/wachtlijst/2026-03" in overzicht
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<caption" in html and "Tuinonderhoud" in html
    assert 'data-wijk="WK082806" data-categorie="tuinonderhoud"' in html
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    text = csv.data.decode("utf-8")
    assert text.startswith("\ufeff") and "attachment" in csv.headers["Content-Disposition"]
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].split(";")[:4] == ["gemeente", "wijkcode", "wijk", "onderwerp"]
    tuin = next(line.split(";") for line in lines if "WK082806" in line and "Tuinonderhoud" in line)
    assert tuin[4:] == ["1", "1", "1", "1", "4", "2", "2", "2"]
    assert client.get("/inzicht/wachtlijst/2026-02").status_code == 404
    assert client.get("/inzicht/wachtlijst/maart").status_code == 404


def test_only_gemeente_coordinator_and_beheerder_see_the_waiting_list(app, client, make_user):
    from tests.support import submit

    assert client.get("/inzicht/wachtlijst").status_code == 302  # to the login page
    for role, status in (("inwoner", 403), ("vrijwilliger", 403), ("coordinator", 200), ("beheerder", 200),
                         ("gemeente", 200)):
        make_user(f"{role}@example.nl", roles=(role,))
        own = app.test_client()
        submit(own, "/inloggen", {"email": f"{role}@example.nl", "password": "wachtwoord-123"})
        page = own.get("/inzicht/wachtlijst")
        assert page.status_code == status, role
        assert own.get("/inzicht/wachtlijst/2026-03.csv").status_code == (404 if status == 200 else 403), role
    assert "nog geen rapport" in page.get_data(as_text=True)


def test_beat_makes_the_report_on_the_first_of_the_month_and_the_cli_for_any_month(app, waiting_list):
    from omkijken.workers.app import BEAT_SCHEDULE
    from omkijken.workers.tasks import wachtlijst_rapport

    entry = BEAT_SCHEDULE["wachtlijst-rapport"]
    assert entry["task"] == "omkijken.wachtlijst_rapport"
    assert entry["schedule"].day_of_month == {1} and entry["schedule"].hour == {6}

    made = wachtlijst_rapport.run()  # here, not in the app of the Celery module: the month before today
    assert wachtlijst.by_month(date.fromisoformat(made)) is not None

    runner = app.test_cli_runner()
    done = runner.invoke(main, ["wachtlijst-rapport", "--maand", "2026-03", "--now", "2026-04-01T06:00"])
    too_early = runner.invoke(main, ["wachtlijst-rapport", "--maand", "2026-04", "--now", "2026-04-10T06:00"])

    assert done.exit_code == 0, done.output
    assert "2026-03: 8 open hulpvragen, 4 vrijwilligers te weinig" in done.output
    assert too_early.exit_code != 0 and "nog niet voorbij" in too_early.output


def _table(html: str, table_id: str) -> list[tuple[str, int, int, int]]:
    """(data-categorie or data-wijk:categorie, Open, Vrije plaatsen, Tekort) of each row of one table."""
    import re

    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    rows = []
    for attrs, cells in re.findall(r"<tr ((?:data-[a-z]+=\"[^\"]*\" ?)+)>(.*?)</tr>", body, re.S):
        key = ":".join(re.findall(r'data-[a-z]+="([^"]*)"', attrs))
        numbers = [int(n) for n in re.findall(r'<td class="getal">(-?\d+)</td>', cells)]
        rows.append((key, *numbers))
    return rows


def test_the_tekort_on_the_page_is_open_minus_vrije_plaatsen(app, client, login, make_user, waiting_list):
    """Issue 22, item 11: the page says "Tekort: open vragen min vrije plaatsen"; every row must add
    up that way. In a wijk a surplus is not a negative tekort; per onderwerp the free places of one
    wijk do not fill a gap in another, so they count up to what waits in their own wijk."""
    rapport = wachtlijst.generate(MARCH, now=END_OF_MARCH + timedelta(hours=6))
    make_user("gemeente@example.nl", roles=("gemeente",))
    login("gemeente@example.nl")
    html = client.get("/inzicht/wachtlijst/2026-03").get_data(as_text=True)
    assert "Tekort: open vragen min vrije plaatsen" in html

    wijken = _table(html, "wl-wijken")
    assert len(wijken) == len(rapport.data["wijken"])
    for key, open_, plaatsen, tekort in wijken:
        assert tekort == max(open_ - plaatsen, 0), key

    expected: dict[str, list[int]] = {}
    for rij in rapport.data["wijken"]:
        som = expected.setdefault(rij["categorie"], [0, 0, 0])
        som[0] += rij["open"]
        som[1] += min(rij["capaciteit"], rij["open"])
        som[2] += max(rij["open"] - rij["capaciteit"], 0)
    per_categorie = _table(html, "wl-tekort")
    assert {key: [o, p, t] for key, o, p, t in per_categorie} == expected
    for key, open_, plaatsen, tekort in per_categorie:
        assert tekort == open_ - plaatsen, key
    # Piet has 2 places for rides in Dommelbergen, where 1 vraag waits: 1 place counts, nothing missing.
    assert ("vervoer", 1, 1, 0) in per_categorie
    assert sum(t for *_, t in per_categorie) == rapport.data["tekort"]


def test_the_waiting_list_is_linked_where_its_readers_look(app, make_user):
    """Issue 22, item 11: who may read the waiting list (capability ``inzicht``) finds a link to it
    on the figures page their menu leads to."""
    from tests.support import submit

    for role in ("gemeente", "coordinator", "beheerder"):
        make_user(f"{role}@example.nl", roles=(role,))
        own = app.test_client()
        submit(own, "/inloggen", {"email": f"{role}@example.nl", "password": "wachtwoord-123"})
        home = own.get("/").get_data(as_text=True)
        assert 'href="/inzicht"' in home, role
        assert 'href="/inzicht/wachtlijst"' in own.get("/inzicht").get_data(as_text=True), role
