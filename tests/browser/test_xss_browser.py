"""Nothing anyone types runs in another person's browser.

The demo is loaded, then every free-text column (names, titles, descriptions, messages, reasons,
notes, file names) is overwritten with payloads from an XSS corpus. A browser then walks the site
as a visitor and as each kind of user, following every link, and on every page checks:
- no payload ran (``window.__xss`` stays unset, no dialog opened), with the real CSP on, and no
  template on the server evaluated one;
- no payload became markup: no element with an event-handler attribute, no ``javascript:`` link,
  no script or frame holding a payload. This part holds without the CSP too, so it tests escaping;
- the payloads are shown, as text (so the test cannot pass by showing nothing).
"""

from __future__ import annotations

from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import String, Text, UniqueConstraint, select, update

from omkijken import demo
from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.posts.models import Post
from omkijken.platform.wijkagenda.models import Agendapunt

MARK = "__xss"
CORPUS = [
    f"<script>window.{MARK}=1</script>",
    f'"><img src=x onerror="window.{MARK}=2">',
    f"'><svg onload=window.{MARK}=3>",
    f"javascript:window.{MARK}=4",
    f"`;window.{MARK}=5;`",
    f"${{window.{MARK}=6}}",
    f"</script><script>window.{MARK}=7</script>",
    f"{{{{ config }}}}{{% raw %}}<b onmouseover=window.{MARK}=8>8</b>",
    f'<a href="javascript:window.{MARK}=9">klik hier</a>',
    f"\u2028\u2029</textarea></title><script>window.{MARK}=10</script>",
    f'<iframe srcdoc="<script>parent.{MARK}=11</script>"></iframe>',
    f'" autofocus onfocus="window.{MARK}=12" x="',
    f"<details open ontoggle=window.{MARK}=13>",
    f"\\\"; window.{MARK}=14; //",
]
# Short enough for a title; breaks out of an attribute, a script, a JavaScript string or template literal.
# The braces are for templates on the server: "__ssti" appears only when one evaluates them.
SSTI = "{{'__ss'~'ti'}}"
POLYGLOT = SSTI + f"`;window.{MARK}=5;`${{window.{MARK}=6}}\"'><img src=x onerror=window.{MARK}=2></script><svg onload={MARK}=3>"
NOT_TYPED = {"soort", "onderwerp", "moderatie", "status", "categorie", "fase", "kant", "antwoord", "stop_reden",
             "via", "code", "voorkeur_taal", "voorkeur_geslacht", "plek_soort", "sluit_reden", "eind_reden", "bron",
             "afgewezen_door", "soort_koppeling", "role", "task", "last_error", "mime", "opslag_naam", "email",
             "password_hash", "login_token", "postcode", "huisnummer", "taal", "worker", "cbs_naam", "onderwerp"}
REFERENCE = {"gemeenten", "wijken", "buurten", "outbox_messages", "worker_heartbeats"}
SKIP_URL = ("/uitloggen", ".csv", ".xlsx", ".pdf", ".ics", "/bijlagen/", "/static/", "/api/", "/health")
ROLES = [None, "inwoner@demo.omkijken.nl", "vrijwilliger@demo.omkijken.nl", "coordinator@demo.omkijken.nl",
         "opbouwwerker@demo.omkijken.nl", "gemeente@demo.omkijken.nl", "beheerder@demo.omkijken.nl"]
PAGES_PER_ROLE = 45

FOUND_MARKUP = f"""() => {{
  const bad = [];
  for (const el of document.querySelectorAll('*')) {{
    for (const attr of el.attributes) {{
      if (attr.name.startsWith('on') && attr.value.includes('{MARK}')) bad.push(el.outerHTML.slice(0, 120));
    }}
  }}
  for (const a of document.querySelectorAll('a[href]')) {{
    if (a.getAttribute('href').trim().toLowerCase().startsWith('javascript:')) bad.push(a.outerHTML.slice(0, 120));
  }}
  // A payload's own element; our scripts may hold a payload only as text inside a string.
  for (const el of document.querySelectorAll('script')) {{
    if (/^(window|parent)\\.{MARK}=/.test(el.textContent.trim())) bad.push(el.outerHTML.slice(0, 120));
  }}
  for (const el of document.querySelectorAll('iframe[srcdoc], details[ontoggle]')) bad.push(el.outerHTML.slice(0, 120));
  return bad;
}}"""


