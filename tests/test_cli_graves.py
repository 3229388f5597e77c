"""``phienhieu cemeteries import``, ``graves import`` and ``graves count`` as real processes:
their output and exit codes. Every name here is invented.

On SQLite only: each command is a process that takes seconds to start, and what the
commands call is tried on both databases by ``test_graves.py``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_runner import Cli


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "data", f"sqlite:///{tmp_path / 'cli.sqlite3'}")


def test_imports_report_rows_and_exit_codes_and_the_count_adds_up(cli: Cli, tmp_path: Path) -> None:
    cemeteries = tmp_path / "nghia-trang.csv"
    cemeteries.write_text("Mã,Tên nghĩa trang,Cấp,Tỉnh\nnt-thu,Nghĩa trang liệt sĩ Thử,Cấp huyện,Quảng Trị\n",
                          encoding="utf-8")
    done = cli("cemeteries", "import", str(cemeteries))
    assert done.returncode == 0, done.stderr
    assert "1 cemeteries created" in done.stdout

    graves = tmp_path / "mo.csv"
    graves.write_text("Mã mộ,Nghĩa trang,Vị trí,Họ và tên,Tình trạng\n"
                      "g-1,nt-thu,\"lô 1, hàng 2, mộ số 3\",Lê Văn Thử,có tên\n"
                      "g-2,nt-thu,\"lô 1, hàng 2, mộ số 3\",,vô danh\n"
                      "g-3,nt-thu,\"lô 1, hàng 2, mộ số 4\",,vô danh\n", encoding="utf-8")
    done = cli("graves", "import", str(graves), "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert (report["created"], [problem["row"] for problem in report["refused"]]) == (2, [2])
    assert "row 2: the position lô 1, hàng 2, mộ số 3" in done.stderr

    done = cli("graves", "count", "--province", "quang tri", "--json")
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout)
    assert counts["cemeteries"][0]["counts"] == {"named": 1, "unidentified": 1, "partial": 0,
                                                 "named_no_remains": 0, "total": 2}
    assert counts["provinces"][0]["province"] == "Quảng Trị"
