"""Every route, called by every role, against a world that belongs to someone else.

The routes come from ``app.url_map``: a new route (endpoint + method) that has no row in EXPECTED
fails this test with the row to add. What each caller may do is in EXPECTED, one readable table.

Outcomes:
  OK     the page or the action works (2xx, 3xx that is not the login page, or 422 for an empty form)
  LOGIN  an anonymous visitor is sent to the login page
  NEE    refused: 403, or 404 (an id that is not yours is treated as one that does not exist)
  LINK   a signed link whose token is forged: 400/404/410 with a page in Dutch, never data

State-changing POSTs are sent with an empty form, after all GETs, and logging out comes last,
so every call sees the same world (what an empty form may still change never turns an allowed
call into a refused one).
"""

from __future__ import annotations

from typing import Any

from omkijken.platform.extensions import limiter
from tests.integration.authorization_world import AANVRAAG_TITEL, CALLERS, PUNT_TITEL, build
from tests.support import csrf_token, submit

OK, LOGIN, NEE, LINK = "OK", "LOGIN", "NEE", "LINK"
ROLES = tuple(CALLERS)


def groep(toegestaan: tuple[str, ...], *, anoniem: str = LOGIN) -> dict[str, str]:
    """Callers in ``toegestaan`` may; an anonymous visitor gets ``anoniem``; the rest is refused."""
    return {role: OK if role in toegestaan else (anoniem if role == "anoniem" else NEE) for role in ROLES}


def behalve(base: dict[str, str], **changes: str) -> dict[str, str]:
    return {**base, **changes}


PUBLIC = {role: OK for role in ROLES}
LOGGED_IN = behalve(PUBLIC, anoniem=LOGIN)
OWNER = groep(("eigenaar",))
# A voorstel, koppeling or check-in: its two people, and the coordinators of its dienst (the beheerder).
KANT = groep(("eigenaar", "beheerder"))
SIGNED_LINK = {role: LINK for role in ROLES}
BEHEERDER = groep(("beheerder",))
COORDINATIE = groep(("beheerder",))  # the world's vraag is Burenhulp's; the coordinator does Blink
INZICHT = groep(("gemeente", "coordinator", "beheerder"))
GEMEENTE = groep(("gemeente", "beheerder"))
# The aanvraag lies in Ruwaard: the opbouwwerker of Dommelbergen has the role but not the wijk.
SUBSIDIE_BEHANDELING = groep(("gemeente", "beheerder"))
MODERATIE_RUWAARD = groep(("beheerder",))

