"""How the hulpvragers of the demo history said they were doing, so the dashboard's effect figures
have something to show (issue 23, item 8).

Believable, not rosy: most people answer "Hoe gaat het met je?" at the start (a 5 or 6 is common
when you need help), and a little better as the koppeling runs, by about one point after three
months (004:244-250 reports +1.0 from start to end), with ups and downs; some do worse. A maatje's
hulpvrager starts lonely on the De Jong Gierveld scale and is a bit less lonely after six months.
Only answers that the person herself could have given are made: with her own check-in answers
(not those a coordinator recorded after calling), at the start, at six months and at the end.

A random generator of its own, so the rest of the demo history stays the same whatever is added here.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from omkijken.matching import effect
from omkijken.platform.clock import as_utc
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen import welzijn
from omkijken.platform.koppelingen.models import Koppeling, WelzijnMeting

SEED = 2323
#: The share of hulpvragers who answer the start question (it may be skipped).
START_KANS = 0.8
#: The share of her own check-in answers that also say how she is doing.
RONDE_KANS = 0.85


def _cijfer(value: float) -> int:
    return max(effect.CIJFER_MIN, min(effect.CIJFER_MAX, round(value)))


def _stellingen(rng: random.Random, eenzaam: float) -> dict[str, str]:
    """Six answers for someone lonely to degree ``eenzaam`` (0..1): each statement answered in the
    lonely direction with that chance, now and then "min of meer"."""
    answers = {}
    for item in effect.ITEMS:
        lonely = rng.random() < eenzaam
        if rng.random() < 0.25:
            answer = "min_of_meer"
        elif item in effect.EMOTIONEEL:
            answer = "ja" if lonely else "nee"
        else:
            answer = "nee" if lonely else "ja"
        answers[f"eenzaam_{item}"] = answer
    return answers


def add(koppelingen: list[Koppeling], *, now: datetime, open_for: int | None = None) -> int:
    """Add the answers of these koppelingen; returns how many rows. ``open_for`` (a user id) leaves
    what is due in that person's newest running koppeling unanswered (the start before her first
    check-in, a maatje's six months), so the demo resident finds the question on her koppeling."""
    rng = random.Random(SEED)
    open_one = _newest_running(koppelingen, open_for)
    rows: list[WelzijnMeting] = []
    for koppeling in koppelingen:
        started = as_utc(koppeling.started_at)
        level = rng.gauss(5.8, 1.4)
        gain = rng.gauss(1.0, 1.3)  # after about three months; some do worse
        eenzaam = rng.uniform(0.45, 0.85)
        answered_start = rng.random() < START_KANS and not (
            koppeling.id == open_one and not any(c.kant == "hulpvrager" and c.answered_at for c in koppeling.checkins))

        def meting(moment: str, dagen: int, *, ronde: int = 0, checkin_id: int | None = None,
                   cijfer: int | None = None, **stellingen) -> None:
            rows.append(WelzijnMeting(koppeling_id=koppeling.id, user_id=koppeling.hulpvrager_id, moment=moment,
                                      ronde=ronde, dagen=dagen, checkin_id=checkin_id, cijfer=cijfer,
                                      created_at=min(started + timedelta(days=dagen, hours=2), now), **stellingen))

        if answered_start:
            meting(effect.START, 0, cijfer=_cijfer(level),
                   **(_stellingen(rng, eenzaam) if welzijn.asks_scale(koppeling) else {}))
        for checkin in sorted(koppeling.checkins, key=lambda c: c.ronde):
            own = checkin.kant == "hulpvrager" and checkin.answered_at is not None and checkin.via != "coordinator"
            if own and checkin.antwoord in ("goed", "beter", "gestopt") and rng.random() < RONDE_KANS:
                # A one-off job done helps at once, a little; a series or a maatje grows over three months.
                share = 0.6 if koppeling.soort == "eenmalig" else min(checkin.dagen / 91, 1.3)
                tegenvaller = 0 if checkin.antwoord == "goed" or checkin.stop_reden == "doel_bereikt" else 1.0
                meting("ronde", checkin.dagen, ronde=checkin.ronde, checkin_id=checkin.id,
                       cijfer=_cijfer(level + gain * share + rng.gauss(0, 0.8) - tegenvaller))
        if welzijn.asks_scale(koppeling) and answered_start:
            ended = as_utc(koppeling.ended_at) if koppeling.ended_at else None
            age = ((ended or now) - started).days
            if age >= welzijn.ZES_MAANDEN_DAGEN and rng.random() < 0.8 and koppeling.id != open_one:
                meting(effect.ZES_MAANDEN, welzijn.ZES_MAANDEN_DAGEN, **_stellingen(rng, eenzaam - 0.2))
            if ended is not None and rng.random() < 0.6:
                meting(effect.EIND, age, **_stellingen(rng, eenzaam - 0.25))
    db.session.add_all(rows)
    db.session.flush()
    return len(rows)


def _newest_running(koppelingen: list[Koppeling], user_id: int | None) -> int | None:
    mine = [k for k in koppelingen if k.hulpvrager_id == user_id and k.status == "actief"]
    return max(mine, key=lambda k: as_utc(k.started_at)).id if mine else None

