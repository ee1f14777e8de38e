"""Mail through a real SMTP server (aiosmtpd on loopback), and to files without one."""

from __future__ import annotations

import ssl
import subprocess

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from omkijken.platform import links
from omkijken.platform.clock import utcnow
from omkijken.platform.system.mail import KEY_HIDDEN, Email, deliver, stored_mail
from tests.support import free_port


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages = []

    def handle_message(self, message) -> None:
        self.messages.append(message)


def test_mail_goes_through_smtp_when_configured(app):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        config = {**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port}
        where = deliver(config, Email("truus@example.nl", "Hoe gaat het?", "Goed, dank je."), now=utcnow())
    finally:
        controller.stop()

    assert where == f"smtp://127.0.0.1:{port}"
    assert len(inbox.messages) == 1
    assert inbox.messages[0]["To"] == "truus@example.nl"
    assert inbox.messages[0]["Subject"] == "Hoe gaat het?"


def test_without_smtp_mail_lands_in_the_folder_the_beheerder_can_read(app, client, make_user, login):
    deliver(app.config, Email("truus@example.nl", "Welkom bij Omkijken", "Hallo Truus"), now=utcnow())
    assert any(m.subject == "Welkom bij Omkijken" for m in stored_mail(app.config))

    make_user("bea@example.nl", roles=("beheerder",))
    login("bea@example.nl")
    page = client.get("/beheer/mail").get_data(as_text=True)
    assert "Welkom bij Omkijken" in page and "truus@example.nl" in page


def test_two_mails_written_in_the_same_microsecond_are_both_kept(tmp_path):
    """Two worker processes can deliver at the same moment: the name of the file must not be only
    the time (the embedded burst lost a mail that way with two pool processes)."""
    config = {"MAIL_FOLDER": str(tmp_path), "MAIL_FROM": "Omkijken <noreply@omkijken.local>"}
    now = utcnow()
    first = deliver(config, Email("a@example.nl", "Eén", "x"), now=now)
    second = deliver(config, Email("b@example.nl", "Twee", "y"), now=now)

    assert first != second
    assert sorted(mail.to for mail in stored_mail(config)) == ["a@example.nl", "b@example.nl"]
    assert {mail.date for mail in stored_mail(config)} == {f"{now:%Y%m%d-%H%M%S}"}


def test_starttls_checks_the_mail_servers_certificate(app, tmp_path):
    """A mail server whose certificate nobody trusts gets no mail (a man in the middle could read it);
    with the CA that signed it (OMKIJKEN_MAIL_CA_FILE) the mail goes, encrypted."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=server_tls, require_starttls=True)
    controller.start()
    try:
        config = {**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": True}
        with pytest.raises(ssl.SSLCertVerificationError):
            deliver(config, Email("truus@example.nl", "Geheim", "Niet voor een ander."), now=utcnow())
        assert inbox.messages == []

        where = deliver({**config, "MAIL_CA_FILE": str(cert)}, Email("truus@example.nl", "Geheim", "Voor jou."),
                        now=utcnow())
    finally:
        controller.stop()

    assert where == f"smtp://127.0.0.1:{port}"
    assert [m["Subject"] for m in inbox.messages] == ["Geheim"]


def test_the_beheerder_sees_that_a_mail_went_but_not_the_keys_in_its_links(app, client, make_user, login):
    """A link to choose a new password, to log in or to answer a check-in is for the one who got the
    mail: the outbox page shows the mail without them (issue 29, item 6)."""
    site = app.config["SITE_URL"]
    with app.test_request_context("/"):
        keys = [links.sign("wachtwoord", 7, "vingerafdruk"), links.sign("checkin", 12, "goed"),
                links.sign("voorstellen_uit", 42), "k" * 40]
    body = "\n".join([f"Kies een nieuw wachtwoord: {site}/wachtwoord/{keys[0]}",
                      f"Gaat het goed? {site}/checkins/antwoord/{keys[1]}?bron=mail",
                      f"Geen mail meer: {site}/voorstellen/mail-uit/{keys[2]}",
                      f"Welkom: {site}/welkom/{keys[3]}",
                      f"Kijk op het prikbord: {site}/prikbord/12 of mail naar info@omkijken.nl"])
    deliver(app.config, Email("truus@example.nl", "Nieuw wachtwoord", body), now=utcnow())

    make_user("bea@example.nl", roles=("beheerder",))
    login("bea@example.nl")
    page = client.get("/beheer/mail").get_data(as_text=True)

    assert "Nieuw wachtwoord" in page and "truus@example.nl" in page
    assert all(key not in page for key in keys)
    for path in ("/wachtwoord/", "/checkins/antwoord/", "/voorstellen/mail-uit/", "/welkom/"):
        assert f"{site}{path}{KEY_HIDDEN}" in page, path
    assert f"{site}/prikbord/12" in page and "info@omkijken.nl" in page  # the rest of the mail is there
