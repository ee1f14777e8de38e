"""The prikbord's filters: what a visitor chose in the GET parameters (``soort``, ``categorie``,
``wijk``, ``zoek``, ``afstand``, ``van``), read the same way by the list, the map and the API, so a link
between them keeps the filters. Values that make no sense are left out with a short notice, never an
error."""


import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping
from urllib.parse import urlencode

from flask_babel import format_timedelta
from sqlalchemy import func, select

from omkijken.platform.areas import services as areas
from omkijken.platform.clock import as_utc
from omkijken.platform.extensions import db
from omkijken.platform.i18n import gettext as _
from omkijken.platform.posts import services
from omkijken.platform.posts.models import Post
from omkijken.platform.posts.vocabulary import CATEGORIEEN, SOORTEN

PER_PAGE = 20
AFSTANDEN_KM = (1, 2, 5, 10)
ZOEK_MAX = 100
HOME = "huis"


@dataclass
class Choice:
    """The filters as the visitor chose them (the values that made sense), and what was left out."""

    soort: str = ""
    categorie: str = ""
    wijk: areas.WijkInfo | None = None
    zoek: str = ""
    afstand_km: int | None = None
    van: str = ""  # "huis" or a wijk code
    filters: services.Filters = field(default_factory=services.Filters)
    notices: dict[str, str] = field(default_factory=dict)

    def query(self, **extra: Any) -> dict[str, Any]:
        """The GET parameters that give this same choice again (for links between list and map)."""
        values = {
            "soort": self.soort,
            "categorie": self.categorie,
            "wijk": self.wijk.code if self.wijk else "",
            "zoek": self.zoek,
            "afstand": self.afstand_km or "",
            "van": self.van if self.afstand_km else "",
            **extra,
        }
        return {name: value for name, value in values.items() if value not in ("", None)}

    def query_string(self, **extra: Any) -> str:
        return urlencode(self.query(**extra))

    @property
    def active(self) -> bool:
        return bool(self.query())


def _wijk(value: str) -> areas.WijkInfo | None:
    """A wijk by CBS code (WK082806) or by id."""
    value = value.strip()
    if value.isascii() and value.isdigit() and len(value) < 10:
        return areas.wijk_info(int(value))
    if len(value) <= 10:
        return areas.wijk_info(value.upper())
    return None


def home_point(user: Any) -> tuple[float, float] | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return services.home_of(user)
    except services.PostError:
        return None


def parse(raw: Mapping[str, str], *, user: Any = None, type_alias: bool = False) -> Choice:
    """Read the filters from GET parameters. Every value that makes no sense is skipped, with a
    notice under the name of its parameter; services.Filters gets only what is valid.

    With ``type_alias`` (the API) the kind may also be given as ``type``."""
    choice = Choice()
    notices = choice.notices
    # A NUL byte is no text any database takes (PostgreSQL refuses it): drop it at the door.
    args = {name: (raw.get(name) or "").replace("\x00", "").strip()
            for name in ("soort", "type", "categorie", "wijk", "zoek", "afstand", "van")}

    soort = (args["type"] if type_alias and args["type"] else args["soort"]).lower()
    if soort and soort != "alles":
        if soort in SOORTEN:
            choice.soort = soort
        else:
            notices["type" if type_alias and args["type"] else "soort"] = _(
                "Dit soort bericht kennen we niet. We laten alle soorten zien."
            )

    categorie = args["categorie"].lower()
    if categorie and categorie != "alles":
        if categorie in CATEGORIEEN:
            choice.categorie = categorie
        else:
            notices["categorie"] = _("Deze categorie kennen we niet. We laten alle categorieën zien.")

    wijk_value = args["wijk"]
    if wijk_value and wijk_value != "alles":
        choice.wijk = _wijk(wijk_value)
        if choice.wijk is None:
            notices["wijk"] = _("Deze wijk kennen we niet. We laten alle wijken zien.")

    zoek = " ".join(args["zoek"].split())
    if len(zoek) > ZOEK_MAX:
        notices["zoek"] = _("Je zoekwoord is te lang. We zoeken op de eerste %(n)s tekens.", n=ZOEK_MAX)
        zoek = zoek[:ZOEK_MAX]
    choice.zoek = zoek

    near = None
    afstand, van = args["afstand"], args["van"]
    if afstand:
        try:
            km = float(afstand.replace(",", "."))
        except ValueError:
            km = math.nan
        if km not in AFSTANDEN_KM:
            notices["afstand"] = _("Kies een afstand van 1, 2, 5 of 10 km. We kijken nu niet naar afstand.")
        elif van == HOME:
            near = home_point(user)
            if near is None:
                notices["van"] = _(
                    "Log in en vul je adres in om te zoeken vanaf je huis. We kijken nu niet naar afstand."
                )
        elif van:
            wijk = _wijk(van)
            if wijk is None:
                notices["van"] = _("Deze wijk kennen we niet. We kijken nu niet naar afstand.")
            else:
                near, van = areas.representative_point(wijk), wijk.code
        else:
            notices["van"] = _("Kies ook vanaf waar je de afstand wilt meten: je huis of een wijk.")
        if near is not None:
            choice.afstand_km, choice.van = int(km), van

    choice.filters = services.Filters(
        soorten=(choice.soort,) if choice.soort else (),
        categorie=choice.categorie or None,
        wijk_id=choice.wijk.id if choice.wijk else None,
        zoek=choice.zoek or None,
        near=near,
        afstand_m=choice.afstand_km * 1000 if near is not None and choice.afstand_km else None,
    )
    return choice