EXPECTED: dict[tuple[str, str], dict[str, str]] = {
    # --- public pages ---
    ("core.home", "GET"): PUBLIC,
    ("core.health", "GET"): PUBLIC,
    ("core.robots", "GET"): PUBLIC,
    ("core.security_txt", "GET"): PUBLIC,
    ("prikbord.sitemap", "GET"): PUBLIC,
    ("core.set_language", "POST"): PUBLIC,
    # The app on a phone (issue 22): icons, manifest, service worker, offline and install pages.
    ("app.apple_touch_icon", "GET"): PUBLIC,
    ("app.favicon", "GET"): PUBLIC,
    ("app.manifest", "GET"): PUBLIC,
    ("app.offline", "GET"): PUBLIC,
    ("app.op_je_telefoon", "GET"): PUBLIC,
    ("app.service_worker", "GET"): PUBLIC,
    ("static", "GET"): PUBLIC,
    ("prikbord.lijst", "GET"): PUBLIC,
    ("prikbord.kaart", "GET"): PUBLIC,
    ("posts.detail", "GET"): PUBLIC,
    ("agenda.overzicht", "GET"): PUBLIC,
    ("agenda.gebied", "GET"): PUBLIC,
    ("agenda.ics", "GET"): PUBLIC,
    ("agenda.sociale_kaart", "GET"): PUBLIC,
    ("areas.wijken", "GET"): PUBLIC,
    ("areas.wijk", "GET"): PUBLIC,
    ("api.posts_geojson", "GET"): PUBLIC,
    ("api.openapi", "GET"): PUBLIC,
    ("api.kpi_figures", "GET"): INZICHT,
    ("wijkagenda.kiezen", "GET"): PUBLIC,
    ("wijkagenda.wijk", "GET"): PUBLIC,
    ("wijkagenda.gebied", "GET"): PUBLIC,
    ("sociale_agenda.gebied", "GET"): PUBLIC,
    ("sociale_agenda.lezen", "GET"): PUBLIC,
    # --- accounts ---
    ("accounts.login", "GET"): PUBLIC,
    ("accounts.login", "POST"): PUBLIC,
    ("accounts.register", "GET"): PUBLIC,
    ("accounts.register", "POST"): PUBLIC,
    ("accounts.logout", "POST"): PUBLIC,
    ("accounts.wachtwoord_vergeten", "GET"): PUBLIC,
    ("accounts.wachtwoord_vergeten", "POST"): PUBLIC,
    ("accounts.wachtwoord_nieuw", "GET"): SIGNED_LINK,
    ("accounts.wachtwoord_nieuw", "POST"): SIGNED_LINK,
    ("accounts.kijk_in_je_mail", "GET"): PUBLIC,
    ("accounts.welkom_link", "GET"): SIGNED_LINK,
    ("accounts.welkom_link", "POST"): SIGNED_LINK,
    ("posts.eerste_stap", "GET"): LOGGED_IN,
    ("accounts.profile", "GET"): LOGGED_IN,
    ("accounts.profile", "POST"): LOGGED_IN,
    ("accounts.wachtwoord_wijzigen", "GET"): LOGGED_IN,
    ("accounts.wachtwoord_wijzigen", "POST"): LOGGED_IN,
    ("accounts.admin_users", "GET"): BEHEERDER,
    ("accounts.admin_user", "GET"): BEHEERDER,
    ("accounts.admin_user", "POST"): BEHEERDER,
    ("core.demo_mail", "GET"): BEHEERDER,
    # --- privacy: one's own data only (no id in the URL); erasing asks for the password ---
    ("privacy.statement", "GET"): PUBLIC,
    ("privacy.mijn_gegevens", "GET"): LOGGED_IN,
    ("privacy.download", "GET"): LOGGED_IN,
    ("privacy.verwijderen", "GET"): LOGGED_IN,
    ("privacy.verwijderen", "POST"): LOGGED_IN,
    ("privacy.beheer_verwijderen", "GET"): BEHEERDER,
    ("privacy.beheer_verwijderen", "POST"): BEHEERDER,
    # --- posts ---
    ("posts.nieuw", "GET"): LOGGED_IN,
    ("posts.plaatsen", "GET"): LOGGED_IN,
    ("posts.plaatsen", "POST"): LOGGED_IN,
    ("posts.bewerken", "GET"): groep(("eigenaar", "beheerder")),
    ("posts.bewerken", "POST"): groep(("eigenaar", "beheerder")),
    ("posts.status", "POST"): groep(("eigenaar", "beheerder")),
    ("posts.reageer", "POST"): LOGGED_IN,
    ("posts.melden", "POST"): LOGGED_IN,
    ("posts.gesprekken", "GET"): LOGGED_IN,
    ("posts.gesprek", "GET"): OWNER,
    ("posts.gesprek", "POST"): OWNER,
    ("posts.mijn", "GET"): LOGGED_IN,
    ("volgen.voor_jou", "GET"): LOGGED_IN,
    ("volgen.mail", "POST"): OWNER,
    # --- voorstellen, koppelingen, nazorg ---
    ("koppelingen.overzicht", "GET"): LOGGED_IN,
    ("koppelingen.gesprek", "GET"): OWNER,
    ("koppelingen.ja", "POST"): KANT,
    ("koppelingen.nee", "POST"): KANT,
    ("koppelingen.antwoord", "GET"): SIGNED_LINK,
    ("koppelingen.antwoord", "POST"): SIGNED_LINK,
    ("koppelingen.voorstellen_mail_uit", "GET"): SIGNED_LINK,
    ("koppelingen.voorstellen_mail_uit", "POST"): SIGNED_LINK,
    ("koppelingen.samen_doen_mail_uit", "GET"): SIGNED_LINK,
    ("koppelingen.samen_doen_mail_uit", "POST"): SIGNED_LINK,
    ("koppelingen.koppeling", "GET"): KANT,
    ("koppelingen.ik_help", "POST"): LOGGED_IN,
    ("koppelingen.vraag_hulp", "GET"): LOGGED_IN,
    ("koppelingen.vraag_hulp", "POST"): LOGGED_IN,
    ("nazorg.checkin", "GET"): KANT,
    ("nazorg.checkin", "POST"): KANT,
    ("nazorg.antwoord", "GET"): SIGNED_LINK,
    ("nazorg.antwoord", "POST"): SIGNED_LINK,
    # How she is doing: asked of the hulpvrager herself only, not the coordinator (issue 23, item 8).
    ("nazorg.hoe_gaat_het", "GET"): OWNER,
    ("nazorg.hoe_gaat_het", "POST"): OWNER,
    ("nazorg.lijst", "GET"): groep(("coordinator", "beheerder")),
    ("nazorg.vastleggen", "POST"): COORDINATIE,
    ("nazorg.afgehandeld", "POST"): COORDINATIE,
    ("coordinatie.overzicht", "GET"): groep(("coordinator", "beheerder")),
    ("coordinatie.bevestigen", "POST"): COORDINATIE,
    ("coordinatie.afkeuren", "POST"): COORDINATIE,
    ("coordinatie.vraag", "GET"): COORDINATIE,
    ("coordinatie.koppelen", "POST"): COORDINATIE,
    ("coordinatie.andere_dienst", "POST"): COORDINATIE,
    ("coordinatie.notitie", "POST"): COORDINATIE,
    ("coordinatie.doorverwijzen", "POST"): COORDINATIE,
    ("coordinatie.collectief", "GET"): groep(("opbouwwerker", "coordinator", "beheerder")),
    ("coordinatie.collectief_koppelen", "POST"): groep(("opbouwwerker", "coordinator", "beheerder")),
    ("diensten.overzicht", "GET"): BEHEERDER,
    # Gebieden and woonwijken (issue 24): the beheerder only.
    ("gebieden.overzicht", "GET"): BEHEERDER,
    ("gebieden.nieuw", "GET"): BEHEERDER,
    ("gebieden.nieuw", "POST"): BEHEERDER,
    ("gebieden.bewerken", "GET"): BEHEERDER,
    ("gebieden.bewerken", "POST"): BEHEERDER,
    ("gebieden.weg", "POST"): BEHEERDER,
    ("gebieden.woonwijken", "POST"): BEHEERDER,
    ("diensten.nieuw", "GET"): BEHEERDER,
    ("diensten.nieuw", "POST"): BEHEERDER,
    ("diensten.bewerken", "GET"): BEHEERDER,
    ("diensten.bewerken", "POST"): BEHEERDER,
    # --- wijkagenda ---
    ("wijkagenda.nieuw", "GET"): LOGGED_IN,
    ("wijkagenda.nieuw", "POST"): LOGGED_IN,
    ("wijkagenda.punt", "GET"): behalve(groep(("eigenaar", "beheerder"), anoniem=NEE)),
    ("wijkagenda.bewerken", "GET"): OWNER,  # the author, while it waits; nobody changes a punt under its supporters
    ("wijkagenda.bewerken", "POST"): OWNER,
    ("wijkagenda.steun", "POST"): groep(("eigenaar", "beheerder")),
    ("wijkagenda.meehelpen", "POST"): groep(("eigenaar", "beheerder")),
    ("wijkagenda.reactie", "POST"): groep(("eigenaar", "beheerder")),
    ("wijkagenda.volgen", "POST"): LOGGED_IN,
    ("wijkagenda.mail_uit", "GET"): SIGNED_LINK,
    ("wijkagenda.mail_uit", "POST"): SIGNED_LINK,
    ("volgen.mail_uit", "GET"): SIGNED_LINK,
    ("volgen.mail_uit", "POST"): SIGNED_LINK,
    ("sociale_agenda.bewerken", "GET"): MODERATIE_RUWAARD,
    ("sociale_agenda.bewaren", "POST"): MODERATIE_RUWAARD,
    ("sociale_agenda.thema", "POST"): MODERATIE_RUWAARD,
    ("sociale_agenda.plaatsen", "POST"): MODERATIE_RUWAARD,
    ("sociale_agenda.publiceren", "POST"): MODERATIE_RUWAARD,
    ("moderatie.wachtrij", "GET"): groep(("opbouwwerker", "beheerder")),
    ("moderatie.besluit", "POST"): MODERATIE_RUWAARD,
    ("moderatie.logboek", "GET"): groep(("opbouwwerker", "gemeente", "beheerder")),
    # --- subsidies ---
    ("subsidies.nieuw", "GET"): OWNER,
    ("subsidies.nieuw", "POST"): OWNER,
    ("subsidies.aanvraag", "GET"): OWNER,
    ("subsidies.bewerken", "GET"): OWNER,
    ("subsidies.bewerken", "POST"): OWNER,
    ("subsidies.antwoord", "POST"): OWNER,
    ("subsidies.bijlage_toevoegen", "POST"): OWNER,
    ("subsidies.intrekken", "GET"): OWNER,
    ("subsidies.intrekken", "POST"): OWNER,
    ("subsidies.verantwoording", "POST"): OWNER,
    ("subsidies.bijlage", "GET"): behalve(SUBSIDIE_BEHANDELING, eigenaar=OK, anoniem=NEE),
    ("subsidies_opvolging.bestaat_nog", "GET"): SIGNED_LINK,
    ("subsidies_opvolging.bestaat_nog", "POST"): SIGNED_LINK,
    ("subsidies_gemeente.wachtrij", "GET"): groep(("opbouwwerker", "gemeente", "beheerder")),
    ("subsidies_gemeente.aanvraag", "GET"): SUBSIDIE_BEHANDELING,
    ("subsidies_gemeente.actie", "POST"): groep(("gemeente",)),  # the beheerder has no part in a decision
    ("subsidies_gemeente.besluit_pdf", "GET"): behalve(groep(("eigenaar", "gemeente", "beheerder")), anoniem=NEE),
    ("subsidies_gemeente.regelingen", "GET"): GEMEENTE,
    ("subsidies_gemeente.regelingen", "POST"): BEHEERDER,  # the gemeente reads them, the beheerder makes them
    ("subsidies_gemeente.regeling_bewerken", "GET"): BEHEERDER,
    ("subsidies_gemeente.regeling_bewerken", "POST"): BEHEERDER,
    ("subsidies_gemeente.cijfers_pagina", "GET"): GEMEENTE,
    ("subsidies_gemeente.export_csv", "GET"): GEMEENTE,
    ("subsidies_gemeente.export_xlsx", "GET"): GEMEENTE,
    # --- insights ---
    ("insights.dashboard", "GET"): INZICHT,
    ("insights.csv_bestand", "GET"): INZICHT,
    ("insights.kaart_pagina", "GET"): INZICHT,
    ("wachtlijst.overzicht", "GET"): INZICHT,
    ("wachtlijst.rapport", "GET"): INZICHT,
    ("wachtlijst.csv_bestand", "GET"): INZICHT,
}

