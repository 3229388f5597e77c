"""The house rules that code review alone would let slip."""

from __future__ import annotations

import ast
import sys
from collections import deque
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from pydantic import ValidationError

from api.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
#: The layers, lowest first: decoder < places < leads, linkage, ocr, search, extracts < archive <
#: usecases < api.
PACKAGES = ("decoder", "places", "leads", "linkage", "ocr", "search", "extracts", "archive", "usecases",
            "api")
_LOW = {"ocr", "search", "extracts", "linkage", "leads", "places", "decoder"}
ALLOWED = {"decoder": {"decoder"}, "places": {"places", "decoder"},
           "leads": {"leads", "places", "decoder"},
           "linkage": {"linkage", "places", "decoder"},
           "ocr": {"ocr", "decoder"}, "search": {"search", "decoder"}, "extracts": {"extracts", "decoder"},
           "archive": {"archive", *_LOW},
           "usecases": {"usecases", "archive", *_LOW},
           "api": {"api", "usecases", "archive", *_LOW}}
#: Only the API speaks HTTP.
HTTP_FRAMEWORKS = {"fastapi", "starlette", "uvicorn", "httpx"}
#: Third-party packages the pure domain may use: validation and text repair, no I/O. Leads
#: are arithmetic over values: no third-party package at all.
PURE_THIRD_PARTY = {"decoder": {"pydantic", "ftfy"}, "leads": set[str]()}
#: The only modules a function may import: heavy (over a second to import) or native, and
#: needed on one path only. Everything else, every project module above all, is imported
#: at the top of the module, where a cycle or a missing dependency shows at once.
LAZY_IMPORTS = {
    "alembic": "needed only when the schema is behind; spares every command its import",
    "pypdfium2": "pdfium's native library, needed only when a PDF arrives",
    "weasyprint": "needed only to render an extract",
    "pyhanko": "needed only to sign an extract",
    "pyhanko_certvalidator": "needed only to verify an extract",
    "elasticsearch": "needed only with an Elasticsearch cluster configured",
    "opensearchpy": "needed only with an OpenSearch cluster configured",
    "openpyxl": "needed only when a spreadsheet is imported",
    "uvicorn": "the server: needed only by phienhieu serve",
    "pyspark": "Spark and its Java: needed only by the linkage's Spark engine",
    "splink": "each backend of Splink brings its engine; only the one asked for is imported",
    "ftfy": "its width tables take a fifth of a second to load: needed only by text that looks misread",
}
#: A command of the command line imports what it runs when it runs: `phienhieu --help`
#: and the commands that need no database start without the database, OCR, extract and
#: web stacks (2.0 s rather than 10 s, measured on a loaded machine). Nowhere else.
CLI_COMMANDS = "api/cli*.py"
#: Longest module in api/: a route module or a page module that grows past it holds logic
#: that belongs in a use case.
API_MODULE_MAX_LINES = 400
#: Longest function, counted from its def to its last line.
FUNCTION_MAX_LINES = 50
#: A migration is a frozen record of the schema at one revision: it is never refactored.
FROZEN = ROOT / "archive" / "migrations"


def python_files(*packages: str) -> list[Path]:
    """Every module of the packages; a package not there yet has none."""
    return sorted(path for package in packages for path in (ROOT / package).rglob("*.py"))


@cache
def parsed(path: Path) -> ast.Module:
    """The module's syntax tree, parsed once per run."""
    return ast.parse(path.read_text(encoding="utf-8"))


