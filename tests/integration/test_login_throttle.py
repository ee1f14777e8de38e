"""Throttling a login that cannot be dodged (issue 29, item 3): the limit per client address believes
X-Forwarded-For only from the configured proxies, and wrong passwords for one account count from
every address together."""

from __future__ import annotations

import pytest

from omkijken.platform.extensions import limiter
from tests.conftest import make_app
from tests.support import submit

PROXY = "10.0.0.5"
ATTACKER = "203.0.113.9"


@pytest.fixture
def proxied(app, instance_path, database):
    """The site as it runs behind one proxy, at PROXY; the suite's app keeps the database clean."""
    site = make_app(instance_path, database, PROXY_COUNT=1, TRUSTED_PROXIES=f"{PROXY}/32")
    limiter.reset()
    return site.test_client()


def attempt(client, peer: str, forwarded: str, email: str, password: str = "fout"):
    return submit(client, "/inloggen", {"email": email, "password": password},
                  environ_base={"REMOTE_ADDR": peer}, headers={"X-Forwarded-For": forwarded})


def test_a_new_forwarded_address_per_try_does_not_lift_the_limit_of_a_client_at_the_open_port(proxied):
    codes = [attempt(proxied, ATTACKER, f"198.51.100.{n}", f"iemand{n}@example.nl").status_code for n in range(11)]

    assert codes == [422] * 10 + [429]


def test_behind_the_trusted_proxy_each_client_has_its_own_limit(proxied):
    codes = [attempt(proxied, PROXY, f"198.51.100.{n}", f"iemand{n}@example.nl").status_code for n in range(11)]

    assert codes == [422] * 11


def test_ten_wrong_passwords_from_ten_addresses_put_that_account_on_hold(proxied, make_user):
    make_user("sanne@example.nl")
    make_user("karim@example.nl")
    for n in range(10):
        assert attempt(proxied, PROXY, f"198.51.100.{n}", "Sanne@Example.nl ").status_code == 422

    held = attempt(proxied, PROXY, "198.51.100.77", "sanne@example.nl", "wachtwoord-123")
    assert held.status_code == 429
    assert "te vaak een verkeerd wachtwoord gebruikt voor dit e-mailadres" in held.get_data(as_text=True)
    other = attempt(proxied, PROXY, "198.51.100.3", "karim@example.nl", "wachtwoord-123")
    assert other.status_code == 302  # another account from the same addresses is not held
