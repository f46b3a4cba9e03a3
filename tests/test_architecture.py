"""The shape of the `council` package, read from its source with `ast` (nothing is imported).

Every import counts, at module level and inside functions alike: an import deferred into a
function still ties the two modules together, and a "lazy" import is how cycles hide.
`from x import y` counts as an import of the submodule `x.y` when `y` is one, else of `x`.
Importing `a.b.c` also runs the packages `a.b` (its `__init__.py`), so for cycles it counts as
importing them too; a cycle through a package's `__init__` breaks whoever imports first. Two
exceptions, because they never run at import time: imports under `if TYPE_CHECKING:` (for
cycles only; the layering rules below still see them), and the root package `council`, whose
`__init__` only defers to the factory from `__getattr__` so that `council serve` can let gevent
patch the standard library first.

The rules:
- no import cycle between modules of `council`;
- the adapters, `council.web` (pages, forms, JSON routes) and `council.live` (Socket.IO), sit on
  top: nothing outside them imports them, except `council.app`, the application factory, whose
  job is to plug them into the app. The command line (`council.cli`, `council.entry`) goes
  through the factory and needs neither; services, documents, formats and models never do;
- `council.domain` is plain Python: it imports neither Flask nor SQLAlchemy.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "council"
ADAPTERS = ("council.web", "council.live")
MAY_IMPORT_ADAPTERS = {"council.app"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _type_checking_only(tree: ast.AST) -> set[int]:
    """The nodes inside `if TYPE_CHECKING:` blocks."""
    return {id(inner) for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for stmt in node.body for inner in ast.walk(stmt)}


def _imports(name: str, path: Path, *, typing_too: bool = True) -> set[str]:
    """Every module `name` imports, inside `council` or not (top-level names for the others)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set() if typing_too else _type_checking_only(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                found.add(sub if sub in MODULES else module)
    return found


def _with_packages(name: str, targets: set[str]) -> set[str]:
    """The modules and the packages above them that importing runs (not one's own packages)."""
    run = set()
    for target in targets:
        parts = target.split(".")
        run |= {".".join(parts[:i]) for i in range(2, len(parts) + 1)}
    return {m for m in run if m in MODULES and m != name and not name.startswith(m + ".")}


IMPORTS = {name: _imports(name, path) for name, path in MODULES.items()}
GRAPH = {name: _with_packages(name, _imports(name, path, typing_too=False)) for name, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each a cycle or more."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _is_under(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def test_the_graph_is_read():
    assert "council.services.common" in GRAPH["council.services.sessions"]
    assert "council.services" not in GRAPH["council.services.sessions"]  # already running
    assert {"council.services.state", "council.services"} <= GRAPH["council.live.handlers"]  # its package too
    assert "council.web" in GRAPH["council.app"]  # a function-level import counts
    assert "council" not in GRAPH["council.app"]


def test_cycle_detection_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles():
    cycles = _cycles(GRAPH)
    assert not cycles, "import cycles: " + "; ".join(" ↔ ".join(c) for c in cycles)


def test_only_the_app_factory_imports_the_adapters():
    offenders = {name: sorted(m for m in targets if _is_under(m, ADAPTERS))
                 for name, targets in IMPORTS.items()
                 if not _is_under(name, ADAPTERS) and name not in MAY_IMPORT_ADAPTERS}
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, f"modules below the adapters import them: {offenders}"


def test_the_domain_imports_neither_flask_nor_sqlalchemy():
    offenders = {name: sorted(m for m in found if m.split(".")[0] in ("flask", "flask_babel", "flask_socketio",
                                                                     "flask_wtf", "sqlalchemy"))
                 for name, found in IMPORTS.items() if _is_under(name, ("council.domain",))}
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, f"the domain imports web or database libraries: {offenders}"