def module_name(path: Path) -> str:
    """``archive/models.py`` -> ``archive.models``; a package is named by its folder."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The top-level names of the absolute imports anywhere in the module."""
    names: set[str] = set()
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def imported_names(node: ast.Import | ast.ImportFrom, path: Path) -> list[str]:
    """The dotted names an import statement loads, relative ones made absolute; for
    ``from a import b`` both ``a.b`` (in case it is a module) and ``a``."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module_name(path).split(".")
        package = package if path.name == "__init__.py" else package[:-1]
        base = ".".join([*package[:len(package) - node.level + 1], *([base] if base else [])])
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def project_edges(path: Path, modules: set[str]) -> set[str]:
    """The project modules this one imports, anywhere in it (functions and
    ``if TYPE_CHECKING:`` included), with the packages an import runs on the way,
    except this module's own."""
    me = module_name(path)
    own = {".".join(me.split(".")[:i]) for i in range(1, me.count(".") + 1)}
    found: set[str] = set()
    for node in ast.walk(parsed(path)):
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        for name in imported_names(node, path):
            parts = name.split(".")
            found |= {".".join(parts[:i]) for i in range(1, len(parts) + 1)} & modules
    return found - own - {me}


@cache
def import_graph(packages: tuple[str, ...] = PACKAGES) -> dict[str, set[str]]:
    """Each module of the packages, with the modules of the packages it imports."""
    files = {module_name(path): path for path in python_files(*packages)}
    return {name: project_edges(path, set(files)) for name, path in files.items()}


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's groups of modules that reach each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            group = {stack.pop()}
            while node not in group:
                group.add(stack.pop())
            groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def shortest_cycle(group: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest way round a group, from its first module back to it."""
    start = min(group)
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for successor in sorted(graph[node] & group):
            if successor == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if successor not in previous:
                previous[successor] = node
                queue.append(successor)
    raise AssertionError(f"{group} is not a cycle")


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_flow_one_way(package: str) -> None:
    wrong = []
    for name, imported in import_graph().items():
        outside = {module.split(".")[0] for module in imported} - ALLOWED[package]
        if name.split(".")[0] == package and outside:
            wrong.append(f"{name} imports {sorted(outside)}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("package", [p for p in PACKAGES if p != "api"])
def test_only_the_api_speaks_http(package: str) -> None:
    for path in python_files(package):
        assert not imports_of(path) & HTTP_FRAMEWORKS, f"{path.relative_to(ROOT)} imports HTTP"


def test_no_import_cycles() -> None:
    graph = import_graph()
    knots = [group for group in strongly_connected(graph) if len(group) > 1]
    report = [" -> ".join(shortest_cycle(group, graph)) + f"  (the knot holds {sorted(group)})"
              for group in knots]
    assert not report, "import cycles (imports in functions and under TYPE_CHECKING count):\n" + \
        "\n".join(report)


def functions_in(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Every function and method, nested ones included."""
    return (node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)))


def imports_in_functions(path: Path) -> set[ast.Import | ast.ImportFrom]:
    """The import statements made when a function runs rather than when the module loads."""
    return {node for function in functions_in(parsed(path)) for node in ast.walk(function)
            if isinstance(node, (ast.Import, ast.ImportFrom))}


def may_import_late(node: ast.Import | ast.ImportFrom) -> bool:
    """Whether a function may make this import: only of the heavy optional modules."""
    if isinstance(node, ast.Import):
        return {alias.name.split(".")[0] for alias in node.names} <= set(LAZY_IMPORTS)
    return node.level == 0 and (node.module or "").split(".")[0] in LAZY_IMPORTS


def test_functions_import_only_heavy_optional_modules() -> None:
    late = sorted((path.relative_to(ROOT), node.lineno, ast.unparse(node))
                  for path in python_files(*PACKAGES) for node in imports_in_functions(path)
                  if not may_import_late(node) and not path.relative_to(ROOT).match(CLI_COMMANDS))
    assert not late, "imported in a function, not at the top of the module:\n" + "\n".join(
        f"{path}:{line} {statement}" for path, line, statement in late)


