"""The demo wijkagenda behind `make run`: what a resident or an opbouwwerker logging in would notice."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from omkijken import demo
from omkijken.platform.accounts import services as accounts
from omkijken.platform.accounts.permissions import moderated_wijk_ids
from omkijken.platform.areas import services as areas
from omkijken.platform.clock import as_utc, utcnow
from omkijken.platform.extensions import db
from omkijken.platform.moderatie import services as moderatie
from omkijken.platform.posts.models import Post
from omkijken.platform.system import audit
from omkijken.platform.system.models import AuditEntry
from omkijken.platform.wijkagenda import services, sociale_agenda
from omkijken.platform.wijkagenda.models import Agendapunt, Reactie, SocialeAgenda, Steun, Wijkvolger

OPBOUWWERKERS = ("opbouwwerker@demo.omkijken.nl", "opbouwwerker.oosterhout@demo.omkijken.nl")


def _count(model, column=None) -> int:
    return db.session.scalar(select(func.count(column if column is not None else model.id)))


def test_a_lively_wijkagenda_a_published_sociale_agenda_and_a_workable_queue_loaded_once(app):
    now = utcnow()
    demo.seed(now=now)
    before = {"punten": _count(Agendapunt), "steun": _count(Steun, Steun.punt_id), "reacties": _count(Reactie),
              "volgers": _count(Wijkvolger), "audit": _count(AuditEntry), "agendas": _count(SocialeAgenda)}
    again = demo.seed(now=now + timedelta(hours=1))

    assert {"punten": _count(Agendapunt), "steun": _count(Steun, Steun.punt_id), "reacties": _count(Reactie),
            "volgers": _count(Wijkvolger), "audit": _count(AuditEntry), "agendas": _count(SocialeAgenda)} == before
    assert again["agendapunten"] == 0 and again["moderatiebesluiten"] == 0

    for code in ("WK082806", "WK082606"):  # de Ruwaard, Dommelbergen
        wijk = areas.wijk_by_code(code)
        regels = services.wijkagenda(wijk, None)
        assert len(regels) >= 10, wijk.naam
        steun = sorted((r.steun for r in regels), reverse=True)
        assert steun[0] >= 15 and steun[len(steun) // 2] <= 12, steun  # a few the wijk wants, most a handful
        assert {"besproken", "sociale_agenda", "in_uitvoering", "gerealiseerd", "niet_opgepakt"} <= {
            r.punt.status for r in regels}
        assert all(r.punt.status_reden for r in regels if r.punt.status == "niet_opgepakt")
        punten = db.session.scalars(select(Agendapunt).where(Agendapunt.wijk_id == wijk.id)).all()
        assert all(p.is_demo for p in punten)
        created = [as_utc(p.created_at) for p in punten]
        assert max(created) <= now and max(created) - min(created) > timedelta(days=180)
        assert {p.plek is None for p in punten} == {True, False}
        assert Counter(p.moderatie for p in punten)["samengevoegd"] == 1
        assert all(p.moderatie_reden for p in punten if p.moderatie in ("geweigerd", "wijziging_gevraagd"))
        assert {"geweigerd", "wijziging_gevraagd", "ingediend"} <= {p.moderatie for p in punten}
        assert any(r.punt.reacties for r in regels) and any(services.helpers(r.punt) for r in regels)

        agenda = sociale_agenda.published(wijk)
        assert agenda is not None and agenda.is_demo and 3 <= len(agenda.themas) <= 4
        assert all(t.titel and t.tekst and t.wie for t in agenda.themas)
        placed = [p for t in agenda.themas for p in t.punten]
        assert len(placed) >= 5 and all(p.is_public for p in placed)
        assert all(p.status in ("sociale_agenda", "in_uitvoering", "gerealiseerd") for p in placed)

    assert db.session.scalar(select(func.count(Wijkvolger.id))) >= 25
    assert db.session.scalar(select(func.count(Wijkvolger.id)).where(Wijkvolger.per_mail.is_(False))) >= 1

    for email in OPBOUWWERKERS:
        user = accounts.find_by_email(email)
        queue = moderatie.wachtrij(user)
        own = moderated_wijk_ids(user)
        assert 5 <= queue.count <= 20, (email, queue.count)
        assert queue.punten and queue.meldingen and queue.posts
        assert {p.wijk_id for p in queue.punten} | {p.wijk_id for p, _ in queue.meldingen} | {
            p.wijk_id for p in queue.posts} <= own
        assert all(post.verborgen and len(meldingen) >= 3 for post, meldingen in queue.meldingen)
        assert audit.entries(wijk_ids=own), email
    # The many posts the rest of the demo placed do not all wait for a look.
    waiting = db.session.scalar(select(func.count(Post.id)).where(
        Post.soort.in_(moderatie.REVIEWED_SOORTEN), Post.beoordeeld_at.is_(None)))
    assert 0 < waiting <= 8

    entries = audit.entries(limit=1000)
    assert len(entries) >= 60
    assert {"goedkeuren", "weigeren", "wijziging_vragen", "samenvoegen", "besproken", "sociale_agenda",
            "in_uitvoering", "gerealiseerd", "niet_opgepakt", "publiceren"} <= {e.besluit for e in entries}
    assert all(as_utc(e.at) <= now for e in entries)
