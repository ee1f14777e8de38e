"""The KPI dashboard (/inzicht), its CSV files, the map per wijk and /api/v1/kpi.

The koppelingen and check-ins are written by hand with known outcomes, so every figure on the
page can be checked against a number worked out on paper: six Blink koppelingen, five confirmed
after the 91-day horizon and one stopped because it did not click, is 5 of 6 = 83.3% with a
Wilson 95% interval of 43.6% to 97.0%.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from omkijken.matching.durability import wilson
from omkijken.platform.areas import services as areas
from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen.models import Checkin, Dienst, Koppeling, Voorstel
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Activiteit, Hulpvraag
from omkijken.platform.wijkagenda import sociale_agenda
from tests.support import RUWAARD, static_url

BLINK_RIJ = "Blink: 83% duurzaam (interval 44–97%). Doel 85%: onzeker."


@dataclass
class Stand:
    now: datetime
    diensten: dict[str, Dienst]
    blink: list[Koppeling]


def maak_koppeling(hulpvrager, vrijwilliger, dienst: Dienst, *, begon: datetime, soort: str, zelf: bool = False,
                   categorie: str = "ontmoeting", gestopt: tuple[int, str] | None = None,
                   antwoorden: tuple[tuple[int, str, int | None], ...] = (), stil_op: int | None = None) -> Koppeling:
    """One vraag (posted five days before the start), its voorstel, the koppeling, and check-ins:
    ``antwoorden`` are (dagen, antwoord, cijfer) answered on that day; ``stil_op`` is a ronde nobody
    answered that went to the coordinator a month ago; ``gestopt`` is (dag, reden)."""
    vraag = posts.create(Hulpvraag(titel=f"Hulp van {dienst.naam}", categorie=categorie, dienst_id=dienst.id),
                         auteur=hulpvrager, now=begon - timedelta(days=5))
    voorstel = Voorstel(hulpvraag_id=vraag.id, vrijwilliger_id=vrijwilliger.id, dienst_id=dienst.id,
                        bron="coordinator" if not zelf else "match", status="gekoppeld", created_at=begon,
                        updated_at=begon)
    koppeling = Koppeling(voorstel=voorstel, hulpvraag=vraag, hulpvrager_id=hulpvrager.id,
                          vrijwilliger_id=vrijwilliger.id, dienst_id=dienst.id, soort=soort, status="actief",
                          zelf_gevonden=zelf, started_at=begon)
    vraag.status = "gekoppeld"
    db.session.add_all([voorstel, koppeling])
    db.session.flush()
    for ronde, (dagen, antwoord, cijfer) in enumerate(antwoorden, start=1):
        db.session.add(Checkin(koppeling=koppeling, user_id=hulpvrager.id, kant="hulpvrager", ronde=ronde,
                               dagen=dagen, status="beantwoord", due_at=begon + timedelta(days=dagen),
                               answered_at=begon + timedelta(days=dagen, hours=3), antwoord=antwoord,
                               cijfer=cijfer, via="link"))
    if stil_op is not None:
        for kant, user in (("hulpvrager", hulpvrager), ("vrijwilliger", vrijwilliger)):
            db.session.add(Checkin(koppeling=koppeling, user_id=user.id, kant=kant, ronde=len(antwoorden) + 1,
                                   dagen=stil_op, status="bij_coordinator", due_at=begon + timedelta(days=stil_op),
                                   escalated_at=utcnow() - timedelta(days=30)))
    if gestopt is not None:
        dag, reden = gestopt
        koppeling.status = "afgerond" if reden == "doel_bereikt" else "gestopt"
        koppeling.ended_at, koppeling.eind_reden = begon + timedelta(days=dag), reden
    db.session.commit()
    return koppeling


def bouw_stand(make_user, diensten: dict[str, Dienst]) -> Stand:
    """Six Blink koppelingen (5 lasted, 1 klikte niet), one Maatjes koppeling nobody answered for,
    one fresh Burenhulp koppeling (pending, found without a coordinator), two volunteers (one never
    placed) and one vraag linked to a group activity."""
    now = utcnow()
    # These two diensten judge their maatjes after 91 days (a beheerder's choice: the default is 182).
    diensten["blink"].horizon_maatje = diensten["maatjes"].horizon_maatje = 91
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    piet = make_user("piet@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Piet")
    truus = make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    for person in (sanne, piet):
        posts.create(Aanbod(titel="Ik help graag", categorieen=["ontmoeting"], radius_m=3000), auteur=person,
                     now=now - timedelta(days=200))
    begon = now - timedelta(days=120)
    blink = [maak_koppeling(truus, sanne, diensten["blink"], begon=begon, soort="maatje",
                            antwoorden=((14, "goed", 9), (42, "goed", 9), (91, "goed", 9))) for _ in range(5)]
    blink.append(maak_koppeling(truus, sanne, diensten["blink"], begon=begon, soort="maatje",
                                antwoorden=((14, "gestopt", 4),), gestopt=(20, "klikte_niet")))
    maak_koppeling(truus, sanne, diensten["maatjes"], begon=begon, soort="maatje", categorie="maatje",
                   antwoorden=((14, "goed", 8), (42, "goed", 8)), stil_op=91)
    maak_koppeling(truus, sanne, diensten["burenhulp"], begon=now - timedelta(days=2), soort="eenmalig", zelf=True,
                   categorie="tuinonderhoud")
    start = now + timedelta(days=5)
    activiteit = posts.create(Activiteit(titel="Samen wandelen", categorie="ontmoeting", start=start,
                                         eind=start + timedelta(hours=2), regels_gelezen=True),
                              auteur=piet, now=now, where=RUWAARD, op_huisadres=False)
    posts.create(Hulpvraag(titel="Wie wandelt mee?", categorie="ontmoeting", collectief_id=activiteit.id),
                 auteur=truus, now=now - timedelta(days=1))
    return Stand(now=now, diensten=diensten, blink=blink)


@pytest.fixture
def stand(standaard_diensten, make_user) -> Stand:
    return bouw_stand(make_user, standaard_diensten)


@pytest.fixture
def gemeente_login(make_user, login):
    make_user("gea@example.nl", roles=("gemeente",), naam="Gea")
    login("gea@example.nl")


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def csv_rows(client, naam: str, query: str = "") -> list[list[str]]:
    response = client.get(f"/inzicht/{naam}.csv{query}")
    assert response.status_code == 200, naam
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def table_row(html: str, table_id: str, code: str) -> list[str]:
    """The cells of one row (by data-code) of one table, as text."""
    table = html[html.index(f'id="{table_id}"'):]
    table = table[: table.index("</table>")]
    row = re.search(rf'<tr[^>]*data-code="{re.escape(code)}"[^>]*>(.*?)</tr>', table, re.S)
    assert row, (table_id, code)
    return [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>",
                                                                              row.group(1), re.S)]


# --- the numbers ---------------------------------------------------------------------------------


def test_blink_shows_five_of_six_with_its_wilson_interval_and_the_target(stand, client, gemeente_login):
    html = page(client, "/inzicht")

    assert BLINK_RIJ in html
    # 5 of 6 is 83%, but with six koppelingen the interval (44-97%) holds the target: onzeker.
    assert table_row(html, "dienst-tabel", "blink") == ["Blink", "83%", "44–97%", "5", "1", "0", "0", "0", "83%",
                                                        "85%: onzeker"]
    assert table_row(html, "dienst-tabel", "maatjes")[-1] == "–", "a dienst without a target gets no verdict"
    # Only Blink's own target is drawn, in the survival chart, not across the bars of every dienst.
    assert 'id="grafiek-dienst-doellijn"' not in html and 'id="grafiek-overleving-doellijn"' in html
    assert "Doel Blink 85%" in html
    assert '<title id="grafiek-dienst-titel">Duurzaam per dienst</title>' in html


def test_the_api_and_the_csv_give_the_same_blink_numbers(stand, client, gemeente_login):
    body = client.get("/api/v1/kpi").get_json()
    blink = next(g for g in body["duurzaam"]["per_dienst"] if g["code"] == "blink")
    low, high = wilson(5, 6)

    assert (blink["gelukt"], blink["niet_gelukt"], blink["nog_bezig"], blink["besloten"]) == (5, 1, 0, 6)
    assert blink["aandeel"] == pytest.approx(5 / 6)
    assert (blink["interval_laag"], blink["interval_hoog"]) == (pytest.approx(low), pytest.approx(high))
    assert round(low, 3) == 0.436 and round(high, 3) == 0.970
    assert blink["kaplan_meier"] == pytest.approx(5 / 6)
    assert (blink["doel"], blink["oordeel"]) == (0.85, "onzeker")
    assert body["overleving"]["blink"][-1] == [91.0, pytest.approx(5 / 6)]

    rows = csv_rows(client, "duurzaam-dienst")
    assert rows[0][:3] == ["code", "groep", "duurzaam (%)"]
    assert next(r for r in rows if r[0] == "blink") == ["blink", "Blink", "83,3", "43,6", "97,0", "5", "1", "0",
                                                         "0", "0", "83,3", "85,0", "onzeker"]
    assert next(r for r in rows if r[0] == "maatjes")[-2:] == ["", ""]


def test_every_dienst_on_the_page_matches_the_api(stand, client, gemeente_login):
    html = page(client, "/inzicht")
    body = client.get("/api/v1/kpi").get_json()

    for groep in body["duurzaam"]["per_dienst"]:
        cells = table_row(html, "dienst-tabel", groep["code"])
        if groep["aandeel"] is None:
            assert cells[1] == "nog niets besloten"
            continue
        assert cells[1] == f"{round(groep['aandeel'] * 100)}%"
        assert cells[2] == f"{round(groep['interval_laag'] * 100)}–{round(groep['interval_hoog'] * 100)}%"
        assert cells[3:7] == [str(groep[k]) for k in ("gelukt", "niet_gelukt", "geen_antwoord", "nog_bezig")]


def test_silence_after_escalation_counts_as_a_failure_and_fresh_ones_are_pending(stand, client, gemeente_login):
    body = client.get("/api/v1/kpi").get_json()
    diensten = {g["code"]: g for g in body["duurzaam"]["per_dienst"]}

    assert (diensten["maatjes"]["niet_gelukt"], diensten["maatjes"]["geen_antwoord"]) == (1, 1)
    assert (diensten["maatjes"]["doel"], diensten["maatjes"]["oordeel"]) == (None, None)
    # Burenhulp's one-off job is not "duurzaam" at all: it is waiting to be "geholpen".
    assert (diensten["burenhulp"]["totaal"], diensten["burenhulp"]["aandeel"]) == (0, None)
    geholpen = {g["code"]: g for g in body["geholpen"]["per_dienst"]}
    assert (geholpen["burenhulp"]["nog_bezig"], geholpen["burenhulp"]["totaal"]) == (1, 1)
    assert "doel" not in geholpen["burenhulp"]
    totaal = body["duurzaam"]["totaal"]
    assert (totaal["gelukt"], totaal["niet_gelukt"], totaal["nog_bezig"], totaal["totaal"]) == (5, 2, 0, 7)
    soorten = {g["code"]: g for g in body["duurzaam"]["per_soort"]}
    assert soorten["maatje"]["besloten"] == 7 and soorten["eenmalig"]["totaal"] == 0
    assert [w["code"] for w in body["duurzaam"]["per_wijk"]] == ["WK082806"]
    html = page(client, "/inzicht")
    assert table_row(html, "dienst-tabel", "burenhulp")[1] == "nog niets besloten"


def test_satisfaction_self_service_waiting_placement_and_collective(stand, client, gemeente_login):
    body = client.get("/api/v1/kpi").get_json()

    tevreden = {t["code"]: t for t in body["tevredenheid"]}
    assert tevreden["blink"]["score"] == pytest.approx((15 * 9 + 4) / 16 * 10)
    assert (tevreden["maatjes"]["score"], tevreden["maatjes"]["aantal"]) == (pytest.approx(80.0), 2)
    zelf = body["zelf_gevonden"][0]
    assert (zelf["teller"], zelf["noemer"], zelf["oordeel"]) == (1, 8, "niet gehaald")  # 2-47% stays below 79%
    wacht = body["wachttijd"][0]
    assert (wacht["aantal"], wacht["mediaan_dagen"], wacht["p90_dagen"]) == (8, pytest.approx(5.0), pytest.approx(5.0))
    plaatsing = body["plaatsing"][0]
    assert (plaatsing["teller"], plaatsing["noemer"]) == (1, 2)
    collectief = body["collectief"][0]
    assert (collectief["teller"], collectief["noemer"]) == (1, 9)

    html = page(client, "/inzicht")
    assert table_row(html, "tevredenheid-tabel", "blink") == ["Blink", "87", "16"]  # a norm for professionals
    assert table_row(html, "zelf-gevonden-tabel", "alle")[1:5] == ["13%", "2–47%", "1", "8"]
    assert table_row(html, "wachttijd-tabel", "alle") == ["Alle onderwerpen", "5,0", "5,0", "8"]
    assert table_row(html, "plaatsing-tabel", "alle")[1:5] == ["50%", "9–91%", "1", "2"]


def test_the_period_and_gemeente_filters_keep_their_values(stand, client, gemeente_login):
    old = (stand.now - timedelta(days=400)).date()
    html = page(client, f"/inzicht?van={old.isoformat()}&tot={(old + timedelta(days=30)).isoformat()}")
    assert f'value="{old.isoformat()}"' in html
    assert BLINK_RIJ not in html
    assert table_row(html, "dienst-tabel", "blink")[1] == "nog niets besloten"

    html = page(client, "/inzicht?gemeente=GM0826")
    assert re.search(r'<option selected value="GM0826">|<option value="GM0826" selected>', html)
    assert table_row(html, "dienst-tabel", "blink")[3:5] == ["0", "0"]
    body = client.get("/api/v1/kpi?gemeente=GM0828").get_json()
    assert body["duurzaam"]["totaal"]["totaal"] == 7 and body["periode"]["gemeente"] == "GM0828"


def test_a_wrong_date_says_so_and_shows_the_last_twelve_months(stand, client, gemeente_login):
    response = client.get("/inzicht?van=gisteren")
    assert response.status_code == 422  # the page, with what was wrong (issue 19: was 200)
    html = response.get_data(as_text=True)

    assert "Een datum klopt niet" in html and BLINK_RIJ in html
    assert client.get("/api/v1/kpi?van=gisteren").status_code == 400
    assert client.get("/api/v1/kpi?van=2026-03-01&tot=2026-01-01").status_code == 400
    assert client.get("/api/v1/kpi?gemeente=GM0363").get_json()["error"].startswith("Onbekende gemeente")


def test_an_empty_gemeente_means_all_and_an_unknown_one_says_so(stand, client, gemeente_login):
    """The select's own "Oss en Oosterhout" sends ``gemeente=``: all gemeenten, without a word. A
    code we do not know shows all too, but says so, and keeps the dates that were right (issue 27)."""
    alle, leeg = page(client, "/inzicht"), page(client, "/inzicht?gemeente=")
    assert table_row(leeg, "dienst-tabel", "blink") == table_row(alle, "dienst-tabel", "blink")
    assert "kennen we niet" not in leeg and "klopt niet" not in leeg
    assert page(client, "/inzicht/kaart?gemeente=") and csv_rows(client, "duurzaam-dienst", "?gemeente=") == \
        csv_rows(client, "duurzaam-dienst")

    old = (stand.now - timedelta(days=400)).date()
    response = client.get(f"/inzicht?gemeente=GM0363&van={old.isoformat()}&tot={(old + timedelta(days=30)).isoformat()}")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Deze gemeente kennen we niet. We laten alle gemeenten zien." in html and "Een datum klopt niet" not in html
    assert f'value="{old.isoformat()}"' in html and BLINK_RIJ not in html, "the dates still count"
    assert re.search(r'<option selected value="">|<option value="" selected>', html)
    assert client.get("/inzicht/kaart?gemeente=GM0363").status_code == 422
    csv_answer = client.get("/inzicht/duurzaam-dienst.csv?gemeente=GM0363")
    assert csv_answer.status_code == 400 and "Deze gemeente kennen we niet" in csv_answer.get_data(as_text=True)


# --- CSV -----------------------------------------------------------------------------------------


def test_every_csv_downloads_as_an_attachment_with_semicolons(stand, client, gemeente_login):
    html = page(client, "/inzicht")
    links = re.findall(r'href="/inzicht/([a-z-]+)\.csv\?([^"]*)"', html)
    assert len(links) == 13

    for naam, query in links:
        response = client.get(f"/inzicht/{naam}.csv?{query.replace('&amp;', '&')}")
        assert response.status_code == 200, naam
        assert response.mimetype == "text/csv"
        assert response.headers["Content-Disposition"].startswith(f'attachment; filename="omkijken-{naam}-')
        assert ";" in response.get_data(as_text=True).splitlines()[0]
    assert client.get("/inzicht/geheim.csv").status_code == 404
    curve = csv_rows(client, "overleving")
    assert ["blink", "20,0", "83,3"] in curve and ["blink", "91,0", "83,3"] in curve  # the stop on day 20


def test_csv_follows_the_chosen_gemeente(stand, client, gemeente_login):
    rows = csv_rows(client, "duurzaam-dienst", "?gemeente=GM0826")

    assert next(r for r in rows if r[0] == "blink") == ["blink", "Blink", "", "", "", "0", "0", "0", "0", "0", "",
                                                         "85,0", "onzeker"]


# --- who may see it ------------------------------------------------------------------------------


def test_anonymous_visitors_log_in_first_and_residents_get_403(stand, client, make_user, login):
    for url in ("/inzicht", "/inzicht/kaart", "/inzicht/duurzaam-dienst.csv"):
        response = client.get(url)
        assert response.status_code == 302 and response.location.startswith("/inloggen?next="), url
    api = client.get("/api/v1/kpi")
    assert api.status_code == 401 and "Log eerst in" in api.get_json()["error"]

    make_user("inge@example.nl", roles=("inwoner", "vrijwilliger", "opbouwwerker"), wijken=("WK082806",))
    login("inge@example.nl")
    for url in ("/inzicht", "/inzicht/kaart", "/inzicht/duurzaam-dienst.csv"):
        assert client.get(url).status_code == 403, url
    assert client.get("/api/v1/kpi").status_code == 403
    assert 'href="/inzicht"' not in page(client, "/")


@pytest.mark.parametrize("rol", ["gemeente", "coordinator", "beheerder"])
def test_gemeente_coordinator_and_beheerder_see_the_figures(stand, client, make_user, login, rol):
    make_user(f"{rol}@example.nl", roles=(rol,))
    login(f"{rol}@example.nl")

    html = page(client, "/inzicht")
    assert BLINK_RIJ in html and 'href="/inzicht">Cijfers</a>' in html
    assert client.get("/api/v1/kpi").status_code == 200


# --- the map -------------------------------------------------------------------------------------


def test_the_map_colours_ruwaard_and_greys_wijken_without_data(stand, client, gemeente_login):
    html = page(client, "/inzicht/kaart?kpi=duurzaam")

    assert table_row(html, "wijk-tabel", "WK082806")[::2] == ["Ruwaard", "71% (van 7)"]
    assert table_row(html, "wijk-tabel", "WK082807")[2] == "geen gegevens"
    assert static_url("vendor/leaflet/leaflet.js") in html and "cdn" not in html.lower()
    assert "geen gegevens" in html and "#d9d9d9" in html  # legend and the grey wijken
    assert '"naam": "Ruwaard (Oss)"' in html or "Ruwaard (Oss)" in html


@pytest.mark.parametrize("kpi,expected", [("tevredenheid", "86 (18 cijfers)"), ("wachttijd", "5,0 dagen (8 vragen)"),
                                          ("zelf_gevonden", "13% (van 8)"), ("open_vragen", "1")])
def test_every_map_kpi_shows_the_ruwaard_figure(stand, client, gemeente_login, kpi, expected):
    html = page(client, f"/inzicht/kaart?kpi={kpi}&gemeente=GM0828")

    assert table_row(html, "wijk-tabel", "WK082806")[2] == expected
    assert "Dommelbergen" not in html  # only the wijken of Oss


def test_an_unknown_map_kpi_falls_back_to_durability(stand, client, gemeente_login):
    html = page(client, "/inzicht/kaart?kpi=geheim")

    assert "Duurzame koppelingen per wijk" in html


# --- the OpenAPI document ------------------------------------------------------------------------


def test_openapi_describes_kpi_and_the_answer_has_what_it_requires(stand, client, gemeente_login):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/kpi"]["get"]
    schemas = document["components"]["schemas"]

    assert {p["name"] for p in operation["parameters"]} == {"van", "tot", "gemeente"}
    assert set(operation["responses"]) == {"200", "400", "401", "403"}
    body = client.get("/api/v1/kpi").get_json()
    assert set(schemas["Kpi"]["required"]) <= set(body)
    for groep in body["duurzaam"]["per_dienst"]:
        assert set(schemas["KpiDuurzaam"]["required"]) <= set(groep)
    for rij in body["zelf_gevonden"] + body["plaatsing"] + body["collectief"]:
        assert set(schemas["KpiAandeel"]["required"]) <= set(rij)


def test_the_public_sociale_agenda_shows_the_figure_without_a_target_or_verdict(stand, client, make_user):
    """Oss: "We werken niet met streefwaarden" (002:705-719). The wijkfoto of the Ruwaard, open to anyone,
    gives the share with its story; Blink's target and its verdict stay on the staff pages."""
    karim = make_user("karim@example.nl", roles=("opbouwwerker",), wijken=("WK082806",), naam="Karim")
    agenda = sociale_agenda.start(areas.wijk_by_code("WK082806"), by=karim, now=stand.now)
    sociale_agenda.save_thema(agenda, by=karim, titel="Samen in de Ruwaard", tekst="Koffie.", wie="bewoners",
                              datum=None, now=stand.now)
    sociale_agenda.publish(agenda, by=karim, now=stand.now)
    db.session.commit()
    html = page(client, "/wijkagenda/WK082806/sociale-agenda")

    assert "Koppelingen die blijven" in html
    assert "71% van 7 koppelingen liep na een paar maanden nog, of stopte omdat het doel bereikt was" in html
    for verdict in ("doel: 85%", "85%", "gehaald", "onzeker"):
        assert verdict not in html
