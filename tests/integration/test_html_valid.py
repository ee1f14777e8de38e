"""Every kind of page, as a visitor and as each role sees it on the demo, is valid HTML for the
Nu HTML Checker (vnu.jar from the npm package vnu-jar, pinned in tests/vnu/package-lock.json and
installed by scripts/test-setup.sh). One Java start checks them all: the pages are written to a
folder and the checker reads the folder (issue 27)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.pages import every_page
from tests.support import require

VNU = Path(__file__).parents[1] / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_kind_of_page_for_every_role_is_valid_html(app, tmp_path):
    require(VNU.exists(), "de Nu HTML Checker (scripts/test-setup.sh installeert hem: npm ci in tests/vnu)")
    require(shutil.which("java") is not None, "Java (Debian-pakket default-jre-headless)")
    pages = every_page(app)
    names = {}
    for n, page in enumerate(pages):
        name = f"{n:03d}.html"
        names[name] = f"{page.role or 'bezoeker'} {page.path} ({page.status})"
        (tmp_path / name).write_text(page.html, encoding="utf-8")
    assert len({page.path.split("?")[0] for page in pages}) >= 50, [page.path for page in pages]

    checked = subprocess.run(["java", "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json",
                              str(tmp_path)], capture_output=True, text=True, timeout=600)
    messages = json.loads(checked.stderr or checked.stdout or '{"messages": []}')["messages"]
    # One line per message and page, with its first place and how often: a table row's error comes once.
    report: dict[str, list[str]] = {}
    for m in messages:
        page = names.get(Path(m.get("url", "")).name, m.get("url"))
        report.setdefault(f"{page}: {m['message']}", []).append(" ".join(m.get("extract", "").split())[:90])
    assert not report, "\n".join(f"{line} [{places[0]}] ({len(places)}x)" for line, places in sorted(report.items()))
