"""The demo wijkagenda: eight months of residents' wishes, needs and signals in de Ruwaard (Oss) and
Dommelbergen (Oosterhout), a few in Ussen, Strijen and Lith, with support, reactions and the
opbouwwerker's decisions, and the sociale agenda each main wijk made of them (002:1455-1461,
003:1076-1106).

Everything goes through the services a resident and an opbouwwerker use (``services.create``,
``support``, ``react``, ``moderatie.decide``, ``sociale_agenda.place``), each at the moment it
would have happened, so the audit log and the status history are the ones the live code leaves.

It also leaves the opbouwwerker demo logins a workable queue: a few punten sent in the last days,
a reported post, and a few new activiteiten and initiatieven to look at. The other demo modules
place dozens of those by residents, which the live code would put in the queue too; they are
marked as looked at when they were placed, except the handful left on purpose.

One fixed random seed and one transaction, the seed command's (the services only flush: a few
hundred disk syncs would take seconds, and a failure now leaves nothing half made). A second run
finds the demo punten there and adds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from omkijken.demo import support as demo_support
from omkijken.demo.neighbourhood import _Wijken
from omkijken.demo.wijkagenda_data import (
    AHMED,
    DOMMELBERGEN,
    MELDINGEN,
    PLANNEN,
    REACTIES,
    RUWAARD,
    TRUUS,
    Punt,
    Wijkplan,
)
from omkijken.platform.accounts import services as accounts
from omkijken.platform.accounts.models import RoleGrant, User
from omkijken.platform.accounts.permissions import may_moderate
from omkijken.platform.areas import services as areas
from omkijken.platform.areas.models import Wijk
from omkijken.platform.clock import AMSTERDAM, as_utc
from omkijken.platform.extensions import db
from omkijken.platform.moderatie import services as moderatie
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Hulpvraag, Post
from omkijken.platform.system.models import AuditEntry
from omkijken.platform.wijkagenda import services, sociale_agenda
from omkijken.platform.wijkagenda.models import Agendapunt, Puntvolger, Reactie, Steun, Wijkvolger

RANDOM_SEED = 20_260_312
#: How many supporters: a few punten the whole wijk wants, most a handful.
STEUN = {"veel": (15, 36), "wat": (6, 13), "weinig": (0, 6)}
HELPERS = {"veel": (2, 5), "wat": (0, 2), "weinig": (0, 1)}


# New activiteiten, ontmoetingsplekken and initiatieven left for the opbouwwerker to look at, per wijk.
TE_BEOORDELEN = {"WK082806": 2, "WK082807": 1, "WK082606": 2}
NIEUW_BINNEN = timedelta(days=30)
# Followers with the weekly mail switched off.
ZONDER_MAIL = 2
# Residents elsewhere in the gemeente who follow its main wijk too (they work or shop there).
MEER_VOLGERS = 4
# When the opbouwwerker moves a punt on after its wijkavond (days).
NA_WIJKAVOND = 1.0


class _Clock:
    """Moments for one wijk's story, never later than just before ``now``."""

    def __init__(self, now: datetime, rng: random.Random) -> None:
        self.now, self.rng = now, rng

    def ago(self, days: float) -> datetime:
        return self.clamp(self.now - timedelta(days=days))

    def clamp(self, moment: datetime) -> datetime:
        return min(moment, self.now - timedelta(minutes=5))

    def office_hours(self, moment: datetime, *, after: datetime) -> datetime:
        """The opbouwwerker works by day: the same moment moved into 9:00-17:00, still after
        ``after`` and before now (else ``moment`` as it is)."""
        local = moment.astimezone(AMSTERDAM)
        if 9 <= local.hour < 17:
            return moment
        shifted = local.replace(hour=9 if local.hour < 9 else 16)
        if shifted <= after:
            shifted = (local + timedelta(days=1)).replace(hour=9)
        shifted = shifted.astimezone(moment.tzinfo)
        return shifted if after < shifted < self.now - timedelta(minutes=5) else moment

    def evening(self, days: float) -> datetime:
        """Half past seven in the evening, this many days ago: when a wijkavond starts."""
        local = (self.now - timedelta(days=days)).astimezone(AMSTERDAM)
        return self.clamp(local.replace(hour=19, minute=30, second=0, microsecond=0).astimezone(self.now.tzinfo))

    def between(self, start: datetime, end: datetime, *, early: bool = False) -> datetime:
        """A moment between ``start`` and ``end``; with ``early`` more often near the start (support
        comes mostly in the first weeks)."""
        fraction = self.rng.random() ** 2 if early else self.rng.random()
        return self.clamp(start + (end - start) * fraction)