# What only some callers may read, wherever it shows up: any page that answers 200 to a caller not
# named here must not contain the text (a list page can leak what the object's own page guards).
PRIVATE_TEXTS: dict[str, set[str]] = {
    PUNT_TITEL: {"eigenaar", "beheerder"},  # a punt that waits for moderation
    "Ik kom graag koffie drinken.": {"eigenaar"},  # a message in a gesprek
    AANVRAAG_TITEL: {"eigenaar", "gemeente", "beheerder"},
    "Bankjes en koffie.": {"beheerder"},  # a theme of a sociale agenda that is not published yet
}

# POSTs that take no CSRF form token, and why: the signed token in the URL is the proof.
CSRF_EXEMPT = {"wijkagenda.mail_uit", "volgen.mail_uit", "koppelingen.voorstellen_mail_uit",
               "koppelingen.samen_doen_mail_uit"}

# Where a url parameter should not come from the world's default of the same name.
PARAMS: dict[str, dict[str, Any]] = {
    "koppelingen.vraag_hulp": {"post_id": "sanne_aanbod"},
    "subsidies_gemeente.besluit_pdf": {"aanvraag_id": "besloten_id"},
    "gebieden.nieuw": {"code": "gemeente_code"},
    "gebieden.woonwijken": {"code": "gemeente_code"},
}


