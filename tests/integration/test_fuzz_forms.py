"""Hostile input on every form, every filter page and the JSON API (issue 8).

The forms are found, not listed: each demo role walks the site from its start pages, and every
``<form method="post">`` it meets is read for its action and field names. Hypothesis then posts
garbage into those fields (control characters and NUL, very long text, odd dates, huge and
negative numbers, lat/lon nonsense, emoji, RTL marks, SQL- and HTML-like text, missing and
doubled fields), with one free-text field kept at a known value. What a person must see:

- never a server error (5xx);
- when the input is refused, a visible message in Dutch on the page that comes back;
- the text they typed in the other field is still there.

The GET filters met on the walk, every route with an id or a token in its path, and the JSON API
get the same garbage in their query strings and paths. schemathesis checks the API against its
OpenAPI document in test_openapi_fuzz.py. Each test prints how many cases it ran (``fuzz ...``).
The examples are derandomized: CI runs the same cases every time, so a failure is reproducible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

# The value the person typed in one free-text field; it must come back when the form is refused.
GOED = "Goedemorgen buurt 42"

# Values that broke or could break something somewhere: dates, numbers, coordinates, markup, SQL.
NARE_WAARDEN = [
    "", " ", "\x00", "a\x00b", "\r\n", "\t", "\u202e\u202dabc", "\u200f\u05e9\u05dc\u05d5\u05dd", "😀" * 20,
    "0000-00-00", "2024-02-30", "9999-12-31", "0001-01-01", "31-12-2024", "2024-13-01", "24:00", "99:99",
    "-1", "0", "-0", "1e309", "NaN", "inf", "-inf", "1.5", "9" * 40, "-" + "9" * 30, str(2**63), str(-(2**63) - 1),
    "\u0663", "\uff11\uff12", "91", "-181", "52.0,5.0", "lat", "1,5", "€ 12,50", "-12,50",
    "' OR 1=1 --", "'; DROP TABLE users; --", "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
    "{{7*7}}", "%s%s%n", "../../etc/passwd", "a" * 5000, "x" * 100_001,
]

# Messages WTForms and Flask-WTF say in English when no Dutch one was given.
ENGELS = re.compile(
    r"This field is required|Not a valid|Invalid (?:value|input|email|choice|Choice)|Field must be"
    r"|Number must be|is not a valid choice|The CSRF token|Please enter|must be between",
)
FOUT = re.compile(r'class="(?:error|error-summary|flash flash-error)[" ]|class="flash flash-warning"[^>]*>(?!Let op: er draait geen)')

# No shrinking: a form changes the world it is posted to (a closed post stays closed), so a
# failure found once is reported as found, with its input, instead of a flaky shrink.
FUZZ_SETTINGS = dict(deadline=None, database=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
                     report_multiple_bugs=False, suppress_health_check=list(HealthCheck))

NIET_VOLGEN = ("/static/", "/api/", "/uitloggen", "/taal")
NIET_VOLGEN_EINDE = (".csv", ".xlsx", ".pdf", ".ics", ".json", ".geojson")


@dataclass
class Veld:
    naam: str
    soort: str  # input type, "select" or "textarea"
    waarde: str = ""
    keuzes: list[str] = field(default_factory=list)


@dataclass
class Formulier:
    action: str
    method: str
    velden: dict[str, Veld]
    pagina: str
    multipart: bool = False


class _FormParser(HTMLParser):
    """Forms, their fields and the links of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Formulier] = []
        self.links: list[str] = []
        self._form: Formulier | None = None
        self._select: Veld | None = None
        self._textarea: Veld | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Formulier(a.get("action", ""), a.get("method", "get").lower(), {}, "",
                                   "multipart" in a.get("enctype", ""))
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            soort = a.get("type", "text").lower()
            if soort in ("submit", "button", "image", "reset"):
                return
            veld = self._form.velden.setdefault(a["name"], Veld(a["name"], soort))
            if soort in ("checkbox", "radio"):
                veld.keuzes.append(a.get("value", "on"))
                if "checked" in a:
                    veld.waarde = a.get("value", "on")
            else:
                veld.waarde = a.get("value", "")
        elif tag == "select" and a.get("name"):
            self._select = self._form.velden.setdefault(a["name"], Veld(a["name"], "select"))
        elif tag == "option" and self._select is not None:
            self._select.keuzes.append(a.get("value", ""))
            if "selected" in a or not self._select.waarde:
                self._select.waarde = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = self._form.velden.setdefault(a["name"], Veld(a["name"], "textarea"))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.waarde += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def read_page(html: str, url: str) -> _FormParser:
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        form.pagina = url
        form.action = urlsplit(urljoin(url, form.action or url)).path if form.method == "post" else (
            urljoin(url, form.action or url))
    return parser


