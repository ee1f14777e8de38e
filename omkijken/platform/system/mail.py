"""Mail: :func:`queue_mail` writes one into the outbox, :func:`deliver` sends it (SMTP when
configured, otherwise .eml files under ``instance/mail``).

Every mail of the site goes through :func:`queue_mail`, so language, recipient, headers and the
check on erased accounts are decided once.
"""

from __future__ import annotations

import re
import secrets
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any, Mapping, Protocol
from urllib.parse import quote, urlsplit

from flask import render_template
from flask_babel import force_locale
from markupsafe import Markup, escape

from omkijken.platform.clock import utcnow
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
    # Bulk mail (a digest, a proposal sent by the matching, not by a person) names its list: the
    # List-Id header (RFC 2919) lets a mail app sort and filter it. One of BULK_LISTS.
    list_id: str = ""
    # The person's language, for the HTML part's lang attribute (screen readers pick their voice).
    lang: str = ""

    def as_payload(self) -> dict[str, str]:
        payload = {"to": self.to, "subject": self.subject, "body": self.body}
        if self.unsubscribe:
            payload["unsubscribe"] = self.unsubscribe
        if self.list_id:
            payload["list_id"] = self.list_id
        if self.lang:
            payload["lang"] = self.lang
        return payload


# The kinds of bulk mail: sent by a schedule or the matching to many people, each switched off with
# one tap. Mail that answers what a person did (a welcome, a status, a message, a check-in of her
# own koppeling) is not bulk. The value is the List-Id's description.
BULK_LISTS = {
    "wijkdigest": "Nieuws uit je wijk",
    "nieuwe-vragen": "Nieuwe hulpvragen bij jou in de buurt",
    "voorstellen": "Iemand bij jou in de buurt zoekt hulp",
    "samen-doen": "Samen iets doen bij jou in de buurt",
}


def queue_mail(user: Recipient, subject: Any, template: str, /, *, now: datetime, unsubscribe: str = "",
               list_id: str = "", checkin_id: int | None = None, **context: Any) -> OutboxMessage | None:
    """Write a mail to ``user`` into the outbox, in the caller's transaction.

    The subject (a lazy string) and the template are rendered in the person's language, with
    ``user`` and ``context`` as the template's variables (the first three are positional-only, so a
    template may have a variable called ``subject``). ``unsubscribe`` adds the one-tap
    List-Unsubscribe headers; ``list_id`` (one of :data:`BULK_LISTS`) marks bulk mail, which must
    have ``unsubscribe`` too (RFC 8058); ``checkin_id`` marks a mail that asks a check-in, so the coordinator
    hears when it cannot be delivered. An erased account gets nothing (its address could not
    receive it anyway): None.
    """
    if list_id and (list_id not in BULK_LISTS or not unsubscribe):
        raise ValueError(f"bulk mail {list_id!r} needs a known list and an unsubscribe link")
    if user.verwijderd_at is not None or not user.email:
        return None
    with force_locale(user.taal):
        email = Email(user.email, str(subject), render_template(template, user=user, **context),
                      unsubscribe=unsubscribe, list_id=list_id, lang=user.taal)
    payload: dict[str, Any] = email.as_payload() | ({CHECKIN_ID: checkin_id} if checkin_id else {})
    return enqueue(SEND_EMAIL, payload, now=now)


def site_domain(config: Mapping[str, Any]) -> str:
    """The site's own domain, for Message-IDs and List-Ids: the host of SITE_URL (the public base
    URL every link in a mail uses), else the domain of MAIL_FROM."""
    host = urlsplit(config.get("SITE_URL") or "").hostname
    if host:
        return host
    sender = config["MAIL_FROM"]
    address = sender[sender.rfind("<") + 1:].rstrip(">") if "<" in sender else sender
    return Address(addr_spec=address.strip()).domain or "localhost"


_URL_SAFE = ":/?#[]@!$&'()*+,;=%-._~"
_URL = re.compile(r"https?://[^\s<>\"]+")


