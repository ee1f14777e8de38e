"""Users, their roles and the scope of a role (an opbouwwerker works in certain wijken)."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from geoalchemy2 import Geometry
from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omkijken.platform.areas.models import Buurt, Wijk
from omkijken.platform.database import RD_NEW, WGS84
from omkijken.platform.extensions import db
from omkijken.platform.i18n import lazy_gettext as _l

ROLES = {
    "inwoner": _l("Inwoner"),
    "vrijwilliger": _l("Vrijwilliger"),
    "organisatie": _l("Organisatie"),
    "coordinator": _l("Coördinator"),
    "opbouwwerker": _l("Opbouwwerker"),
    "gemeente": _l("Gemeente"),
    "beheerder": _l("Beheerder"),
}
SCOPED_ROLES = frozenset({"opbouwwerker"})


def new_login_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    naam: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    login_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_login_token)
    postcode: Mapped[str | None] = mapped_column(String(7))
    huisnummer: Mapped[str | None] = mapped_column(String(10))
    # The street address the other person of a koppeling reads ("Kruisstraat 1, 5341CD Oss"): found
    # once when the home is set, from what was typed or else from the point on the map. None when
    # the address service gave no answer; the koppeling page then shows a map and says so.
    adres: Mapped[str | None] = mapped_column(String(200))
    home = mapped_column(Geometry("POINT", srid=WGS84, spatial_index=True), nullable=True)
    home_rd = mapped_column(Geometry("POINT", srid=RD_NEW, spatial_index=True), nullable=True)
    wijk_id: Mapped[int | None] = mapped_column(ForeignKey("wijken.id"), index=True)
    buurt_id: Mapped[int | None] = mapped_column(ForeignKey("buurten.id"), index=True)
    taal: Mapped[str] = mapped_column(String(5), default="nl")
    consent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # When the person tapped the link in the welcome mail (accounts.welkom): the address is theirs,
    # and that link works no more.
    email_bevestigd_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    is_demo: Mapped[bool] = mapped_column(default=False)
    # A volunteer hears by mail when the matching proposes her (koppelingen.notify); the one-tap
    # link in that mail and the profile page switch it off. The voorstel waits on /voorstellen.
    voorstellen_per_mail: Mapped[bool] = mapped_column(default=True, server_default=true())
    # A volunteer without a voorstel for a month gets group activities nearby by mail
    # (koppelingen.wachtrij); the link in that mail and the profile page switch it off.
    samen_doen_per_mail: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Set when the person erased the account (accounts.privacy): the row stays as an empty shell
    # so koppelingen and figures keep their links, but nothing in it says who it was.
    verwijderd_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    wijk: Mapped[Wijk | None] = relationship()
    buurt: Mapped[Buurt | None] = relationship()
    roles: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", foreign_keys="RoleGrant.user_id"
    )

    def get_id(self) -> str:
        """Sessions carry a random token, not the id: changing it logs out every other session."""
        return self.login_token

    @property
    def is_active(self) -> bool:
        """Flask-Login refuses to log in an erased account."""
        return self.verwijderd_at is None

    @property
    def role_names(self) -> set[str]:
        return {grant.role for grant in self.roles}


class RoleGrant(db.Model):
    """One role of a user; for a scoped role, one row per wijk."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("user_id", "role", "wijk_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    wijk_id: Mapped[int | None] = mapped_column(ForeignKey("wijken.id"))
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(back_populates="roles", foreign_keys=[user_id])
    wijk: Mapped[Wijk | None] = relationship()


class Vangnet(db.Model):
    """The fallback moderator of a gemeente: what waits for moderation in its wijken without an
    opbouwwerker (reported posts first of all) reaches them, not the beheerder alone."""

    __tablename__ = "moderatie_vangnet"
    __table_args__ = (UniqueConstraint("gemeente_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeenten.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()