# POSTs that end what later calls need (the session, the account): sent after all others. Put a
# route here when a permitted caller's empty form still does it (e.g. erasing one's own account).
RUN_LAST = {"accounts.logout"}

# Query strings and form fields a route needs before it looks at who asks.
QUERY = {"api.posts_geojson": "?bbox=5.3,51.6,5.8,51.9"}
FORM = {"sociale_agenda.plaatsen": {"punt_id": "punt_id"}}


def routes(app) -> list[tuple[str, str, Any]]:
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule))
    return sorted(found, key=lambda r: (r[1] == "POST", r[0] in RUN_LAST, r[0], r[2].rule))


def url_of(app, world, endpoint: str, rule) -> str:
    values = {}
    for name in rule.arguments:
        key = PARAMS.get(endpoint, {}).get(name, name)
        values[name] = world.ids[key]
    with app.test_request_context():
        # A rule may share its endpoint with another (sociale_agenda.thema); build this one.
        return rule.build(values, append_unknown=False)[1] + QUERY.get(endpoint, "")


def outcome(response, method: str) -> str:
    status = response.status_code
    if (status == 302 and "/inloggen" in response.location) or status == 401:
        return LOGIN
    if status in (403, 404):
        return NEE
    if status in (200, 201, 204, 302, 303, 422):
        return OK
    return f"HTTP {status}"


