"""Reported posts reach the opbouwwerker of their wijk, and only them."""

from __future__ import annotations

from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.posts import services
from omkijken.platform.posts.models import Hulpvraag
from tests.support import DOMMELBERGEN, RUWAARD, seasoned, submit


def reported_post(make_user, home=RUWAARD):
    truus = make_user("truus@example.nl", home=home)
    post = services.create(Hulpvraag(titel="Koop mijn spullen", categorie="klussen"), auteur=truus, now=utcnow())
    for name in "abc":
        services.report(post, by=seasoned(make_user(f"{name}@example.nl")), reden="Dit is reclame", now=utcnow())
    return post


def test_the_opbouwwerker_of_the_wijk_sees_and_decides(client, make_user, login):
    post = reported_post(make_user)
    make_user("karim@example.nl", roles=("opbouwwerker",), wijken=("WK082806",))
    login("karim@example.nl")

    page = client.get("/moderatie").get_data(as_text=True)
    assert "Koop mijn spullen" in page and "Dit is reclame" in page and "nu verborgen" in page

    submit(client, f"/moderatie/melding/{post.id}", {"besluit": "terugzetten"}, page="/moderatie")
    db.session.refresh(post)
    assert not post.verborgen
    assert "Koop mijn spullen" not in client.get("/moderatie").get_data(as_text=True)


def test_an_opbouwwerker_of_another_wijk_cannot(client, make_user, login):
    post = reported_post(make_user)
    make_user("els@example.nl", roles=("opbouwwerker",), wijken=("WK082606",))
    login("els@example.nl")

    assert "Koop mijn spullen" not in client.get("/moderatie").get_data(as_text=True)
    response = submit(client, f"/moderatie/melding/{post.id}", {"besluit": "terugzetten"}, page="/moderatie")
    assert response.status_code == 403
    db.session.refresh(post)
    assert post.verborgen


def test_residents_have_no_moderation_queue(client, make_user, login):
    make_user("ahmed@example.nl", home=DOMMELBERGEN)
    login("ahmed@example.nl")

    assert client.get("/moderatie").status_code == 403


# --- issue 19, finding 3: fresh accounts cannot hide a post; wijken without an opbouwwerker ---------


def report_by_web(client, email: str, post_id: int) -> None:
    from tests.support import submit as post_form

    with client.session_transaction() as session:
        session.clear()
    assert post_form(client, "/inloggen", {"email": email, "password": "wachtwoord-123"}).status_code == 302
    response = post_form(client, f"/prikbord/{post_id}/melden", {"reden": "nep"}, page=f"/prikbord/{post_id}")
    assert response.status_code == 302


def test_three_brand_new_accounts_cannot_hide_a_hulpvraag_and_it_is_still_matched(client, make_user,
                                                                                  standaard_diensten):
    from sqlalchemy import select

    from omkijken.platform.koppelingen import pipeline
    from omkijken.platform.koppelingen.models import Voorstel
    from omkijken.platform.posts.models import Aanbod
    from tests.support import NEAR_RUWAARD

    truus = make_user("truus@example.nl", home=RUWAARD)
    vraag = services.create(Hulpvraag(titel="Hulp bij de boodschappen", categorie="boodschappen"), auteur=truus,
                            now=utcnow())
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=NEAR_RUWAARD)
    services.create(Aanbod(titel="Ik doe boodschappen", categorieen=["boodschappen"], radius_m=3000), auteur=sanne,
                    now=utcnow())
    for name in ("nep1", "nep2", "nep3", "nep4"):
        make_user(f"{name}@example.nl", home=DOMMELBERGEN)
        report_by_web(client, f"{name}@example.nl", vraag.id)

    db.session.refresh(vraag)
    assert not vraag.verborgen
    assert client.get(f"/prikbord/{vraag.id}").status_code == 200
    pipeline.match_post(vraag.id, now=utcnow())
    assert db.session.scalar(select(Voorstel.vrijwilliger_id)) == sanne.id

    # The reports still reach the moderator, marked as coming from new accounts.
    make_user("karim@example.nl", roles=("opbouwwerker",), wijken=("WK082806",))
    report_by_web(client, "karim@example.nl", vraag.id)  # a professional's report counts in full: 1 of 3
    page = client.get("/moderatie").get_data(as_text=True)
    assert "Hulp bij de boodschappen" in page and page.count("van een nieuw account") == 4


def test_reports_weigh_by_account_age_and_earlier_activity(app, make_user):
    from datetime import timedelta

    truus = make_user("truus@example.nl", home=RUWAARD)
    post = services.create(Hulpvraag(titel="Koop mijn spullen", categorie="klussen"), auteur=truus, now=utcnow())
    weights = {}
    for name, age_days, active in (("nieuw", 2, False), ("nieuw_actief", 2, True), ("oud", 40, False),
                                   ("oud_actief", 40, True)):
        user = make_user(f"{name}@example.nl", home=DOMMELBERGEN)
        if active:
            services.create(Hulpvraag(titel="Eerder", categorie="klussen"), auteur=user, now=utcnow() - timedelta(days=1))
        user.created_at = utcnow() - timedelta(days=age_days)
        db.session.commit()
        weights[name] = services.report_weight(services.report(post, by=user, reden="nep", now=utcnow()))
    coby = make_user("coby@example.nl", roles=("coordinator",))
    weights["coordinator"] = services.report_weight(services.report(post, by=coby, reden="nep", now=utcnow()))

    assert weights == {"nieuw": 0, "nieuw_actief": 0, "oud": 0.5, "oud_actief": 1, "coordinator": 1}
    assert not post.verborgen  # 2.5 of 3
    nog_een = make_user("nog_een@example.nl", home=DOMMELBERGEN)
    nog_een.created_at = utcnow() - timedelta(days=40)
    services.report(post, by=nog_een, reden="nep", now=utcnow())
    assert post.verborgen