def seed(now: datetime) -> dict[str, int]:
    """Load the demo wijkagenda unless it is there; returns what was added."""
    counts = {"agendapunten": 0, "steunbetuigingen": 0, "agendareacties": 0, "meehelpers": 0, "wijkvolgers": 0,
              "sociale agenda's": 0, "meldingen": 0, "moderatiebesluiten": 0}
    if db.session.scalar(select(Agendapunt.id).where(Agendapunt.is_demo.is_(True)).limit(1)) is not None:
        return counts
    rng = random.Random(RANDOM_SEED)
    first_message = demo_support.last_message_id()
    first_entry = db.session.scalar(select(func.max(AuditEntry.id))) or 0
    residents = _residents()
    wijken = _Wijken()
    for plan in PLANNEN:
        wijk = areas.wijk_by_code(plan.code)
        moderator = accounts.find_by_email(plan.moderator)
        if wijk is None or moderator is None:
            continue
        _seed_wijk(plan, wijk, moderator, residents, wijken, rng, now=now)
    _seed_followers(residents, rng, now=now)
    counts["meldingen"] = _seed_reports(residents, rng, now=now)
    _mark_reviewed(now=now)
    demo_support.mails_sent_at_the_time(after_id=first_message, now=now)

    demo_punten = select(Agendapunt.id).where(Agendapunt.is_demo.is_(True))
    counts["agendapunten"] = db.session.scalar(select(func.count()).select_from(demo_punten.subquery()))
    counts["steunbetuigingen"] = db.session.scalar(
        select(func.count()).select_from(Steun).where(Steun.punt_id.in_(demo_punten)))
    counts["agendareacties"] = db.session.scalar(
        select(func.count(Reactie.id)).where(Reactie.punt_id.in_(demo_punten)))
    counts["meehelpers"] = db.session.scalar(
        select(func.count()).select_from(Puntvolger).where(Puntvolger.punt_id.in_(demo_punten),
                                                           Puntvolger.meehelpen.is_(True)))
    counts["wijkvolgers"] = db.session.scalar(select(func.count(Wijkvolger.id)))
    counts["sociale agenda's"] = sum(1 for plan in PLANNEN if plan.themas)
    counts["moderatiebesluiten"] = db.session.scalar(
        select(func.count(AuditEntry.id)).where(AuditEntry.id > first_entry))
    return counts


def _residents() -> dict[str, list[User]]:
    """Demo residents with a home, by the code of their wijk, in a fixed order."""
    people = db.session.scalars(
        select(User).where(User.is_demo.is_(True), User.home.is_not(None), User.wijk_id.is_not(None),
                           User.roles.any(RoleGrant.role == "inwoner"))
        .order_by(User.email)
    ).all()
    by_wijk: dict[str, list[User]] = {}
    for person in people:
        by_wijk.setdefault(person.wijk.code, []).append(person)
    return by_wijk


def _neighbours(residents: dict[str, list[User]], code: str) -> tuple[list[User], list[User]]:
    """Who lives in the wijk, and who lives elsewhere in the same gemeente."""
    here = list(residents.get(code, []))
    elsewhere = [p for c, people in sorted(residents.items()) if c != code and c[:6] == code[:6] for p in people]
    return here, elsewhere


def _supporters(rng: random.Random, here: list[User], elsewhere: list[User], *, exclude: User | None,
                count: int) -> list[User]:
    """``count`` different people, the wijk's own residents first more often."""
    pool = [p for p in here + elsewhere if exclude is None or p.id != exclude.id]
    local = {p.id for p in here}
    keyed = sorted(pool, key=lambda p: rng.random() * (0.35 if p.id in local else 1.0))
    return keyed[:count]


