"""A list of pages of every kind, as each role sees them on the demo, for the standards checks.

The demo is loaded, then the Flask test client walks the site from the home page as a visitor
and as each demo role, following links. Of each kind of page (the path with its ids, months and
tokens taken out) it keeps the first one, so the list holds every kind reachable, once per role,
and stays short enough to check in a browser. Used by tests/integration/test_html_valid.py (the
Nu HTML Checker) and tests/browser/test_axe_every_page.py (axe-core).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from sqlalchemy import select

from omkijken import demo
from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from tests.support import commit, submit

ROLES = [None, "inwoner@demo.omkijken.nl", "vrijwilliger@demo.omkijken.nl", "coordinator@demo.omkijken.nl",
         "opbouwwerker@demo.omkijken.nl", "gemeente@demo.omkijken.nl", "beheerder@demo.omkijken.nl"]
# Not HTML pages, or pages that end the walk (logging out).
SKIP = ("/uitloggen", ".csv", ".xlsx", ".pdf", ".ics", ".json", ".xml", ".txt", ".webmanifest", "/bijlagen/",
        "/static/", "/api/", "/health", "/feed", "/sw.js")
KINDS_PER_ROLE = 120
# Pages a short walk might not reach, and the page of a path that does not exist.
EXTRA = ["/nergens"]


@dataclass(frozen=True)
class Page:
    role: str | None
    path: str
    status: int
    html: str


def kind(path: str) -> str:
    """The kind of page: /prikbord/12 and /prikbord/40 are one kind, /inzicht/wachtlijst/2026-11 another."""
    path = urlsplit(path).path
    path = re.sub(r"\d{4}-\d{2}(-\d{2})?", "{datum}", path)
    path = re.sub(r"/[A-Za-z0-9_.\-]{24,}", "/{token}", path)
    path = re.sub(r"/(WK|GM|BU)\d+(?=/|$)", "/{gebied}", path)
    return re.sub(r"/\d+(?=/|$)", "/{id}", path)


def seed_demo() -> None:
    demo.seed(now=utcnow())
    commit()


def own_questions(role: str | None) -> list[str]:
    """"Hoe gaat het met je?" is linked only from the koppeling it is due for, which a walk that keeps
    one koppeling page per role may not open (issue 23, item 8)."""
    from omkijken.platform.accounts import services as accounts
    from omkijken.platform.koppelingen import welzijn
    from omkijken.platform.koppelingen.models import Koppeling

    user = accounts.find_by_email(role) if role else None
    if user is None:
        return []
    now = utcnow()
    return [f"/koppelingen/{k.id}/hoe-gaat-het"
            for k in db.session.scalars(select(Koppeling).where(Koppeling.hulpvrager_id == user.id))
            if welzijn.moment_due(k, user, now=now)][:1]


def walk(app, role: str | None) -> list[Page]:
    """The pages of every kind one role reaches by links from the home page."""
    client = app.test_client()
    if role:
        response = submit(client, "/inloggen", {"email": role, "password": demo.DEMO_PASSWORD})
        assert response.status_code == 302, f"{role} kan niet inloggen"
    from omkijken.platform.posts.models import Post
    from omkijken.platform.wijkagenda.models import Agendapunt

    punt = db.session.scalar(select(Agendapunt.id).where(Agendapunt.lat.is_not(None),
                                                         Agendapunt.moderatie == "goedgekeurd").limit(1))
    post = db.session.scalar(select(Post.id).limit(1))
    starts = ["/", f"/prikbord/{post}", f"/wijkagenda/punt/{punt}", *EXTRA, *own_questions(role)]
    queue, kinds, pages = deque(starts), {kind(p) for p in starts}, []
    while queue and len(pages) < KINDS_PER_ROLE:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code in (301, 302, 303):
            link = _own(path, response.headers["Location"])
            if link and kind(link) not in kinds:
                kinds.add(kind(link))
                queue.append(link)
            continue
        if "text/html" not in response.content_type:
            continue
        html = response.get_data(as_text=True)
        pages.append(Page(role, path, response.status_code, html))
        for href in re.findall(r'<a [^>]*href="([^"]+)"', html):
            link = _own(path, href.replace("&amp;", "&"))
            if link and kind(link) not in kinds:
                kinds.add(kind(link))
                queue.append(link)
    return pages


def _own(base: str, href: str) -> str | None:
    """The path of a link to a page of this site worth checking, or None."""
    target = urlsplit(urljoin("http://localhost" + base, href))
    if target.netloc != "localhost" or target.scheme not in ("http", "https"):
        return None
    link = target.path + (f"?{target.query}" if target.query else "")
    if any(skip in link for skip in SKIP):
        return None
    return link


def every_page(app) -> list[Page]:
    """The demo's pages of every kind, for each role (a visitor first)."""
    seed_demo()
    return [page for role in ROLES for page in walk(app, role)]
