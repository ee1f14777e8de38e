"""Gemeenten, wijken and buurten with their CBS polygons (WGS84); gebieden that group wijken; the
CBS kerncijfers of a wijk or buurt per year.

The polygons are deferred: pages name areas all the time and need their shapes rarely (the
queries that place a point read them in the database), and a wijk's outline is kilobytes."""

from __future__ import annotations

from geoalchemy2 import Geometry
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omkijken.platform.database import WGS84
from omkijken.platform.extensions import db


class Gemeente(db.Model):
    __tablename__ = "gemeenten"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    naam: Mapped[str] = mapped_column(String(120))
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=WGS84, spatial_index=True), nullable=True,
                         deferred=True)

    wijken: Mapped[list[Wijk]] = relationship(back_populates="gemeente", order_by="Wijk.code")


class Wijk(db.Model):
    __tablename__ = "wijken"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    naam: Mapped[str] = mapped_column(String(120))
    cbs_naam: Mapped[str] = mapped_column(String(160))
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeenten.id"), index=True)
    # False for an industrial estate: nobody lives there, so public lists leave it out unless
    # something is posted there (areas.services.public_wijken).
    woonwijk: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=WGS84, spatial_index=True), nullable=False,
                         deferred=True)

    gemeente: Mapped[Gemeente] = relationship(back_populates="wijken")
    buurten: Mapped[list[Buurt]] = relationship(back_populates="wijk", order_by="Buurt.naam")

    @property
    def volledige_naam(self) -> str:
        return f"{self.naam} ({self.gemeente.naam})"


class Buurt(db.Model):
    __tablename__ = "buurten"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    naam: Mapped[str] = mapped_column(String(160))
    wijk_id: Mapped[int] = mapped_column(ForeignKey("wijken.id"), index=True)
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=WGS84, spatial_index=True), nullable=False,
                         deferred=True)

    wijk: Mapped[Wijk] = relationship(back_populates="buurten")


gebied_wijken = Table(
    "gebied_wijken", db.metadata,
    Column("gebied_id", Integer, ForeignKey("gebieden.id", ondelete="CASCADE"), primary_key=True),
    Column("wijk_id", Integer, ForeignKey("wijken.id", ondelete="CASCADE"), primary_key=True),
)

gebied_buurten = Table(
    "gebied_buurten", db.metadata,
    Column("gebied_id", Integer, ForeignKey("gebieden.id", ondelete="CASCADE"), primary_key=True),
    Column("buurt_id", Integer, ForeignKey("buurten.id", ondelete="CASCADE"), primary_key=True),
)


class Gebied(db.Model):
    """A named group of wijken (or of buurten) of one gemeente: the unit a gemeente draws up its
    sociale agenda in (Oss works in eleven gebieden, not in its CBS wijken)."""

    __tablename__ = "gebieden"
    __table_args__ = (UniqueConstraint("gemeente_id", "naam"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeenten.id"), index=True)
    naam: Mapped[str] = mapped_column(String(120))

    gemeente: Mapped[Gemeente] = relationship()
    wijken: Mapped[list[Wijk]] = relationship(secondary=gebied_wijken, order_by="Wijk.code")
    buurten: Mapped[list[Buurt]] = relationship(secondary=gebied_buurten, order_by="Buurt.code")

    @property
    def wijk_ids(self) -> set[int]:
        """The wijken of the gebied: those it names, and those of the buurten it names."""
        return {w.id for w in self.wijken} | {b.wijk_id for b in self.buurten}


class Kerncijfers(db.Model):
    """What the CBS counts of one wijk or buurt in one year ("Kerncijfers wijken en buurten").

    None is unknown: the CBS hides small numbers ("." or "x"). Keyed by the CBS code and the
    year, so a later year is added beside the earlier one and importing a file twice changes
    nothing; the wijk or buurt is the area of that code when the file was read."""

    __tablename__ = "kerncijfers"
    __table_args__ = (UniqueConstraint("code", "jaar"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12))
    jaar: Mapped[int] = mapped_column(Integer)
    wijk_id: Mapped[int | None] = mapped_column(ForeignKey("wijken.id", ondelete="CASCADE"), index=True)
    buurt_id: Mapped[int | None] = mapped_column(ForeignKey("buurten.id", ondelete="CASCADE"), index=True)
    bron: Mapped[str] = mapped_column(String(200))
    inwoners: Mapped[int | None] = mapped_column(Integer)
    leeftijd_0_15: Mapped[int | None] = mapped_column(Integer)
    leeftijd_15_25: Mapped[int | None] = mapped_column(Integer)
    leeftijd_25_45: Mapped[int | None] = mapped_column(Integer)
    leeftijd_45_65: Mapped[int | None] = mapped_column(Integer)
    leeftijd_65_plus: Mapped[int | None] = mapped_column(Integer)
    huishoudens: Mapped[int | None] = mapped_column(Integer)
    # Average income per resident, in whole euros (the CBS gives thousands with one decimal).
    inkomen_per_inwoner: Mapped[int | None] = mapped_column(Integer)

    wijk: Mapped[Wijk | None] = relationship()
    buurt: Mapped[Buurt | None] = relationship()
