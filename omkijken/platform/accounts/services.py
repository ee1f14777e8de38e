"""The rules for accounts: registration, login, profile and roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from geoalchemy2.shape import to_shape
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from omkijken.platform import clock
from omkijken.platform.accounts import welkom
from omkijken.platform.accounts.models import ROLES, SCOPED_ROLES, RoleGrant, User, Vangnet, new_login_token
from omkijken.platform.accounts.password_hash import hash_password, password_matches, spend_one_check
from omkijken.platform.accounts.permissions import may
from omkijken.platform.areas import services as areas
from omkijken.platform.areas.geocoding import Geocoder, GeocoderUnavailable, checked_address, normalise_postcode
from omkijken.platform.database import point, point_rd
from omkijken.platform.errors import RuleBroken
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l
from omkijken.platform.system import audit, security_log
from omkijken.platform.system.mail import queue_mail

# The logboek's name for changes to an account (roles, erasure by a beheerder).
AUDIT_ONDERWERP = "account"
audit.register_labels(AUDIT_ONDERWERP, {"rollen": _l("Rollen gewijzigd"), "gewist": _l("Account verwijderd")})


class AccountError(RuleBroken):
    """A rule about accounts was broken."""


@dataclass(frozen=True)
class HomeInput:
    postcode: str = ""
    huisnummer: str = ""
    lat: float | None = None
    lon: float | None = None


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def find_by_login_token(token: str) -> User | None:
    """The user of a session, with their roles: every page asks them for the menu, and a second
    query per page for them cost more than the join."""
    stmt = select(User).where(User.login_token == token).options(joinedload(User.roles))
    return db.session.execute(stmt).unique().scalar_one_or_none()


@dataclass(frozen=True)
class ResolvedHome:
    lat: float
    lon: float
    postcode: str | None
    huisnummer: str | None
    adres: str | None


def resolve_home(home: HomeInput, geocoder: Geocoder) -> ResolvedHome:
    """A point picked on the map wins; otherwise the address is looked up.

    The street address to store is found here too, once, not on every page view: what the person
    typed comes first, with its street when the service knows it; a point only picked on the map
    gets the nearest address. Raises RuleBroken for the form.
    """
    postcode, huisnummer = checked_address(home.postcode, home.huisnummer)
    typed = f"{postcode} {huisnummer}" if postcode and huisnummer else None
    if home.lat is not None and home.lon is not None:
        if not (-90 <= home.lat <= 90 and -180 <= home.lon <= 180):
            raise AccountError("kaart", _l("Dit punt ligt niet op de kaart. Klik nog eens op je huis."))
        try:
            found = geocoder.lookup(postcode, huisnummer) if typed else geocoder.reverse(home.lat, home.lon)
        except GeocoderUnavailable:
            found = None  # the point she picked is enough; what she typed is her address
        adres = found.label if found is not None and found.label else typed
        return ResolvedHome(home.lat, home.lon, postcode, huisnummer, adres)
    if postcode and huisnummer:
        try:
            found = geocoder.lookup(postcode, huisnummer)
        except GeocoderUnavailable:
            raise AccountError("kaart", _l(
                "We kunnen adressen nu niet opzoeken. Dat ligt niet aan jou. Wijs je huis aan op de kaart, "
                "of probeer het later nog eens. Wat je hebt ingevuld, blijft staan.")) from None
        if found is not None:
            return ResolvedHome(found.lat, found.lon, postcode, huisnummer, found.label or typed)
        raise AccountError(
            "kaart",
            _l("We konden dit adres niet vinden. Kijk of de postcode klopt, of wijs je huis aan op de kaart."),
        )
    raise AccountError("postcode", _l("Vul je postcode en huisnummer in, of wijs je huis aan op de kaart."))


def set_home(user: User, lat: float, lon: float) -> None:
    user.home = point(lat, lon)
    user.home_rd = point_rd(lat, lon)
    where = areas.locate(lat, lon)
    user.wijk, user.buurt = where.wijk, where.buurt


def home_latlon(user: User) -> tuple[float, float] | None:
    if user.home is None:
        return None
    shape = to_shape(user.home)
    return shape.y, shape.x


def register(
    *,
    naam: str,
    email: str,
    password: str,
    home: HomeInput,
    vrijwilliger: bool,
    geocoder: Geocoder,
    now: datetime,
) -> User | None:
    """A new account, or None when the email already has one.

    Both answer the same way on the page and both send one mail, so nobody can find out from the
    registration form whether an address has an account. The owner of an existing account hears that
    someone tried, with a way to log in or choose a new password.
    """
    email = normalise_email(email)
    where = resolve_home(home, geocoder)
    password_hash = hash_password(password)
    existing = find_by_email(email)
    if existing is not None:
        queue_mail(existing, _l("Je hebt al een account bij Omkijken"), "accounts/email/al_een_account.txt", now=now)
        db.session.flush()
        return None
    user = User(
        naam=naam.strip(),
        email=email,
        password_hash=password_hash,
        postcode=where.postcode,
        huisnummer=where.huisnummer,
        adres=where.adres,
        consent_at=now,
        created_at=now,
    )
    db.session.add(user)
    set_home(user, where.lat, where.lon)
    roles = ["inwoner"] + (["vrijwilliger"] if vrijwilliger else [])
    for role in roles:
        user.roles.append(RoleGrant(role=role, granted_at=now))
    db.session.flush()
    send_welcome(user, now=now)
    db.session.flush()
    return user


def send_welcome(user: User, *, now: datetime) -> None:
    """The welcome mail of a new account, with the one-tap link that confirms the address and logs in."""
    queue_mail(user, _l("Welkom bij Omkijken"), "accounts/email/welcome.txt", now=now,
               url=welkom.welcome_url(user), dagen=welkom.link_days())


def authenticate(email: str, password: str) -> User | None:
    user = find_by_email(email)
    if user is None:
        spend_one_check(password)
        return None
    return user if password_matches(user.password_hash, password) else None


def update_profile(
    user: User, *, naam: str, home: HomeInput, taal: str, geocoder: Geocoder,
    vrijwilliger: bool | None = None, voorstellen_per_mail: bool | None = None,
    samen_doen_per_mail: bool | None = None, now: datetime | None = None,
) -> None:
    moved = (home.lat is not None) or (
        normalise_postcode(home.postcode) != user.postcode
        or (home.huisnummer or "").replace(" ", "").upper() != (user.huisnummer or "")
    )
    if moved:
        where = resolve_home(home, geocoder)
        user.postcode, user.huisnummer, user.adres = where.postcode, where.huisnummer, where.adres
        set_home(user, where.lat, where.lon)
    user.naam = naam.strip()
    user.taal = taal
    if vrijwilliger is not None:
        _set_vrijwilliger(user, vrijwilliger, now=now)
    if voorstellen_per_mail is not None:
        user.voorstellen_per_mail = voorstellen_per_mail
    if samen_doen_per_mail is not None:
        user.samen_doen_per_mail = samen_doen_per_mail
    db.session.flush()


def _set_vrijwilliger(user: User, aan: bool, *, now: datetime | None) -> None:
    """Anyone may start or stop volunteering themselves; it needs no beheerder."""
    grant = next((g for g in user.roles if g.role == "vrijwilliger"), None)
    if aan and grant is None:
        user.roles.append(RoleGrant(role="vrijwilliger", granted_at=now or clock.utcnow()))
    elif not aan and grant is not None:
        user.roles.remove(grant)


def change_password(user: User, new_password: str) -> None:
    """A new password also ends every other session of this user."""
    user.password_hash = hash_password(new_password)
    user.login_token = new_login_token()
    db.session.flush()


def set_roles(
    user: User, *, roles: Iterable[str], wijk_ids: Iterable[int], by: User | None, now: datetime
) -> None:
    """Give ``user`` exactly these roles; opbouwwerker is scoped to ``wijk_ids``."""
    wanted = set(roles) & set(ROLES)
    wijken = set(wijk_ids)
    if "opbouwwerker" in wanted and not wijken:
        raise AccountError("wijken", _l("Kies minstens één wijk voor de opbouwwerker."))
    if by is not None and by.id == user.id and "beheerder" not in wanted:
        raise AccountError("roles", _l("Je kunt je eigen rol als beheerder niet weghalen."))
    target = {(role, None) for role in wanted - SCOPED_ROLES}
    target |= {(role, wijk_id) for role in wanted & SCOPED_ROLES for wijk_id in wijken}
    current = {(g.role, g.wijk_id): g for g in user.roles}
    for key, grant in current.items():
        if key not in target:
            user.roles.remove(grant)
    for role, wijk_id in target - set(current):
        user.roles.append(
            RoleGrant(role=role, wijk_id=wijk_id, granted_at=now, granted_by_id=by.id if by else None)
        )
    added, removed = sorted(target - set(current), key=str), sorted(set(current) - target, key=str)
    if by is not None and (added or removed):  # a new account's first roles are not a change
        record_account_change(user, "rollen", by=by, now=now,
                               details={"erbij": [list(k) for k in added], "eraf": [list(k) for k in removed]})
    db.session.flush()


def record_account_change(user: User, besluit: str, *, by: User, now: datetime, details: dict[str, Any]) -> None:
    """A change someone made to another's account, in the logboek and as a security event."""
    audit.record(by=by, onderwerp=AUDIT_ONDERWERP, onderwerp_id=user.id, wijk_id=None, besluit=besluit,
                 details=details, now=now)
    security_log.event(f"account_{besluit}", user_id=user.id, by=by.id, **details)


