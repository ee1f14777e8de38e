"""Diensten, voorstellen, koppelingen and what a coordinator did.

A *voorstel* is one proposed pair of a hulpvraag and a volunteer, stored once per pair (unique
key), so a matching task that runs twice proposes nothing twice and a declined pair is never
proposed again. When both sides accept, the voorstel becomes a *koppeling*.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omkijken.platform.accounts.models import User
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen.vocabulary import vertaald
from omkijken.platform.posts.models import Aanbod, Hulpvraag

dienst_coordinatoren = Table(
    "dienst_coordinatoren",
    db.metadata,
    Column("dienst_id", ForeignKey("diensten.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Dienst(db.Model):
    """A service of the welzijn organisation (Burenhulp, Blink, Maatjes ...), with its own
    coordinators, its usual kind of koppeling, and whether a coordinator confirms each voorstel."""

    __tablename__ = "diensten"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    naam: Mapped[str] = mapped_column(String(80))
    beschrijving: Mapped[str] = mapped_column(Text, default="")
    soort_koppeling: Mapped[str] = mapped_column(String(20), default="eenmalig")
    bemiddeld: Mapped[bool] = mapped_column(default=False)
    vog_nodig: Mapped[bool] = mapped_column(default=False)
    # The categories whose hulpvragen go to this dienst unless a coordinator chooses otherwise.
    categorieen: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Days after the start of a koppeling on which both people get a check-in; None: the default
    # of the kind (nazorg.DEFAULT_DAGEN).
    nazorg_dagen: Mapped[list[int] | None] = mapped_column(JSON)
    # The share of durable koppelingen this dienst aims at (Blink: 0.85), or None: most diensten have
    # no target in the seeds, and a figure without a target gets no verdict (DOMAIN.md).
    duurzaam_doel: Mapped[float | None] = mapped_column(Float)
    # Days after the start at which a koppeling of this kind counts as durable (eenmalig: always 7).
    horizon_periodiek: Mapped[int] = mapped_column(SmallInteger, default=91, server_default=text("91"))
    horizon_maatje: Mapped[int] = mapped_column(SmallInteger, default=182, server_default=text("182"))

    coordinatoren: Mapped[list[User]] = relationship(secondary=dienst_coordinatoren)

    @property
    def label(self) -> str:
        """The name to show: a standard name in the reader's language, a typed one as typed."""
        return vertaald(self.naam)

    @property
    def beschrijving_label(self) -> str:
        return vertaald(self.beschrijving or "")


# The engine asks one volunteer per vraag at a time. Two workers matching at once (a new vraag
# and a new aanbod nearby) must not both ask someone: the database keeps it to one.
_ONE_LIVE_MATCH = text("bron = 'match' AND status IN ('te_bevestigen', 'open')")


