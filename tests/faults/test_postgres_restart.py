"""Fault 3: PostgreSQL restarts while people use the site. Pages fail only while it is down; then
the site (gunicorn, not restarted) and the worker carry on by themselves."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import requests
from sqlalchemy import select

from omkijken.platform import clock
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen.models import Voorstel
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Hulpvraag
from tests.support import NEAR_RUWAARD, RUWAARD, wait_for

PAGES = ("/prikbord", "/", "/agenda")
# A fast restart of an idle cluster takes about a second; the site may fail a little longer.
RECOVERY_S = 5.0


def test_the_site_and_the_worker_recover_from_a_postgres_restart(app, make_user, processes, web_server,
                                                                  postgres_cluster):
    now = clock.utcnow()
    sanne = make_user("sanne@example.nl", roles=("inwoner", "vrijwilliger"), home=NEAR_RUWAARD)
    truus = make_user("truus@example.nl", home=RUWAARD)
    posts.create(Aanbod(titel="Ik help in de tuin", categorieen=["tuinonderhoud"], radius_m=3000, capaciteit=3),
                 auteur=sanne, now=now - timedelta(days=1))
    db.session.commit()
    worker = processes("worker", "--concurrency=2")
    for page in PAGES:
        assert requests.get(web_server.url + page, timeout=10).status_code == 200, page

    log: list[tuple[float, bool]] = []
    stop = threading.Event()

    def load(offset: int) -> None:
        session = requests.Session()
        number = offset
        while not stop.is_set():
            number += 1
            try:
                ok = session.get(web_server.url + PAGES[number % len(PAGES)], timeout=10).status_code == 200
            except requests.RequestException:
                ok = False
            log.append((time.monotonic(), ok))
            time.sleep(0.05)

    threads = [threading.Thread(target=load, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        restart_from = time.monotonic()
        postgres_cluster.restart()
        restart_to = time.monotonic()
        time.sleep(RECOVERY_S + 4)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)

    before = [ok for at, ok in log if at < restart_from]
    after = [ok for at, ok in log if at > restart_to + RECOVERY_S]
    failed = [at for at, ok in log if not ok]
    assert before and all(before)
    assert len(after) > 20 and all(after), f"{after.count(False)} van {len(after)} mislukt na het herstel"
    if failed:
        print(f"{len(failed)} van {len(log)} verzoeken mislukten, {max(failed) - restart_from:.1f} s na de start "
              f"van een herstart van {restart_to - restart_from:.1f} s")

    # The worker's pooled connections were cut too: it carries on without a restart.
    assert worker.alive()
    vraag = posts.create(Hulpvraag(titel="Heg knippen", categorie="tuinonderhoud"), auteur=truus, now=clock.utcnow())
    db.session.commit()

    def matched() -> bool:
        db.session.rollback()
        return db.session.scalar(select(Voorstel.id).where(Voorstel.hulpvraag_id == vraag.id)) is not None

    wait_for(matched, timeout=30, what="de worker matcht weer na de herstart")
    assert worker.answers(app)
