"""Mail as the standards have it (issue 27, item 1).

Every mail has Date, a Message-ID of the site's own domain and Auto-Submitted; bulk mail (the
weekly wijk news, the daily new hulpvragen of an aanbod, the matching's proposals to a volunteer,
the monthly group activities for an idle volunteer: tests/integration/test_samen_doen.py)
has List-Id and a one-tap List-Unsubscribe (RFC 8058) whose POST stops that mail without a login.
Each mail has an HTML part for a phone, where people's text is escaped and links stay one tap.

The app fixture's teardown (tests/conftest.py) parses every other mail the suite writes.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from omkijken.platform import clock
from omkijken.platform.areas import services as areas
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import pipeline
from omkijken.platform.koppelingen import services as koppelingen
from omkijken.platform.koppelingen.models import Voorstel
from omkijken.platform.moderatie import services as moderatie
from omkijken.platform.posts import services as posts
from omkijken.platform.posts import volgen
from omkijken.platform.posts.models import Aanbod, Hulpvraag
from omkijken.platform.system import services as system
from omkijken.platform.system.mail import BULK_LISTS
from omkijken.platform.system.models import OutboxMessage
from omkijken.platform.wijkagenda import digest
from omkijken.platform.wijkagenda import services as wijkagenda
from tests.integration.test_wijkagenda import new_punt
from tests.support import NEAR_RUWAARD, RUWAARD, parsed_mail, submit

RUWAARD_CODE = "WK082806"
SOURCE = Path(__file__).resolve().parents[2] / "omkijken"
HOSTILE = '<script>alert("x")</script> & <b>Truus</b>'

# Every template the code mails with, and the list it belongs to when it is bulk mail.
KINDS = {
    "accounts/email/welcome.txt": None,
    "accounts/email/al_een_account.txt": None,
    "accounts/email/wachtwoord.txt": None,
    "accounts/email/koppeling_gestopt.txt": None,
    "accounts/email/koppeling_gestopt_coordinator.txt": None,
    "koppelingen/email/voorstel.txt": "by subject",
    "koppelingen/email/gekoppeld.txt": None,
    "koppelingen/email/afgewezen.txt": None,
    "koppelingen/email/samen_doen.txt": "samen-doen",
    "koppelingen/email/checkin.txt": None,
    "koppelingen/email/te_bellen.txt": None,
    "koppelingen/email/lange_wacht.txt": None,
    "subsidies/email/status.txt": None,
    "subsidies/email/opvolging_herinnering.txt": None,
    "subsidies/email/opvolging_bestaat_nog.txt": None,
    "wijkagenda/email/digest.txt": "wijkdigest",
    "wijkagenda/email/besluit.txt": None,
    "posts/email/nieuw_bericht.txt": None,
    "posts/email/verborgen.txt": None,
    "posts/email/nieuwe_vragen.txt": "nieuwe-vragen",
}

# One template, two kinds: the matching's proposal to a volunteer is bulk; the resident's mail
# answers her own vraag.
BY_SUBJECT = {"Iemand bij jou in de buurt zoekt hulp": "voorstellen",
              "We hebben iemand gevonden die je kan helpen": None}


def queue_mail_calls() -> list[tuple[str, str]]:
    """(file, the text of one queue_mail call) for every call in the code."""
    calls = []
    for path in SOURCE.rglob("*.py"):
        text = path.read_text()
        for match in re.finditer(r"queue_mail\(", text):
            if text[max(0, match.start() - 4):match.start()] == "def ":
                continue
            depth, end = 0, match.end() - 1
            for end in range(match.end() - 1, len(text)):
                depth += {"(": 1, ")": -1}.get(text[end], 0)
                if depth == 0:
                    break
            calls.append((str(path.relative_to(SOURCE)), text[match.start():end + 1]))
    return calls


def outbox(to: str, list_id: str | None = None) -> list[dict]:
    """The mails to ``to``; with ``list_id``, only those of that bulk list (the matching may have mailed
    her a voorstel as well, when a worker of this test process ran it)."""
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.task == system.SEND_EMAIL)
                              .order_by(OutboxMessage.id))
    return [row.payload for row in rows
            if row.payload["to"] == to and (list_id is None or row.payload.get("list_id") == list_id)]


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_every_kind_of_mail_is_known_and_bulk_mail_names_its_list(app):
    calls = queue_mail_calls()
    # A call may name its template in a variable (erasure.py): the names in the files that mail count.
    templates = {t for where in {w for w, _ in calls}
                 for t in re.findall(r'"([a-z_]+/email/[a-z_]+\.txt)"', (SOURCE / where).read_text())}
    assert templates == set(KINDS), "a new kind of mail: decide whether it is bulk and add it to KINDS"
    for where, call in calls:
        (template,) = re.findall(r'"([a-z_]+/email/[a-z_]+\.txt)"', call) or [""]
        kind = KINDS.get(template)
        if kind == "by subject":
            kind = BY_SUBJECT[re.search(r'_l\("([^"]+)"', call).group(1)]
        if kind:
            assert f'list_id="{kind}"' in call and "unsubscribe=" in call, (where, call)
        else:
            assert "list_id=" not in call, (where, call)
    assert set(BULK_LISTS) == {k for k in [*KINDS.values(), *BY_SUBJECT.values()] if k and k != "by subject"}


def test_a_mail_has_date_message_id_of_the_site_and_auto_submitted(app, client):
    response = submit(client, "/registreren", {
        "naam": "Ahmed", "email": "ahmed@example.nl", "password": "een lange zin",
        "postcode": "4907XK", "huisnummer": "3", "consent": "y",
    })
    assert response.status_code == 302
    (payload,) = outbox("ahmed@example.nl")
    sent_at = clock.utcnow().replace(microsecond=0) + timedelta(minutes=3)

    message = parsed_mail(app.config, payload, now=sent_at)  # Date, Message-ID and Auto-Submitted

    assert "omkijken.local" not in message["Message-ID"]
    assert message["List-Id"] is None and message["List-Unsubscribe"] is None, "a welcome is no bulk mail"
    html = message.get_body(preferencelist=("html",)).get_content()
    assert 'name="viewport"' in html and '<html lang="nl">' in html
    link = re.search(r"https?://\S+/welkom/\S+", payload["body"]).group(0)
    assert f'<a href="{link}"' in html, "the link of the text part is one tap in the HTML part too"


def test_the_weekly_wijk_news_stops_with_one_tap(app, client, make_user):
    piet = make_user("piet@example.nl", home=RUWAARD)
    wijk = areas.wijk_by_code(RUWAARD_CODE)
    wijkagenda.follow(wijk, by=piet, now=clock.utcnow() - timedelta(days=1))
    punt = new_punt(piet, titel=f"Bankjes {HOSTILE}")
    moderatie.decide(moderatie.Besluit("agendapunt", punt.id, "goedkeuren"),
                     by=make_user("karim@example.nl", roles=("opbouwwerker",), wijken=(RUWAARD_CODE,)),
                     now=clock.utcnow())
    db.session.commit()
    assert digest.send_digests(now=clock.utcnow() + timedelta(minutes=1)) == 1

    (payload,) = [p for p in outbox("piet@example.nl") if p.get("list_id")]
    message = parsed_mail(app.config, payload)
    assert message["List-Id"].startswith("Nieuws uit je wijk <wijkdigest.")
    assert_escaped(message)
    one_tap(client, message, stopped=lambda: not wijkagenda.follows(piet, wijk).per_mail)


def test_the_daily_new_hulpvragen_stop_with_one_tap(app, client, make_user):
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    aanbod = posts.create(Aanbod(titel="Ik help in de tuin", categorieen=["tuinonderhoud"], radius_m=2000),
                          auteur=sanne, now=clock.utcnow() - timedelta(days=2))
    truus = make_user("truus@example.nl", home=NEAR_RUWAARD, naam=HOSTILE)
    posts.create(Hulpvraag(titel=f"Heg knippen {HOSTILE}", categorie="tuinonderhoud"), auteur=truus,
                 now=clock.utcnow())
    assert volgen.stuur_digests(now=clock.utcnow()) == 1
    db.session.commit()

    (payload,) = outbox("sanne@example.nl", "nieuwe-vragen")
    message = parsed_mail(app.config, payload)
    assert message["List-Id"].startswith("Nieuwe hulpvragen bij jou in de buurt <nieuwe-vragen.")
    assert_escaped(message)
    one_tap(client, message, stopped=lambda: not db.session.get(Aanbod, aanbod.id).volgt_per_mail)
    assert volgen.stuur_digests(now=clock.utcnow() + timedelta(days=1)) == 0


def test_the_matchings_proposals_stop_with_one_tap_and_on_the_profile(app, client, login, make_user):
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    posts.create(Aanbod(titel="Ik help in de tuin", categorieen=["tuinonderhoud"], radius_m=3000),
                 auteur=sanne, now=clock.utcnow() - timedelta(days=2))
    truus = make_user("truus@example.nl", home=NEAR_RUWAARD, naam=HOSTILE)
    vraag = posts.create(Hulpvraag(titel="Heg knippen", categorie="tuinonderhoud"), auteur=truus, now=clock.utcnow())
    pipeline.match_post(vraag.id, now=clock.utcnow())
    db.session.commit()

    (to_sanne,) = outbox("sanne@example.nl")
    assert to_sanne["subject"] == "Iemand bij jou in de buurt zoekt hulp"
    message = parsed_mail(app.config, to_sanne)
    assert message["List-Id"].startswith("Iemand bij jou in de buurt zoekt hulp <voorstellen.")
    assert_escaped(message)
    (to_truus,) = outbox("truus@example.nl")
    assert "list_id" not in to_truus, "the resident's mail answers her own vraag: no bulk mail"
    one_tap(client, message, stopped=lambda: not db.session.get(type(sanne), sanne.id).voorstellen_per_mail)

    # She says no to this one; a new vraag's voorstel waits on /voorstellen, but no mail comes.
    koppelingen.decline(db.session.scalar(select(Voorstel)), by=sanne, now=clock.utcnow())
    piet = make_user("piet@example.nl", home=NEAR_RUWAARD, naam="Piet")
    ander = posts.create(Hulpvraag(titel="Gras maaien", categorie="tuinonderhoud"), auteur=piet, now=clock.utcnow())
    pipeline.match_post(ander.id, now=clock.utcnow())
    db.session.commit()
    assert db.session.scalar(select(Voorstel).where(Voorstel.hulpvraag_id == ander.id)).vrijwilliger_id == sanne.id
    assert len(outbox("sanne@example.nl")) == 1

    # She switches them on again on her profile page.
    login("sanne@example.nl")
    page = client.get("/profiel").get_data(as_text=True)
    assert 'name="voorstellen_per_mail"' in page and re.search(r'name="voorstellen_per_mail"[^>]*checked', page) is None
    response = submit(client, "/profiel", {"naam": "Sanne", "postcode": "", "huisnummer": "", "lat": "", "lon": "",
                                           "vrijwilliger": "y", "voorstellen_per_mail": "y", "taal": "nl"},
                      page="/profiel")
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(sanne), sanne.id).voorstellen_per_mail is True


def assert_escaped(message) -> None:
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html
    text = message.get_body(preferencelist=("plain",)).get_content()
    for link in re.findall(r"https?://\S+", text):
        assert f'href="{link.replace("&", "&amp;")}"' in html, link


def one_tap(client, message, *, stopped) -> None:
    """A GET shows a confirm page and changes nothing; the one-click POST (RFC 8058: a form body
    ``List-Unsubscribe=One-Click``, no cookie, no CSRF token) stops the mail; a second POST is fine."""
    url = message["List-Unsubscribe"].strip("<>")
    assert url in message.get_body(preferencelist=("plain",)).get_content(), "the text has the same link"
    anonymous = client.application.test_client()
    page = anonymous.get(path_of(url))
    assert page.status_code == 200 and "<form method=\"post\"" in page.get_data(as_text=True)
    db.session.expire_all()
    assert not stopped(), "opening the link (a mail scanner does) stops nothing"
    for _ in range(2):
        response = anonymous.post(path_of(url), data={"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        assert "Je krijgt geen mail meer" in response.get_data(as_text=True)
        db.session.expire_all()
        assert stopped()
    assert anonymous.post(path_of(url)[:-3] + "xyz").status_code == 400
