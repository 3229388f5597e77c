"""The house rules that code review alone would let slip."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from api.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("decoder", "archive", "ocr", "search", "extracts", "api")
#: What each package may import from the project (imports flow one way).
ALLOWED = {"decoder": {"decoder"}, "ocr": {"ocr", "decoder"}, "search": {"search", "decoder"},
           "archive": {"archive", "ocr", "search", "decoder"}, "extracts": {"extracts", "decoder"},
           "api": {"api", "archive", "ocr", "search", "extracts", "decoder"}}
#: Only the API speaks HTTP.
HTTP_FRAMEWORKS = {"fastapi", "starlette", "uvicorn", "httpx"}
#: Third-party packages the pure domain may use: validation and text repair, no I/O.
DECODER_THIRD_PARTY = {"pydantic", "ftfy"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_flow_one_way(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        project = imports_of(path) & set(PACKAGES)
        assert project <= ALLOWED[package], f"{path.relative_to(ROOT)} imports {project}"


@pytest.mark.parametrize("package", [p for p in PACKAGES if p != "api"])
def test_only_the_api_speaks_http(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        assert not imports_of(path) & HTTP_FRAMEWORKS, f"{path.relative_to(ROOT)} imports HTTP"


def test_decoder_uses_no_io_or_framework() -> None:
    stdlib = set(sys.stdlib_module_names)
    forbidden_stdlib = {"os", "io", "pathlib", "socket", "subprocess", "sqlite3", "shutil",
                        "tempfile", "urllib", "http", "logging"}
    for path in (ROOT / "decoder").rglob("*.py"):
        names = imports_of(path) - {"decoder", "__future__"}
        third_party = {n for n in names if n not in stdlib}
        assert third_party <= DECODER_THIRD_PARTY, f"{path.name} imports {third_party}"
        assert not names & forbidden_stdlib, f"{path.name} imports {names & forbidden_stdlib}"
        source = path.read_text(encoding="utf-8")
        assert "open(" not in source, path.name
        assert "environ" not in source, path.name


def test_every_module_has_a_docstring() -> None:
    for package in (*PACKAGES, "bench"):
        for path in (ROOT / package).rglob("*.py"):
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
    from pydantic import ValidationError

    monkeypatch.setenv("PHIENHIEU_OCR_WORKERS", "many")
    with pytest.raises(ValidationError):
        Settings()


def test_misspelt_settings_stop_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    monkeypatch.setenv("PHIENHIEU_DATABSE_URL", "sqlite://")
    with pytest.raises(ValidationError, match="PHIENHIEU_DATABSE_URL"):
        Settings()
