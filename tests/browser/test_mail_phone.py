"""A mail and its 'stop this mail' link, read on a phone (issue 27, item 1)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from omkijken.platform import clock
from omkijken.platform.extensions import db
from omkijken.platform.posts import services as posts
from omkijken.platform.posts import volgen
from omkijken.platform.posts.models import Aanbod, Hulpvraag
from omkijken.platform.system import services as system
from omkijken.platform.system.models import OutboxMessage
from tests.support import NEAR_RUWAARD, RUWAARD, commit, parsed_mail

HOSTILE = '<script>alert("x")</script> <img src=x onerror=alert(1)>'


def new_vragen_mail(app, make_user):
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Sanne")
    aanbod = posts.create(Aanbod(titel="Ik help in de tuin", categorieen=["tuinonderhoud"], radius_m=2000),
                          auteur=sanne, now=clock.utcnow() - timedelta(days=2))
    truus = make_user("truus@example.nl", home=NEAR_RUWAARD, naam="Truus")
    posts.create(Hulpvraag(titel=f"Heg knippen met een heel lang woord {HOSTILE}", categorie="tuinonderhoud"),
                 auteur=truus, now=clock.utcnow())
    assert volgen.stuur_digests(now=clock.utcnow()) == 1
    commit()
    payload = db.session.scalar(select_mail()).payload
    return aanbod, parsed_mail(app.config, payload)


def select_mail():
    from sqlalchemy import select

    return select(OutboxMessage).where(OutboxMessage.task == system.SEND_EMAIL)


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390])
def test_the_html_mail_reads_on_a_phone_with_links_to_tap(app, browser, make_user, width):
    _, message = new_vragen_mail(app, make_user)
    html = message.get_body(preferencelist=("html",)).get_content()
    context = browser.new_context(viewport={"width": width, "height": 640}, java_script_enabled=True)
    page = context.new_page()
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.set_content(html)

    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scrolling"
    assert alerts == [] and page.locator("script, img").count() == 0, "the hostile title stays text"
    assert HOSTILE in page.locator("body").inner_text()
    links = page.locator("a")
    text_links = re.findall(r"https?://\S+", message.get_body(preferencelist=("plain",)).get_content())
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == text_links
    assert all(links.nth(i).bounding_box()["height"] >= 20 for i in range(links.count()))
    context.close()


@pytest.mark.browser
def test_the_stop_page_passes_axe_and_fits_320_px(app, narrow, make_user):
    aanbod, message = new_vragen_mail(app, make_user)
    url = message["List-Unsubscribe"].strip("<>")

    narrow.open(re.sub(r"^https?://[^/]+", "", url))
    narrow.check("bevestigen")
    narrow.page.get_by_role("button", name="Zet deze mail uit").click()
    narrow.page.wait_for_load_state("networkidle")
    assert narrow.page.locator("h1").inner_text() == "Je krijgt geen mail meer"
    narrow.check("klaar")
    assert narrow.errors == []
    db.session.expire_all()
    assert db.session.get(Aanbod, aanbod.id).volgt_per_mail is False
