"""The wijkagenda end to end: residents add and support punten, the opbouwwerker of the wijk
decides (and only there), every decision lands in the audit log, duplicates merge, the sociale
agenda is published, and followers get one digest a week."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from omkijken.platform import clock
from omkijken.platform.accounts.permissions import NotAllowed
from omkijken.platform.areas import services as areas
from omkijken.platform.extensions import db
from omkijken.platform.moderatie import services as moderatie
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Activiteit, Hulpvraag
from omkijken.platform.system import audit
from omkijken.platform.system import services as system
from omkijken.platform.system.audit import AppendOnly
from omkijken.platform.system.models import AuditEntry, OutboxMessage
from omkijken.platform.wijkagenda import digest, services, sociale_agenda
from omkijken.platform.wijkagenda.models import Agendapunt, Puntvolger, Reactie, Steun
from tests.support import DOMMELBERGEN, NEAR_RUWAARD, RUWAARD, at_once, commit, seasoned, static_url, submit

RUWAARD_CODE, DOMMELBERGEN_CODE = "WK082806", "WK082606"


def ruwaard():
    return areas.wijk_by_code(RUWAARD_CODE)


def decide(punt_id: int, besluit: str, by, *, onderwerp: str = "agendapunt", **kwargs):
    return moderatie.decide(moderatie.Besluit(onderwerp, punt_id, besluit, **kwargs), by=by, now=clock.utcnow())


@pytest.fixture
def karim(make_user):
    return make_user("karim@example.nl", roles=("opbouwwerker",), wijken=(RUWAARD_CODE,), naam="Karim")


@pytest.fixture
def truus(make_user):
    return make_user("truus@example.nl", home=NEAR_RUWAARD, naam="Truus")


def new_punt(auteur, titel="Meer bankjes in het park", **kwargs) -> Agendapunt:
    values = {"soort": "wens", "onderwerp": "omgeving", "beschrijving": "Voor wie slecht ter been is.", **kwargs}
    return services.create(wijk=ruwaard(), auteur=auteur, titel=titel, now=clock.utcnow(), **values)


def mails_to(address: str) -> list[dict]:
    """Oldest first: PostgreSQL returns rows the worker updated in another order without ORDER BY."""
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.task == system.SEND_EMAIL)
                              .order_by(OutboxMessage.id)).all()
    return [r.payload for r in rows if r.payload["to"] == address]


def test_a_resident_adds_a_punt_that_waits_for_the_opbouwwerker(client, login, truus, karim):
    login("truus@example.nl")
    form = {"soort": "signaal", "titel": "Speeltuin Vrachelen is kapot", "onderwerp": "omgeving",
            "beschrijving": "De schommel hangt los.", "lat": "", "lon": ""}
    response = submit(client, f"/wijkagenda/{RUWAARD_CODE}/nieuw", form)
    assert response.status_code == 302
    punt = db.session.scalar(select(Agendapunt))
    assert (punt.moderatie, punt.status, punt.auteur_id) == ("ingediend", "nieuw", truus.id)

    client.post("/uitloggen", data={})
    anonymous = client.application.test_client()
    assert "Speeltuin Vrachelen" not in anonymous.get(f"/wijkagenda/{RUWAARD_CODE}").get_data(as_text=True)
    assert anonymous.get(f"/wijkagenda/punt/{punt.id}").status_code == 404

    decide(punt.id, "goedkeuren", karim)
    page = anonymous.get(f"/wijkagenda/{RUWAARD_CODE}").get_data(as_text=True)
    assert "Speeltuin Vrachelen is kapot" in page
    assert "Op de wijkagenda" in mails_to("truus@example.nl")[-1]["body"] or "staat op de wijkagenda" in (
        mails_to("truus@example.nl")[-1]["body"])


def test_a_title_with_template_syntax_is_shown_as_typed_on_the_map(client, truus, karim):
    """folium compiles its rendered parts as Jinja again: a title must never run on the server."""
    titel = "Bankje {{ 7*7 }} {% if true %}ja{% endif %} {{ cycler.__init__.__globals__.os.getpid() }}"
    punt = new_punt(truus, titel=titel, plek=RUWAARD)
    decide(punt.id, "goedkeuren", karim)
    page = client.get(f"/wijkagenda/punt/{punt.id}").get_data(as_text=True)
    tooltip = re.search(r"bindTooltip\(\s*`<div>\s*(.*?)\s*</div>`", page, re.S)
    assert tooltip, "the punt's map has its tooltip"
    assert html.unescape(tooltip.group(1)) == titel


def test_bad_input_says_what_is_wrong_and_keeps_the_rest(client, login, truus):
    login("truus@example.nl")
    response = submit(client, f"/wijkagenda/{RUWAARD_CODE}/nieuw",
                      {"soort": "wens", "titel": "", "onderwerp": "samenleven", "beschrijving": "Koffie op zondag"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Schrijf in een paar woorden waar het over gaat." in page
    assert "Koffie op zondag" in page
    assert re.search(r'<input checked[^>]*value="samenleven"', page), "the chosen onderwerp stays chosen"
    assert db.session.scalar(select(func.count()).select_from(Agendapunt)) == 0


def test_a_place_outside_the_wijk_is_refused(client, login, truus):
    login("truus@example.nl")
    response = submit(client, f"/wijkagenda/{RUWAARD_CODE}/nieuw", {
        "soort": "wens", "titel": "Bankje", "onderwerp": "omgeving",
        "lat": str(DOMMELBERGEN[0]), "lon": str(DOMMELBERGEN[1])})
    assert response.status_code == 422
    assert "Deze plek ligt niet in" in response.get_data(as_text=True)


def test_asked_to_change_the_author_edits_and_sends_again(client, login, truus, karim):
    punt = new_punt(truus, titel="Hondenpoep")
    decide(punt.id, "wijziging_vragen", karim, reden="Waar precies? Noem de straat.")
    assert "Noem de straat" in mails_to("truus@example.nl")[-1]["body"]

    login("truus@example.nl")
    page = client.get(f"/wijkagenda/{RUWAARD_CODE}").get_data(as_text=True)
    assert "Noem de straat" in page and "Pas je punt aan" in page
    response = submit(client, f"/wijkagenda/punt/{punt.id}/bewerken", {
        "soort": "signaal", "titel": "Hondenpoep in de Kolonel Palmstraat", "onderwerp": "leefbaarheid"})
    assert response.status_code == 302
    db.session.refresh(punt)
    assert (punt.moderatie, punt.titel) == ("ingediend", "Hondenpoep in de Kolonel Palmstraat")
    assert punt in moderatie.wachtrij(karim).punten


def test_a_refusal_without_a_reason_keeps_the_queue_and_says_why(client, login, truus, karim):
    punt = new_punt(truus)
    login("karim@example.nl")
    response = submit(client, f"/moderatie/agendapunt/{punt.id}", {"besluit": "weigeren", "reden": ""}, page="/moderatie")
    assert response.status_code == 422
    assert "Schrijf kort waarom" in response.get_data(as_text=True)
    db.session.refresh(punt)
    assert punt.moderatie == "ingediend"
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_every_decision_is_in_the_audit_log_and_the_log_cannot_be_changed(client, login, truus, karim, make_user):
    punt = new_punt(truus)
    for besluit, reden in (("goedkeuren", ""), ("besproken", ""), ("sociale_agenda", ""), ("in_uitvoering", ""),
                           ("niet_opgepakt", "De gemeente heeft er geen geld voor")):
        decide(punt.id, besluit, karim, reden=reden)
    commit()  # as each decision's request would have; the rollbacks below must not take them away
    entries = audit.entries(onderwerp="agendapunt", onderwerp_id=punt.id)
    assert [e.besluit for e in reversed(entries)] == [
        "goedkeuren", "besproken", "sociale_agenda", "in_uitvoering", "niet_opgepakt"]
    assert all(e.actor_naam == "Karim" and e.wijk_id == ruwaard().id for e in entries)
    assert entries[0].reden == "De gemeente heeft er geen geld voor"

    entries[0].reden = "iets anders"
    with pytest.raises(AppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entries[0].id))
    with pytest.raises(AppendOnly):
        db.session.flush()
    db.session.rollback()

    make_user("gemeente@example.nl", roles=("gemeente",))
    login("gemeente@example.nl")
    log = client.get("/moderatie/logboek").get_data(as_text=True)
    assert "De gemeente heeft er geen geld voor" in log and "Karim" in log


def test_an_opbouwwerker_of_another_wijk_gets_403(client, login, truus, make_user):
    punt = new_punt(truus)
    els = make_user("els@example.nl", roles=("opbouwwerker",), wijken=(DOMMELBERGEN_CODE,))
    with pytest.raises(NotAllowed):
        decide(punt.id, "goedkeuren", els)
    assert moderatie.wachtrij(els).count == 0

    login("els@example.nl")
    response = submit(client, f"/moderatie/agendapunt/{punt.id}", {"besluit": "goedkeuren"}, page="/moderatie")
    assert response.status_code == 403
    assert client.get(f"/wijkagenda/{RUWAARD_CODE}/sociale-agenda/bewerken").status_code == 403
    db.session.refresh(punt)
    assert punt.moderatie == "ingediend"


def test_residents_have_no_queue_and_no_log(client, login, truus):
    login("truus@example.nl")
    assert client.get("/moderatie").status_code == 403
    assert client.get("/moderatie/logboek").status_code == 403


def test_one_vote_per_person_and_reading_needs_no_login(client, login, truus, karim, make_user):
    punt = new_punt(truus)
    decide(punt.id, "goedkeuren", karim)
    piet = make_user("piet@example.nl", home=RUWAARD)
    login("piet@example.nl")
    for _ in range(2):
        submit(client, f"/wijkagenda/punt/{punt.id}/steun", {}, page=f"/wijkagenda/punt/{punt.id}")
    assert db.session.scalar(select(func.count()).select_from(Steun)) == 1
    assert "1 bewoner steunt dit" in client.get(f"/wijkagenda/punt/{punt.id}").get_data(as_text=True)
    submit(client, f"/wijkagenda/punt/{punt.id}/steun", {"actie": "intrekken"}, page=f"/wijkagenda/punt/{punt.id}")
    assert db.session.scalar(select(func.count()).select_from(Steun)) == 0

    anonymous = client.application.test_client()
    assert anonymous.get(f"/wijkagenda/punt/{punt.id}").status_code == 200
    assert anonymous.post(f"/wijkagenda/punt/{punt.id}/steun").status_code in (302, 400)
    assert db.session.scalar(select(func.count()).select_from(Steun)) == 0
    assert piet.id != truus.id


def test_the_same_vote_at_the_same_moment_counts_once(app, truus, karim):
    """Eight taps of one person at once: the database keeps one vote (the real test is on PostGIS)."""
    punt = new_punt(truus)
    decide(punt.id, "goedkeuren", karim)
    punt_id, user_id = punt.id, truus.id

    def tap() -> bool:
        from omkijken.platform.accounts.models import User

        return services.support(db.session.get(Agendapunt, punt_id), by=db.session.get(User, user_id),
                                now=clock.utcnow())

    assert sorted(at_once(app, tap, 8)) == [False] * 7 + [True]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Steun).where(Steun.punt_id == punt_id)) == 1


def test_merging_moves_votes_followers_and_reactions_to_the_punt_that_stays(truus, karim, make_user):
    first = new_punt(truus, titel="Meer ontmoeting voor ouderen")
    decide(first.id, "goedkeuren", karim)
    twin = new_punt(make_user("kees@example.nl", home=RUWAARD), titel="Koffieochtend voor ouderen")
    decide(twin.id, "goedkeuren", karim)
    both = make_user("both@example.nl")
    only_twin = make_user("twin@example.nl")
    services.support(first, by=both, now=clock.utcnow())
    services.support(twin, by=both, now=clock.utcnow())
    services.support(twin, by=only_twin, now=clock.utcnow())
    services.help_out(twin, by=only_twin, now=clock.utcnow())
    services.react(twin, by=only_twin, tekst="Ik zet graag koffie", now=clock.utcnow())

    decide(twin.id, "samenvoegen", karim, samen_met=first.id)

    db.session.expire_all()
    assert services.steun_counts([first.id, twin.id]) == {first.id: 2}
    assert {u.email for u in services.helpers(first)} == {"twin@example.nl"}
    followers = set(db.session.scalars(select(Puntvolger.user_id).where(Puntvolger.punt_id == first.id)))
    assert {both.id, only_twin.id, truus.id} <= followers
    assert not db.session.scalars(select(Puntvolger).where(Puntvolger.punt_id == twin.id)).all()
    assert [r.tekst for r in db.session.scalars(select(Reactie).where(Reactie.punt_id == first.id))] == [
        "Ik zet graag koffie"]
    twin = db.session.get(Agendapunt, twin.id)
    assert (twin.moderatie, twin.samengevoegd_in_id) == ("samengevoegd", first.id)
    entry = audit.entries(onderwerp="agendapunt", onderwerp_id=twin.id)[0]
    assert entry.details["stemmen"] == 2 and entry.details["samengevoegd_in"] == first.id


def test_a_merged_punt_leads_to_the_one_that_stays(client, truus, karim, make_user):
    first = new_punt(truus, titel="Bankjes")
    decide(first.id, "goedkeuren", karim)
    twin = new_punt(truus, titel="Bankjes graag")
    decide(twin.id, "samenvoegen", karim, samen_met=first.id)
    response = client.get(f"/wijkagenda/punt/{twin.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/wijkagenda/punt/{first.id}")


def test_one_queue_for_reported_posts_and_new_activiteiten(client, login, truus, karim, make_user):
    vraag = posts.create(Hulpvraag(titel="Koop mijn spullen", categorie="klussen"), auteur=truus, where=RUWAARD,
                         now=clock.utcnow())
    for name in "abc":
        posts.report(vraag, by=seasoned(make_user(f"{name}@example.nl")), reden="Reclame", now=clock.utcnow())
    feest = posts.create(Activiteit(titel="Verjaardagsfeest bij mij thuis", start=clock.utcnow() + timedelta(days=3),
                                    regels_gelezen=True), auteur=truus, where=RUWAARD, now=clock.utcnow())
    own = posts.create(Activiteit(titel="Wandelgroep", start=clock.utcnow() + timedelta(days=3), regels_gelezen=True),
                       auteur=karim, where=RUWAARD, now=clock.utcnow())
    punt = new_punt(truus)

    queue = moderatie.wachtrij(karim)
    assert queue.punten == [punt] and [p.id for p, _ in queue.meldingen] == [vraag.id]
    assert [p.id for p in queue.posts] == [feest.id], "an opbouwwerker's own activiteit needs no review"
    assert own.beoordeeld_at is not None

    login("karim@example.nl")
    page = client.get("/moderatie").get_data(as_text=True)
    assert all(t in page for t in ("Koop mijn spullen", "Verjaardagsfeest", "Meer bankjes in het park"))
    submit(client, f"/moderatie/melding/{vraag.id}", {"besluit": "terugzetten"}, page="/moderatie")
    submit(client, f"/moderatie/post/{feest.id}", {"besluit": "weigeren", "reden": "Een feest is besloten."},
           page="/moderatie")
    submit(client, f"/moderatie/agendapunt/{punt.id}", {"besluit": "goedkeuren"}, page="/moderatie")

    db.session.expire_all()
    assert moderatie.wachtrij(karim).count == 0
    assert not db.session.get(Hulpvraag, vraag.id).verborgen
    feest = db.session.get(Activiteit, feest.id)
    assert feest.verborgen and feest.moderatie_reden == "Een feest is besloten."
    assert "Een feest is besloten." in mails_to("truus@example.nl")[0]["body"] or any(
        "Een feest is besloten." in m["body"] for m in mails_to("truus@example.nl"))
    assert sorted(e.onderwerp for e in audit.entries()) == ["agendapunt", "melding", "post"]


def test_the_sociale_agenda_is_composed_published_and_printed(client, login, truus, karim, make_user):
    punt = new_punt(truus, titel="Meer ontmoeting voor ouderen")
    decide(punt.id, "goedkeuren", karim)
    login("karim@example.nl")
    assert client.get(f"/wijkagenda/{RUWAARD_CODE}/sociale-agenda/bewerken").status_code == 200
    response = submit(client, f"/wijkagenda/{RUWAARD_CODE}/sociale-agenda/thema", {
        "nieuw-titel": "Samen in de Ruwaard", "nieuw-tekst": "Een koffieochtend elke week.",
        "nieuw-wie": "bewoners, ONS welzijn", "nieuw-datum": "2027-03-01"},
        page=f"/wijkagenda/{RUWAARD_CODE}/sociale-agenda/bewerken")
    assert response.status_code == 302
    agenda = sociale_agenda.of(ruwaard())
    thema = agenda.themas[0]
    submit(client, f"/wijkagenda/{RUWAARD_CODE}/sociale-agenda/plaatsen", {"punt_id": punt.id, "thema_id": thema.id},
           page=f"/wijkagenda/{RUWAARD_CODE}/sociale-agenda/bewerken")
    db.session.refresh(punt)
    assert (punt.status, punt.thema_id) == ("sociale_agenda", thema.id)

    anonymous = client.application.test_client()
    assert "Samen in de Ruwaard" not in anonymous.get(f"/wijkagenda/{RUWAARD_CODE}/sociale-agenda").get_data(as_text=True)
    submit(client, f"/wijkagenda/{RUWAARD_CODE}/sociale-agenda/publiceren", {},
           page=f"/wijkagenda/{RUWAARD_CODE}/sociale-agenda/bewerken")
    page = anonymous.get(f"/wijkagenda/{RUWAARD_CODE}/sociale-agenda").get_data(as_text=True)
    assert "Samen in de Ruwaard" in page and "bewoners, ONS welzijn" in page and "Meer ontmoeting voor ouderen" in page
    assert "Wijkfoto" in page and static_url("css/wijkagenda.css") in page
    assert [e.besluit for e in audit.entries(onderwerp="sociale_agenda")] == ["publiceren"]


def test_a_theme_without_a_name_is_refused_and_keeps_the_text(client, login, karim):
    login("karim@example.nl")
    response = submit(client, f"/wijkagenda/{RUWAARD_CODE}/sociale-agenda/thema",
                      {"nieuw-titel": "", "nieuw-tekst": "Iets over groen"},
                      page=f"/wijkagenda/{RUWAARD_CODE}/sociale-agenda/bewerken")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Geef het thema een naam." in page and "Iets over groen" in page


def test_followers_get_one_digest_a_week_and_switch_it_off_in_one_tap(app, client, login, truus, karim, make_user):
    piet = make_user("piet@example.nl", home=RUWAARD)
    login("piet@example.nl")
    submit(client, f"/wijkagenda/{RUWAARD_CODE}/volgen", {"actie": "volgen"}, page=f"/wijkagenda/{RUWAARD_CODE}")
    punt = new_punt(truus, titel="Bankjes langs de Maas")
    decide(punt.id, "goedkeuren", karim)
    now = clock.utcnow() + timedelta(minutes=1)

    assert digest.send_digests(now=now) == 1
    assert digest.send_digests(now=now) == 0, "a second run the same moment sends nothing"
    assert digest.send_digests(now=now + timedelta(days=2)) == 0, "nor one later that week"
    mail = [m for m in mails_to("piet@example.nl") if "Bankjes langs de Maas" in m["body"]]
    assert len(mail) == 1 and mail[0]["unsubscribe"]

    moderatie.decide(moderatie.Besluit("agendapunt", punt.id, "besproken"), by=karim, now=now + timedelta(days=3))
    later = now + timedelta(days=7)
    assert digest.send_digests(now=later) == 1
    assert "Besproken" in mails_to("piet@example.nl")[-1]["body"]

    token_path = re.sub(r"^https?://[^/]+", "", mail[0]["unsubscribe"])
    anonymous = client.application.test_client()
    assert "Zet de wekelijkse mail uit" in anonymous.get(token_path).get_data(as_text=True)
    assert anonymous.post(token_path).status_code == 200
    moderatie.decide(moderatie.Besluit("agendapunt", punt.id, "sociale_agenda"), by=karim, now=later + timedelta(days=1))
    assert digest.send_digests(now=later + timedelta(days=7)) == 0
    assert anonymous.post(token_path[:-3] + "xyz").status_code == 400
    assert piet.id


def test_two_digest_runs_at_once_send_each_mail_once(app, truus, karim, make_user):
    for n in range(4):
        follower = make_user(f"volger{n}@example.nl", home=RUWAARD)
        services.follow(ruwaard(), by=follower, now=clock.utcnow())
    punt = new_punt(truus)
    decide(punt.id, "goedkeuren", karim)
    moment = clock.utcnow() + timedelta(minutes=1)
    results = at_once(app, lambda: digest.send_digests(now=moment), 2)
    assert sum(results) == 4
    db.session.expire_all()
    assert len([m for m in db.session.scalars(select(OutboxMessage)) if m.payload["to"].startswith("volger")]) == 4


def test_merging_from_the_queue_asks_which_punt_stays(client, login, truus, karim):
    first = new_punt(truus, titel="Bankjes")
    decide(first.id, "goedkeuren", karim)
    twin = new_punt(truus, titel="Bankjes graag")
    login("karim@example.nl")
    page = client.get("/moderatie").get_data(as_text=True)
    assert '<option value="">Kies het punt dat blijft</option>' in page
    response = submit(client, f"/moderatie/agendapunt/{twin.id}", {"besluit": "samenvoegen", "samen_met": ""},
                      page="/moderatie")
    assert response.status_code == 422 and "Kies het punt dat blijft." in response.get_data(as_text=True)
    db.session.refresh(twin)
    assert twin.moderatie == "ingediend"
    submit(client, f"/moderatie/agendapunt/{twin.id}", {"besluit": "samenvoegen", "samen_met": str(first.id)},
           page="/moderatie")
    db.session.refresh(twin)
    assert (twin.moderatie, twin.samengevoegd_in_id) == ("samengevoegd", first.id)