def html_body(text: str, *, lang: str = "nl") -> str:
    """The text part as simple HTML for a phone: paragraphs that wrap to the screen and links to tap.

    Every character of the text is escaped (names, titles and reasons are typed by people); only
    the links found in it become <a>, with the escaped URL as href and as the visible text.
    """

    def line(raw: str) -> Markup:
        parts: list[Markup | str] = []
        last = 0
        for match in _URL.finditer(raw):
            parts.append(escape(raw[last:match.start()]))
            url = escape(match.group(0))
            parts.append(Markup(f'<a href="{url}" style="color:#0b5394;word-break:break-all">{url}</a>'))
            last = match.end()
        parts.append(escape(raw[last:]))
        return Markup("").join(parts)

    paragraphs = [block for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]
    rendered = Markup("\n").join(
        Markup('<p style="margin:0 0 1em">{}</p>').format(Markup("<br>\n").join(line(x) for x in block.split("\n")))
        for block in paragraphs)
    return str(Markup(
        '<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n</head>\n'
        '<body style="margin:0;padding:16px;font-family:sans-serif;font-size:18px;line-height:1.5;'
        'color:#1a1a1a;background:#ffffff">\n<div style="max-width:36em">\n{body}\n</div>\n</body>\n</html>\n'
    ).format(lang=lang, body=rendered))


class _Policy(EmailPolicy):
    """``email.policy.default``, except that a header holding a link is written on one line as it
    is. The default folds a value longer than 78 characters; a link without spaces it can only
    fold as RFC 2047 encoded-words, and a mail app does not find a link in
    ``List-Unsubscribe: =?utf-8?q?=3Chttp...?=``, so its one-tap unsubscribe did not show."""

    def fold(self, name: str, value: str) -> str:
        if name.lower() in _UNFOLDED:
            return f"{name}: {value}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        if name.lower() in _UNFOLDED:
            return self.fold(name, value).encode("ascii")
        return super().fold_binary(name, value)


_UNFOLDED = {"list-unsubscribe"}
_POLICY = _Policy()


def build_message(config: Mapping[str, Any], email: Email, *, now: datetime | None = None) -> EmailMessage:
    """The RFC 5322 message of ``email``, dated ``now`` (the moment it is sent)."""
    message = EmailMessage(policy=_POLICY)
    domain = site_domain(config)
    # A header holds one line: a title or name with a line break in the subject made the mail fail
    # on every try (and could add headers). Forms keep them out; rows from before did not.
    message["From"] = config["MAIL_FROM"]
    message["To"] = one_line(email.to)
    message["Subject"] = one_line(email.subject)
    message["Date"] = format_datetime(now or utcnow())
    message["Message-ID"] = make_msgid(domain=domain)
    # Sent by the site, not by a person: auto-responders must not answer it (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    if email.list_id:
        message["List-Id"] = f"{BULK_LISTS.get(email.list_id, email.list_id)} <{email.list_id}.{domain}>"
    if email.unsubscribe:
        # A link is ASCII (RFC 3986); a line of up to 998 characters is allowed (RFC 5322 2.1.1).
        message["List-Unsubscribe"] = f"<{quote(one_line(email.unsubscribe), safe=_URL_SAFE)}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(email.body)
    message.add_alternative(html_body(email.body, lang=email.lang or "nl"), subtype="html")
    return message


def deliver(config: Mapping[str, Any], email: Email, *, now: datetime) -> str:
    """Send one email and say where it went. An erased account keeps an address under the
    reserved ``.invalid`` domain (RFC 6761): a mail to it is dropped, whoever queued it."""
    if email.to.strip().lower().endswith(".invalid"):
        return "dropped: erased account"
    message = build_message(config, email, now=now)
    if config.get("MAIL_SERVER"):
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config.get("MAIL_USE_TLS"):
                # Checks the server's certificate and name; smtplib's default context checks neither.
                smtp.starttls(context=ssl.create_default_context(cafile=config.get("MAIL_CA_FILE") or None))
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


# A part of a link that is a key: a token of links.py (ending in its 27-character signature after a dot),
# or a long random one.
_KEY = re.compile(r"(?<=[/=])(?:[A-Za-z0-9_\-.]*\.[A-Za-z0-9_\-]{27}|[A-Za-z0-9_\-]{32,})(?=[/?#&\s]|$)",
                  re.MULTILINE)
KEY_HIDDEN = "[sleutel verborgen]"


def without_keys(body: str) -> str:
    """A mail's text without the keys in its links (log in, new password, answer a check-in, stop a
    mail): they are for the person who got the mail, also when a beheerder looks at the outbox."""
    return _KEY.sub(KEY_HIDDEN, body)


def stored_mail(config: Mapping[str, Any], limit: int = 50) -> list[StoredMail]:
    """The newest mails of the file outbox, for the page of the beheerder, without the keys in their
    links (:func:`without_keys`); the files themselves keep them, for a developer without a mail server."""
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
                body=without_keys(body.get_content()) if body else "",
            )
        )
    return result
