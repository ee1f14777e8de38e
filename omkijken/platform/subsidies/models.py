"""Regelingen (a gemeente's pot per year), subsidieaanvragen of an initiatief with their begroting,
bijlagen and question thread.

Money is whole cents in BIGINT columns, never a float; totals are computed from the lines, not
stored, so they cannot disagree with them. What the aanvrager asks is the begroting minus what
others put in (own money, sponsors); hours help the story but are no money.

An aanvraag outlives the account and the initiatief it came from: the gemeente must still account
for what it paid, so those keys are set to NULL rather than taking the aanvraag with them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omkijken.platform.accounts.models import User
from omkijken.platform.areas.models import Gemeente, Wijk
from omkijken.platform.extensions import db
from omkijken.platform.posts.models import Initiatief
from omkijken.platform.subsidies.money import sum_lines

# The kinds of initiatives the gemeente counts applications by (002:735-736).
SOORTEN = ("dagontmoeting", "ontmoeting", "sport_en_bewegen", "duurzaamheid", "anders")
BIJLAGE_SOORTEN = ("offerte", "foto", "verantwoording")
BESLISTERMIJN_DAGEN = 28


class Regeling(db.Model):
    """One regeling of one gemeente in one year: its pot, the most one aanvraag may get, and the
    kinds of initiatives it is for. What is left is computed (``volledigheid.remaining``)."""

    __tablename__ = "regelingen"
    __table_args__ = (UniqueConstraint("gemeente_id", "jaar", "naam"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeenten.id"), index=True)
    jaar: Mapped[int] = mapped_column(Integer)
    naam: Mapped[str] = mapped_column(String(120))
    budget_cents: Mapped[int] = mapped_column(BigInteger)
    max_per_aanvraag_cents: Mapped[int] = mapped_column(BigInteger)
    soorten: Mapped[list[str]] = mapped_column(JSON, default=list)
    beslistermijn_dagen: Mapped[int] = mapped_column(Integer, default=BESLISTERMIJN_DAGEN)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    gemeente: Mapped[Gemeente] = relationship()


class Subsidieaanvraag(db.Model):
    __tablename__ = "subsidieaanvragen"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiatief_id: Mapped[int | None] = mapped_column(ForeignKey("initiatieven.id", ondelete="SET NULL"), index=True)
    aanvrager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    regeling_id: Mapped[int | None] = mapped_column(ForeignKey("regelingen.id"), index=True)
    wijk_id: Mapped[int | None] = mapped_column(ForeignKey("wijken.id"), index=True)
    status: Mapped[str] = mapped_column(String(30), default="concept", index=True)
    soort: Mapped[str | None] = mapped_column(String(30), index=True)
    titel: Mapped[str] = mapped_column(String(120), default="")
    wat: Mapped[str] = mapped_column(Text, default="")
    voor_wie: Mapped[str] = mapped_column(Text, default="")
    plek: Mapped[str] = mapped_column(String(200), default="")
    wanneer: Mapped[str] = mapped_column(String(200), default="")
    deelnemers: Mapped[int | None] = mapped_column(Integer)
    # What others put in: money lowers what is asked, hours and the text tell who helps.
    eigen_bijdrage_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    sponsor_bijdrage_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    uren_vrijwilligers: Mapped[int] = mapped_column(Integer, default=0)
    bijdragen: Mapped[str] = mapped_column(Text, default="")
    toegekend_cents: Mapped[int | None] = mapped_column(BigInteger)
    betaald_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    # The one person at the gemeente the aanvrager deals with: who took the aanvraag up.
    contactpersoon_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    ingediend_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    beslis_voor: Mapped[date | None] = mapped_column(Date)
    besloten_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reden: Mapped[str] = mapped_column(Text, default="")
    # The decision letter, stored once as PDF/A when decided (``pdf.py``): its random file name under
    # ``<instance>/besluiten/`` and the SHA-256 of its bytes, so a download is checked to be that record.
    besluit_bestand: Mapped[str | None] = mapped_column(String(64))
    besluit_sha256: Mapped[str | None] = mapped_column(String(64))
    # The narrative accountability: three questions and what it really cost (003:586-590).
    bereikt: Mapped[str] = mapped_column(Text, default="")
    bijdragen_van_wie: Mapped[str] = mapped_column(Text, default="")
    deelnemers_vonden: Mapped[str] = mapped_column(Text, default="")
    werkelijke_kosten_cents: Mapped[int | None] = mapped_column(BigInteger)
    verantwoord_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the support ended (set on closing): a year later comes "bestaat het nog?".
    steun_eind: Mapped[date | None] = mapped_column(Date, index=True)
    # The follow-up (``opvolging.py``): reminders of the accountability, and "bestaat het nog?".
    herinneringen: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    herinnerd_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    bestaat_nog_gevraagd_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    bestaat_nog: Mapped[bool | None] = mapped_column(Boolean)
    bestaat_nog_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    initiatief: Mapped[Initiatief | None] = relationship()
    aanvrager: Mapped[User | None] = relationship(foreign_keys=[aanvrager_id])
    contactpersoon: Mapped[User | None] = relationship(foreign_keys=[contactpersoon_id])
    regeling: Mapped[Regeling | None] = relationship()
    wijk: Mapped[Wijk | None] = relationship()
    regels: Mapped[list[Begrotingsregel]] = relationship(
        back_populates="aanvraag", order_by="Begrotingsregel.volgorde, Begrotingsregel.id",
        cascade="all, delete-orphan")
    bijlagen: Mapped[list[Bijlage]] = relationship(
        back_populates="aanvraag", order_by="Bijlage.created_at, Bijlage.id", cascade="all, delete-orphan")
    berichten: Mapped[list[SubsidieBericht]] = relationship(
        back_populates="aanvraag", order_by="SubsidieBericht.created_at, SubsidieBericht.id",
        cascade="all, delete-orphan")

    @property
    def totaal_cents(self) -> int:
        """The begroting: the sum of its lines."""
        return sum_lines(regel.bedrag_cents for regel in self.regels)

    @property
    def gevraagd_cents(self) -> int:
        """What is asked of the gemeente: the begroting minus the money others put in."""
        return max(0, self.totaal_cents - self.eigen_bijdrage_cents - self.sponsor_bijdrage_cents)


class Begrotingsregel(db.Model):
    __tablename__ = "begrotingsregels"

    id: Mapped[int] = mapped_column(primary_key=True)
    aanvraag_id: Mapped[int] = mapped_column(ForeignKey("subsidieaanvragen.id", ondelete="CASCADE"), index=True)
    omschrijving: Mapped[str] = mapped_column(String(200))
    bedrag_cents: Mapped[int] = mapped_column(BigInteger)
    volgorde: Mapped[int] = mapped_column(Integer, default=0)

    aanvraag: Mapped[Subsidieaanvraag] = relationship(back_populates="regels")


class Bijlage(db.Model):
    """A file kept under the instance folder (``attachments.py``), never under static/:
    ``opslag_naam`` is random, so neither a guess nor the uploaded name finds it."""

    __tablename__ = "subsidiebijlagen"

    id: Mapped[int] = mapped_column(primary_key=True)
    aanvraag_id: Mapped[int] = mapped_column(ForeignKey("subsidieaanvragen.id", ondelete="CASCADE"), index=True)
    soort: Mapped[str] = mapped_column(String(20))
    bestandsnaam: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(40))
    grootte: Mapped[int] = mapped_column(Integer)
    opslag_naam: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    aanvraag: Mapped[Subsidieaanvraag] = relationship(back_populates="bijlagen")


class SubsidieBericht(db.Model):
    """One message in the thread between the gemeente and the aanvrager (questions, answers)."""

    __tablename__ = "subsidieberichten"

    id: Mapped[int] = mapped_column(primary_key=True)
    aanvraag_id: Mapped[int] = mapped_column(ForeignKey("subsidieaanvragen.id", ondelete="CASCADE"), index=True)
    afzender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    tekst: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    aanvraag: Mapped[Subsidieaanvraag] = relationship(back_populates="berichten")
    afzender: Mapped[User | None] = relationship()