def link_refused(response) -> bool:
    body = response.get_data(as_text=True)
    return response.status_code in (400, 404, 410) and "Deze link werkt niet" in body


def forged_tokens(app, world) -> list[str]:
    """A token signed with a key that is not ours, for the real owner's real objects, and one
    that is no token at all."""
    from itsdangerous import URLSafeTimedSerializer

    wrong_key = URLSafeTimedSerializer("niet-onze-sleutel")
    payload = {"c": world.ids["checkin_id"], "v": world.ids["voorstel_id"], "u": world.ids["user_id"],
               "a": world.ids["besloten_id"], "k": "goed"}
    return [wrong_key.dumps(payload), "vervalst.token-dat-niet-klopt"]


def test_every_route_by_every_role(app, make_user):
    world = build(make_user)
    world.ids["token"] = forged_tokens(app, world)[0]
    app.config["SECURITY_CONTACT"] = "mailto:veiligheid@example.nl"  # without one there is no security.txt
    table = routes(app)
    missing = [(e, m) for e, m, _ in table if (e, m) not in EXPECTED]
    assert not missing, "Routes zonder regel in EXPECTED; voeg toe aan tests/integration/" \
        "test_authorization_matrix.py:\n" + "\n".join(f'    ("{e}", "{m}"): LOGGED_IN,  # of PUBLIC/OWNER/groep(...)'
                                                     for e, m in missing)
    stale = set(EXPECTED) - {(e, m) for e, m, _ in table}
    assert not stale, f"Regels in EXPECTED zonder route: {sorted(stale)}"

    clients = {}
    for role, caller in CALLERS.items():
        client = app.test_client()
        if caller:
            response = submit(client, "/inloggen", {"email": caller["email"], "password": "wachtwoord-123"})
            assert response.status_code == 302, role
        clients[role] = (client, csrf_token(client, "/inloggen" if not caller else "/profiel"))

    wrong, checked, read_by = [], 0, set()
    for endpoint, method, rule in table:
        url = url_of(app, world, endpoint, rule)
        form = {name: world.ids[key] for name, key in FORM.get(endpoint, {}).items()}
        for role in ROLES:
            client, token = clients[role]
            want = EXPECTED[(endpoint, method)][role]
            if endpoint.startswith("accounts.") and method == "POST":
                limiter.reset()  # nine callers from one address are not what the login and reset limits are about
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": token, **form})
            checked += 1
            if method == "GET" and response.status_code == 200:
                body = response.get_data().decode(errors="replace")  # the bijlage is a PNG
                wrong += [f"GET {url} ({endpoint}) als {role}: toont “{text}”"
                          for text, readers in PRIVATE_TEXTS.items() if role not in readers and text in body]
                read_by |= {(text, role) for text in PRIVATE_TEXTS if text in body}
            if want == LINK:
                got = LINK if link_refused(response) else f"HTTP {response.status_code}"
                garbage = url.replace(world.ids["token"], forged_tokens(app, world)[1])
                checked += 1
                if not link_refused(client.get(garbage) if method == "GET" else
                                    client.post(garbage, data={"csrf_token": token})):
                    wrong.append(f"{method} {garbage} ({endpoint}) als {role}: geen nette weigering")
            else:
                got = outcome(response, method)
            if got != want:
                wrong.append(f"{method} {url} ({endpoint}) als {role}: verwacht {want}, kreeg {got}")
    links = sum(1 for e, m, _ in table if EXPECTED[(e, m)] is SIGNED_LINK)
    print(f"{checked} aanroepen gecontroleerd: {len(table)} routes × {len(ROLES)} rollen, "
          f"plus {links} × {len(ROLES)} met een tweede vervalste link")
    unread = [(text, role) for text, readers in PRIVATE_TEXTS.items() for role in readers
              if (text, role) not in read_by]
    assert not unread, f"nergens te lezen voor wie het mag (dan controleert PRIVATE_TEXTS niets): {unread}"
    assert not wrong, f"{len(wrong)} van {checked} aanroepen (route × rol) anders dan verwacht:\n" + "\n".join(wrong)
    assert checked == (len(table) + links) * len(ROLES) > 900


def test_every_post_without_a_form_token_is_refused(app, make_user):
    world = build(make_user)
    from omkijken.platform.extensions import csrf

    exempt = {e for e, m, _ in routes(app) if m == "POST"
              and (app.view_functions[e].__module__ + "." + app.view_functions[e].__name__ in csrf._exempt_views
                   or e.split(".")[0] in csrf._exempt_blueprints)}
    assert exempt == CSRF_EXEMPT
    client = app.test_client()
    submit(client, "/inloggen", {"email": CALLERS["beheerder"]["email"], "password": "wachtwoord-123"})
    accepted, checked = [], 0
    for endpoint, method, rule in routes(app):
        if method != "POST" or endpoint in CSRF_EXEMPT:
            continue
        response = client.post(url_of(app, world, endpoint, rule), data={})
        checked += 1
        if response.status_code != 400 or "Het formulier is verlopen" not in response.get_data(as_text=True):
            accepted.append(f"{endpoint}: {response.status_code}")
    assert not accepted, "POST zonder CSRF-token niet geweigerd:\n" + "\n".join(accepted)
    assert checked > 50