def _plek(wijken: _Wijken, wijk: Wijk, rng: random.Random) -> tuple[float, float] | None:
    """A spot in public space inside the wijk that ``areas.locate`` also puts in it (the CBS
    buurten and wijken are coarse and do not always agree at the edges)."""
    for _ in range(50):
        lat, lon = wijken.point_in(wijk.code, rng)
        if getattr(areas.locate(lat, lon).wijk, "id", None) == wijk.id:
            return lat, lon
    return None


def _seed_wijk(plan: Wijkplan, wijk: Wijk, moderator: User, residents: dict[str, list[User]], wijken: _Wijken,
               rng: random.Random, *, now: datetime) -> None:
    clock = _Clock(now, rng)
    here, elsewhere = _neighbours(residents, plan.code)
    authors = here or elsewhere
    if not authors:
        return
    by_email = {p.email: p for p in here + elsewhere}
    made: dict[str, Agendapunt] = {}
    approved_at: dict[str, datetime] = {}

    def decide(punt: Agendapunt, besluit: str, at: datetime, *, reden: str = "", samen_met: int | None = None,
               by_day: bool = True) -> datetime:
        if by_day:
            at = clock.office_hours(at, after=punt.updated_at)
        moderatie.decide(moderatie.Besluit("agendapunt", punt.id, besluit, reden=reden, samen_met=samen_met),
                         by=moderator, now=at)
        return at

    # Oldest first, merged punten last: the punt they join must be there.
    ordered = sorted(plan.punten, key=lambda p: (p.afloop == "samengevoegd", -p.dagen))
    for spec in ordered:
        auteur = by_email.get(spec.auteur) if spec.auteur else None
        if auteur is None:
            auteur = rng.choice(authors)
        created = clock.ago(spec.dagen - rng.uniform(0, 0.3))
        punt = services.create(wijk=wijk, auteur=auteur, soort=spec.soort, onderwerp=spec.onderwerp,
                               titel=spec.titel, beschrijving=spec.beschrijving,
                               plek=_plek(wijken, wijk, rng) if spec.plek else None, now=created)
        punt.is_demo = True
        db.session.flush()
        made[spec.titel] = punt
        if spec.afloop == "ingediend":
            continue
        looked_at = clock.between(created, min(created + timedelta(days=2.5), now))
        if spec.afloop == "wijziging":
            decide(punt, "wijziging_vragen", looked_at, reden=spec.reden)
        elif spec.afloop == "geweigerd":
            decide(punt, "weigeren", looked_at, reden=spec.reden)
        else:
            approved_at[spec.titel] = decide(punt, "goedkeuren", looked_at)
        if spec.afloop == "samengevoegd":  # supported for a while, then found to be the same as another
            approved = approved_at[spec.titel]
            merged = clock.between(approved + timedelta(days=3), approved + timedelta(days=20))
            _liven_up(spec, punt, here, elsewhere, moderator, rng, clock, start=approved, end=merged)
            decide(punt, "samenvoegen", merged, reden=spec.reden, samen_met=made[spec.samen_met].id)

    agenda, themas, placed_at = None, [], []
    if plan.themas:
        made_at = clock.office_hours(clock.ago(plan.agenda_dagen), after=clock.ago(plan.agenda_dagen + 1))
        agenda = sociale_agenda.start(wijk, by=moderator, now=made_at)
        agenda.is_demo = True
        sociale_agenda.save(agenda, by=moderator, titel=f"{plan.agenda_titel} {now.year}", inleiding=plan.inleiding,
                            datum=made_at.date(), now=made_at)
        for thema in plan.themas:
            datum = (now + timedelta(days=thema.over_dagen)).date() if thema.over_dagen is not None else None
            themas.append(sociale_agenda.save_thema(agenda, by=moderator, titel=thema.titel, tekst=thema.tekst,
                                                    wie=thema.wie, datum=datum, now=made_at))
            db.session.expire(agenda, ["themas"])  # the next theme counts them
    for spec in ordered:
        if spec.titel not in approved_at or spec.afloop == "samengevoegd":
            continue
        punt = made[spec.titel]
        last = approved_at[spec.titel]
        if spec.afloop != "nieuw":
            evenings = [clock.evening(d) for d in plan.wijkavonden]
            evenings = [e for e in evenings if e > last + timedelta(days=2)]
            talked = evenings[0] if evenings else clock.between(last, now)
            last = decide(punt, "besproken", talked, reden=spec.reden if spec.afloop == "besproken" else "",
                          by_day=False)
        if spec.afloop == "niet_opgepakt":
            last = decide(punt, "niet_opgepakt", last + timedelta(days=NA_WIJKAVOND), reden=spec.reden)
        elif spec.afloop in ("sociale_agenda", "in_uitvoering", "gerealiseerd") and agenda is not None:
            # The agenda was made after its wijkavond; later punten joined it after theirs.
            placed = clock.office_hours(max(last + timedelta(days=NA_WIJKAVOND), made_at), after=last)
            sociale_agenda.place(punt, themas[spec.thema], by=moderator, now=placed)
            placed_at.append(last := placed)
            if spec.afloop in ("in_uitvoering", "gerealiseerd"):
                started = clock.between(placed + timedelta(days=7), placed + (now - placed) / 2)
                last = decide(punt, "in_uitvoering", started,
                              reden=spec.reden if spec.afloop == "in_uitvoering" else "")
            if spec.afloop == "gerealiseerd":
                last = decide(punt, "gerealiseerd", clock.between(last + timedelta(days=10), now), reden=spec.reden)
        _liven_up(spec, punt, here, elsewhere, moderator, rng, clock, start=approved_at[spec.titel], end=now,
                  late=last)
    if agenda is not None:
        first = clock.office_hours(made_at + timedelta(days=6), after=made_at)
        sociale_agenda.publish(agenda, by=moderator, now=first)
        later = [moment for moment in placed_at if moment > first]
        if later:  # punten joined after it was first published: a new version went out
            sociale_agenda.publish(agenda, by=moderator, now=clock.office_hours(max(later) + timedelta(days=1),
                                                                                after=max(later)))


