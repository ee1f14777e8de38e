"""Mutation score per module of the rules that protect people and money (issue 31). Prints JSON.

    .venv/bin/python bench/mutation.py run              # every group, then the JSON (make mutation)
    .venv/bin/python bench/mutation.py run lifecycle    # one group
    .venv/bin/python bench/mutation.py report           # the JSON of the last runs, without running

mutmut (pinned in the dev extra, settings in pyproject.toml [tool.mutmut]) copies omkijken/ and
tests/ to mutants/ (git-ignored) and makes each small wrong change there, one at a time; the
working tree's sources are never touched. A mutant is killed when a test fails on it. A test suite
that lets a wrong change through ("survived") does not protect that rule, whatever its coverage.

Groups run one after the other, each its own mutmut run over only its modules' mutants, so one
module can be measured again after a new test. Where a module holds more than the rule (areas
services: only blur and locate), the group names the functions that count.

Per module: killed, survived, timeout (a wrong change that hangs the tests: caught), no_tests (no
selected test runs that function), equivalent (survivors listed in bench/mutation-equivalent.toml
with why no test can tell them apart: the change does not change behaviour) and killed_pct =
(killed + timeout) / (all - equivalent - import_time - not_run); import_time are listed there too:
changes mutmut cannot test, as they run only while the module is imported. The exit code is 1 when a module is under 90%
or not wholly run, or an
equivalent listed there no longer survives (the list must stay true).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENT_FILE = ROOT / "bench" / "mutation-equivalent.toml"
TARGET_PCT = 90.0

# group -> module (its path, then the functions that count if not all) -> the mutant names that count
# (fnmatch on mutmut's "module.x_function__mutmut_N").
GROUPS: dict[str, dict[str, list[str]]] = {
    "matching": {
        "omkijken/matching/scoring.py": ["omkijken.matching.scoring.*"],
        "omkijken/matching/candidates.py": ["omkijken.matching.candidates.*"],
        "omkijken/matching/durability.py": ["omkijken.matching.durability.*"],
    },
    "lifecycle": {
        "omkijken/platform/subsidies/lifecycle.py": ["omkijken.platform.subsidies.lifecycle.*"],
        "omkijken/platform/wijkagenda/lifecycle.py": ["omkijken.platform.wijkagenda.lifecycle.*"],
        "omkijken/platform/koppelingen/lifecycle.py": ["omkijken.platform.koppelingen.lifecycle.*"],
    },
    "areas": {
        "omkijken/platform/areas/services.py blur": ["omkijken.platform.areas.services.x_blur__*"],
        # a database query: no unit test runs it (see "no_tests"), the integration tests do
        "omkijken/platform/areas/services.py locate": ["omkijken.platform.areas.services.x_locate__*"],
    },
    "permissions": {
        "omkijken/platform/accounts/permissions.py": ["omkijken.platform.accounts.permissions.*"],
        "omkijken/platform/security.py": ["omkijken.platform.security.x_safe_redirect_target__*"],
    },
}

# mutmut's exit codes of a mutant's test run (mutmut/stats.py), folded into the columns above.
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no_tests", 33: "no_tests", 36: "timeout",
          -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout", None: "not_run"}


def run(groups: list[str]) -> None:
    """One mutmut run per group: a group measured again leaves the others' results as they were."""
    for group in groups:
        names = [name for patterns in GROUPS[group].values() for name in patterns]
        print(f"mutation: group {group}", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "mutmut", "run", *names], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)


def equivalents() -> dict[str, str]:
    """Mutant name -> "equivalent" (behaves as the original) or "import_time" (the change runs only
    while the module is imported, before mutmut switches a mutant on: no test run can see it)."""
    if not EQUIVALENT_FILE.exists():
        return {}
    table = tomllib.loads(EQUIVALENT_FILE.read_text("utf-8"))
    return {name: entry.get("kind", "equivalent") for name, entry in table.get("mutants", {}).items()}


def module_score(module: str, patterns: list[str], equivalent: dict[str, str]) -> dict:
    meta = ROOT / "mutants" / f"{module.split()[0]}.meta"
    results = json.loads(meta.read_text("utf-8"))["exit_code_by_key"] if meta.exists() else {}
    counted = {name: code for name, code in results.items() if any(fnmatch.fnmatch(name, p) for p in patterns)}
    score = {"killed": 0, "survived": 0, "timeout": 0, "no_tests": 0, "equivalent": 0, "import_time": 0, "other": 0,
             "not_run": 0}
    survivors, stale = [], []
    for name, code in sorted(counted.items()):
        status = STATUS.get(code, "other")
        if name in equivalent:
            if status in ("survived", "no_tests"):
                status = equivalent[name]
            else:
                stale.append(name)
        score[status] += 1
        if status == "survived":
            survivors.append(name)
    total = len(counted)
    decided = total - score["equivalent"] - score["import_time"] - score["not_run"]
    score["total"] = total
    # over the mutants run so far: a group stopped halfway still says how it was going (not_run > 0)
    score["killed_pct"] = round(100 * (score["killed"] + score["timeout"]) / decided, 1) if decided else None
    score["survivors"] = survivors
    if stale:
        score["listed_equivalent_but_not_surviving"] = stale
    return score


def report() -> dict:
    equivalent = equivalents()
    modules = {
        module: module_score(module, patterns, equivalent)
        for group in GROUPS.values()
        for module, patterns in group.items()
    }
    below = [m for m, s in modules.items()
             if s["not_run"] or s["killed_pct"] is None or s["killed_pct"] < TARGET_PCT]
    stale = [m for m, s in modules.items() if "listed_equivalent_but_not_surviving" in s]
    return {"target_pct": TARGET_PCT, "modules": modules, "below_target": below, "stale_equivalents": stale}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["run", "report"])
    parser.add_argument("groups", nargs="*", help=f"of {', '.join(GROUPS)}; default: every group")
    args = parser.parse_args()
    unknown = set(args.groups) - set(GROUPS)
    if unknown:
        parser.error(f"unknown group(s): {', '.join(sorted(unknown))}")
    if args.command == "run":
        run(args.groups or list(GROUPS))
    result = report()
    print(json.dumps(result, indent=2))
    sys.exit(1 if result["below_target"] or result["stale_equivalents"] else 0)


if __name__ == "__main__":
    main()
