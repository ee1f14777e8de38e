"""The demo subsidies behind `make run`: every status for both gemeenten, a real audit trail, work
for the gemeente login, and one-year answers behind the 80% figure; loaded once."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from omkijken import demo
from omkijken.platform.accounts import services as accounts
from omkijken.platform.areas.models import Gemeente
from omkijken.platform.clock import as_utc, utcnow
from omkijken.platform.extensions import db
from omkijken.platform.subsidies import lifecycle, opvolging, services, volledigheid
from omkijken.platform.subsidies.models import Regeling, Subsidieaanvraag, SubsidieBericht
from omkijken.platform.system import audit
from omkijken.platform.system.models import AuditEntry


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def test_every_status_for_both_gemeenten_work_for_the_gemeente_and_the_one_year_figures(app):
    now = utcnow()
    demo.seed(now=now)
    before = (_count(Regeling), _count(Subsidieaanvraag), _count(AuditEntry), _count(SubsidieBericht))
    again = demo.seed(now=now + timedelta(hours=1))
    assert (_count(Regeling), _count(Subsidieaanvraag), _count(AuditEntry), _count(SubsidieBericht)) == before
    assert again["regelingen"] == 0 and again["subsidieaanvragen"] == 0

    pieter = accounts.find_by_email("gemeente@demo.omkijken.nl")
    for code in ("GM0828", "GM0826"):
        gemeente = db.session.scalar(select(Gemeente).where(Gemeente.code == code))
        regelingen = db.session.scalars(select(Regeling).where(Regeling.gemeente_id == gemeente.id)).all()
        assert len(regelingen) == 2 and len({r.jaar for r in regelingen}) == 2
        aanvragen = db.session.scalars(select(Subsidieaanvraag).join(Regeling).where(
            Regeling.gemeente_id == gemeente.id)).all()
        statuses = Counter(a.status for a in aanvragen)
        assert set(statuses) == set(lifecycle.STATUSSEN), (code, statuses)
        assert statuses["ingediend"] >= 2
        for aanvraag in aanvragen:
            assert aanvraag.wijk.gemeente_id == gemeente.id
            assert aanvraag.aanvrager_id == aanvraag.initiatief.auteur_id
            assert 2 <= len(aanvraag.regels) <= 4 or aanvraag.status == "concept"
            if aanvraag.status in lifecycle.BESLUITEN | {"verantwoording_gevraagd", "verantwoord", "afgesloten"}:
                assert aanvraag.reden and aanvraag.besloten_at
            if aanvraag.status in lifecycle.MET_GELD:
                assert 0 < aanvraag.toegekend_cents <= aanvraag.regeling.max_per_aanvraag_cents
            if aanvraag.status in ("verantwoord", "afgesloten"):
                assert aanvraag.bereikt and aanvraag.werkelijke_kosten_cents is not None
                assert aanvraag.betaald_cents == aanvraag.toegekend_cents, "paid in full by the end"
            if aanvraag.status != "concept":
                trail = [e.besluit for e in reversed(audit.entries(onderwerp="subsidieaanvraag",
                                                                     onderwerp_id=aanvraag.id))
                         if e.besluit in lifecycle.STATUSSEN]
                assert trail[0] == "ingediend" and trail[-1] == aanvraag.status
                assert all(as_utc(e.at) <= now for e in audit.entries(onderwerp="subsidieaanvraag",
                                                                       onderwerp_id=aanvraag.id))
        assert volledigheid.remaining(max(regelingen, key=lambda r: r.jaar)) > 0
        assert any(a.berichten for a in aanvragen)

        figures = opvolging.summary(gemeente.id)
        assert figures.ja > figures.nee >= 1 and figures.share is not None and figures.open >= 1
    # Reminders of the accountability went out, at most two each.
    waiting = db.session.scalars(select(Subsidieaanvraag).where(
        Subsidieaanvraag.status == "verantwoording_gevraagd")).all()
    assert any(a.herinneringen for a in waiting) and all(a.herinneringen <= 2 for a in waiting)

    # Pieter can take a fresh one from intake to a decision, and close an accountability.
    ingediend = db.session.scalars(select(Subsidieaanvraag).where(Subsidieaanvraag.status == "ingediend")
                                   .order_by(Subsidieaanvraag.id)).all()
    assert len(ingediend) >= 3
    aanvraag = ingediend[0]
    assert volledigheid.completeness(aanvraag).ok
    services.move(aanvraag, "in_behandeling", by=pieter, now=utcnow())
    services.move(aanvraag, "toegekend", by=pieter, reden="Een goed plan.", now=utcnow())
    verantwoord = db.session.scalars(select(Subsidieaanvraag).where(Subsidieaanvraag.status == "verantwoord")).first()
    assert "afgesloten" in services.next_statuses(verantwoord, pieter)
    # An opvolging sweep right after the seed has nothing left to send.
    assert opvolging.sweep(now=now + timedelta(minutes=5)) == opvolging.SweepResult(0, 0)