def _liven_up(spec: Punt, punt: Agendapunt, here: list[User], elsewhere: list[User], moderator: User,
              rng: random.Random, clock: _Clock, *, start: datetime, end: datetime,
              late: datetime | None = None) -> None:
    """Support, reactions and helpers for an approved punt, between ``start`` and ``end``;
    reactions marked ``>`` come after ``late`` (what became of it)."""
    low, high = STEUN[spec.steun]
    supporters = _supporters(rng, here, elsewhere, exclude=punt.auteur, count=rng.randint(low, high))
    for person in supporters:
        services.support(punt, by=person, now=clock.between(start, end, early=True))
    low, high = HELPERS[spec.steun]
    for person in supporters[:rng.randint(low, high)]:
        services.help_out(punt, by=person, now=clock.between(start, end))
    texts = list(spec.reacties)
    if not texts and supporters and rng.random() < 0.5:
        texts = [rng.choice(REACTIES[spec.soort])]
    talkers = supporters or _supporters(rng, here, elsewhere, exclude=punt.auteur, count=len(texts))
    before = late if late is not None and late > start + timedelta(days=1) else end
    early = sorted(clock.between(start, before) for t in texts if not t.startswith(">"))
    after = sorted(clock.between(late or start, end) for t in texts if t.startswith(">"))
    moments = iter(early + after)
    for index, text in enumerate([t for t in texts if not t.startswith(">")] + [t for t in texts if t.startswith(">")]):
        text, moment = text.lstrip(">"), next(moments)
        if text.startswith("@"):
            services.react(punt, by=moderator, tekst=text[1:], now=clock.office_hours(moment, after=start))
        elif talkers:
            services.react(punt, by=talkers[index % len(talkers)], tekst=text, now=moment)


