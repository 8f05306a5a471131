"""Imports point one way (STYLE.md): every import in src/linesheet, lazy ones included."""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "linesheet"

# From the bottom up: each app may import the apps before it in this chain.
CHAIN = ["core", "accounts", "catalog", "ordering", "documents"]
MAY_IMPORT: dict[str, set[str]] = {app: set(CHAIN[:i]) for i, app in enumerate(CHAIN)}
MAY_IMPORT["notifications"] = MAY_IMPORT["reporting"] = set(CHAIN)
MAY_IMPORT["api"] = set(CHAIN) | {"notifications", "reporting"}
# web/ is what the two UIs share; they never import each other.
MAY_IMPORT["web"] = MAY_IMPORT["api"]
MAY_IMPORT["brand_app"] = MAY_IMPORT["buyer_app"] = MAY_IMPORT["api"] | {"web"}
MAY_IMPORT["demo"] = MAY_IMPORT["api"]
# The project's wiring (settings, URLs, WSGI, manage.py) sees every app.
WIRING = {"settings", "urls", "wsgi", "manage", "__init__"}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Each linesheet module `path` imports, with the line, at any depth (inside functions too)."""
    package = path.relative_to(SOURCE.parent).with_suffix("").parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            found.append(
                (node.lineno, ".".join([*base, *(node.module or "").split(".")]).strip("."))
            )
    return [(line, name) for line, name in found if name.startswith("linesheet.")]


def test_the_layers_name_every_app() -> None:
    apps = {path.parent.name for path in SOURCE.glob("*/__init__.py")}
    assert apps == set(MAY_IMPORT), "every app has its place in MAY_IMPORT, and only apps do"


def test_every_import_points_down_the_layers() -> None:
    wrong = []
    for path in sorted(SOURCE.rglob("*.py")):
        app = path.relative_to(SOURCE).parts[0].removesuffix(".py")
        if app in WIRING:
            continue
        for line, name in imported_modules(path):
            target = name.split(".")[1]
            if target != app and target not in MAY_IMPORT[app]:
                wrong.append(
                    f"{path.relative_to(SOURCE)}:{line} imports {name} ({app} -> {target})"
                )
    assert not wrong, "imports against the layers of STYLE.md:\n" + "\n".join(wrong)
