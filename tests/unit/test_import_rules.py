"""The import directions of DESIGN.md, checked on the source so a stray import fails the build.

Every import counts: at module level, inside functions, absolute and relative. A domain that must react
to something of a higher one offers a signal instead of importing upwards (DESIGN.md "Which way imports go").
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "omkijken"
PLATFORM = PACKAGE / "platform"

# The layers from the bottom up; a unit imports only units of lower layers (or itself).
# "base" is the loose modules omkijken/platform/*.py; "root" is the composition root. areas sits below
# system because the audit log (system.models.AuditEntry) names the wijk of a decision.
LAYERS: list[set[str]] = [
    {"base"},
    {"areas"},
    {"system"},
    {"accounts"},
    {"posts", "core"},
    {"koppelingen"},
    {"insights", "subsidies", "wijkagenda"},
    {"moderatie"},  # above wijkagenda: its queue shows and decides agendapunten (DESIGN.md had it beside)
    {"api"},
    {"root"},
    {"demo"},  # below cli, which seeds it
    {"cli", "workers"},
]
ROOT_MODULES = {"omkijken.platform", "omkijken.platform.models", "omkijken.platform.jobs"}
LEVEL = {unit: index for index, layer in enumerate(LAYERS) for unit in layer}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def unit_of(module: str) -> str | None:
    """The layer unit a module of ours belongs to; None for modules outside the layered part."""
    if module in ROOT_MODULES:
        return "root"
    parts = module.split(".")
    if parts[0] != "omkijken" or len(parts) < 2:
        return None
    if parts[1] in ("cli", "demo", "workers"):
        return parts[1]
    if parts[1] != "platform" or len(parts) < 3:
        return None
    if (PLATFORM / parts[2]).is_dir():
        return parts[2]
    return "base"


def is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def imports_of(path: Path) -> Iterator[tuple[int, str]]:
    return imports_in(path.read_text(), module_name(path), is_package=path.name == "__init__.py", filename=str(path))


def imports_in(source: str, module: str, *, is_package: bool = False, filename: str = "<source>"
               ) -> Iterator[tuple[int, str]]:
    """(line, module) for every import in ``source`` (the text of ``module``), inside functions too,
    relative ones resolved; ``from x import y`` is x.y if that is a module, else x."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                yield node.lineno, f"{target}.{alias.name}" if is_module(f"{target}.{alias.name}") else target


def imported_modules(folder: Path) -> dict[str, set[str]]:
    return {
        str(path.relative_to(PACKAGE)): {module for _, module in imports_of(path)} for path in folder.rglob("*.py")
    }


@functools.cache
def cross_unit_imports() -> tuple[tuple[str, int, str, str, str], ...]:
    """(file, line, imported module, from unit, to unit) for every import between two units."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = unit_of(module_name(path))
        if source is None:
            continue
        for line, module in sorted(set(imports_of(path))):
            target = unit_of(module)
            if target is not None and target != source:
                found.append((str(path.relative_to(PACKAGE.parent)), line, module, source, target))
    return tuple(found)


def unit_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for _, _, _, source, target in cross_unit_imports():
        graph.setdefault(source, set()).add(target)
    return graph


def test_the_measure_sees_imports_inside_functions_and_relative_ones():
    source = "def later():\n    from ..posts import models\n    from . import audit\n    import omkijken.platform.system.mail\n"
    found = {module for _, module in imports_in(source, "omkijken.platform.system.services")}
    assert found == {"omkijken.platform.posts.models", "omkijken.platform.system.audit",
                     "omkijken.platform.system.mail"}
    assert unit_of("omkijken.platform.posts.models") == "posts" and unit_of("omkijken.platform.config") == "base"
    assert unit_of("omkijken.platform") == "root" and unit_of("omkijken.platform.spreadsheets") == "base"


def test_matching_imports_nothing_of_ours_and_no_framework():
    forbidden = ("omkijken.", "flask", "sqlalchemy", "geoalchemy2", "celery", "redis")
    for path, names in imported_modules(PACKAGE / "matching").items():
        bad = {n for n in names if n.startswith(forbidden) and not n.startswith("omkijken.matching")}
        assert not bad, f"{path} imports {bad}"


def test_platform_never_imports_workers():
    for path, names in imported_modules(PLATFORM).items():
        bad = {n for n in names if n.startswith("omkijken.workers")}
        assert not bad, f"{path} imports {bad}"


def test_every_domain_folder_has_a_layer():
    folders = {p.name for p in PLATFORM.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))}
    missing = folders - LEVEL.keys()
    assert not missing, f"place the new domain(s) {sorted(missing)} in LAYERS of {__file__}"


def test_imports_between_domains_go_downwards():
    upward = [
        f"{path}:{line} imports {module} ({source} may not import {target})"
        for path, line, module, source, target in cross_unit_imports()
        if LEVEL[target] >= LEVEL[source]
    ]
    assert not upward, "imports against the layer order of DESIGN.md:\n" + "\n".join(upward)


def test_domain_graph_has_no_cycle():
    graph = unit_graph()
    state: dict[str, int] = {}

    def visit(unit: str, trail: list[str]) -> list[str] | None:
        state[unit] = 1
        for target in sorted(graph.get(unit, ())):
            if state.get(target) == 1:
                path = [*trail, unit]
                return [*path[path.index(target):], target]
            if target not in state and (cycle := visit(target, [*trail, unit])):
                return cycle
        state[unit] = 2
        return None

    for unit in sorted(graph):
        if unit not in state and (cycle := visit(unit, [])):
            assert False, "cycle between domains: " + " -> ".join(cycle)


def test_no_demo_module_in_platform():
    demo = [str(p.relative_to(PACKAGE)) for p in PLATFORM.rglob("*.py") if "demo" in p.stem]
    assert not demo, f"demo code belongs in omkijken/demo/, not {demo}"


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
