"""The prikbord's rules in the services: places, privacy, status, reports, filters."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import select

from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.posts import services
from omkijken.platform.posts.models import Hulpvraag, Ontmoetingsplek, Post
from tests.support import DOMMELBERGEN, RUWAARD, seasoned


def metres(a, b) -> float:
    lat = math.radians((a[0] + b[0]) / 2)
    return math.hypot((a[0] - b[0]) * 111_320, (a[1] - b[1]) * 111_320 * math.cos(lat))


def vraag(**values) -> Hulpvraag:
    return Hulpvraag(titel=values.pop("titel", "Hulp in de tuin"), categorie="tuinonderhoud", **values)


def test_a_hulpvraag_at_home_is_public_only_as_a_moved_point(app, make_user):
    truus = make_user("truus@example.nl", home=RUWAARD)

    post = services.create(vraag(), auteur=truus, now=utcnow())

    assert services.exact_point(post) == pytest.approx(RUWAARD, abs=1e-6)
    assert 249 <= metres(services.public_point(post), RUWAARD) <= 451
    assert post.wijk.naam == "Ruwaard" and post.op_huisadres


def test_a_meeting_place_is_shown_where_it_is(app, make_user):
    karim = make_user("karim@example.nl", home=RUWAARD)

    plek = services.create(Ontmoetingsplek(titel="Buurthuis"), auteur=karim, now=utcnow(),
                           where=DOMMELBERGEN, op_huisadres=False)

    assert services.public_point(plek) == pytest.approx(DOMMELBERGEN, abs=1e-6)
    assert plek.wijk.naam == "Dommelbergen"


def test_a_resident_without_a_known_home_must_pick_a_place(app, make_user):
    nohome = make_user("nohome@example.nl")

    with pytest.raises(services.PostError) as error:
        services.create(vraag(), auteur=nohome, now=utcnow())
    assert error.value.field == "kaart"


def test_only_a_coordinator_posts_for_someone_else_and_both_may_edit(app, make_user):
    truus = make_user("truus@example.nl", home=RUWAARD)
    mieke = make_user("mieke@example.nl", roles=("coordinator",))
    buur = make_user("buur@example.nl", home=RUWAARD)

    with pytest.raises(services.PostError):
        services.create(vraag(), auteur=truus, namens=buur, now=utcnow())
    post = services.create(vraag(), auteur=truus, namens=mieke, now=utcnow())

    assert post.namens == mieke and post.auteur == truus
    assert services.can_edit(truus, post) and services.can_edit(mieke, post)
    assert not services.can_edit(buur, post)
    with pytest.raises(services.PostError):
        services.update(post, by=buur, values={"titel": "Van mij"}, now=utcnow())


def test_closing_needs_a_reason_and_removes_it_from_the_prikbord(app, make_user):
    truus = make_user("truus@example.nl", home=RUWAARD)
    post = services.create(vraag(), auteur=truus, now=utcnow())

    with pytest.raises(services.PostError):
        services.set_status(post, by=truus, status="gesloten", now=utcnow())
    services.set_status(post, by=truus, status="gesloten", reden="gelukt", now=utcnow())

    assert db.session.scalars(services.public_query(services.Filters())).all() == []


def test_three_different_reporters_hide_a_post(app, make_user):
    truus = make_user("truus@example.nl", home=RUWAARD)
    post = services.create(vraag(), auteur=truus, now=utcnow())
    a, b, c = (seasoned(make_user(f"{n}@example.nl")) for n in "abc")

    services.report(post, by=a, reden="reclame", now=utcnow())
    services.report(post, by=a, reden="nog eens", now=utcnow())
    services.report(post, by=b, reden="reclame", now=utcnow())
    assert not post.verborgen
    services.report(post, by=c, reden="reclame", now=utcnow())

    assert post.verborgen
    assert len(services.open_reports()) == 3
    assert db.session.scalars(services.public_query(services.Filters())).all() == []


def test_a_restored_post_is_hidden_again_only_by_new_reports_that_weigh_enough(app, make_user):
    """The reports a moderator handled are done: after "show it again", one new report must not hide
    the post, three new ones do."""
    truus = make_user("truus@example.nl", home=RUWAARD)
    post = services.create(vraag(), auteur=truus, now=utcnow())
    for naam in "abc":
        services.report(post, by=seasoned(make_user(f"{naam}@example.nl")), reden="reclame", now=utcnow())
    assert post.verborgen

    assert services.settle_reports(post, zichtbaar=True, now=utcnow()) == 3
    assert not post.verborgen and services.open_reports() == []

    services.report(post, by=seasoned(make_user("d@example.nl")), reden="nog steeds reclame", now=utcnow())
    assert not post.verborgen and len(services.open_reports()) == 1
    assert [p.id for p in db.session.scalars(services.public_query(services.Filters()))] == [post.id]
    for naam in "ef":
        services.report(post, by=seasoned(make_user(f"{naam}@example.nl")), reden="reclame", now=utcnow())
    assert post.verborgen and len(services.open_reports()) == 3


def test_distance_filter_uses_the_public_point(app, make_user):
    karim = make_user("karim@example.nl", home=RUWAARD)
    near = (RUWAARD[0] + 0.0045, RUWAARD[1])  # about 500 m north
    far = (RUWAARD[0] + 0.027, RUWAARD[1])  # about 3 km north
    for naam, where in (("dichtbij", near), ("ver weg", far)):
        services.create(Ontmoetingsplek(titel=naam), auteur=karim, now=utcnow(), where=where, op_huisadres=False)

    def titles(metres_away: float) -> set[str]:
        query = services.public_query(services.Filters(near=RUWAARD, afstand_m=metres_away))
        return {p.titel for p in db.session.scalars(query)}

    assert titles(1000) == {"dichtbij"}
    assert titles(5000) == {"dichtbij", "ver weg"}
    assert titles(400) == set()


def test_text_kind_and_box_filters(app, make_user):
    karim = make_user("karim@example.nl", home=RUWAARD)
    services.create(Ontmoetingsplek(titel="Koffie in de Ruwaard"), auteur=karim, now=utcnow(),
                    where=RUWAARD, op_huisadres=False)
    services.create(vraag(titel="Wie maait mijn gras?"), auteur=karim, now=utcnow())
    services.create(Ontmoetingsplek(titel="Speeltuin Dommelbergen"), auteur=karim, now=utcnow(),
                    where=DOMMELBERGEN, op_huisadres=False)

    def titles(**filters) -> set[str]:
        return {p.titel for p in db.session.scalars(services.public_query(services.Filters(**filters)))}

    assert titles(zoek="KOFFIE") == {"Koffie in de Ruwaard"}
    assert titles(zoek="%") == titles(zoek="_") == titles(zoek="k%e") == set()  # typed, not wildcards
    assert titles(zoek="de R") == {"Koffie in de Ruwaard"}
    assert titles(soorten=("hulpvraag",)) == {"Wie maait mijn gras?"}
    oss_box = (5.3, 51.7, 5.7, 51.85)
    assert titles(bbox=oss_box) == {"Koffie in de Ruwaard", "Wie maait mijn gras?"}
    assert len(db.session.scalars(select(Post)).all()) == 3
