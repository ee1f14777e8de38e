"""Mail through a real SMTP server (aiosmtpd on loopback), and to files without one."""

from __future__ import annotations

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from omkijken.platform.clock import utcnow
from omkijken.platform.system.mail import Email, deliver, stored_mail
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
