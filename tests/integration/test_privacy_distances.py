"""Nothing a non-party sees is derived from an exact home (issue 19, finding 1).

The attack as it was found: three throw-away volunteer accounts placed around a hulpvraag's public
point each press "Ik help" and read the distance the voorstel gives as its first reason; three
circles cross at the home. The mirror image: a resident posts vragen "ergens anders" and presses
"Vraag om hulp" on a volunteer's aanbod. Both attacks run here through HTTP against the real app,
with everything an attacker can read (the GeoJSON of the map, the voorstellen page), and must land
no closer than 200 m to the home.
"""

from __future__ import annotations

import math
import re
from datetime import timedelta

import numpy as np
from sqlalchemy import func, select

from omkijken.platform.accounts.models import User
from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.koppelingen.models import Voorstel
from omkijken.platform.posts import services as posts
from omkijken.platform.posts.models import Aanbod, Hulpvraag
from tests.support import RUWAARD, a_home_that_moves_on_both_axes, submit

PASSWORD = "wachtwoord-123"
BBOX = "bbox=5.3,51.6,5.8,51.9"
SAFE_M = 200.0
M_PER_DEG_LAT = 111_320.0


# --- what the attacker does -----------------------------------------------------------------------


def to_xy(point: tuple[float, float], origin: tuple[float, float]) -> np.ndarray:
    """Metres east and north of ``origin``."""
    return np.array([(point[1] - origin[1]) * M_PER_DEG_LAT * math.cos(math.radians(origin[0])),
                     (point[0] - origin[0]) * M_PER_DEG_LAT])


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(np.hypot(*to_xy(a, b)))


def offset(point: tuple[float, float], east_m: float, north_m: float) -> tuple[float, float]:
    return (point[0] + north_m / M_PER_DEG_LAT,
            point[1] + east_m / (M_PER_DEG_LAT * math.cos(math.radians(point[0]))))


_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)?)\s*(km|m)\b")


def distance_said(reasons: list[str]) -> float | None:
    """The best guess in metres from the first reason that speaks of a distance: "350 m" and
    "1,2 km" as they stand, "a tot b km" as the middle, "binnen b km" as half, "meer dan a km" as
    a bit more. None when no reason names a distance."""
    for reason in reasons:
        found = [float(n.replace(",", ".")) * (1000 if unit == "km" else 1) for n, unit in _AMOUNT.findall(reason)]
        if not found:
            continue
        if len(found) >= 2:
            return (found[0] + found[1]) / 2
        if "binnen" in reason or "within" in reason:
            return found[0] / 2
        if "meer dan" in reason or "more than" in reason:
            return found[0] * 1.25
        return found[0]
    return None


def trilaterate(circles: list[tuple[tuple[float, float], float]], origin: tuple[float, float]) -> tuple[float, float]:
    """Least squares over a 5 m grid around ``origin``: the point whose distances to the centres
    best fit the radii."""
    centres = np.array([to_xy(c, origin) for c, _ in circles])
    radii = np.array([r for _, r in circles])
    axis = np.arange(-3000.0, 3000.0, 5.0)
    xs, ys = np.meshgrid(axis, axis)
    error = sum((np.hypot(xs - cx, ys - cy) - r) ** 2 for (cx, cy), r in zip(centres, radii))
    row, col = np.unravel_index(np.argmin(error), error.shape)
    x, y = xs[row, col], ys[row, col]
    return (origin[0] + y / M_PER_DEG_LAT, origin[1] + x / (M_PER_DEG_LAT * math.cos(math.radians(origin[0]))))


def public_points(client, soort: str) -> dict[str, tuple[float, float]]:
    """Title -> the point the map shows, read from the GeoJSON as anyone can."""
    body = client.get(f"/api/v1/posts.geojson?{BBOX}&type={soort}").get_json()
    return {f["properties"]["titel"]: (f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0])
            for f in body["features"]}


def register(app, email: str, naam: str, home: tuple[float, float], *, vrijwilliger: bool):
    """A throw-away account made through the registration form, with a point picked on the map;
    returns its own logged-in client."""
    client = app.test_client()
    form = {"naam": naam, "email": email, "password": PASSWORD, "consent": "y",
            "lat": f"{home[0]:.6f}", "lon": f"{home[1]:.6f}"}
    if vrijwilliger:
        form["vrijwilliger"] = "y"
    assert submit(client, "/registreren", form).status_code == 302
    assert submit(client, "/inloggen", {"email": email, "password": PASSWORD}).status_code == 302
    return client


def reasons_on_cards(client) -> dict[str, list[str]]:
    """The voorstellen page as the attacker reads it: card title -> its reasons."""
    html = client.get("/voorstellen").get_data(as_text=True)
    cards = {}
    for card in html.split('<article class="card stack voorstel"')[1:]:
        title = re.search(r"<h3[^>]*>(.*?)</h3>", card, re.S).group(1).strip()
        found = re.search(r'<ul class="redenen">(.*?)</ul>', card, re.S)
        cards[title] = re.findall(r"<li>(.*?)</li>", found.group(1), re.S) if found else []
    return cards