def test_api_modules_stay_small() -> None:
    for path in python_files("api"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= API_MODULE_MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines"


def test_functions_stay_short() -> None:
    long = []
    for path in python_files(*PACKAGES, "tests"):
        if path.is_relative_to(FROZEN):
            continue
        for function in functions_in(parsed(path)):
            lines = (function.end_lineno or function.lineno) - function.lineno + 1
            if lines > FUNCTION_MAX_LINES:
                long.append(f"{path.relative_to(ROOT)}:{function.lineno} {function.name}() has {lines} lines")
    assert not long, "\n".join(long)


def test_tests_use_no_private_names_of_other_modules() -> None:
    project = {*PACKAGES, "bench", "tests"}
    private = []
    for path in python_files("tests"):
        modules: set[str] = set()
        for node in ast.walk(parsed(path)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in project:
                private += [f"{path.name}:{node.lineno} imports {node.module}.{alias.name}"
                            for alias in node.names if is_private(alias.name)]
                modules |= {alias.asname or alias.name for alias in node.names}
            elif isinstance(node, ast.Import):
                modules |= {alias.asname or alias.name.split(".")[0] for alias in node.names
                            if alias.name.split(".")[0] in project}
        private += [f"{path.name}:{node.lineno} uses {ast.unparse(node)}" for node in ast.walk(parsed(path))
                    if isinstance(node, ast.Attribute) and is_private(node.attr)
                    and isinstance(node.value, ast.Name) and node.value.id in modules]
    assert not private, "\n".join(private)


def is_private(name: str) -> bool:
    """``_name`` is private to its module; ``__name__`` and the like are not."""
    return name.startswith("_") and not name.startswith("__")


def is_browser_test(path: Path) -> bool:
    """A test module marked ``browser`` as a whole."""
    return any(isinstance(node, ast.Assign) and "pytestmark" in map(ast.unparse, node.targets)
               and "mark.browser" in ast.unparse(node.value) for node in parsed(path).body)


def test_only_browser_tests_import_playwright() -> None:
    graph = import_graph(("tests",))
    files = {module_name(path): path for path in python_files("tests")}
    with_playwright = {name for name, path in files.items() if "playwright" in imports_of(path)}
    grew = True
    while grew:  # whatever imports a module that brings Playwright brings it too
        more = {name for name, imported in graph.items() if imported & with_playwright}
        grew = not more <= with_playwright
        with_playwright |= more
    allowed = {"tests.browser"} | {name for name, path in files.items() if is_browser_test(path)}
    assert with_playwright <= allowed, f"no browser tests, yet import Playwright: {with_playwright - allowed}"


@pytest.mark.parametrize("package", sorted(PURE_THIRD_PARTY))
def test_pure_packages_use_no_io_or_framework(package: str) -> None:
    stdlib = set(sys.stdlib_module_names)
    forbidden_stdlib = {"os", "io", "pathlib", "socket", "subprocess", "sqlite3", "shutil",
                        "tempfile", "urllib", "http", "logging"}
    for path in python_files(package):
        names = imports_of(path) - set(PACKAGES) - {"__future__"}
        third_party = {n for n in names if n not in stdlib}
        assert third_party <= PURE_THIRD_PARTY[package], f"{path.name} imports {third_party}"
        assert not names & forbidden_stdlib, f"{path.name} imports {names & forbidden_stdlib}"
        source = path.read_text(encoding="utf-8")
        assert "open(" not in source, path.name
        assert "environ" not in source, path.name


def test_every_module_has_a_docstring() -> None:
    for package in (*PACKAGES, "bench"):
        for path in python_files(package):
            if path.name == "__init__.py" and not path.read_text(encoding="utf-8").strip():
                continue
            if "migrations" in path.parts:
                continue
            assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), path


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`PHIENHIEU_{name.upper()}`" in readme, f"PHIENHIEU_{name.upper()} is undocumented"


def test_unknown_or_wrong_settings_stop_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHIENHIEU_OCR_WORKERS", "many")
    with pytest.raises(ValidationError):
        Settings()


def test_misspelt_settings_stop_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHIENHIEU_DATABSE_URL", "sqlite://")
    with pytest.raises(ValidationError, match="PHIENHIEU_DATABSE_URL"):
        Settings()