def test_the_gemeentes_fallback_moderator_gets_what_waits_in_wijken_without_an_opbouwwerker(client, make_user,
                                                                                            login):
    from sqlalchemy import select

    from omkijken.platform.areas.models import Gemeente
    from omkijken.platform.system.models import OutboxMessage
    from omkijken.platform.system.services import SEND_EMAIL

    fatima = make_user("fatima@oss.nl", roles=("gemeente",), naam="Fatima")
    make_user("beheer@example.nl", roles=("beheerder",))
    oss = db.session.scalar(select(Gemeente).where(Gemeente.code == "GM0828"))
    login("beheer@example.nl")
    response = submit(client, f"/beheer/gebruikers/{fatima.id}", {"roles": ["gemeente"], "vangnet": [oss.id]})
    assert response.status_code == 302
    with client.session_transaction() as session:
        session.clear()

    post = reported_post(make_user)  # in Ruwaard (Oss), which has no opbouwwerker: hidden by three reports
    elders = services.create(Hulpvraag(titel="Verkoop van fietsen", categorie="klussen"),
                             auteur=make_user("dommel@example.nl", home=DOMMELBERGEN), now=utcnow())
    for name in "def":
        services.report(elders, by=seasoned(make_user(f"{name}@example.nl")), reden="reclame", now=utcnow())
    mails = [m.payload for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.task == SEND_EMAIL))]
    assert [m["subject"] for m in mails if m["to"] == "fatima@oss.nl"] == \
        ["Verborgen na meldingen: Koop mijn spullen"]  # Oosterhout's post went to the beheerder
    assert "Verborgen na meldingen: Verkoop van fietsen" in [m["subject"] for m in mails
                                                             if m["to"] == "beheer@example.nl"]

    login("fatima@oss.nl")
    page = client.get("/moderatie").get_data(as_text=True)
    assert "Nakijken" in page and "Koop mijn spullen" in page and "Verkoop van fietsen" not in page
    assert submit(client, f"/moderatie/melding/{elders.id}", {"besluit": "terugzetten"},
                  page="/moderatie").status_code == 403
    submit(client, f"/moderatie/melding/{post.id}", {"besluit": "terugzetten"}, page="/moderatie")
    db.session.refresh(post)
    assert not post.verborgen

    # Once Ruwaard has its own opbouwwerker, its queue is theirs.
    make_user("karim@example.nl", roles=("opbouwwerker",), wijken=("WK082806",))
    for name in "ghi":
        services.report(post, by=seasoned(make_user(f"{name}@example.nl")), reden="reclame", now=utcnow())
    assert post.verborgen
    assert "Koop mijn spullen" not in client.get("/moderatie").get_data(as_text=True)
    assert [m.payload["to"] for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.task == SEND_EMAIL).order_by(OutboxMessage.id.desc()).limit(1))] == ["karim@example.nl"]


def test_only_gemeente_staff_or_an_opbouwwerker_can_be_the_fallback(client, make_user, login):
    from sqlalchemy import select

    from omkijken.platform.areas.models import Gemeente

    ahmed = make_user("ahmed@example.nl", home=DOMMELBERGEN)
    make_user("beheer@example.nl", roles=("beheerder",))
    oss = db.session.scalar(select(Gemeente).where(Gemeente.code == "GM0828"))
    login("beheer@example.nl")

    response = submit(client, f"/beheer/gebruikers/{ahmed.id}", {"roles": ["inwoner"], "vangnet": [oss.id]})

    assert response.status_code == 200
    assert "Alleen iemand van de gemeente of een opbouwwerker kan vangnet zijn." in response.get_data(as_text=True)
    assert client.get("/moderatie").status_code == 200
    with client.session_transaction() as session:
        session.clear()
    login("ahmed@example.nl")
    assert client.get("/moderatie").status_code == 403


def test_whoever_may_read_the_logboek_finds_it_in_the_menu(app, make_user):
    """The opbouwwerker reads the decisions of her wijken there; the menu linked it for the gemeente only."""
    for email, roles in (("piet@example.nl", ("opbouwwerker",)), ("gea@example.nl", ("gemeente",)),
                         ("bea@example.nl", ("beheerder",)), ("truus@example.nl", ("inwoner",))):
        make_user(email, roles, wijken=("WK082801",) if "opbouwwerker" in roles else ())
        client = app.test_client()
        submit(client, "/inloggen", {"email": email, "password": "wachtwoord-123"})
        may_read = roles != ("inwoner",)
        assert ('href="/moderatie/logboek"' in client.get("/profiel").get_data(as_text=True)) == may_read, email
        assert client.get("/moderatie/logboek").status_code == (200 if may_read else 403), email
