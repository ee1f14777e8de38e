"""The import directions of DESIGN.md, checked on the source so a stray import fails the build."""

from __future__ import annotations

import ast
import re
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


# ---- DESIGN.md "Cross-cutting things have one home", proved by grep over omkijken/ ----------------

def _sources() -> dict[str, str]:
    return {path.relative_to(PACKAGE).as_posix(): path.read_text() for path in PACKAGE.rglob("*.py")}


def test_only_system_mail_renders_and_enqueues_a_mail():
    mail_enqueue = re.compile(r"\benqueue\(|\bSEND_EMAIL\b")
    for path, text in _sources().items():
        if path == "platform/system/mail.py":
            continue
        both = "render_template(" in text and mail_enqueue.search(text)
        assert not both, f"omkijken/{path} renders a template and enqueues mail: use system.mail.queue_mail"


def test_the_time_zone_lives_only_in_clock():
    for path, text in _sources().items():
        if path == "platform/clock.py":
            continue
        assert "ZoneInfo(" not in text, f"omkijken/{path} makes a ZoneInfo: use platform.clock.AMSTERDAM"
        assert not re.search(r"^def (utcnow|as_utc)\b", text, re.M), \
            f"omkijken/{path} defines a time helper of platform.clock"


def test_signed_links_live_only_in_links():
    for path, text in _sources().items():
        if path == "platform/links.py":
            continue
        assert not re.search(r"URLSafe(Timed)?Serializer", text), \
            f"omkijken/{path} signs links itself: use platform.links.sign / read"
