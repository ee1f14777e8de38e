"""The suite fails, never skips, when a service it needs cannot be reached (issue 31): a wrong
password or a stopped PostgreSQL once turned the PostGIS run into skips that exited 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_an_unreachable_postgis_fails_the_run_and_says_why(tmp_path):
    env = {**os.environ, "CI": "true", "OMKIJKEN_TEST_BACKEND": "postgis",
           "OMKIJKEN_TEST_POSTGIS_URL": "postgresql://omkijken:fout-wachtwoord@127.0.0.1:1/omkijken"}
    env.pop("OMKIJKEN_TEST_MAY_SKIP", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
         "tests/integration/test_health.py::test_health_reports_a_missing_then_a_fresh_worker"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)

    output = run.stdout + run.stderr
    assert run.returncode != 0, output[-2000:]
    assert "skipped" not in output and "1 error" in output, output[-2000:]
    assert "PostgreSQL met PostGIS" in output and "Connection refused" in output, output[-2000:]