def vangnet_of(user: User) -> list[int]:
    """The gemeenten this person is the fallback moderator of."""
    return sorted(db.session.scalars(select(Vangnet.gemeente_id).where(Vangnet.user_id == user.id)))


def set_vangnet(user: User, *, gemeente_ids: Iterable[int], now: datetime) -> None:
    """Make ``user`` the fallback moderator of exactly these gemeenten: what waits for moderation in
    their wijken without an opbouwwerker reaches them (``permissions.moderates_queue``)."""
    wanted = set(gemeente_ids)
    if wanted and not may(user, "vangnet_zijn"):
        raise AccountError("vangnet", _l("Alleen iemand van de gemeente of een opbouwwerker kan vangnet zijn."))
    current = {v.gemeente_id: v for v in db.session.scalars(select(Vangnet).where(Vangnet.user_id == user.id))}
    for gemeente_id, row in current.items():
        if gemeente_id not in wanted:
            db.session.delete(row)
    for gemeente_id in wanted - set(current):
        db.session.add(Vangnet(gemeente_id=gemeente_id, user_id=user.id, granted_at=now))
    db.session.flush()


def create_user(
    *,
    email: str,
    naam: str,
    password: str,
    roles: Iterable[str],
    now: datetime,
    wijk_ids: Iterable[int] = (),
    home: tuple[float, float] | None = None,
    is_demo: bool = False,
) -> User:
    """For the CLI and the demo data: no geocoding, no welcome mail."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise AccountError("roles", f"onbekende rol: {', '.join(sorted(unknown))}")
    if find_by_email(email) is not None:
        raise AccountError("email", f"er is al een account met {email}")
    user = User(
        email=normalise_email(email),
        naam=naam,
        password_hash=hash_password(password),
        consent_at=now,
        created_at=now,
        is_demo=is_demo,
    )
    db.session.add(user)
    if home is not None:
        set_home(user, *home)
    db.session.flush()
    set_roles(user, roles=roles, wijk_ids=wijk_ids, by=None, now=now)
    return user


def search_users(query: str = "", limit: int = 100) -> list[User]:
    stmt = select(User).order_by(User.naam).limit(limit)
    if query:
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.naam).like(like), User.email.like(like)))
    return list(db.session.scalars(stmt))