def _seed_followers(residents: dict[str, list[User]], rng: random.Random, *, now: datetime) -> None:
    """The residents of the wijken with a wijkagenda follow their wijk; a few without the weekly mail."""
    followers = [p for plan in PLANNEN for p in residents.get(plan.code, [])]
    for person in followers:
        services.follow(person.wijk, by=person, now=now - timedelta(days=rng.uniform(5, 240)))
    main = {plan.code[:6]: areas.wijk_by_code(plan.code) for plan in (DOMMELBERGEN, RUWAARD)}
    taken = {p.id for p in followers}
    others = [p for code, people in sorted(residents.items()) for p in people
              if p.id not in taken and main.get(code[:6]) is not None]
    for person in rng.sample(others, min(MEER_VOLGERS, len(others))):
        services.follow(main[person.wijk.code[:6]], by=person, now=now - timedelta(days=rng.uniform(5, 240)))
    # The printed resident logins keep the mail, to show it.
    for person in rng.sample([p for p in followers if p.email not in (TRUUS, AHMED)], ZONDER_MAIL):
        services.set_digest(person, aan=False)


def _seed_reports(residents: dict[str, list[User]], rng: random.Random, *, now: datetime) -> int:
    """In each main wijk one offer of help that three residents reported, hidden until the opbouwwerker looks."""
    made = 0
    for code, reasons in MELDINGEN.items():
        wijk = areas.wijk_by_code(code)
        if wijk is None:
            continue
        post = None
        for kind in (Aanbod, Hulpvraag):
            post = db.session.scalar(
                select(kind).where(kind.wijk_id == wijk.id, kind.is_demo.is_(True), kind.verborgen.is_(False),
                                   kind.status == "open").order_by(kind.id).limit(1))
            if post is not None:
                break
        if post is None:
            continue
        # Reports count towards hiding a post only from accounts with a history (posts.report_weight):
        # the demo's reporters are residents who have been around and posted before.
        before = now - timedelta(days=2)
        posted = set(db.session.scalars(select(Post.auteur_id).where(Post.created_at < before,
                                                                      Post.verborgen.is_(False))))
        here, elsewhere = ([p for p in people if p.id in posted] for people in _neighbours(residents, code))
        reporters = _supporters(rng, here, elsewhere, exclude=post.auteur, count=len(reasons))
        for person in reporters:
            person.created_at = min(as_utc(person.created_at), before - timedelta(days=90))
        for hours, (person, reden) in enumerate(zip(reporters, reasons)):
            posts.report(post, by=person, reden=reden, now=now - timedelta(hours=30 - 9 * hours))
            made += 1
    return made


def _mark_reviewed(*, now: datetime) -> None:
    """The demo's activiteiten, ontmoetingsplekken and initiatieven were looked at when they were
    placed, except the newest few by residents in the opbouwwerkers' wijken (of the last weeks: the
    opbouwwerker is not months behind), left for their queue."""
    keep: list[int] = []
    for code, count in TE_BEOORDELEN.items():
        wijk = areas.wijk_by_code(code)
        if wijk is None:
            continue
        candidates = db.session.scalars(
            select(Post).where(Post.wijk_id == wijk.id, Post.is_demo.is_(True),
                               Post.soort.in_(moderatie.REVIEWED_SOORTEN), Post.beoordeeld_at.is_(None),
                               Post.status != "gesloten", Post.verborgen.is_(False),
                               Post.created_at >= now - NIEUW_BINNEN)
            .order_by(Post.created_at.desc(), Post.id)
        ).all()
        # Not the named places and groups an opbouwwerker put there: what residents placed.
        by_residents = [p for p in candidates if p.auteur is not None and "opbouwwerker" not in p.auteur.role_names
                        and not may_moderate(p.auteur, wijk.id)]
        # Named after their wijk first: the coarse CBS areas put a few posts of a neighbour in it.
        chosen = sorted(by_residents or candidates, key=lambda p: wijk.naam not in p.titel)[:count]
        keep += [p.id for p in chosen]
    db.session.execute(
        update(Post).where(Post.is_demo.is_(True), Post.soort.in_(moderatie.REVIEWED_SOORTEN),
                           Post.beoordeeld_at.is_(None), Post.id.not_in(keep))
        .values(beoordeeld_at=Post.created_at).execution_options(synchronize_session=False))
    db.session.flush()
