"""The load users of bench/web_load.py and bench/soak.py, run headless with Locust as a library in a
process of its own (bench/_stack.run_load starts it; Locust patches the standard library with gevent).

``--mix mix`` is a realistic day on the site: visitors (home, the map page and its GeoJSON by
bounding box, the list with filters, post pages), logged-in volunteers (their dashboard "Voor jou",
their voorstellen) and residents who post a hulpvraag. ``--mix trivial`` asks only ``/health``, the
ceiling of the same app on the same stack. Each user sends its next request when the previous one
is answered (``--think`` adds a pause), so the figures are the stack's capacity at that many users.
``--rate`` paces the users instead: together they start that many tasks per second, at random
moments as people arrive (a Poisson process), and only when the stack falls behind does a user
start its next task at once (bench/capacity.py).

Writes JSON to ``--out``: per page requests, requests per second, p50/p95/p99/max (ms), failures.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import resource
import signal
import time
from pathlib import Path

import gevent
import gevent.event
from locust import FastHttpUser, between, constant, events, task
from locust.env import Environment

PLAN: dict = {}
THINK = 0.0
RATE = 0.0
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SOORTEN = ("hulpvraag", "aanbod", "vacature", "initiatief", "ontmoetingsplek", "activiteit")
CATEGORIEEN = ("ontmoeting", "maatje", "vervoer", "klussen", "tuinonderhoud", "boodschappen", "administratie",
               "digitaal", "taal", "mantelzorg", "verenigingen")
# Zoom levels people use on a phone map of a town (Leaflet: 360° / 2^z per 256 px tile).
ZOOMS = (11, 12, 13, 13, 14, 14, 15)
# The public pages the latency target is about.
PUBLIC = ("home", "kaart", "geojson", "prikbord", "detail")


def _poisson_pacing(tasks_per_second: float):
    """Start each task an exponential interval after the previous one was due, not after it ended.

    Without the random intervals 32 paced users would start together and queue up behind each other
    every period; with them the requests arrive spread out, as separate people's clicks do.
    """

    def wait_time(user) -> float:
        now = time.monotonic()
        due = getattr(user, "_due", now) + random.expovariate(tasks_per_second)
        user._due = max(now, due)
        return user._due - now

    return wait_time


def _wait(users: int):
    if RATE:
        return _poisson_pacing(RATE / users)
    return between(THINK * 0.5, THINK * 1.5) if THINK else constant(0)


class Browsing:
    """What every kind of user does on the public site."""

    def home(self):
        self.client.get("/", name="home")

    def kaart(self):
        query = random.choice(("", "", f"?soort={random.choice(SOORTEN)}", f"?categorie={random.choice(CATEGORIEEN)}"))
        self.client.get(f"/kaart{query}", name="kaart")

    def geojson(self):
        min_lon, min_lat, max_lon, max_lat = PLAN["extent"]
        zoom = random.choice(ZOOMS)
        width_px, height_px = random.choice(((400, 700), (400, 700), (1280, 800)))
        width = width_px / 256 * 360 / 2**zoom
        height = height_px / 256 * 360 / 2**zoom * math.cos(math.radians((min_lat + max_lat) / 2))
        lon, lat = random.choice(PLAN["centres"])
        bbox = f"{lon - width / 2:.5f},{lat - height / 2:.5f},{lon + width / 2:.5f},{lat + height / 2:.5f}"
        extra = random.choice(("", "", "", f"&soort={random.choice(SOORTEN)}"))
        # As static/js/kaart.js asks: groups instead of posts when more than the API's cap are in view.
        self.client.get(f"/api/v1/posts.geojson?bbox={bbox}&clusters=1{extra}", name="geojson")

    def prikbord(self):
        params = []
        if random.random() < 0.6:
            params.append(f"soort={random.choice(SOORTEN)}")
        if random.random() < 0.4:
            params.append(f"categorie={random.choice(CATEGORIEEN)}")
        if random.random() < 0.5:
            params.append(f"wijk={random.choice(PLAN['wijken'])}")
        if random.random() < 0.15:
            params.append(f"afstand={random.choice((1, 2, 5))}&van={random.choice(PLAN['wijken'])}")
        if random.random() < 0.1:
            params.append("zoek=" + random.choice(("tuin", "koffie", "boodschappen", "computer")))
        if random.random() < 0.3:
            params.append(f"pagina={random.randint(2, 5)}")
        self.client.get("/prikbord" + ("?" + "&".join(params) if params else ""), name="prikbord")

    def detail(self):
        self.client.get(f"/prikbord/{random.choice(PLAN['post_ids'])}", name="detail")

    def login(self, emails: list[str]) -> None:
        email = emails[self.number % len(emails)]
        form = self.client.get("/inloggen", name="login form")
        token = CSRF.search(form.text or "")
        with self.client.post("/inloggen", data={"csrf_token": token.group(1) if token else "", "email": email,
                                                 "password": PLAN["password"]},
                              name="login", allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"login {email}: {response.status_code}")


class Counter:
    value = 0

    @classmethod
    def next(cls) -> int:
        cls.value += 1
        return cls.value


class Visitor(Browsing, FastHttpUser):
    weight = 6
    wait_time = constant(0)

    @task(2)
    def t_home(self):
        self.home()

    @task(2)
    def t_kaart(self):
        self.kaart()

    @task(5)
    def t_geojson(self):
        self.geojson()

    @task(3)
    def t_prikbord(self):
        self.prikbord()

    @task(4)
    def t_detail(self):
        self.detail()


class Volunteer(Browsing, FastHttpUser):
    """Logged in with a volunteer of the bench data: their dashboard and the public pages."""

    weight = 3
    wait_time = constant(0)

    def on_start(self):
        self.number = Counter.next()
        self.login(PLAN["volunteers"])

    @task(3)
    def dashboard(self):
        self.client.get("/voor-jou", name="dashboard (voor-jou)")

    @task(2)
    def voorstellen(self):
        self.client.get("/voorstellen", name="voorstellen")

    @task(2)
    def t_geojson(self):
        self.geojson()

    @task(2)
    def t_prikbord(self):
        self.prikbord()

    @task(3)
    def t_detail(self):
        self.detail()


class Resident(Browsing, FastHttpUser):
    """Logged in with a resident of the bench data: posts a hulpvraag now and then."""

    weight = 1
    wait_time = constant(0)

    def on_start(self):
        self.number = Counter.next()
        self.login(PLAN["residents"])

    @task(1)
    def post_hulpvraag(self):
        form = self.client.get("/plaatsen/hulpvraag", name="plaatsen (formulier)")
        token = CSRF.search(form.text or "")
        data = {
            "csrf_token": token.group(1) if token else "",
            "titel": f"{PLAN['load_title']}hulp bij de boodschappen {random.randint(1, 10**6)}",
            "wil": "Ik wil elke week verse boodschappen in huis.",
            "kan_zelf": "Ik kan een lijstje maken en betalen.",
            "nodig": "Iemand die één keer per week boodschappen doet.",
            "categorie": random.choice(CATEGORIEEN),
            "waar": "thuis",
        }
        with self.client.post("/plaatsen/hulpvraag", data=data, name="plaatsen (hulpvraag)", allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"plaatsen: {response.status_code}")
                return
            location = response.headers.get("Location", "")
        self.client.get(location, name="detail (eigen vraag)")

    @task(2)
    def t_detail(self):
        self.detail()

    @task(1)
    def mijn(self):
        self.client.get("/mijn-berichten", name="mijn-berichten")

    @task(1)
    def t_home(self):
        self.home()


class Health(FastHttpUser):
    wait_time = constant(0)

    @task
    def health(self):
        self.client.get("/health", name="health")


def figures(env: Environment, seconds: float) -> dict:
    pages = {}
    for (name, _method), entry in sorted(env.stats.entries.items()):
        pages[name] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": round(entry.num_requests / seconds, 1),
            "p50_ms": entry.get_response_time_percentile(0.50),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
            "max_ms": round(entry.max_response_time or 0),
        }
    total = env.stats.total
    public = [n for n in pages if n in PUBLIC]
    return {
        "requests": total.num_requests,
        "rps": round(total.num_requests / seconds, 1),
        "p50_ms": total.get_response_time_percentile(0.50),
        "p95_ms": total.get_response_time_percentile(0.95),
        "p99_ms": total.get_response_time_percentile(0.99),
        "errors": total.num_failures,
        "error_samples": [f"{e.method} {e.name}: {e.error} (x{e.occurrences})"
                          for e in list(env.stats.errors.values())[:10]],
        "public_p95_max_ms": max((pages[n]["p95_ms"] for n in public), default=None),
        "public_rps": round(sum(pages[n]["requests"] for n in public) / seconds, 1),
        "pages": pages,
    }


def main() -> None:
    global PLAN, THINK, RATE
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--mix", choices=("mix", "trivial"), default="mix")
    parser.add_argument("--think", type=float, default=0.0, help="seconds between a user's requests (average)")
    parser.add_argument("--rate", type=float, default=0.0,
                        help="tasks per second of all users together (0: as fast as answered)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    PLAN, THINK, RATE = json.loads(args.plan.read_text()), args.think, args.rate
    classes = [Visitor, Volunteer, Resident] if args.mix == "mix" else [Health]
    for cls in classes:
        cls.wait_time = _wait(args.users)
    env = Environment(user_classes=classes, host=args.host, events=events)
    runner = env.create_local_runner()
    runner.start(args.users, spawn_rate=args.users)
    gevent.sleep(args.warmup)  # logins and first requests (imports, caches) are not counted
    env.stats.reset_all()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()
    # SIGTERM ends the run early with figures (bench/pipeline.py --under-load stops it when done).
    stop = gevent.event.Event()
    gevent.signal_handler(signal.SIGTERM, stop.set)
    stop.wait(timeout=args.duration)
    seconds = time.monotonic() - started
    result = figures(env, seconds)
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    runner.quit()
    result.update({
        "mix": args.mix, "users": args.users, "seconds": round(seconds, 1), "think_s": args.think,
        "offered_rate": args.rate or None,
        # The load users share the two cores with the stack: how much of them they took.
        "load_generator_cpu_s": round(cpu_after.ru_utime + cpu_after.ru_stime
                                      - cpu_before.ru_utime - cpu_before.ru_stime, 1),
    })
    args.out.write_text(json.dumps(result))


if __name__ == "__main__":
    main()