def login_as(client, email: str | None, *, keep_csrf: bool = False) -> None:
    """Straight into the session (the login form has its own rate limit and its own fuzz case)."""
    from omkijken.platform.accounts import services as accounts
    from omkijken.platform.extensions import db

    db.session.rollback()
    user = accounts.find_by_email(email)
    with client.session_transaction() as session:
        csrf = session.get("csrf_token")
        session.clear()
        if keep_csrf and csrf:
            session["csrf_token"] = csrf
        if user is not None:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True


def _volgen(href: str) -> bool:
    path = urlsplit(href).path
    return (href.startswith("/") and not href.startswith("//") and not path.startswith(NIET_VOLGEN)
            and not path.endswith(NIET_VOLGEN_EINDE))


def crawl(app, client, start: list[str], *, per_endpoint: int = 2, limit: int = 120):
    """Visit pages breadth first, at most ``per_endpoint`` per route: the forms and GET filters met."""
    adapter = app.url_map.bind("localhost")
    seen: set[str] = set()
    per: dict[str, int] = {}
    queue = list(start)
    pages: dict[str, _FormParser] = {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        split = urlsplit(url)
        try:
            endpoint, _ = adapter.match(split.path, method="GET")
        except Exception:
            continue
        if per.get(endpoint, 0) >= per_endpoint and url not in start:
            continue
        per[endpoint] = per.get(endpoint, 0) + 1
        response = client.get(url)
        assert response.status_code < 500, f"{url}: {response.status_code}"
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = read_page(response.get_data(as_text=True), url)
        pages[url] = page
        queue.extend(urljoin(url, h).replace("http://localhost", "") for h in page.links
                     if _volgen(urljoin(url, h).replace("http://localhost", "")))
    return pages


# --- the hostile values ---------------------------------------------------------------------

_tekens = st.characters(exclude_categories=("Cs",))  # everything a browser can send as UTF-8
naar_tekst = st.one_of(
    st.sampled_from(NARE_WAARDEN),
    st.text(_tekens, max_size=60),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates(min_value=date(1, 1, 1)).map(lambda d: d.isoformat()),
)


def waarde_voor(veld: Veld):
    """Mostly garbage; sometimes what a browser would send, left out, or sent twice."""
    goed = st.sampled_from(veld.keuzes) if veld.keuzes else st.just(veld.waarde)
    return st.one_of(
        naar_tekst,
        goed,
        st.none(),  # left out
        st.lists(st.one_of(naar_tekst, goed), min_size=2, max_size=3),  # sent twice or more
    )


def marker_veld(form: Formulier) -> str | None:
    """The free-text field that holds the person's good input during the fuzzing."""
    kandidaten = [v.naam for v in form.velden.values()
                  if v.soort in ("text", "textarea", "search") and v.naam != "csrf_token"]
    for voorkeur in ("titel", "naam", "tekst", "beschrijving", "toelichting"):
        if voorkeur in kandidaten:
            return voorkeur
    return kandidaten[0] if kandidaten else None


@dataclass
class Teller:
    cases: int = 0
    refused: int = 0
    forms: int = 0


def _samenvatting(body: str) -> str:
    """The title and the messages of a page, for a failure that says what the person saw."""
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    alerts = re.findall(r'class="(?:error|flash [^"]*)"[^>]*>([^<]*)', body)
    return f"titel {title.group(1) if title else '?'!r}, meldingen {alerts}"


def check_response(response, *, what: str, marker: str | None, strict: bool = True,
                   form_action: str | None = None) -> bool:
    """No 5xx; a refusal says why in Dutch and keeps the good text. True when refused.

    ``strict`` is off when a hidden field was tampered with: no browser sends that, so a plain
    refusal is enough there."""
    status = response.status_code
    body = response.get_data(as_text=True)
    assert status < 500, f"{what}: {status}\n{body[:2000]}"
    assert not ENGELS.search(body), f"{what}: Engelse foutmelding\n{ENGELS.search(body).group(0)}"
    if not strict or (status == 422 and form_action is not None and f'action="{form_action}"' not in body):
        return status >= 400
    if status in (200, 400, 422) and response.mimetype == "text/html" and FOUT.search(body):
        if marker is not None:
            assert GOED in body, f"{what}: de ingevulde tekst ({marker}) is weg na een fout; {_samenvatting(body)}"
        return True
    if status in (400, 422):
        assert FOUT.search(body) or response.mimetype == "application/json", (
            f"{what}: {status} zonder zichtbare uitleg; {_samenvatting(body)}")
        return True
    return False


def _waar(error: BaseException) -> str:
    """Where in our code an exception came from (the app raises through the test client)."""
    import traceback

    frames = [f for f in traceback.extract_tb(error.__traceback__) if "/omkijken/" in f.filename]
    return "".join(traceback.format_list(frames[-3:]))


def _tampered(veld: Veld, value) -> bool:
    """A value no browser sends for this field: a changed hidden field, a choice not offered."""
    if value is None:
        return False
    sent = value if isinstance(value, list) else [value]
    if veld.soort == "hidden":
        return sent != [veld.waarde]
    if veld.keuzes:
        return any(v not in veld.keuzes for v in sent if v is not None)
    return False


def fuzz_form(client, form: Formulier, email: str, teller: Teller, *, max_examples: int) -> None:
    from omkijken.platform.extensions import db

    marker = marker_veld(form)
    csrf_name = next((n for n in form.velden if n.endswith("csrf_token")), None)
    fuzzable = {n: v for n, v in form.velden.items() if n != csrf_name and n != marker and v.soort != "file"}
    names = sorted(fuzzable)
    login_as(client, email)
    token = re.search(r'name="[^"]*csrf_token"[^>]*value="([^"]+)"', client.get(form.pagina).get_data(as_text=True))

    @settings(max_examples=max_examples, **FUZZ_SETTINGS)
    @given(st.fixed_dictionaries({n: waarde_voor(fuzzable[n]) for n in names}))
    def run(values):
        login_as(client, email, keep_csrf=True)
        data = MultiDict()
        if token and csrf_name:
            data.add(csrf_name, token.group(1))
        if marker:
            data.add(marker, GOED)
        for name, value in values.items():
            for one in value if isinstance(value, list) else [value]:
                if one is not None:
                    data.add(name, one)
        response = client.post(form.action, data=data)
        teller.cases += 1
        shown = {k: (v if len(v) < 40 else v[:40] + "…") for k, v in data.items(multi=True) if k != csrf_name}
        # Strict only for what a browser can send: no hidden field tampered with, and the form still
        # offered (an earlier case may have moved the thing on, e.g. an aanvraag decided).
        tampered = token is None or any(_tampered(fuzzable[n], values[n]) for n in names)
        if check_response(response, what=f"POST {form.action} als {email} met {shown}", marker=marker,
                          strict=not tampered, form_action=form.action):
            teller.refused += 1
        db.session.rollback()

    run()
    teller.forms += 1


# --- the demo world and its people ------------------------------------------------------------

ROLLEN = {
    "anoniem": None,
    "inwoner": "inwoner@demo.omkijken.nl",
    "vrijwilliger": "vrijwilliger@demo.omkijken.nl",
    "organisatie": "organisatie@demo.omkijken.nl",
    "coordinator": "coordinator@demo.omkijken.nl",
    "opbouwwerker": "opbouwwerker@demo.omkijken.nl",
    "gemeente": "gemeente@demo.omkijken.nl",
    "beheerder": "beheerder@demo.omkijken.nl",
}
START = ["/", "/prikbord", "/kaart", "/plaatsen", "/profiel", "/wijkagenda", "/wijkagenda/WK082806",
         "/agenda", "/sociale-kaart", "/voorstellen", "/gesprekken", "/mijn-berichten", "/voor-jou",
         "/coordinatie", "/coordinatie/nazorg", "/coordinatie/collectief", "/moderatie", "/moderatie/logboek",
         "/wijkagenda/WK082806/sociale-agenda/bewerken", "/subsidies/gemeente", "/subsidies/cijfers",
         "/inzicht", "/inzicht/kaart", "/inzicht/wachtlijst", "/beheer/gebruikers", "/beheer/diensten",
         "/beheer/diensten/nieuw", "/beheer/regelingen", "/inloggen", "/registreren"]


@pytest.fixture
def demo_world(app):
    from omkijken import demo
    from omkijken.platform.clock import utcnow
    from omkijken.platform.extensions import db

    demo.seed(now=utcnow())
    db.session.commit()
    return app


def people(app) -> list[tuple[str | None, list[str]]]:
    """Who walks the site from where: each demo role from the common start pages, and the people
    whose forms only they see (an aanvrager per state of an aanvraag, a check-in's person)."""
    from sqlalchemy import select

    from omkijken.platform.extensions import db
    from omkijken.platform.koppelingen import lifecycle
    from omkijken.platform.koppelingen.models import Checkin
    from omkijken.platform.posts.models import Aanbod, Initiatief
    from omkijken.platform.subsidies.models import Subsidieaanvraag
    from tests.pages import own_questions

    walks: list[tuple[str | None, list[str]]] = [(email, START) for email in ROLLEN.values()]
    soorten = ["hulpvraag", "aanbod", "vacature", "initiatief", "ontmoetingsplek", "activiteit"]
    walks += [(ROLLEN[r], [f"/plaatsen/{s}" for s in soorten]) for r in ("inwoner", "organisatie", "opbouwwerker")]
    aanbod = db.session.scalars(select(Aanbod).limit(1)).first()
    if aanbod is not None:
        walks.append((ROLLEN["inwoner"], [f"/prikbord/{aanbod.id}/vraag-hulp"]))
    per_status: dict[str, Subsidieaanvraag] = {}
    for aanvraag in db.session.scalars(select(Subsidieaanvraag).order_by(Subsidieaanvraag.id)):
        per_status.setdefault(aanvraag.status, aanvraag)
    for aanvraag in per_status.values():
        if aanvraag.aanvrager is not None:
            walks.append((aanvraag.aanvrager.email, [f"/subsidies/{aanvraag.id}", f"/subsidies/{aanvraag.id}/bewerken",
                                                      f"/subsidies/{aanvraag.id}/intrekken"]))
    walks.append((ROLLEN["gemeente"], [f"/subsidies/gemeente/{a.id}" for a in per_status.values()]))
    zonder = db.session.scalars(select(Initiatief).where(
        ~Initiatief.id.in_(select(Subsidieaanvraag.initiatief_id).where(Subsidieaanvraag.initiatief_id.is_not(None))))
    ).first()
    if zonder is not None:
        walks.append((zonder.auteur.email, [f"/prikbord/{zonder.id}", f"/subsidies/nieuw/{zonder.id}"]))
    checkin = db.session.scalars(select(Checkin).where(Checkin.status.in_(lifecycle.CHECKIN_OPEN)).limit(1)).first()
    if checkin is not None:
        walks.append((checkin.user.email, [f"/checkins/{checkin.id}"]))
    walks.append((ROLLEN["inwoner"], own_questions(ROLLEN["inwoner"])))  # "Hoe gaat het met je?" (issue 23)
    return walks


def discover(app, client) -> tuple[list[tuple[str | None, Formulier]], list[tuple[str | None, Formulier]]]:
    """Every post form (first role that meets it) and every GET filter form, per route."""
    adapter = app.url_map.bind("localhost")
    posts: dict[tuple, tuple[str | None, Formulier]] = {}
    gets: dict[str, tuple[str | None, Formulier]] = {}
    for email, start in people(app):
        login_as(client, email)
        for url, page in crawl(app, client, start).items():
            for form in page.forms:
                if form.method == "post":
                    try:
                        endpoint, _ = adapter.match(form.action, method="POST")
                    except Exception:
                        continue
                    if endpoint in ("accounts.logout", "core.set_language"):
                        continue
                    posts.setdefault((endpoint, tuple(sorted(form.velden))), (email, form))
                else:
                    try:
                        endpoint, _ = adapter.match(urlsplit(form.action).path, method="GET")
                    except Exception:  # noqa: BLE001 - a search form pointing off the site
                        continue
                    gets.setdefault(endpoint, (email, form))
    return list(posts.values()), list(gets.values())


# Routes the walk must reach, so a broken crawl cannot pass by finding nothing.
MOET_VINDEN = {
    "accounts.login", "accounts.register", "accounts.profile", "posts.plaatsen", "posts.bewerken", "posts.reageer",
    "posts.melden", "posts.status", "posts.gesprek", "wijkagenda.nieuw", "wijkagenda.reactie", "wijkagenda.steun",
    "moderatie.besluit", "sociale_agenda.bewaren", "sociale_agenda.thema", "coordinatie.koppelen",
    "coordinatie.notitie", "koppelingen.nee", "koppelingen.vraag_hulp", "nazorg.checkin", "nazorg.vastleggen",
    "subsidies.nieuw", "subsidies.bewerken", "subsidies_gemeente.actie", "subsidies_gemeente.regelingen",
    "diensten.nieuw", "accounts.admin_user", "nazorg.hoe_gaat_het",
}
MAX_PER_FORM = 8
MAX_PER_FILTER = 15


def fuzz_filter(client, form: Formulier, email: str | None, teller: Teller) -> None:
    """A list or filter page with garbage in its query string: never a 5xx, never an English error."""
    names = sorted(n for n in form.velden if not n.endswith("csrf_token"))
    path = urlsplit(form.action).path

    @settings(max_examples=MAX_PER_FILTER, **FUZZ_SETTINGS)
    @given(st.fixed_dictionaries({n: waarde_voor(form.velden[n]) for n in names}))
    def run(values):
        login_as(client, email)
        query = [(n, one) for n, v in values.items() for one in (v if isinstance(v, list) else [v]) if one is not None]
        response = client.get(path, query_string=query)
        teller.cases += 1
        body = response.get_data(as_text=True)
        assert response.status_code < 500, f"GET {path}?{urlencode(query)[:300]} als {email}: {response.status_code}"
        assert not ENGELS.search(body), f"GET {path}: Engelse foutmelding {ENGELS.search(body).group(0)}"

    run()
    teller.forms += 1


def test_every_form_and_filter_survives_hostile_input(demo_world, client, capsys):
    adapter = demo_world.url_map.bind("localhost")
    posts, gets = discover(demo_world, client)
    found = {adapter.match(f.action, method="POST")[0] for _, f in posts}
    assert MOET_VINDEN <= found, f"niet gevonden: {sorted(MOET_VINDEN - found)}"

    teller, fouten = Teller(), []
    for email, form in posts:
        try:
            fuzz_form(client, form, email, teller, max_examples=MAX_PER_FORM)
        except Exception as error:  # noqa: BLE001 - every broken form is listed, not only the first
            fouten.append(f"POST {form.action}: {type(error).__name__}: {str(error)[:1500]}\n{_waar(error)}")
    filters = Teller()
    for email, form in gets:
        try:
            fuzz_filter(client, form, email, filters)
        except Exception as error:  # noqa: BLE001
            fouten.append(f"GET {form.action}: {type(error).__name__}: {str(error)[:1500]}")
    with capsys.disabled():
        print(f"\nfuzz forms: {teller.forms} post forms, {teller.cases} cases ({teller.refused} refused); "
              f"{filters.forms} filter pages, {filters.cases} cases")
    assert not fouten, "\n\n".join(fouten)


API_PARAMS = ["bbox", "type", "soort", "categorie", "wijk", "zoek", "afstand", "van", "tot", "gemeente"]
MAX_API = 80
MAX_PATHS = 60


def test_the_json_api_answers_garbage_with_a_dutch_400(app, make_user, client, capsys):
    """Every parameter the API knows (and the same ones twice), garbage in each: a 200 or a JSON
    error in Dutch; /kpi as a logged-in gemeente so the parameters are read at all."""
    make_user("gemeente@example.nl", roles=("gemeente",))
    teller = Teller()
    waarde = st.one_of(naar_tekst, st.lists(naar_tekst, min_size=2, max_size=3), st.none())

    @settings(max_examples=MAX_API, **FUZZ_SETTINGS)
    @given(st.sampled_from(["/api/v1/posts.geojson", "/api/v1/kpi"]),
           st.fixed_dictionaries({}, optional={n: waarde for n in API_PARAMS}))
    def run(path, values):
        login_as(client, "gemeente@example.nl")
        query = [(n, one) for n, v in values.items() for one in (v if isinstance(v, list) else [v]) if one is not None]
        response = client.get(path, query_string=query)
        teller.cases += 1
        assert response.status_code in (200, 400), f"GET {path}?{urlencode(query)[:300]}: {response.status_code}"
        body = response.get_json(force=True)
        if response.status_code == 400:
            teller.refused += 1
            assert body["error"] and not ENGELS.search(body["error"]), body

    run()
    with capsys.disabled():
        print(f"\nfuzz api: {teller.cases} cases ({teller.refused} refused)")


def test_ids_and_tokens_in_urls_are_not_found_or_refused_never_a_500(app, make_user, client, capsys):
    """Every route with an id or a token in its path, with numbers past any column and tokens of
    random text: a 4xx (or a page that says the link is wrong), never a 5xx."""
    make_user("beheerder@example.nl", roles=("beheerder", "coordinator", "gemeente", "opbouwwerker"),
              wijken=("WK082806",))
    rules = [r for r in app.url_map.iter_rules() if r.arguments and "GET" in r.methods
             and not r.rule.startswith("/static")]
    assert len(rules) > 20
    teller = Teller()
    id_waarde = st.one_of(st.integers(min_value=0, max_value=10**30), st.sampled_from([2**31 - 1, 2**31, 2**63]))
    tekst = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="/?#%"), min_size=1, max_size=80)

    @settings(max_examples=MAX_PATHS, **FUZZ_SETTINGS)
    @given(st.sampled_from(rules), st.data())
    def run(rule, data):
        login_as(client, "beheerder@example.nl")
        values = {}
        for name in rule.arguments:
            converter = rule._converters[name].__class__.__name__
            values[name] = data.draw(id_waarde if "Integer" in converter or "Id" in converter else tekst, label=name)
        try:
            url = app.url_map.bind("localhost").build(rule.endpoint, values)
        except Exception:  # noqa: BLE001 - a value the route itself cannot hold (an id past its max)
            url = rule.rule
            for name, value in values.items():
                url = re.sub(rf"<(?:\w+:)?{name}>", str(value), url)
        response = client.get(url)
        teller.cases += 1
        assert response.status_code < 500, f"GET {url}: {response.status_code}"

    run()
    with capsys.disabled():
        print(f"\nfuzz url ids and tokens: {teller.cases} cases over {len(rules)} routes")
