"""Decoding speed on a generated registry of 10,000 units and 50,000 codes.

Measures, on one core, the latency of parsing alone and of parsing plus resolving for
a mix of written forms (letter chains, word chains, mailbox codes, cover names), and
prints decodes per second with p50/p99 latencies. Goal: p99 under 1 ms per decode.
Then one text each of 1, 10, 100, 1,000 and 4,000 designations (``B5`` repeated, and
chains of four echelons apart), each echelon counting as one: the time must grow in
proportion (4,000 is past the bound one request accepts, raised here to measure it).

Run: ``.venv/bin/python -m bench.decode [--units 10000] [--codes 50000] [--texts 5000] [--json]``
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from decoder.decode import decode
from decoder.grammar import parse
from decoder.registry import Registry
from decoder.registry_schema import RegistryDocument

_LEVELS = [("corps", 20), ("division", 200), ("regiment", 1200), ("battalion", 3600)]
_WORDS = {"company": "Đại đội", "battalion": "Tiểu đoàn", "regiment": "Trung đoàn",
          "division": "Sư đoàn", "corps": "Quân đoàn"}
_LETTERS = {"company": "c", "battalion": "d", "regiment": "e", "division": "f"}


def generate_registry(units: int, codes: int, seed: int = 7) -> dict[str, Any]:
    """A registry document: a corps > division > regiment > battalion > company tree,
    mailbox codes reused across periods, and a share of cover names."""
    rng = random.Random(seed)
    entries: list[dict[str, Any]] = []
    by_level: dict[str, list[str]] = {}
    counts = dict(_LEVELS)
    counts["company"] = max(0, units - sum(counts.values()))
    parent_level = None
    for level in ["corps", "division", "regiment", "battalion", "company"]:
        ids = []
        for index in range(counts[level]):
            uid = f"{level[:3]}{index}"
            number = str(index % 400 + 1)
            parents: list[dict[str, str | None]] = []
            if parent_level:
                first = rng.choice(by_level[parent_level])
                second = rng.choice(by_level[parent_level])
                parents = [{"unit": first, "from": "1950", "to": "1965"},
                           {"unit": second, "from": "1966", "to": None}]
            entries.append({"id": uid, "level": level, "number": number,
                            "name": f"{_WORDS[level]} {number}", "parents": parents,
                            "codes": [], "events": [
                                {"title": f"Chiến dịch {index}", "from": "1968", "to": "1968-06",
                                 "place": "Quảng Trị", "lat": 16.75, "lon": 107.19}]})
            ids.append(uid)
        by_level[level] = ids
        parent_level = level
    _add_codes(entries, codes, rng)
    return {"units": entries}


def _add_codes(entries: list[dict[str, Any]], codes: int, rng: random.Random) -> None:
    # Each mailbox number is reused by up to five units in consecutive two-year periods.
    for index in range(codes):
        entry = entries[index % len(entries)]
        if index % 10 == 0:
            entry["codes"].append({"code": f"Mật danh {index}", "kind": "cover_name",
                                   "from": "1965", "to": "1975", "verified": True})
            continue
        number, period = 10000 + index // 5, index % 5
        start = 1960 + period * 3
        entry["codes"].append({"code": f"{number} {rng.choice(['HN', 'KV', 'TB', 'QT'])}",
                               "kind": "mailbox", "from": str(start), "to": str(start + 1),
                               "verified": rng.random() < 0.5})


def generate_texts(document: dict[str, Any], count: int, seed: int = 11) -> list[tuple[str, str]]:
    """Texts as clerks and families write them, each with a date."""
    rng = random.Random(seed)
    units = {u["id"]: u for u in document["units"]}
    companies = [u for u in document["units"] if u["level"] == "company"]
    mailboxes = [(c["code"], c["from"]) for u in document["units"] for c in u["codes"]
                 if c["kind"] == "mailbox"]
    texts = []
    for index in range(count):
        date = f"{rng.randint(1960, 1975)}-{rng.randint(1, 12):02d}"
        kind = index % 4
        if kind == 3:
            code, start = rng.choice(mailboxes)
            texts.append((f"Hòm thư {code}", start))
            continue
        chain = [rng.choice(companies)]
        while chain[-1]["parents"]:
            chain.append(units[chain[-1]["parents"][-1]["unit"]])
        if kind == 0:
            text = " ".join(f"{_LETTERS.get(u['level'], 'f')}{u['number']}" for u in chain[:4])
        elif kind == 1:
            text = ", ".join(u["name"] for u in chain[:4])
        else:
            text = (f"Đồng chí Nguyễn Văn A, sinh năm 1950, quê quán xã Yên Phong, hy sinh "
                    f"ngày 15/7/1972, đơn vị {chain[0]['name']} thuộc "
                    f"{_LETTERS['battalion']}{chain[1]['number']}.")
        texts.append((text, date))
    return texts


def measure(call: Callable[[], object], runs: int = 1) -> list[float]:
    """Seconds per call, ``runs`` times."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        timings.append(time.perf_counter() - start)
    return timings


