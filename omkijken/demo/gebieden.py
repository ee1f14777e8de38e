"""The demo's gebieden and woonwijken (issue 24, item 3).

Oss draws up its sociale agenda in eleven gebieden, Geffen included (003:447); Oosterhout works
with a few larger parts. The groupings below are the demo's own, built from the CBS wijken by
name: they show how the wijkagenda reads per gebied, they are not the gemeenten' official lists.
A wijk that is not there is skipped, so the same definitions work on the 2014 map (without Geffen)
and on a later one. Wijken named for an industrial estate are marked "geen woonwijk".
"""

from __future__ import annotations

import re

from sqlalchemy import select

from omkijken.platform.areas import gebieden
from omkijken.platform.areas.models import Gemeente
from omkijken.platform.extensions import db

GEBIEDEN: dict[str, dict[str, tuple[str, ...]]] = {
    "GM0828": {  # Oss
        "Centrum": ("Centrum",),
        "Schadewijk": ("Schadewijk",),
        "Oss-Noord": ("Krinkelhoek", "Buitengebied-Noord"),
        "Oss-Zuid": ("Oss-Zuid", "Buitengebied-Zuid"),
        "Ruwaard": ("Ruwaard",),
        "Ussen": ("Ussen",),
        "Berghem": ("Berghem",),
        "Geffen": ("Geffen",),
        "Lith en omgeving": ("Lith", "Lithoijen", "Oijen", "Maren - Kessel"),
        "Ravenstein en omgeving": ("Ravenstein", "Herpen", "Overlangel", "Deursen en Dennenburg"),
        "Megen, Haren en Macharen": ("Megen", "Haren", "Macharen"),
    },
    "GM0826": {  # Oosterhout
        "Centrum en Slotjes": ("Oosterhout-Centrum", "Slotjes"),
        "West en Strijen": ("West", "Strijen"),
        "Oosterheide en Leijsenakkers": ("Oosterheide", "Leijsenakkers"),
        "Dommelbergen en Vrachelen": ("Dommelbergen", "Vrachelen"),
        "Dorpen": ("Den Hout", "Oosteind", "Dorst", "Buitengebied Oosterhout"),
    },
}
GEEN_WOONWIJK = re.compile(r"industrieterrein|bedrijventerrein", re.IGNORECASE)


def _key(naam: str) -> str:
    """'Maren - Kessel' and 'Maren-Kessel' are one wijk: names differ a little between map years."""
    return re.sub(r"[\s\-]+", "", naam).lower()


def seed() -> dict[str, int]:
    """Once per gemeente (when it has no gebieden yet): its gebieden and its woonwijken."""
    counts = {"gebieden": 0}
    for code, definitions in GEBIEDEN.items():
        gemeente = _gemeente(code)
        if gemeente is None or gebieden.of_gemeente(gemeente.id):
            continue
        wijken = {_key(w.naam): w for w in gemeente.wijken}
        gebieden.set_woonwijken(gemeente.id, [w.id for w in gemeente.wijken if GEEN_WOONWIJK.search(w.naam)])
        for naam, wijk_namen in definitions.items():
            found = [wijken[_key(n)].id for n in wijk_namen if _key(n) in wijken]
            if found:
                gebieden.save(gemeente_id=gemeente.id, naam=naam, wijk_ids=found)
                counts["gebieden"] += 1
    return counts


def _gemeente(code: str) -> Gemeente | None:
    return db.session.scalar(select(Gemeente).filter_by(code=code))

