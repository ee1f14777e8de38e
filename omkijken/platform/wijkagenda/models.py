"""The wijkagenda: residents' own agenda for the future of their wijk (not an events calendar),
the sociale agenda an opbouwwerker makes of it, who follows a wijk, and the audit log of every
moderation decision.

An *agendapunt* has two states: ``moderatie`` (is it on the wijkagenda at all: the opbouwwerker
decides) and ``status`` (how far the wijk got with it, which residents follow). Its place, when
there is one, is a spot in public space (a playground, a street corner), so it is kept as plain
latitude and longitude: nothing is measured from it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omkijken.platform.accounts.models import User
from omkijken.platform.areas.models import Wijk
from omkijken.platform.extensions import db


class Agendapunt(db.Model):
    __tablename__ = "agendapunten"

    id: Mapped[int] = mapped_column(primary_key=True)
    wijk_id: Mapped[int] = mapped_column(ForeignKey("wijken.id"), index=True)
    auteur_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    soort: Mapped[str] = mapped_column(String(20))
    onderwerp: Mapped[str] = mapped_column(String(20))
    titel: Mapped[str] = mapped_column(String(120))
    beschrijving: Mapped[str] = mapped_column(Text, default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    moderatie: Mapped[str] = mapped_column(String(20), default="ingediend", index=True)
    moderatie_reden: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="nieuw", index=True)
    status_reden: Mapped[str] = mapped_column(Text, default="")
    samengevoegd_in_id: Mapped[int | None] = mapped_column(ForeignKey("agendapunten.id", ondelete="SET NULL"))
    thema_id: Mapped[int | None] = mapped_column(ForeignKey("agendathemas.id", ondelete="SET NULL"), index=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # When the punt last changed in a way followers hear of (approved, a new status).
    besloten_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    wijk: Mapped[Wijk] = relationship()
    auteur: Mapped[User | None] = relationship()
    samengevoegd_in: Mapped[Agendapunt | None] = relationship(remote_side=[id])
    thema: Mapped[Agendathema | None] = relationship(back_populates="punten")
    reacties: Mapped[list[Reactie]] = relationship(
        back_populates="punt", order_by="Reactie.created_at", cascade="all, delete-orphan"
    )

    @property
    def is_public(self) -> bool:
        return self.moderatie == "goedgekeurd"

    @property
    def plek(self) -> tuple[float, float] | None:
        return (self.lat, self.lon) if self.lat is not None and self.lon is not None else None


class Steun(db.Model):
    """One vote per person per punt: the primary key keeps it so, also under concurrent taps."""

    __tablename__ = "agendasteun"

    punt_id: Mapped[int] = mapped_column(ForeignKey("agendapunten.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Puntvolger(db.Model):
    """Who follows a punt (its author, who supports it, who wants to help) and hears what
    becomes of it in the weekly digest; ``meehelpen`` is "ik wil meehelpen"."""

    __tablename__ = "agendapuntvolgers"

    punt_id: Mapped[int] = mapped_column(ForeignKey("agendapunten.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    meehelpen: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class Reactie(db.Model):
    __tablename__ = "agendareacties"

    id: Mapped[int] = mapped_column(primary_key=True)
    punt_id: Mapped[int] = mapped_column(ForeignKey("agendapunten.id", ondelete="CASCADE"), index=True)
    auteur_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    tekst: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    punt: Mapped[Agendapunt] = relationship(back_populates="reacties")
    auteur: Mapped[User | None] = relationship()


class SocialeAgenda(db.Model):
    """The sociale agenda / wijkplan of a wijk: chosen punten grouped into themes. The newest
    published one is what residents read; a concept is only seen by the opbouwwerkers."""

    __tablename__ = "sociale_agendas"

    id: Mapped[int] = mapped_column(primary_key=True)
    wijk_id: Mapped[int] = mapped_column(ForeignKey("wijken.id"), index=True)
    titel: Mapped[str] = mapped_column(String(160))
    inleiding: Mapped[str] = mapped_column(Text, default="")
    datum: Mapped[date] = mapped_column(Date)
    gepubliceerd_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    gemaakt_door_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    wijk: Mapped[Wijk] = relationship()
    themas: Mapped[list[Agendathema]] = relationship(
        back_populates="agenda", order_by="Agendathema.volgorde, Agendathema.id", cascade="all, delete-orphan"
    )


class Agendathema(db.Model):
    __tablename__ = "agendathemas"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_id: Mapped[int] = mapped_column(ForeignKey("sociale_agendas.id", ondelete="CASCADE"), index=True)
    titel: Mapped[str] = mapped_column(String(120))
    tekst: Mapped[str] = mapped_column(Text, default="")
    # Who does what, as the wijk says it: "bewoners", "gemeente", "ONS welzijn", an initiative.
    wie: Mapped[str] = mapped_column(String(300), default="")
    datum: Mapped[date | None] = mapped_column(Date)
    volgorde: Mapped[int] = mapped_column(Integer, default=0)

    agenda: Mapped[SocialeAgenda] = relationship(back_populates="themas")
    punten: Mapped[list[Agendapunt]] = relationship(back_populates="thema", order_by="Agendapunt.id")


class Wijkvolger(db.Model):
    """A resident who follows a wijk gets the weekly digest unless ``per_mail`` is off."""

    __tablename__ = "wijkvolgers"
    __table_args__ = (UniqueConstraint("wijk_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    wijk_id: Mapped[int] = mapped_column(ForeignKey("wijken.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    per_mail: Mapped[bool] = mapped_column(default=True)
    gemaild_tot: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    wijk: Mapped[Wijk] = relationship()
    user: Mapped[User] = relationship()
