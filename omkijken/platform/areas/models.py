"""Gemeenten, wijken and buurten with their CBS polygons (WGS84).

The polygons are deferred: pages name areas all the time and need their shapes rarely (the
queries that place a point read them in the database), and a wijk's outline is kilobytes."""

from __future__ import annotations

from geoalchemy2 import Geometry
from sqlalchemy import ForeignKey, String
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