def fill_every_text_with_payloads() -> int:
    """Overwrite each free-text value with a payload, by row, so every page shows several."""
    filled = 0
    for table in db.metadata.sorted_tables:
        if table.name in REFERENCE or "id" not in table.c:
            continue
        columns = [c for c in table.columns if isinstance(c.type, (String, Text)) and c.name not in NOT_TYPED
                   and not c.primary_key and not c.foreign_keys]
        if not columns:
            continue
        unique = {c.name for c in table.columns if c.unique}
        unique |= {c.name for constraint in table.constraints if isinstance(constraint, UniqueConstraint)
                   for c in constraint.columns}
        unique |= {c.name for index in table.indexes if index.unique for c in index.columns}
        for row_id in db.session.scalars(select(table.c.id)):
            values = {}
            for n, column in enumerate(columns):
                if column.type.length:
                    # A column that must differ per row (a gebied's name in its gemeente) ends in the row's id.
                    own = f" {row_id}" if column.name in unique else ""
                    values[column.name] = POLYGLOT[: column.type.length - len(own)] + own
                else:
                    values[column.name] = f"{POLYGLOT} {CORPUS[(row_id + n) % len(CORPUS)]}"
            db.session.execute(update(table).where(table.c.id == row_id).values(**values))
            filled += 1
    db.session.commit()
    return filled


def crawl(phone, starts: list[str]) -> tuple[list[str], list[str], int]:
    """Visit pages reachable by links, up to PAGES_PER_ROLE. Returns (visited, problems, pages showing a payload)."""
    base = phone.base_url
    queue, seen, visited, problems, showing = deque(starts), set(starts), [], [], 0
    while queue and len(visited) < PAGES_PER_ROLE:
        path = queue.popleft()
        response = phone.page.goto(base + path)
        phone.page.wait_for_load_state("load")
        visited.append(path)
        if response is None or response.status >= 500:
            problems.append(f"{path}: {response.status if response else 'geen antwoord'}")
            continue
        if phone.page.evaluate(f"typeof window.{MARK} !== 'undefined'"):
            problems.append(f"{path}: een payload liep (window.{MARK} = {phone.page.evaluate('window.' + MARK)})")
        problems += [f"{path}: {html}" for html in phone.page.evaluate(FOUND_MARKUP)]
        if "__ssti" in phone.page.content():
            problems.append(f"{path}: een template op de server voerde getypte tekst uit")
        problems += [f"{path}: {error}" for error in phone.errors if "Content Security Policy" in error]
        phone.errors.clear()
        showing += MARK in phone.page.inner_text("body")
        for href in phone.page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            target = urlsplit(urljoin(base + path, href))
            if target.netloc != urlsplit(base).netloc:
                continue
            link = target.path + (f"?{target.query}" if target.query else "")
            if link not in seen and not any(skip in link for skip in SKIP_URL):
                seen.add(link)
                queue.append(link)
    return visited, problems, showing


@pytest.mark.browser
def test_no_payload_in_any_text_field_runs_or_becomes_markup_for_anyone(app, browser, live_server):
    from tests.browser.conftest import PhonePage

    demo.seed(now=utcnow())
    assert fill_every_text_with_payloads() > 500
    # Pages a short walk might not reach: a punt with a place on its map (folium tooltip), a post.
    punt = db.session.scalar(select(Agendapunt.id).where(Agendapunt.lat.is_not(None), Agendapunt.moderatie == "goedgekeurd").limit(1))
    post = db.session.scalar(select(Post.id).limit(1))
    starts = ["/", f"/wijkagenda/punt/{punt}", f"/prikbord/{post}"]

    report, total_visited, total_showing = [], 0, 0
    for email in ROLES:
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
        dialogs: list[str] = []
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        phone = PhonePage(page, live_server)
        if email:
            phone.log_in(email, demo.DEMO_PASSWORD)
        visited, problems, showing = crawl(phone, starts)
        context.close()
        total_visited += len(visited)
        total_showing += showing
        report += [f"{email or 'bezoeker'} {line}" for line in problems + [f"dialoog: {d}" for d in dialogs]]
        assert len(visited) >= 10, f"{email}: maar {len(visited)} pagina's bereikt: {visited}"

    assert report == [], "\n".join(report)
    assert total_showing >= total_visited // 3, "de payloads staan bijna nergens: test controleert niets"
    print(f"XSS-corpus: {len(CORPUS)} payloads, {total_visited} pagina's bekeken door {len(ROLES)} rollen")
