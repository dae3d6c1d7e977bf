"""The direction of dependencies (docs/architecture.md), checked on the source: every `import` of bfs_tracker/ is
read with the ast module, so a new module is checked the day it is added.

- Each app imports only the apps below it (DEPENDS_ON); logbook, at the bottom, imports none.
- No import cycle between modules, with imports inside functions counted too.
- No import inside a function reaches into another app (such an import hides a dependency, usually one that would
  otherwise be a cycle).
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "bfs_tracker"

# app -> the apps it may import. "lib" holds helpers with no app knowledge; the project modules (settings, urls,
# wsgi) may import anything.
DEPENDS_ON: dict[str, set[str]] = {
    "lib": set(),
    "logbook": {"lib"},
    "alerts": {"lib", "logbook"},
    "timeline": {"lib", "logbook"},
    "trends": {"lib", "logbook", "alerts", "timeline"},
    "pwa": {"lib", "logbook"},
    "reminders": {"lib", "logbook"},
    "security": {"lib"},
    "accounts": {"lib", "logbook", "security"},
    "days": {"lib", "logbook", "alerts"},
    "reports": {"lib", "logbook", "alerts", "trends", "days", "security", "timeline"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _app(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()) else "(project)"


def _imports(path: Path) -> list[tuple[str, bool, int]]:
    """(imported bfs_tracker module, inside a function?, line) for every import in the file."""
    found: list[tuple[str, bool, int]] = []
    package = _module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module_name(path)

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                found.extend((alias.name, in_function, child.lineno) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - child.level + 1] + [base]).strip(".")
                for alias in child.names:
                    # `from bfs_tracker.logbook import factors` imports the module bfs_tracker.logbook.factors.
                    candidate = f"{base}.{alias.name}"
                    name = (
                        candidate
                        if (PACKAGE.parent / Path(*candidate.split("."))).with_suffix(".py").exists()
                        else base
                    )
                    found.append((name, in_function, child.lineno))
            visit(child, inside)

    visit(ast.parse(path.read_text(), filename=str(path)), False)
    return [(name, inside, line) for name, inside, line in found if name.startswith("bfs_tracker")]


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)
GRAPH = {_module_name(p): _imports(p) for p in SOURCES}


def test_the_graph_covers_every_app():
    apps = {_app(m) for m in GRAPH} - {"(project)"}
    assert apps == set(DEPENDS_ON), "add the new app to DEPENDS_ON (and docs/architecture.md)"


def test_each_app_imports_only_the_apps_below_it():
    wrong = [
        f"{module} ({_app(module)}) imports {name} (line {line})"
        for module, imports in GRAPH.items()
        if _app(module) != "(project)"
        for name, _, line in imports
        if _app(name) not in (_app(module), "(project)", *DEPENDS_ON[_app(module)])
    ]
    assert not wrong, "\n".join(wrong)


def test_no_import_inside_a_function_reaches_another_app():
    hidden = [
        f"{module} imports {name} inside a function (line {line})"
        for module, imports in GRAPH.items()
        for name, inside, line in imports
        if inside and _app(name) != _app(module)
    ]
    assert not hidden, "\n".join(hidden)


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of the graph, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for other in sorted(edges.get(module, ())):
            if state.get(other) == 1:
                return path[path.index(other) :] + [other]
            if other not in state and (cycle := visit(other)):
                return cycle
        path.pop()
        state[module] = 2
        return None

    for module in sorted(edges):
        if module not in state and (cycle := visit(module)):
            return cycle
    return None


def test_there_is_no_import_cycle():
    edges = {m: {name for name, _, _ in imports if name in GRAPH and name != m} for m, imports in GRAPH.items()}
    cycle = _cycle(edges)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_checker_finds_a_cycle_and_imports_inside_functions():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
    imports = _imports(PACKAGE / "security" / "apps.py")
    assert [(name, inside) for name, inside, _ in imports] == [("bfs_tracker.security.signals", True)]