def best_guess(circles: list[tuple[tuple[float, float], float]], fallback: tuple[float, float],
               home: tuple[float, float]) -> float:
    """How close the attacker gets: the crossing of the circles around the points they picked,
    or the public point itself, whichever is closer."""
    guesses = [fallback] + ([trilaterate(circles, origin=fallback)] if len(circles) == 3 else [])
    misses = [metres(guess, home) for guess in guesses]
    print(f"afstanden van de schattingen tot het huis: {[round(m) for m in misses]} m")
    return min(misses)


def told_from_the_map_alone(said: list[str], between: list[tuple[tuple[float, float], tuple[float, float]]]) -> bool:
    """Whether every distance told is what anyone computes from the two points the map shows: then
    no try, however many, tells anything of a home (the 200 m above could also be luck)."""
    from omkijken.matching.scoring import distance_band, haversine_m
    from omkijken.platform.koppelingen.redenen import BANDEN

    return said == [str(BANDEN[distance_band(haversine_m(*a, *b))]) for a, b in between]


# --- the two attacks ---------------------------------------------------------------------------------


def test_three_fresh_volunteers_pressing_ik_help_cannot_trilaterate_a_home(app, client, standaard_diensten,
                                                                           make_user):
    home = a_home_that_moves_on_both_axes()
    truus = make_user("truus@example.nl", home=home, naam="Truus")
    posts.create(Hulpvraag(titel="Lamp ophangen", categorie="klussen"), auteur=truus, now=utcnow())
    shown = public_points(client, "hulpvraag")["Lamp ophangen"]
    assert metres(shown, home) > 240  # the public point alone is a few hundred metres off

    picked, said = {}, {}
    for n, (east, north) in enumerate([(600, 0), (-300, 520), (-300, -520)], start=1):
        picked[n] = offset(shown, east, north)
        attacker = register(app, f"klusser{n}@example.nl", f"Klusser {n}", picked[n], vrijwilliger=True)
        response = submit(attacker, "/plaatsen/aanbod", {
            "beschrijving": f"Klusser {n} doet klussen", "categorieen": ["klussen"], "gebied": "afstand",
            "radius_m": "10000", "capaciteit": "1"})
        assert response.status_code == 302, response.get_data(as_text=True)
        vraag_id = db.session.scalar(select(Hulpvraag.id).where(Hulpvraag.titel == "Lamp ophangen"))
        response = submit(attacker, f"/prikbord/{vraag_id}/ik-help", {"tekst": "Ik kom graag."},
                          page=f"/prikbord/{vraag_id}")
        assert response.status_code == 302
        said[n] = reasons_on_cards(attacker)["Lamp ophangen"][0]

    circles = [(picked[n], m) for n in picked if (m := distance_said([said[n]])) is not None]
    assert best_guess(circles, shown, home) >= SAFE_M
    theirs = public_points(client, "aanbod")
    assert told_from_the_map_alone([said[n] for n in picked],
                                   [(shown, theirs[f"Klusser {n} doet klussen"]) for n in picked]), said


def test_a_resident_posting_vragen_elsewhere_cannot_trilaterate_a_volunteers_home(app, client, standaard_diensten,
                                                                                 make_user):
    home = a_home_that_moves_on_both_axes()
    piet = make_user("piet@example.nl", roles=("inwoner", "vrijwilliger"), home=home, naam="Piet")
    posts.create(Aanbod(titel="Ik rijd je naar de dokter", categorieen=["vervoer"], radius_m=10000), auteur=piet,
                 now=utcnow() - timedelta(days=3))
    shown = public_points(client, "aanbod")["Ik rijd je naar de dokter"]
    aanbod_id = db.session.scalar(select(Aanbod.id))

    attacker = register(app, "rita@example.nl", "Rita", RUWAARD, vrijwilliger=False)
    picked = {}
    for n, (east, north) in enumerate([(600, 0), (-300, 520), (-300, -520)], start=1):
        picked[n] = offset(shown, east, north)
        response = submit(attacker, "/plaatsen/hulpvraag", {
            "titel": f"Rit {n}", "categorie": "vervoer", "waar": "anders",
            "lat": f"{picked[n][0]:.6f}", "lon": f"{picked[n][1]:.6f}"})
        assert response.status_code == 302, response.get_data(as_text=True)
        vraag_id = int(response.location.rsplit("/", 1)[1])
        response = submit(attacker, f"/prikbord/{aanbod_id}/vraag-hulp", {"hulpvraag": vraag_id, "tekst": "Graag!"})
        assert response.status_code == 302, response.get_data(as_text=True)
    cards = reasons_on_cards(attacker)
    said = {n: cards[f"Rit {n}"][0] for n in picked}

    circles = [(picked[n], m) for n in picked if (m := distance_said([said[n]])) is not None]
    assert best_guess(circles, shown, home) >= SAFE_M
    theirs = public_points(client, "hulpvraag")
    assert told_from_the_map_alone([said[n] for n in picked], [(theirs[f"Rit {n}"], shown) for n in picked]), said


# --- the siblings: how often, and in which order ------------------------------------------------------


