"""The import directions of DESIGN.md, checked on the source so a stray import fails the build."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "omkijken"


def imported_modules(folder: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(PACKAGE))] = names
    return found


def test_matching_imports_nothing_of_ours_and_no_framework():
    forbidden = ("omkijken.platform", "omkijken.workers", "flask", "sqlalchemy", "geoalchemy2", "celery", "redis")
    for path, names in imported_modules(PACKAGE / "matching").items():
        bad = {n for n in names if n.startswith(forbidden)}
        assert not bad, f"{path} imports {bad}"


def test_platform_never_imports_workers():
    for path, names in imported_modules(PACKAGE / "platform").items():
        bad = {n for n in names if n.startswith("omkijken.workers")}
        assert not bad, f"{path} imports {bad}"