def summarise(name: str, timings: Sequence[float]) -> dict[str, float | str]:
    """Rate and percentiles of per-call timings."""
    ordered = sorted(timings)
    return {
        "case": name,
        "per_second": round(len(ordered) / sum(ordered), 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 4),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 4),
        "max_ms": round(ordered[-1] * 1000, 4),
    }


DESIGNATION_COUNTS = (1, 10, 100, 1_000, 4_000)


def scaling(registry: Registry) -> list[dict[str, Any]]:
    """Decode time (best of three) of texts naming more and more designations."""
    rows = []
    for count in DESIGNATION_COUNTS:
        texts = {"B5 repeated": "B5 " * count,
                 "chains apart": "Liệt sĩ c2 d5 e88 f308. " * (count // 4) or "e88"}
        row: dict[str, Any] = {"designations": count}
        for name, text in texts.items():
            call = partial(decode, text, None, registry, max_chars=len(text),
                           max_designations=count)
            row[name] = round(min(measure(call, runs=3)) * 1000, 2)
        rows.append(row)
    return rows


def run(units: int, codes: int, texts: int) -> dict[str, Any]:
    """Build the registry and time both cases over every generated text."""
    data = generate_registry(units, codes)
    started = time.perf_counter()
    document = RegistryDocument.model_validate(data)
    registry = Registry(document.units)
    build_seconds = time.perf_counter() - started
    cases = generate_texts(data, texts)
    names = registry.name_table
    for text, date in cases[:200]:  # warm caches before measuring
        decode(text, date, registry)
    parse_times = [measure(partial(parse, text, names))[0] for text, _ in cases]
    decode_times = [measure(partial(decode, text, date, registry))[0] for text, date in cases]
    found = sum(bool(decode(t, d, registry).candidates) for t, d in cases[:500])
    return {
        "units": len(registry), "codes": sum(len(u.codes) for u in document.units),
        "texts": len(cases), "registry_build_s": round(build_seconds, 2),
        "resolved_share_of_first_500": round(found / min(500, len(cases)), 3),
        "results": [summarise("parse only", parse_times),
                    summarise("parse + resolve", decode_times)],
        "scaling_ms": scaling(registry),
    }


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--codes", type=int, default=50_000)
    parser.add_argument("--texts", type=int, default=5_000)
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    report = run(args.units, args.codes, args.texts)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    print(f"registry: {report['units']:,} units, {report['codes']:,} codes "
          f"(built in {report['registry_build_s']} s); {report['texts']:,} texts")
    print(f"{'case':<18}{'decodes/s':>12}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for row in report["results"]:
        print(f"{row['case']:<18}{row['per_second']:>12,.0f}{row['p50_ms']:>10}"
              f"{row['p99_ms']:>10}{row['max_ms']:>10}")
    print(f"{'designations':<14}{'B5 repeated ms':>16}{'chains apart ms':>17}")
    for row in report["scaling_ms"]:
        print(f"{row['designations']:<14,}{row['B5 repeated']:>16}{row['chains apart']:>17}")


if __name__ == "__main__":
    main()
