"""schemathesis against /api/v1/openapi.json, in process on the Flask app (issue 8).

It reads our OpenAPI document, generates requests from it (valid and invalid parameters) and
checks every answer: never a 5xx, only documented status codes, the body matches the schema of
its status code, and the content type is the one the document promises. ``/kpi`` is called as a
logged-in gemeente.

schemathesis 4's ``schemathesis.pytest.from_fixture`` fails on this pytest ("'Function' object has
no attribute '_nodeid'"), so each operation's hypothesis strategy is run by ``given`` directly.
"""

from __future__ import annotations

import contextvars

import pytest
import schemathesis
from hypothesis import HealthCheck, example, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support import RUWAARD

MAX_EXAMPLES = 60
# What we promise: no 5xx, only documented status codes, the documented content type, a body that
# matches its schema. Not "every schema-valid request is accepted": a bbox with min > max fits the
# string schema and is still refused with a Dutch 400, as documented.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def api_schema(app, make_user):
    """The schema of the app of this test, with a small board of posts to answer with."""
    from omkijken.platform.clock import utcnow
    from omkijken.platform.posts import services as posts
    from omkijken.platform.posts.models import Hulpvraag, Ontmoetingsplek

    truus = make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    posts.create(Hulpvraag(titel="Heg knippen", categorie="tuinonderhoud"), auteur=truus, now=utcnow())
    posts.create(Ontmoetingsplek(titel="Koffie", categorie="ontmoeting", plek_soort="buurthuis"),
                 auteur=truus, now=utcnow())
    make_user("gemeente@example.nl", roles=("gemeente",))
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def _session_cookie(app) -> str:
    """A gemeente's session cookie, the way /kpi is meant to be used."""
    from omkijken.platform.accounts import services as accounts

    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = accounts.find_by_email("gemeente@example.nl").get_id()
        session["_fresh"] = True
    return client.get_cookie("session").value


@pytest.mark.parametrize("path", ["/posts.geojson", "/kpi"])
def test_api_answers_as_its_openapi_document_says(api_schema, app, path, capsys):
    operation = api_schema[path]["GET"]
    cookie = _session_cookie(app) if path == "/kpi" else None
    teller = {"cases": 0, "per_status": {}}

    # The documented example always runs first: which strings Hypothesis tries depends on constants it
    # finds in our source, so 60 generated cases may by chance hold no valid bbox at all.
    documented = {p["name"]: p["schema"]["examples"][0] for p in operation.definition.raw.get("parameters", [])
                  if p["in"] == "query" and p.get("required") and "examples" in p.get("schema", {})}

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(operation.as_strategy())
    @example(operation.Case(query=documented))
    def run(case):
        # schemathesis always offers gzip, deflate and zstd, but its WSGI transport hands the body on as
        # sent, undecoded: a compressed answer (the site compresses JSON) then fails to parse as JSON.
        case.headers = {**(case.headers or {}), "Accept-Encoding": "identity"}
        if cookie:  # the document's security scheme makes schemathesis invent a session cookie
            case.cookies = {**(case.cookies or {}), "session": cookie}
        # Its own context, as in a real server (see tests.support.IsolatedClient): otherwise the
        # request shares the test's app context and its ``g``, where flask-login keeps a user.
        response = contextvars.Context().run(case.call_and_validate, checks=CHECKS)
        teller["cases"] += 1
        teller["per_status"][response.status_code] = teller["per_status"].get(response.status_code, 0) + 1

    run()
    with capsys.disabled():
        print(f"\nfuzz openapi {path}: {teller['cases']} cases, status {teller['per_status']}")
    assert teller["per_status"].get(200), "geen enkel geldig verzoek gemaakt"
