"""Lighthouse (mobile) on the pages a resident uses most, and Chromium's own installability check.
Prints JSON. Issue 22 asks for accessibility 100 and performance at least 95 on each page, and an
installable site.

    .venv/bin/python bench/lighthouse.py                  # home, map, prikbord, a post, voorstellen
    .venv/bin/python bench/lighthouse.py --runs 3         # the median of three runs per page
    .venv/bin/python bench/lighthouse.py --keep-reports /tmp/lh   # also the full JSON reports

Lighthouse comes from the npm registry at the version pinned in bench/npm/package.json and
package-lock.json (12.8.2: version 13 needs Node 22, Debian's nodejs is 20); ``npm ci`` installs it
into bench/npm/node_modules (git-ignored) on the first run. It drives Debian's Chromium
(CHROME_PATH=/usr/bin/chromium) with Lighthouse's mobile defaults: a Moto G Power sized screen,
simulated slow 4G and a four times slower CPU.

The site runs as the browser tests run it (Werkzeug in a thread, SQLite + SpatiaLite in a temporary
folder) with the demo data. The voorstellen page is read as the demo volunteer: the bench logs in
and hands Lighthouse the session cookie (--extra-headers). This machine reaches no tile server, so
the map tiles come from a local route that answers a plain 256 px tile (``TILE_URL``); with PDOK's
tiles the map page loads about the same number of images from another host.

Lighthouse 12 dropped its PWA category, so "installable" is Chromium's own answer
(``Page.getInstallabilityErrors`` over the DevTools protocol, through Playwright, in a profile on
disk: Chromium never offers to install from an incognito window), after the service worker took
control of the home page.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
NPM = BENCH / "npm"
LIGHTHOUSE = NPM / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-default-apps", "--mute-audio"]
VOLUNTEER = "vrijwilliger@demo.omkijken.nl"
METRICS = {"first-contentful-paint": "fcp_ms", "largest-contentful-paint": "lcp_ms",
           "total-blocking-time": "tbt_ms", "cumulative-layout-shift": "cls", "speed-index": "speed_index_ms"}


def install_lighthouse() -> str:
    if not LIGHTHOUSE.exists():
        if shutil.which("npm") is None:
            raise SystemExit("npm ontbreekt: apt-get install npm")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=NPM, check=True,
                       stdout=sys.stderr)
    return json.loads((NPM / "node_modules" / "lighthouse" / "package.json").read_text())["version"]


def blank_tile() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (256, 256), (232, 236, 230)).save(out, format="PNG")
    return out.getvalue()


def start_site():
    """The app with the demo data, served on a free port; returns (app, base url, server)."""
    from flask import Response
    from werkzeug.serving import make_server

    sys.path.insert(0, str(BENCH))
    from _setup import migrated_app
    from _stack import clean_environment, free_port

    clean_environment()
    app = migrated_app(None, GEOCODER="off", REDIS_URL=None, RATELIMIT_STORAGE_URI="memory://",
                       TILE_URL="/bench-tegel/{z}/{x}/{y}.png")
    tile = blank_tile()
    app.add_url_rule("/bench-tegel/<int:z>/<int:x>/<int:y>.png", "bench_tegel",
                     lambda z, x, y: Response(tile, mimetype="image/png", headers={"Cache-Control": "max-age=86400"}))
    with app.app_context():
        from omkijken import demo
        from omkijken.platform.clock import utcnow
        from omkijken.platform.extensions import db

        demo.seed(now=utcnow())
        db.session.commit()
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app, f"http://127.0.0.1:{port}", server


def a_post(app) -> int:
    """An open hulpvraag on the prikbord, as a visitor would open one."""
    from sqlalchemy import select

    from omkijken.platform.extensions import db
    from omkijken.platform.posts.models import Post

    with app.app_context():
        return db.session.scalar(select(Post.id).where(Post.soort == "hulpvraag", Post.status == "open",
                                                       Post.verborgen.is_(False)).order_by(Post.id))


def session_cookie(base: str) -> str:
    """Log in as the demo volunteer the way a browser does; the Cookie header Lighthouse sends."""
    import requests

    from omkijken.demo import DEMO_PASSWORD

    with requests.Session() as http:
        page = http.get(base + "/inloggen", timeout=30).text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        answer = http.post(base + "/inloggen", data={"csrf_token": token, "email": VOLUNTEER,
                                                     "password": DEMO_PASSWORD}, timeout=30, allow_redirects=False)
        if answer.status_code != 302:
            raise SystemExit(f"inloggen als {VOLUNTEER} mislukt: {answer.status_code}")
        return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


def warm_up(base: str, pages: list[tuple[str, str | None]]) -> None:
    """Each page twice before measuring, as a server that has run a while has: its templates
    compiled, its maps rendered and its queries prepared (the first answer of a fresh process
    took 210 ms instead of 20)."""
    import requests

    for _ in range(2):
        for path, cookie in pages:
            requests.get(base + path, headers={"Cookie": cookie} if cookie else {}, timeout=60).raise_for_status()


def lighthouse(url: str, *, cookie: str | None, keep: Path | None, name: str, tries: int = 3) -> dict:
    """One Lighthouse run, tried again when Lighthouse itself fails (on a busy machine it now and
    then loses the trace: NO_NAVSTART)."""
    for attempt in range(1, tries + 1):
        try:
            return _lighthouse(url, cookie=cookie, keep=keep, name=name)
        except LighthouseFailed as error:
            print(f"lighthouse {url}, poging {attempt}: {error}", file=sys.stderr)
            if attempt == tries:
                raise SystemExit(str(error)) from error
    raise AssertionError("unreachable")


class LighthouseFailed(Exception):
    pass


def _lighthouse(url: str, *, cookie: str | None, keep: Path | None, name: str) -> dict:
    command = [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
               "--only-categories=accessibility,performance", "--form-factor=mobile",
               f"--chrome-flags={' '.join(CHROME_FLAGS)}"]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    done = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True,
                          timeout=300)
    if done.returncode != 0:
        raise LighthouseFailed(f"lighthouse {url}: {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / f"{name}.json").write_text(done.stdout)
    if report.get("runtimeError"):
        raise LighthouseFailed(f"lighthouse {url}: {report['runtimeError']}")
    audits = report["audits"]
    failing = {
        category: sorted(
            ref["id"] for ref in report["categories"][category]["auditRefs"]
            if ref["weight"] and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1
            and (category == "accessibility" or ref["group"] == "metrics"))
        for category in ("accessibility", "performance")
    }
    return {
        "final_url": report["finalDisplayedUrl"],
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "performance": round(report["categories"]["performance"]["score"] * 100),
        **{key: round(audits[audit]["numericValue"], 3 if key == "cls" else 0) for audit, key in METRICS.items()},
        "accessibility_failing": failing["accessibility"],
        "performance_metrics_below_1": failing["performance"],
        "render_blocking": [urlsplit(item["url"]).path
                            for item in audits.get("render-blocking-resources", {}).get("details", {}).get("items", [])],
        "transfer_kb": round(audits["total-byte-weight"]["numericValue"] / 1024, 1),
    }


def installability(base: str) -> list[dict]:
    """Chromium's own installability errors for the home page (an empty list: installable)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="omkijken-lh-profiel-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, viewport={"width": 412, "height": 823},
            args=[flag for flag in CHROME_FLAGS if not flag.startswith("--headless")])
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.goto(base + "/")
            page.evaluate("navigator.serviceWorker.ready")
            page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15000)
            session = context.new_cdp_session(page)
            return session.send("Page.getInstallabilityErrors")["installabilityErrors"]
        finally:
            context.close()