def page_number(value: str | None) -> int:
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return min(max(number, 1), 100_000)


@dataclass(frozen=True)
class Item:
    """One line of the list: only what anyone may see (no place, no contact details)."""

    id: int
    soort: str
    titel: str
    categorie: str | None
    wijk: str | None
    created_at: datetime

    @property
    def url(self) -> str:
        return f"/prikbord/{self.id}"

    @property
    def soort_label(self) -> str:
        return str(SOORTEN.get(self.soort, self.soort))

    @property
    def categorie_label(self) -> str | None:
        return str(CATEGORIEEN[self.categorie]) if self.categorie in CATEGORIEEN else None

    def age(self, now: datetime) -> str:
        ago = as_utc(self.created_at) - now
        if ago.total_seconds() > -60:
            return _("net geplaatst")
        return format_timedelta(ago, granularity="minute", add_direction=True, threshold=1)


def listing(filters: services.Filters, *, page: int, per_page: int = PER_PAGE) -> tuple[list[Item], int]:
    """One page of public posts and how many there are in all.

    The kinds take turns: first the newest post of every kind, then the second newest of every kind,
    and so on; within a turn the newest comes first. Plain "newest first" let one kind fill the first
    page: meeting places are often entered in a batch (the opbouwwerker at the start, the demo when
    it is seeded), and then a resident saw twenty meeting places and no hulpvraag. A kind with few
    posts keeps them near the top, a kind with many spreads over the pages, and with one kind
    chosen in the filter this is simply newest first. Pages stay stable: the order is a total one."""
    stmt = services.public_query(filters)
    total = db.session.scalar(
        select(func.count()).select_from(stmt.order_by(None).with_only_columns(Post.id).subquery())
    )
    turn = func.row_number().over(partition_by=Post.soort, order_by=(Post.created_at.desc(), Post.id.desc()))
    ranked = stmt.order_by(None).with_only_columns(
        Post.id, Post.soort, Post.titel, Post.categorie, Post.wijk_id, Post.created_at, turn.label("beurt")
    ).subquery()
    rows = db.session.execute(
        select(ranked.c.id, ranked.c.soort, ranked.c.titel, ranked.c.categorie, ranked.c.wijk_id, ranked.c.created_at)
        .order_by(ranked.c.beurt, ranked.c.created_at.desc(), ranked.c.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    wijken = areas.wijk_names()
    return [Item(post_id, soort, titel, categorie, wijken.get(wijk_id), created_at)
            for post_id, soort, titel, categorie, wijk_id, created_at in rows], total
