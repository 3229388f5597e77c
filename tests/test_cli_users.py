"""``phienhieu user add``: staff accounts from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_runner import Cli


def test_user_add(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "data", f"sqlite:///{tmp_path / 'users.sqlite3'}")
    password = "a long enough password\n"
    created = cli("user", "add", "lan.nguyen", "--role", "officer", "--json", stdin=password)
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["role"] == "officer"
    again = cli("user", "add", "lan.nguyen", "--role", "admin", stdin="another long password\n")
    assert again.returncode == 5
    assert "exists already" in again.stderr
    short = cli("user", "add", "minh", "--role", "archivist", stdin="short\n")
    assert short.returncode == 3
    assert "at least 10" in short.stderr
    wrong = cli("user", "add", "minh", "--role", "general", stdin="a long enough password\n")
    assert wrong.returncode == 3
    hostile = cli("user", "add", "../../etc", "--role", "officer", stdin="a long enough password\n")
    assert hostile.returncode == 3
    audit = json.loads(cli("audit", "verify", "--json").stdout)
    assert audit["intact"]
    assert audit["entries"] == 1
