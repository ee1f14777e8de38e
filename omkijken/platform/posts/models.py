"""Posts on the prikbord: one ``posts`` table for what every post has (place, status, author),
and a table per kind for the rest (joined-table inheritance), so the map queries one table.

Every post keeps two points: the exact one (``locatie``, used only by matching and shown only to
the two people of a koppeling) and the public one (``toon_locatie``), which for a post at
someone's home is blurred. Both are also kept in RD New for distance queries.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from geoalchemy2 import Geometry
from sqlalchemy import JSON, Date, DateTime, ForeignKey, Numeric, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omkijken.platform.accounts.models import User
from omkijken.platform.areas.models import Buurt, Wijk
from omkijken.platform.database import RD_NEW, WGS84
from omkijken.platform.extensions import db


class Post(db.Model):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    soort: Mapped[str] = mapped_column(String(20), index=True)
    titel: Mapped[str] = mapped_column(String(120))
    beschrijving: Mapped[str] = mapped_column(Text, default="")
    categorie: Mapped[str | None] = mapped_column(String(30), index=True)
    auteur_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    namens_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    wijk_id: Mapped[int | None] = mapped_column(ForeignKey("wijken.id"), index=True)
    buurt_id: Mapped[int | None] = mapped_column(ForeignKey("buurten.id"))
    op_huisadres: Mapped[bool] = mapped_column(default=True)
    locatie = mapped_column(Geometry("POINT", srid=WGS84, spatial_index=False), nullable=False)
    locatie_rd = mapped_column(Geometry("POINT", srid=RD_NEW, spatial_index=True), nullable=False)
    toon_locatie = mapped_column(Geometry("POINT", srid=WGS84, spatial_index=True), nullable=False)
    toon_locatie_rd = mapped_column(Geometry("POINT", srid=RD_NEW, spatial_index=True), nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    sluit_reden: Mapped[str | None] = mapped_column(String(30))
    verborgen: Mapped[bool] = mapped_column(default=False, index=True)
    # New activiteiten, ontmoetingsplekken and initiatieven are online at once and wait in the
    # opbouwwerker's queue until reviewed; a refusal hides the post and tells its author why.
    beoordeeld_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    moderatie_reden: Mapped[str] = mapped_column(Text, default="", server_default="")
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # When its text and exact place were wiped (accounts.privacy): on erasure, or a while after it closed.
    geanonimiseerd_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    auteur: Mapped[User] = relationship(foreign_keys=[auteur_id])
    namens: Mapped[User | None] = relationship(foreign_keys=[namens_id])
    wijk: Mapped[Wijk | None] = relationship()
    buurt: Mapped[Buurt | None] = relationship()

    __mapper_args__ = {"polymorphic_on": "soort", "polymorphic_identity": "post"}

    @property
    def is_public(self) -> bool:
        return self.status != "gesloten" and not self.verborgen


class Hulpvraag(Post):
    """A request for help, in the words of the Samenwerkwijze: ik wil / ik kan / ik heb nodig."""

    __tablename__ = "hulpvragen"
    __mapper_args__ = {"polymorphic_identity": "hulpvraag"}

    id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    wil: Mapped[str] = mapped_column(Text, default="")
    kan_zelf: Mapped[str] = mapped_column(Text, default="")
    nodig: Mapped[str] = mapped_column(Text, default="")
    dagdelen: Mapped[list[str]] = mapped_column(JSON, default=list)
    datum: Mapped[date | None] = mapped_column(Date)
    periode_tot: Mapped[date | None] = mapped_column(Date)
    voorkeur_taal: Mapped[str | None] = mapped_column(String(5))
    voorkeur_geslacht: Mapped[str | None] = mapped_column(String(5))
    # Set by the koppelingen module: the dienst that handles this vraag, and the collective
    # activity it was linked to ("collectief, tenzij").
    dienst_id: Mapped[int | None] = mapped_column(ForeignKey("diensten.id", ondelete="SET NULL"))
    collectief_id: Mapped[int | None] = mapped_column(ForeignKey("activiteiten.id", ondelete="SET NULL"))
    # When the resident was mailed that a week passed without a voorstel (koppelingen.wachten): once.
    wacht_gemeld_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Aanbod(Post):
    """A volunteer's offer: 'ik kan voor een ander doen'."""

    __tablename__ = "aanbod"
    __mapper_args__ = {"polymorphic_identity": "aanbod"}

    id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    categorieen: Mapped[list[str]] = mapped_column(JSON, default=list)
    dagdelen: Mapped[list[str]] = mapped_column(JSON, default=list)
    radius_m: Mapped[int] = mapped_column(default=3000)
    wijk_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    talen: Mapped[list[str]] = mapped_column(JSON, default=list)
    capaciteit: Mapped[int] = mapped_column(default=1)
    heeft_vog: Mapped[bool] = mapped_column(default=False)
    # Follow new hulpvragen that fit this offer: in the app always, by email when this is on.
    volgt_per_mail: Mapped[bool] = mapped_column(default=True, server_default=true())
    gemaild_tot: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A volunteer of a dienst with its own registration (Blink, Maatjes); empty for everyone else.
    dienst_id: Mapped[int | None] = mapped_column(ForeignKey("diensten.id", ondelete="SET NULL"))
    # When the volunteer last heard of group activities because no vraag fitted (koppelingen.wachtrij).
    samen_gemaild_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Vacature(Post):
    __tablename__ = "vacatures"
    __mapper_args__ = {"polymorphic_identity": "vacature"}

    id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    uren: Mapped[str] = mapped_column(String(120), default="")
    plaats: Mapped[str] = mapped_column(String(160), default="")


