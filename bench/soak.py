"""Does any process of the production stack keep growing under a steady web load?

    .venv/bin/python bench/soak.py                                    # 10 minutes at 16 users, scale 1
    .venv/bin/python bench/soak.py --duration 60 --scale 0.1          # a short run
    .venv/bin/python bench/soak.py --reuse                            # keep web_load's database

The same stack, data and users as bench/web_load.py (see there; ``--reuse`` takes the database a
web_load run left at the same scale). While the mix runs, the resident set size (RSS) of every
process is read every ``--interval`` seconds with psutil: the gunicorn master and each worker, the
Celery worker and each process of its pool, and beat. Growth is measured from the end of the
warm-up (``--warmup``, default a fifth of the run, at most 120 s: imports, caches and connection
pools fill up first) to the end of the run.

Targets (issue 9): every process grows less than 10% after the warm-up, and 0 errors.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time

import _stack
from web_load import configuration, stack_arguments, start

TARGET_GROWTH = 0.10


def sample(stack: _stack.Stack) -> dict[str, float]:
    """RSS in MiB per process, named by role and pid."""
    import psutil

    found = {}
    for role, pids in stack.members().items():
        for pid in pids:
            try:
                found[f"{role} {pid}"] = psutil.Process(pid).memory_info().rss / 2**20
            except psutil.NoSuchProcess:
                pass
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    stack_arguments(parser, users=16, duration=600)
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between RSS samples")
    parser.set_defaults(warmup=-1.0)
    args = parser.parse_args()
    warmup = min(120.0, args.duration / 5) if args.warmup < 0 else args.warmup
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    stack, data, plan_path = start(args)
    samples: list[tuple[float, dict[str, float]]] = []
    load = None
    try:
        stack.start()
        out = stack.instance / "soak.json"
        # The users' figures cover the whole run, warm-up included (errors count from the start).
        load = _stack.start_load(
            [sys.executable, str(_stack.BENCH / "_load_users.py"), "--host", stack.url, "--plan", str(plan_path),
             "--users", str(args.users), "--duration", str(args.duration), "--warmup", "0",
             "--mix", "mix", "--think", str(args.think), "--out", str(out)], out)
        started = time.monotonic()
        while load.popen.poll() is None:
            samples.append((time.monotonic() - started, sample(stack)))
            time.sleep(args.interval)
        figures = load.result()
        logged = stack.errors_in_logs()
        config = configuration(stack, args)
    finally:
        if load is not None:
            load.stop()
        stack.stop()
        _stack.remove(stack.instance)

    after_warmup = next((s for t, s in samples if t >= warmup), samples[-1][1])
    last = samples[-1][1]
    processes = {}
    for name in sorted(set(after_warmup) | set(last)):
        start_mb, end_mb = after_warmup.get(name), last.get(name)
        peak = max(s.get(name, 0.0) for _t, s in samples)
        processes[name] = {
            "rss_after_warmup_mb": round(start_mb, 1) if start_mb else None,
            "rss_end_mb": round(end_mb, 1) if end_mb else None,
            "rss_peak_mb": round(peak, 1),
            # None: the process was not there for the whole run (gunicorn replaced a worker).
            "growth_pct": round(100 * (end_mb - start_mb) / start_mb, 1) if start_mb and end_mb else None,
        }
    growths = [p["growth_pct"] for p in processes.values() if p["growth_pct"] is not None]
    print(json.dumps({
        "benchmark": "soak",
        **config,
        "duration_s": args.duration,
        "warmup_s": warmup,
        "samples": len(samples),
        "data": data.get("counts"),
        "requests": figures["requests"],
        "rps": figures["rps"],
        "p95_ms": figures["p95_ms"],
        "errors": figures["errors"],
        "error_samples": figures["error_samples"],
        "logged_errors": logged,
        "processes": processes,
        "max_growth_pct": max(growths) if growths else None,
        "targets": {
            "growth_under_10pct": bool(growths) and max(growths) < 100 * TARGET_GROWTH
            and all(p["growth_pct"] is not None for p in processes.values()),
            "zero_errors": figures["errors"] == 0 and not any(logged.values()),
        },
    }))


if __name__ == "__main__":
    main()
