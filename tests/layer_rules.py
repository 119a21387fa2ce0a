"""The layer rules as one check: ``layer_offences(root)`` lists every way *root*'s tree breaks them.

Three parts, each closing a hole the others leave:

* ``lint-imports`` with *root*'s ``pyproject.toml`` (the contracts in docs/architecture.md);
* ``lazy_import("X")`` calls, which import-linter cannot see, must each be mirrored in the same
  file by a static import of X under ``if TYPE_CHECKING:`` (which import-linter does count), so a
  lazily imported module is held to the same contracts as a plain import;
* no import cycles between modules of ``kzcoder``, counting ``TYPE_CHECKING`` imports too.

Each offence is one line of text, so a failing test shows them all at once.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections import deque
from collections.abc import Iterator, Mapping
from pathlib import Path

PACKAGE = "kzcoder"
LAZY_IMPORT = "lazy_import"
LAZY_MODULE = "kzcoder.gui.lazy"
LINT = Path(sys.executable).with_name("lint-imports")


def layer_offences(root: Path) -> list[str]:
    """Every broken contract, unmirrored lazy import and import cycle under *root*/kzcoder."""
    return contract_offences(root) + lazy_import_offences(root) + cycle_offences(root)


# --- import-linter contracts ----------------------------------------------------------------


def _env(root: Path) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(root))


def run_lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"],
                          cwd=root, env=_env(root), capture_output=True, text=True, check=False)


def contract_offences(root: Path) -> list[str]:
    """One line per forbidden import chain that lint-imports reports (its whole output if it
    fails in a way this cannot parse)."""
    result = run_lint_imports(root)
    if result.returncode == 0:
        return []
    offences = list(_broken_contracts(result.stdout))
    return offences or [f"lint-imports failed: {(result.stdout + result.stderr).strip()}"]


def _broken_contracts(report: str) -> Iterator[str]:
    lines = report.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "Broken contracts")
    except StopIteration:
        return
    sections: list[tuple[str, list[str]]] = []
    i = start + 2
    while i < len(lines):
        line = lines[i]
        underline = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if line.strip() and underline and set(underline) == {"-"} and not line.startswith("-"):
            sections.append((line.strip(), []))
            i += 2
            continue
        if sections and line.strip():
            sections[-1][1].append(line)
        i += 1
    for contract, body in sections:
        chains: list[str] = []
        for line in body:
            if line.startswith("-"):
                chains.append(line.lstrip("- ").strip())
            elif line.startswith(" ") and chains:
                chains[-1] += ", " + line.strip()
        for text in chains or [line.strip() for line in body]:
            yield f"lint-imports: {contract}: {text}"


# --- lazy_import calls need a TYPE_CHECKING mirror ------------------------------------------


def lazy_import_offences(root: Path) -> list[str]:
    """``path:line: ...`` for each lazy_import call in *root*/kzcoder that is not a call with one
    string literal argument, or whose module has no import under ``if TYPE_CHECKING:`` in the
    same file."""
    offences: list[str] = []
    for path in sorted((root / PACKAGE).rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        rel = path.relative_to(root)
        offences += [f"{rel.as_posix()}:{line}: {text}" for line, text in _scan(path, rel)]
    return offences


def _module_name(rel: Path) -> tuple[str, bool]:
    """Dotted name of the module at *rel* (relative to the root) and whether it is a package."""
    parts = list(rel.with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join(base + ([node.module] if node.module else []))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imported(nodes: list[ast.stmt], module: str, is_package: bool) -> set[str]:
    """Every module an import among *nodes* may name: ``import a.b`` gives a.b, ``from a import
    b`` gives a and a.b (b may be a submodule)."""
    names: set[str] = set()
    for stmt in nodes:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                parent = _absolute(node, module, is_package)
                names.add(parent)
                names.update(f"{parent}.{alias.name}" for alias in node.names if alias.name != "*")
    return names


def _scan(path: Path, rel: Path) -> Iterator[tuple[int, str]]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (SyntaxError, UnicodeDecodeError) as exc:
        yield getattr(exc, "lineno", None) or 0, f"cannot be parsed: {exc}"
        return
    module, is_package = _module_name(rel)
    mirrored: set[str] = set()
    aliases = {LAZY_IMPORT}  # names lazy_import is bound to in this file
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            mirrored |= _imported(node.body, module, is_package)
        elif (isinstance(node, ast.ImportFrom)
              and _absolute(node, module, is_package) == LAZY_MODULE):
            aliases.update(alias.asname or alias.name for alias in node.names
                           if alias.name == LAZY_IMPORT)

    def is_lazy_import(expr: ast.expr) -> bool:  # lazy_import, an alias of it, or x.lazy_import
        return (isinstance(expr, ast.Name) and expr.id in aliases) or (
            isinstance(expr, ast.Attribute) and expr.attr == LAZY_IMPORT)

    called: set[int] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and is_lazy_import(node.func)):
            continue
        called.add(id(node.func))
        arg: ast.expr | None = None
        if len(node.args) == 1 and not node.keywords:
            arg = node.args[0]
        elif not node.args and len(node.keywords) == 1 and node.keywords[0].arg == "name":
            arg = node.keywords[0].value
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            yield node.lineno, f"{ast.unparse(node)} has no string literal argument"
        elif arg.value not in mirrored:
            yield node.lineno, f'{LAZY_IMPORT}("{arg.value}") has no TYPE_CHECKING import'
    for node in ast.walk(tree):
        # handing lazy_import around (``f = lazy_import``, ``map(lazy_import, names)``) would
        # hide the calls from this scan
        if (isinstance(node, ast.Name | ast.Attribute) and is_lazy_import(node)
                and isinstance(node.ctx, ast.Load) and id(node) not in called):
            yield node.lineno, f"{ast.unparse(node)} is used other than as a direct call"


# --- import cycles --------------------------------------------------------------------------

_GRAPH_SCRIPT = """
import importlib.util, json, sys
from pathlib import Path
import grimp
root = Path(sys.argv[1]).resolve()
spec = importlib.util.find_spec(sys.argv[2])
origin = Path(spec.origin).resolve()
if root not in origin.parents:
    sys.exit(f"{sys.argv[2]} resolves to {origin}, not under {root}")
