"""Time to compose, render (PDF/A) and sign (PAdES) one certified extract, and to verify it.

Compose decodes the person's unit against the demo registry; render is WeasyPrint; sign
is pyHanko with the office's ECDSA key; verify checks the signature as ``POST /verify``
does. The goal is under one second for compose + render + sign.

Run: ``.venv/bin/python -m bench.extract [--runs 30] [--json]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from decoder.registry import Registry
from decoder.registry_json import parse_registry_json
from extracts.compose import compose
from extracts.keys import office_key
from extracts.model import Office, SourcePage
from extracts.render import render_pdf
from extracts.sign import sign_pdf
from extracts.verify import check_pdf

PERSON = {"id": "hn-1972-0042", "full_name": "Nguyễn Văn Thành", "birth_year": 1950,
          "hometown": "xã Quỳnh Lưu, tỉnh Nghệ An", "rank": "Hạ sĩ", "position": "Chiến sĩ",
          "unit_text": "c2 d5 e88 f308", "death_date": "1972-07-15", "death_place": "Quảng Trị",
          "burial_place": "Nghĩa trang Liệt sĩ Quốc gia Trường Sơn", "grave": "Khu B, hàng 4, mộ 12"}
SOURCES = [SourcePage(scan_id=1, page=1, filename="giấy báo tử.png", sha256="ab" * 32, field="full_name")]


def measure(runs: int) -> dict[str, float]:
    """Median and 90th-percentile milliseconds of each step over ``runs`` extracts."""
    raw = resources.files("archive").joinpath("demo", "registry.json").read_bytes()
    registry = Registry(parse_registry_json(raw).units)
    office = Office(name="Phòng Chính sách người có công", place="Hà Nội", verify_url="http://127.0.0.1:8000/verify")
    steps: dict[str, list[float]] = {"compose": [], "render": [], "sign": [], "total": [], "verify": []}
    with tempfile.TemporaryDirectory() as folder:
        key = office_key(Path(folder), office.name)
        render_pdf(compose(PERSON, registry, SOURCES, serial="TL-WARM-UP", issued_at=datetime.now(UTC),
                           office=office))  # fonts and templates load once per process
        for run in range(runs):
            started = time.perf_counter()
            content = compose(PERSON, registry, SOURCES, serial=f"TL-2026-{run:08d}",
                              issued_at=datetime.now(UTC), office=office)
            composed = time.perf_counter()
            pdf = render_pdf(content)
            rendered = time.perf_counter()
            signed = sign_pdf(pdf, key, reason="bench", location="Hà Nội")
            finished = time.perf_counter()
            check = check_pdf(signed, key.trusted_certificates())
            verified = time.perf_counter()
            if not (check.intact and check.trusted):
                raise RuntimeError(f"a freshly signed extract does not verify: {check.problem}")
            for name, seconds in (("compose", composed - started), ("render", rendered - composed),
                                  ("sign", finished - rendered), ("total", finished - started),
                                  ("verify", verified - finished)):
                steps[name].append(seconds * 1000)
    figures = {}
    for name, values in steps.items():
        values.sort()
        figures[f"{name}_p50_ms"] = round(statistics.median(values), 1)
        figures[f"{name}_p90_ms"] = round(values[int(0.9 * (len(values) - 1))], 1)
    figures["pdf_kb"] = round(len(signed) / 1024, 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args()
    figures = measure(arguments.runs)
    if arguments.json:
        print(json.dumps(figures))
        return
    for step in ("compose", "render", "sign", "total", "verify"):
        print(f"{step:8} p50 {figures[f'{step}_p50_ms']:7.1f} ms   p90 {figures[f'{step}_p90_ms']:7.1f} ms")
    print(f"signed PDF: {figures['pdf_kb']} KB")


if __name__ == "__main__":
    main()