def test_ik_help_is_limited_per_account_and_day_with_a_dutch_message(app, client, login, standaard_diensten,
                                                                    make_user):
    app.config["RATELIMIT_IK_HELP"] = "2 per day"
    truus = make_user("truus@example.nl", home=RUWAARD, naam="Truus")
    vragen = [posts.create(Hulpvraag(titel=f"Klus {n}", categorie="klussen"), auteur=truus, now=utcnow()).id
              for n in range(4)]
    for email in ("klusser1@example.nl", "klusser2@example.nl"):
        make_user(email, roles=("inwoner", "vrijwilliger"), home=RUWAARD)

    login("klusser1@example.nl")
    for vraag_id in vragen[:2]:
        assert submit(client, f"/prikbord/{vraag_id}/ik-help", {}, page=f"/prikbord/{vraag_id}").status_code == 302
    refused = submit(client, f"/prikbord/{vragen[2]}/ik-help", {}, page=f"/prikbord/{vragen[2]}")
    assert refused.status_code == 429
    assert "Je hebt vandaag al vaak hulp aangeboden. Morgen kan het weer." in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Voorstel)) == 2

    # The limit is the account's, not the address's: another account from the same address still may.
    with client.session_transaction() as session:
        session.clear()
    login("klusser2@example.nl")
    assert submit(client, f"/prikbord/{vragen[2]}/ik-help", {}, page=f"/prikbord/{vragen[2]}").status_code == 302


def test_vraag_om_hulp_is_limited_per_account_and_day_and_a_form_to_put_right_does_not_count(
        app, client, login, standaard_diensten, make_user):
    app.config["RATELIMIT_VRAAG_HULP"] = "2 per day"
    piet = make_user("piet@example.nl", roles=("inwoner", "vrijwilliger"), home=RUWAARD, naam="Piet")
    aanbod = posts.create(Aanbod(titel="Ik rijd je", categorieen=["vervoer"], radius_m=5000), auteur=piet,
                          now=utcnow())
    rita = make_user("rita@example.nl", home=RUWAARD, naam="Rita")
    vragen = [posts.create(Hulpvraag(titel=f"Rit {n}", categorie="vervoer"), auteur=rita, now=utcnow()).id
              for n in range(3)]
    login("rita@example.nl")
    url = f"/prikbord/{aanbod.id}/vraag-hulp"

    assert submit(client, url, {"tekst": "Geen vraag gekozen"}).status_code == 422
    for vraag_id in vragen[:2]:
        assert submit(client, url, {"hulpvraag": vraag_id}).status_code == 302
    refused = submit(client, url, {"hulpvraag": vragen[2]})
    assert refused.status_code == 429
    assert "Je hebt vandaag al vaak om hulp gevraagd. Morgen kan het weer." in refused.get_data(as_text=True)
    assert client.get(url).status_code == 200  # reading the page is no question


def homes_ordered_differently(vraag_home: tuple[float, float]) -> tuple[tuple[float, float], tuple[float, float]]:
    """Two volunteers' homes: the first nearer to ``vraag_home`` than the second, but their public
    points the other way round (the blur is keyed on the secret, so they are searched for)."""
    from flask import current_app

    from omkijken.matching.scoring import haversine_m
    from omkijken.platform.areas.services import blur

    secret = current_app.config["SECRET_KEY"]
    vraag_shown = blur(*vraag_home, secret=secret)
    candidates = [offset(vraag_home, east, north) for east in range(-900, 901, 150) for north in range(-900, 901, 150)
                  if 300 <= math.hypot(east, north) <= 900]
    for a in candidates:
        for b in candidates:
            exact = metres(a, vraag_home) + 150 < metres(b, vraag_home)
            shown = haversine_m(*blur(*a, secret=secret), *vraag_shown) > \
                haversine_m(*blur(*b, secret=secret), *vraag_shown) + 150
            if exact and shown:
                return a, b
    raise AssertionError("geen twee huizen gevonden")


def test_who_gets_the_voorstel_first_follows_the_public_points_not_the_homes(standaard_diensten, make_user):
    """The engine picks the best volunteer and asks the next one after a no: an order derived from
    the homes would tell whoever watches whose home lies nearest."""
    from omkijken.platform.koppelingen import pipeline

    vraag_home = a_home_that_moves_on_both_axes()
    near_home, far_home = homes_ordered_differently(vraag_home)
    for email, home in (("dichtbij@example.nl", near_home), ("verder@example.nl", far_home)):
        volunteer = make_user(email, roles=("inwoner", "vrijwilliger"), home=home)
        posts.create(Aanbod(titel="Ik klus", categorieen=["klussen"], radius_m=5000), auteur=volunteer,
                     now=utcnow() - timedelta(days=1))
    truus = make_user("truus@example.nl", home=vraag_home)
    vraag = posts.create(Hulpvraag(titel="Lamp ophangen", categorie="klussen"), auteur=truus, now=utcnow())

    pipeline.match_post(vraag.id, now=utcnow())

    [voorstel] = db.session.scalars(select(Voorstel)).all()
    assert db.session.get(User, voorstel.vrijwilliger_id).email == "verder@example.nl"
