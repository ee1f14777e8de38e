"""Up to how many requests per second do the public pages stay under 150 ms (p95)?

    .venv/bin/python bench/capacity.py --reuse                        # 32 users, 20 to 160 tasks/s
    .venv/bin/python bench/capacity.py --reuse --rates 40,80,120      # chosen steps
    .venv/bin/python bench/capacity.py --duration 10 --scale 0.1      # a smoke run

bench/web_load.py lets each user send its next request the moment the previous one is answered.
That measures the stack when it is full: at 32 users the latency there is mostly the queue in front
of two busy cores (about 32 / throughput, by Little's law), and even ``/health`` alone has a p95
near 150 ms on a slow day. People pause between pages. So here the same stack, data, users and mix
pace themselves: together the 32 users start a fixed number of tasks per second, at random moments
(a Poisson process, as separate people click; a resident's posting task is three requests), and the
rate goes up step by step (``--rates``). Each step reports what was offered and answered, the p95 of the public pages
and the errors. The run stops after the first step that misses the target.

The answer, ``capacity_rps``, is the highest number of answered requests per second (of every kind)
at which every public page and the GeoJSON had a p95 under 150 ms with 0 errors, and
``capacity_public_rps`` how many of those were the public pages the target is about; ``capacity_share_of_ceiling`` sets
it against ``/health`` alone on the same stack, measured at the end (the machine's speed changes
from day to day).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys

import _stack
from web_load import TARGET_PUBLIC_P95_MS, configuration, measure_ceiling, stack_arguments, start

DEFAULT_RATES = "20,40,60,80,100,120,140,160"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    stack_arguments(parser, users=32, duration=30)
    parser.add_argument("--rates", default=DEFAULT_RATES, help="tasks per second of all users together, rising")
    parser.add_argument("--ceiling-duration", type=float, default=20.0, help="seconds on /health alone")
    args = parser.parse_args()
    rates = sorted(float(rate) for rate in args.rates.split(","))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    stack, data, plan_path = start(args)
    steps = []
    try:
        stack.start()
        for rate in rates:
            run = _stack.run_load(stack.url, plan_path, users=args.users, duration=args.duration,
                                  warmup=args.warmup, mix="mix", out=stack.instance / f"rate-{rate:g}.json",
                                  rate=rate)
            met = (run["public_p95_max_ms"] is not None and run["public_p95_max_ms"] < TARGET_PUBLIC_P95_MS
                   and run["errors"] == 0)
            steps.append({"offered_tasks_per_s": rate, "rps": run["rps"], "public_rps": run["public_rps"],
                          "p50_ms": run["p50_ms"],
                          "p95_ms": run["p95_ms"], "public_p95_max_ms": run["public_p95_max_ms"],
                          "errors": run["errors"], "load_generator_cpu_s": run["load_generator_cpu_s"],
                          "public_p95_under_150_ms": met,
                          "pages_p95_ms": {name: page["p95_ms"] for name, page in run["pages"].items()}})
            if not met:
                break
        ceiling = measure_ceiling(stack, plan_path, args)
        logged = stack.errors_in_logs()
        config = configuration(stack, args)
    finally:
        stack.stop()
        _stack.remove(stack.instance)

    best = max((step for step in steps if step["public_p95_under_150_ms"]), key=lambda step: step["rps"], default=None)
    capacity = best["rps"] if best else None
    print(json.dumps({
        "benchmark": "capacity",
        **{key: value for key, value in config.items() if key != "think_s"},
        "data": data,
        "steps": steps,
        "capacity_rps": capacity,
        # The target is about the public pages: of the requests above, these were public pages.
        "capacity_public_rps": best["public_rps"] if best else None,
        "ceiling": ceiling,
        "capacity_share_of_ceiling": round(capacity / ceiling["rps"], 4) if capacity and ceiling["rps"] else None,
        "logged_errors": logged,
    }))


if __name__ == "__main__":
    main()