def median_run(runs: list[dict]) -> dict:
    """The run with the median performance score, with the spread of both scores."""
    ordered = sorted(runs, key=lambda run: run["performance"])
    chosen = dict(ordered[len(ordered) // 2])
    if len(runs) > 1:
        chosen["performance_runs"] = [run["performance"] for run in runs]
        chosen["accessibility_runs"] = [run["accessibility"] for run in runs]
        chosen["performance_median"] = statistics.median(chosen["performance_runs"])
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is reported")
    parser.add_argument("--keep-reports", type=Path, help="folder for Lighthouse's full JSON reports")
    parser.add_argument("--pages", nargs="*", help="only these: home kaart prikbord post voorstellen")
    args = parser.parse_args()

    version = install_lighthouse()
    app, base, server = start_site()
    try:
        cookie = session_cookie(base)
        pages = {
            "home": ("/", None),
            "kaart": ("/kaart", None),
            "prikbord": ("/prikbord", None),
            "post": (f"/prikbord/{a_post(app)}", None),
            "voorstellen": ("/voorstellen", cookie),
        }
        warm_up(base, [(path, with_cookie) for path, with_cookie in pages.values()])
        results = {}
        for name, (path, with_cookie) in pages.items():
            if args.pages and name not in args.pages:
                continue
            runs = [lighthouse(base + path, cookie=with_cookie, keep=args.keep_reports, name=f"{name}-{run}")
                    for run in range(args.runs)]
            results[name] = {"path": path, **median_run(runs)}
            if name == "voorstellen" and results[name]["final_url"].rstrip("/") != base + path:
                raise SystemExit(f"voorstellen niet ingelogd gelezen: {results[name]['final_url']}")
        errors = installability(base)
    finally:
        server.shutdown()
    print(json.dumps({
        "benchmark": "lighthouse",
        "lighthouse": version,
        "chromium": subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip(),
        "form_factor": "mobile (simulated slow 4G, 4x CPU slowdown)",
        "runs_per_page": args.runs,
        "pages": results,
        "installable": errors == [],
        "installability_errors": errors,
        "targets_met": all(page["accessibility"] == 100 and page["performance"] >= 95 for page in results.values())
        and errors == [],
    }, indent=2))


if __name__ == "__main__":
    main()