class Voorstel(db.Model):
    __tablename__ = "voorstellen"
    __table_args__ = (
        UniqueConstraint("hulpvraag_id", "vrijwilliger_id"),
        Index("uq_voorstellen_een_lopend_per_vraag", "hulpvraag_id", unique=True,
              postgresql_where=_ONE_LIVE_MATCH, sqlite_where=_ONE_LIVE_MATCH),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hulpvraag_id: Mapped[int] = mapped_column(ForeignKey("hulpvragen.id", ondelete="CASCADE"), index=True)
    vrijwilliger_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    aanbod_id: Mapped[int | None] = mapped_column(ForeignKey("aanbod.id", ondelete="SET NULL"))
    dienst_id: Mapped[int | None] = mapped_column(ForeignKey("diensten.id", ondelete="SET NULL"))
    # Who started it: "match" (the engine), "vrijwilliger" or "hulpvrager" (responded to a post),
    # or "coordinator" (matched by hand).
    bron: Mapped[str] = mapped_column(String(20))
    # te_bevestigen (a coordinator of a mediated dienst looks first) -> open -> gekoppeld,
    # or afgewezen, or vervallen (the vraag found help elsewhere or closed).
    status: Mapped[str] = mapped_column(String(20), index=True)
    score: Mapped[float | None] = mapped_column(Float)
    # matching.Reason.as_dict() per reason; rows from before issue 22 hold Dutch sentences (redenen.py reads both).
    redenen: Mapped[list[dict | str]] = mapped_column(JSON, default=list)
    vraag_akkoord_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    vrijwilliger_akkoord_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    coordinator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    afgewezen_door: Mapped[str | None] = mapped_column(String(20))
    afwijs_reden: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    hulpvraag: Mapped[Hulpvraag] = relationship()
    vrijwilliger: Mapped[User] = relationship(foreign_keys=[vrijwilliger_id])
    aanbod: Mapped[Aanbod | None] = relationship()
    dienst: Mapped[Dienst | None] = relationship()
    coordinator: Mapped[User | None] = relationship(foreign_keys=[coordinator_id])


class Koppeling(db.Model):
    """Two people who agreed to help each other. ``zelf_gevonden`` is the self-service KPI:
    no coordinator confirmed, matched or registered anything on the way here."""

    __tablename__ = "koppelingen"

    id: Mapped[int] = mapped_column(primary_key=True)
    voorstel_id: Mapped[int] = mapped_column(ForeignKey("voorstellen.id", ondelete="CASCADE"), unique=True)
    hulpvraag_id: Mapped[int] = mapped_column(ForeignKey("hulpvragen.id", ondelete="CASCADE"), index=True)
    hulpvrager_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    vrijwilliger_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    dienst_id: Mapped[int | None] = mapped_column(ForeignKey("diensten.id", ondelete="SET NULL"), index=True)
    soort: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="actief", index=True)
    zelf_gevonden: Mapped[bool] = mapped_column(default=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    eind_reden: Mapped[str | None] = mapped_column(String(30))
    # The agreed day of a one-off task, and the planned last day of a series: the check-ins are
    # planned from these.
    afgesproken_op: Mapped[date | None] = mapped_column(Date)
    eind_datum: Mapped[date | None] = mapped_column(Date)

    voorstel: Mapped[Voorstel] = relationship()
    hulpvraag: Mapped[Hulpvraag] = relationship()
    hulpvrager: Mapped[User] = relationship(foreign_keys=[hulpvrager_id])
    vrijwilliger: Mapped[User] = relationship(foreign_keys=[vrijwilliger_id])
    dienst: Mapped[Dienst | None] = relationship()


class Afhandeling(db.Model):
    """What a coordinator did for a vraag: called, referred, matched by hand, confirmed. It is
    the record that every vraag is handled or referred, and the reason a koppeling is not
    self-service."""

    __tablename__ = "afhandelingen"

    id: Mapped[int] = mapped_column(primary_key=True)
    hulpvraag_id: Mapped[int] = mapped_column(ForeignKey("hulpvragen.id", ondelete="CASCADE"), index=True)
    coordinator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    soort: Mapped[str] = mapped_column(String(20))
    tekst: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    coordinator: Mapped[User | None] = relationship()


class Checkin(db.Model):
    """One "Hoe gaat het?" for one person of a koppeling on one planned day (a *ronde*). Both
    people get their own, so the row is unique per koppeling, side and ronde, and each step
    (sent, reminded, with the coordinator) is a timestamp set once: a sweep that runs twice sends
    nothing twice."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("koppeling_id", "kant", "ronde"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    koppeling_id: Mapped[int] = mapped_column(ForeignKey("koppelingen.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kant: Mapped[str] = mapped_column(String(20))  # hulpvrager or vrijwilliger
    ronde: Mapped[int] = mapped_column(SmallInteger)
    dagen: Mapped[int] = mapped_column()  # days after the start of the koppeling
    # gepland -> verstuurd -> herinnerd -> bij_coordinator -> beantwoord; vervallen when the koppeling
    # stopped first (or a later ronde was due too); verlopen when the other person answered this ronde.
    status: Mapped[str] = mapped_column(String(20), default="gepland", index=True)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The mail server refused the check-in mail even after the retries: the coordinator calls.
    mail_mislukt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # goed, beter (het kan beter), gestopt; geen_contact when the coordinator reached nobody.
    antwoord: Mapped[str | None] = mapped_column(String(20))
    cijfer: Mapped[int | None] = mapped_column(SmallInteger)
    opmerking: Mapped[str] = mapped_column(Text, default="")
    stop_reden: Mapped[str | None] = mapped_column(String(20))
    via: Mapped[str | None] = mapped_column(String(20))  # link, app or coordinator
    # At the last planned ronde: "Gaan jullie door?" (None: not asked, or not answered).
    doorgaan: Mapped[bool | None] = mapped_column()
    beantwoord_door_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The coordinator should look: "het kan beter", a low cijfer, or a stop without the goal reached.
    aandacht: Mapped[bool] = mapped_column(default=False, index=True)
    afgehandeld_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    afgehandeld_door_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    notitie: Mapped[str] = mapped_column(Text, default="")

    koppeling: Mapped[Koppeling] = relationship(backref="checkins")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    beantwoord_door: Mapped[User | None] = relationship(foreign_keys=[beantwoord_door_id])
    afgehandeld_door: Mapped[User | None] = relationship(foreign_keys=[afgehandeld_door_id])


class WelzijnMeting(db.Model):
    """What a hulpvrager said about herself: "Hoe gaat het met je?" (0-10) at the start of a
    koppeling (``moment`` "start") and with each check-in ("ronde", with its number), and for
    maatjes the six De Jong Gierveld statements at "start", "6m" and "eind" (``matching.effect``
    scores them; ``eenzaam_1``-``3`` are the emotional items, ``4``-``6`` the social ones).

    Only the person herself answers (a guess by someone else is not how she is doing), and nobody
    reads a row on its own: the dashboards show group figures only. One row per koppeling, moment
    and ronde, so a form sent twice stores nothing twice.
    """

    __tablename__ = "welzijn_metingen"
    __table_args__ = (UniqueConstraint("koppeling_id", "moment", "ronde"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    koppeling_id: Mapped[int] = mapped_column(ForeignKey("koppelingen.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id", ondelete="SET NULL"))
    moment: Mapped[str] = mapped_column(String(10))  # start, ronde, 6m, eind
    ronde: Mapped[int] = mapped_column(SmallInteger, default=0)  # the check-in's ronde; 0 for the others
    dagen: Mapped[int] = mapped_column()  # days after the start of the koppeling
    cijfer: Mapped[int | None] = mapped_column(SmallInteger)
    eenzaam_1: Mapped[str | None] = mapped_column(String(12))
    eenzaam_2: Mapped[str | None] = mapped_column(String(12))
    eenzaam_3: Mapped[str | None] = mapped_column(String(12))
    eenzaam_4: Mapped[str | None] = mapped_column(String(12))
    eenzaam_5: Mapped[str | None] = mapped_column(String(12))
    eenzaam_6: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    koppeling: Mapped[Koppeling] = relationship()

    def eenzaam(self) -> dict[int, str | None]:
        """The six answers by item number, as ``matching.effect.loneliness`` reads them."""
        return {i: getattr(self, f"eenzaam_{i}") for i in range(1, 7)}

    @property
    def heeft_eenzaamheid(self) -> bool:
        return any(v is not None for v in self.eenzaam().values())
