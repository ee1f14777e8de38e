"""How does the production stack hold up under the web load of a town the size of Oss?

    .venv/bin/python bench/web_load.py                                   # 60 s at 32 users, scale 1
    .venv/bin/python bench/web_load.py --duration 10 --scale 0.1         # a quick smoke run
    .venv/bin/python bench/web_load.py --reuse                           # keep the loaded database

Starts what docker/compose.yaml starts, on loopback: gunicorn with ``omkijken.platform:create_app()``
(3 sync workers unless ``--gunicorn-workers``/``--threads`` say otherwise), ``omkijken worker
--concurrency 2`` and ``omkijken beat``, on PostGIS (``OMKIJKEN_BENCH_POSTGIS_URL``, default database
``omkijken_bench`` on 127.0.0.1:5432, dropped and made again) and Redis (``OMKIJKEN_BENCH_REDIS_URL``,
default db 4, emptied). The database gets the demo data scaled to Oss (bench/_scaled.py: about 2,000
open hulpvragen, 10,000 volunteers and 10,000 posts on the map at ``--scale 1``); ``--reuse`` keeps a
database that was loaded at the same scale (a second run starts in seconds).

Then Locust (bench/_load_users.py) runs ``--users`` users for ``--duration`` seconds on a mix of
home, map page, GeoJSON by bounding box, the list with filters, post pages, a volunteer's dashboard
and voorstellen, and residents posting a hulpvraag; then the same users on ``/health`` alone for
``--ceiling-duration`` seconds, the ceiling of the same app. Each user sends its next request as soon
as the previous one is answered, so the load users run on the same two cores (their CPU time is
in the JSON).

Targets (issue 9): p95 under 150 ms for the public pages and the GeoJSON, 0 errors, and the mix at
least 30% of the ceiling's requests per second.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

import _stack

TARGET_PUBLIC_P95_MS = 150
TARGET_SHARE_OF_CEILING = 0.30


def stack_arguments(parser: argparse.ArgumentParser, *, users: int, duration: float) -> None:
    parser.add_argument("--duration", type=float, default=duration, help="seconds of measured load")
    parser.add_argument("--users", type=int, default=users, help="concurrent users")
    parser.add_argument("--scale", type=float, default=1.0, help="share of the Oss-size data (0.1 for a smoke run)")
    parser.add_argument("--reuse", "--keep-data", action="store_true", dest="reuse",
                        help="reuse the database when it holds the data at this scale")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of load before measuring")
    parser.add_argument("--think", type=float, default=0.0, help="average pause between a user's requests (s)")
    parser.add_argument("--gunicorn-workers", type=int, default=_stack.GUNICORN_WORKERS)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread when > 1)")
    parser.add_argument("--worker-concurrency", type=int, default=_stack.WORKER_CONCURRENCY)


def start(args: argparse.Namespace) -> tuple[_stack.Stack, dict, Path]:
    """The data, then the stack; returns the stack, what was loaded and the users' plan file."""
    _stack.clean_environment()
    instance = _stack.instance_folder()
    prepared = _stack.prepare_database(args.scale, reuse=args.reuse, instance=instance)
    plan_path = instance / "plan.json"
    plan_path.write_text(json.dumps(prepared["plan"]))
    stack = _stack.Stack(instance, gunicorn_workers=args.gunicorn_workers, threads=args.threads,
                         worker_concurrency=args.worker_concurrency)
    return stack, prepared["data"], plan_path


def configuration(stack: _stack.Stack, args: argparse.Namespace) -> dict:
    return {"gunicorn": " ".join(stack.gunicorn_command()[1:-1]), "worker_concurrency": args.worker_concurrency,
            "users": args.users, "think_s": args.think, "scale": args.scale}


def measure_ceiling(stack: _stack.Stack, plan_path: Path, args: argparse.Namespace) -> dict:
    """The same users on ``/health`` alone: what the app on this machine gives at best today."""
    cpu = stack.cpu_seconds()
    ceiling = _stack.run_load(stack.url, plan_path, users=args.users, duration=args.ceiling_duration,
                              warmup=min(args.warmup, 3), mix="trivial", out=stack.instance / "trivial.json")
    ceiling["stack_cpu_s"] = round(stack.cpu_seconds() - cpu, 1)
    return {k: ceiling[k] for k in ("rps", "p50_ms", "p95_ms", "p99_ms", "errors", "seconds",
                                    "load_generator_cpu_s", "stack_cpu_s")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    stack_arguments(parser, users=32, duration=60)
    parser.add_argument("--ceiling-duration", type=float, default=30.0, help="seconds on /health alone")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    stack, data, plan_path = start(args)
    try:
        stack.start()
        instance = stack.instance
        cpu = stack.cpu_seconds()
        mix = _stack.run_load(stack.url, plan_path, users=args.users, duration=args.duration, warmup=args.warmup,
                              mix="mix", out=instance / "mix.json", think=args.think)
        mix["stack_cpu_s"] = round(stack.cpu_seconds() - cpu, 1)  # includes the warm-up
        ceiling = measure_ceiling(stack, plan_path, args)
        logged = stack.errors_in_logs()
        config = configuration(stack, args)
    finally:
        stack.stop()
        _stack.remove(stack.instance)

    share = mix["rps"] / ceiling["rps"] if ceiling["rps"] else None
    print(json.dumps({
        "benchmark": "web_load",
        **config,
        "data": data,
        "mix": mix,
        "ceiling": ceiling,
        "mix_share_of_ceiling": round(share, 4) if share is not None else None,
        "logged_errors": logged,
        "targets": {
            "public_p95_under_150_ms": mix["public_p95_max_ms"] is not None
            and mix["public_p95_max_ms"] < TARGET_PUBLIC_P95_MS,
            "zero_errors": mix["errors"] == 0 and ceiling["errors"] == 0 and not any(logged.values()),
            "mix_at_least_30pct_of_ceiling": share is not None and share >= TARGET_SHARE_OF_CEILING,
        },
    }))


if __name__ == "__main__":
    main()
