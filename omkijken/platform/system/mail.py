"""Mail: :func:`queue_mail` writes one into the outbox, :func:`deliver` sends it (SMTP when
configured, otherwise .eml files under ``instance/mail``).

Every mail of the site goes through :func:`queue_mail`, so language, recipient, headers and the
check on erased accounts are decided once.
"""

from __future__ import annotations

import secrets
import smtplib
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any, Mapping, Protocol

from flask import render_template
from flask_babel import force_locale

from omkijken.platform.formfields import one_line
from omkijken.platform.system.models import OutboxMessage
from omkijken.platform.system.services import CHECKIN_ID, SEND_EMAIL, enqueue


class Recipient(Protocol):
    """What a mail needs of a person (an accounts User; system sits below accounts)."""

    email: str
    taal: str
    verwijderd_at: datetime | None


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str
    # A link that switches this kind of mail off: mail apps show it as a one-tap "unsubscribe"
    # (RFC 2369 and RFC 8058).
    unsubscribe: str = ""

    def as_payload(self) -> dict[str, str]:
        payload = {"to": self.to, "subject": self.subject, "body": self.body}
        if self.unsubscribe:
            payload["unsubscribe"] = self.unsubscribe
        return payload


def queue_mail(user: Recipient, subject: Any, template: str, /, *, now: datetime, unsubscribe: str = "",
               checkin_id: int | None = None, **context: Any) -> OutboxMessage | None:
    """Write a mail to ``user`` into the outbox, in the caller's transaction.

    The subject (a lazy string) and the template are rendered in the person's language, with
    ``user`` and ``context`` as the template's variables (the first three are positional-only, so a
    template may have a variable called ``subject``). ``unsubscribe`` adds the one-tap
    List-Unsubscribe headers; ``checkin_id`` marks a mail that asks a check-in, so the coordinator
    hears when it cannot be delivered. An erased account gets nothing (its address could not
    receive it anyway): None.
    """
    if user.verwijderd_at is not None or not user.email:
        return None
    with force_locale(user.taal):
        email = Email(user.email, str(subject), render_template(template, user=user, **context),
                      unsubscribe=unsubscribe)
    payload: dict[str, Any] = email.as_payload() | ({CHECKIN_ID: checkin_id} if checkin_id else {})
    return enqueue(SEND_EMAIL, payload, now=now)


def build_message(config: Mapping[str, Any], email: Email) -> EmailMessage:
    message = EmailMessage()
    # A header holds one line: a title or name with a line break in the subject made the mail fail
    # on every try (and could add headers). Forms keep them out; rows from before did not.
    message["From"] = config["MAIL_FROM"]
    message["To"] = one_line(email.to)
    message["Subject"] = one_line(email.subject)
    message["Message-ID"] = make_msgid(domain="omkijken.local")
    if email.unsubscribe:
        message["List-Unsubscribe"] = f"<{one_line(email.unsubscribe)}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(email.body)
    return message


def deliver(config: Mapping[str, Any], email: Email, *, now: datetime) -> str:
    """Send one email and say where it went. An erased account keeps an address under the
    reserved ``.invalid`` domain (RFC 6761): a mail to it is dropped, whoever queued it."""
    if email.to.strip().lower().endswith(".invalid"):
        return "dropped: erased account"
    message = build_message(config, email)
    if config.get("MAIL_SERVER"):
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
        return f"smtp://{config['MAIL_SERVER']}:{config['MAIL_PORT']}"
    folder = Path(config["MAIL_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    # The time orders the folder; the random part keeps two worker processes that write in the same
    # microsecond from overwriting each other's mail, and "x" refuses to overwrite at all.
    path = folder / f"{now:%Y%m%d-%H%M%S-%f}-{secrets.token_hex(4)}.eml"
    with open(path, "xb") as file:
        file.write(message.as_bytes())
    return str(path)


@dataclass(frozen=True)
class StoredMail:
    name: str
    to: str
    subject: str
    date: str
    body: str


def stored_mail(config: Mapping[str, Any], limit: int = 50) -> list[StoredMail]:
    """The newest mails of the file outbox, for the demo page of the beheerder."""
    folder = Path(config["MAIL_FOLDER"])
    if not folder.exists():
        return []
    result = []
    for path in sorted(folder.glob("*.eml"), reverse=True)[:limit]:
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        body = message.get_body(preferencelist=("plain",))
        result.append(
            StoredMail(
                name=path.name,
                to=str(message["To"]),
                subject=str(message["Subject"]),
                date=path.stem[:15],
                body=body.get_content() if body else "",
            )
        )
    return result