class Initiatief(Post):
    __tablename__ = "initiatieven"
    __mapper_args__ = {"polymorphic_identity": "initiatief"}

    id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    vraagt: Mapped[list[str]] = mapped_column(JSON, default=list)
    fase: Mapped[str] = mapped_column(String(20), default="idee")
    losgelaten_reden: Mapped[str | None] = mapped_column(Text)


class Ontmoetingsplek(Post):
    __tablename__ = "ontmoetingsplekken"
    __mapper_args__ = {"polymorphic_identity": "ontmoetingsplek"}

    id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    plek_soort: Mapped[str] = mapped_column(String(20), default="publiek")
    adres: Mapped[str] = mapped_column(String(160), default="")
    openingstijden: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    bij_benadering: Mapped[bool] = mapped_column(default=False)


class Activiteit(Post):
    """An activity at a meeting place or of an initiative, findable on the calendar."""

    __tablename__ = "activiteiten"
    __mapper_args__ = {"polymorphic_identity": "activiteit"}

    id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    start: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    eind: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    herhaling: Mapped[str] = mapped_column(String(60), default="")
    herhaling_tot: Mapped[date | None] = mapped_column(Date)
    plek_id: Mapped[int | None] = mapped_column(ForeignKey("ontmoetingsplekken.id", ondelete="SET NULL"))
    initiatief_id: Mapped[int | None] = mapped_column(ForeignKey("initiatieven.id", ondelete="SET NULL"))
    prijs: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    regels_gelezen: Mapped[bool] = mapped_column(default=False)

    plek: Mapped[Ontmoetingsplek | None] = relationship(foreign_keys=[plek_id])
    initiatief: Mapped[Initiatief | None] = relationship(foreign_keys=[initiatief_id])


class Melding(db.Model):
    """Someone reports a post as inappropriate. One report per person per post."""

    __tablename__ = "meldingen"
    __table_args__ = (UniqueConstraint("post_id", "melder_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    melder_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reden: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    afgehandeld_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    post: Mapped[Post] = relationship()
    melder: Mapped[User] = relationship()


class Gesprek(db.Model):
    """A conversation that starts when someone taps 'reageer' on a post."""

    __tablename__ = "gesprekken"
    __table_args__ = (UniqueConstraint("post_id", "deelnemer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    deelnemer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    post: Mapped[Post] = relationship()
    deelnemer: Mapped[User] = relationship()
    berichten: Mapped[list[Bericht]] = relationship(
        back_populates="gesprek", order_by="Bericht.created_at", cascade="all, delete-orphan"
    )


class Bericht(db.Model):
    __tablename__ = "berichten"

    id: Mapped[int] = mapped_column(primary_key=True)
    gesprek_id: Mapped[int] = mapped_column(ForeignKey("gesprekken.id", ondelete="CASCADE"), index=True)
    afzender_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    tekst: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    gesprek: Mapped[Gesprek] = relationship(back_populates="berichten")
    afzender: Mapped[User] = relationship()


class GesprekStand(db.Model):
    """How far one party of a conversation has read, and up to which message they were mailed.

    Both are message ids (ids only grow): a message of the other party with a higher id than
    ``gelezen_tot`` is unread; one mail covers the unread messages up to ``gemaild_tot``.
    """

    __tablename__ = "gesprekstanden"
    __table_args__ = (UniqueConstraint("gesprek_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gesprek_id: Mapped[int] = mapped_column(ForeignKey("gesprekken.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    gelezen_tot: Mapped[int] = mapped_column(default=0)
    gemaild_tot: Mapped[int] = mapped_column(default=0)
