"""``mapapp import``'s start (mapapp.cli_import): the command line loads no web or migration machinery it does not use.

Read from the modules' own import statements (those run when a module is loaded, not those inside functions
or under ``TYPE_CHECKING``), followed through every mapapp module: a test process has loaded everything long
before, so ``sys.modules`` cannot tell, and a child process would cost a second.
"""
from __future__ import annotations

import ast
import functools
import importlib.util

import pytest

# What the web app, the map pages and schema migrations load: nothing an import of a cadastre runs.
NOT_AT_START = ("flask", "werkzeug", "alembic", "folium", "matplotlib", "jinja2", "waitress")


@functools.lru_cache(maxsize=None)
def _loaded_by(name: str) -> frozenset[str]:
    """The modules loading ``name`` imports: its module-level imports (with their parent packages), resolved."""
    spec = importlib.util.find_spec(name)
    if spec.origin is None:  # a namespace package (mapapp.queries): no code of its own
        return frozenset()
    tree = ast.parse(open(spec.origin, encoding="utf-8").read())
    package = name if spec.submodule_search_locations else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = importlib.util.resolve_name("." * node.level + (node.module or ""), package) if node.level else node.module
                found.add(base)
                for alias in node.names:  # ``from mapapp.store import schema``: a module, when it is one
                    if base.startswith("mapapp") and _is_package(base) and importlib.util.find_spec(f"{base}.{alias.name}"):
                        found.add(f"{base}.{alias.name}")
            elif isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.unparse(node.test):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)

    visit(tree.body)
    return frozenset(parent for module in found for parent in _parents(module))


def _is_package(name: str) -> bool:
    spec = importlib.util.find_spec(name)
    return spec is not None and spec.submodule_search_locations is not None


def _parents(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _start_of(root: str) -> set[str]:
    """Every module loading ``root`` loads (third-party ones by their top-level name, not followed into)."""
    seen, todo = set(), [root, *_parents(root)]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name.split(".")[0] == "mapapp":
            todo.extend(_loaded_by(name) - seen)
    return seen


@pytest.mark.parametrize("root", ["mapapp.cli", "mapapp.sources.importer", "mapapp.queries.warm_scope"])
def test_the_import_command_loads_no_web_nor_migration_modules(root):
    start = _start_of(root)
    assert "mapapp.cli_import" in _start_of("mapapp.cli")  # the command itself is followed
    assert sorted(m for m in start if m.split(".")[0] in NOT_AT_START) == []
    assert not {"mapapp.auth", "mapapp.queries.figure_warm", "mapapp.sources.writers"} & start


@pytest.mark.parametrize("collecting", [True, False])
def test_loading_the_commands_leaves_garbage_collection_as_it_was(collecting):
    import gc
    import importlib

    import mapapp.cli

    was = gc.isenabled()
    (gc.enable if collecting else gc.disable)()
    try:
        importlib.reload(mapapp.cli)  # its start pauses collection while the libraries load
        assert gc.isenabled() is collecting
        assert "import" in mapapp.cli.main.commands
    finally:
        (gc.enable if was else gc.disable)()