graph = grimp.build_graph(sys.argv[2], cache_dir=None)
json.dump({m: sorted(graph.find_modules_directly_imported_by(m)) for m in graph.modules},
          sys.stdout)
"""


def import_graph(root: Path) -> dict[str, list[str]]:
    """kzcoder's module -> directly imported kzcoder modules, as grimp sees them under *root*
    (in a subprocess: grimp finds the package by importing its name)."""
    result = subprocess.run([sys.executable, "-c", _GRAPH_SCRIPT, str(root), PACKAGE],
                            cwd=root, env=_env(root), capture_output=True, text=True, check=False)
    if result.returncode:
        raise RuntimeError(f"grimp failed on {root}: {result.stderr.strip()}")
    return json.loads(result.stdout)


def strongly_connected(graph: Mapping[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components (iterative), each sorted, in sorted order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        work = [(start, iter(sorted(graph.get(start, ()))))]
        while work:
            node, successors = work[-1]
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(graph.get(succ, ())))))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return sorted(components)


def _shortest_path(graph: Mapping[str, list[str]], inside: set[str], src: str,
                   dst: str) -> list[str]:
    previous: dict[str, str | None] = {src: None}
    queue = deque([src])
    while queue:
        node = queue.popleft()
        if node == dst:
            break
        for succ in sorted(graph.get(node, ())):
            if succ in inside and succ not in previous:
                previous[succ] = node
                queue.append(succ)
    path = [dst]
    while (step := previous[path[-1]]) is not None:
        path.append(step)
    return path[::-1]


def cycles(graph: Mapping[str, list[str]]) -> list[list[str]]:
    """Cycles ``[a, b, ..., a]`` that together use every import inside every strongly connected
    component of more than one module (the shortest cycle through each import not yet shown)."""
    found: list[list[str]] = []
    for component in strongly_connected(graph):
        if len(component) < 2:
            continue
        inside = set(component)
        covered: set[tuple[str, str]] = set()
        for a in component:
            for b in sorted(graph.get(a, ())):
                if b not in inside or b == a or (a, b) in covered:
                    continue
                cycle = [a] + _shortest_path(graph, inside, b, a)
                covered.update(zip(cycle, cycle[1:], strict=False))
                found.append(cycle)
    return found


def cycle_offences(root: Path) -> list[str]:
    return [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(import_graph(root))]
