"""A generated world for record linkage: martyrs written down in several lists, with the truth.

One martyr (liệt sĩ) is written in many lists — a unit roster, a death notice, a provincial
list, a cemetery register — spelt differently in each, and namesakes abound. This module
generates ``persons`` true persons and ``lists`` lists that each hold a random 55–80 % of
them, in shuffled order, one row per person, written the ways such lists write, with a
truth file mapping each row to its person, so that linkage precision and recall can be
measured. **Every name, place, unit and date here is invented**; the old province names
(Hà Bắc, Nghệ Tĩnh, Hải Hưng, Hà Nam Ninh, Bình Trị Thiên) and which provinces they
merged are public facts.

Persons (ids ``p00001``…): family, middle and given name (``bench.people.full_name``),
birth year 1930–1958, hometown (commune, district, province on an invented map built
from ``bench.graves`` lists), unit at death (company, battalion, regiment, division:
``c3 d2 e7 f950``, invented numbers), death date (a real day, 1965–1979, at 17 or older)
and death place (district, province). On purpose, 11 % of persons are a *namesake* of an
earlier one (same full name and province, birth year ±1) and 5 % a *brother* (same family
name and hometown, another given name), so that about a fifth of persons share full name,
birth year ±1 and province with someone else (:func:`namesake_share`).

Formats: list 1 (``list-a.csv``) CSV in UTF-8 with the headers ``Họ và tên, Năm sinh,
Nguyên quán, Đơn vị, Ngày hy sinh, Nơi hy sinh``; list 2 (``list-b.jsonl``) JSON Lines
with the keys ``name, birth_year, hometown, unit_text, death_date, death_place`` (a
missing value is left out; ``death_date`` as written, free text too); list 3
(``list-c.csv``) CSV in TCVN3 bytes (headers too) with the headers ``HỌ TÊN, NĂM SINH, QUÊ
QUÁN, ĐƠN VỊ, NGÀY HI SINH, NƠI HI SINH``; further lists take these formats in turn. Rows
are numbered from 1 (the first data row); the truth file ``truth.json`` maps
``"{source}:{row}"`` (source ``list-a``, ``list-b``…) to the person's id.

Noise, per row, with these rates (list a: a unit roster / b: death notices / c: a
provincial list / d: a cemetery register; lists from the fifth take a–d again):

=====================================================  =====  =====  =====  =====
noise                                                      a      b      c      d
=====================================================  =====  =====  =====  =====
diacritics dropped (the whole row)                       3 %    2 %   12 %    8 %
name in capitals                                         5 %    2 %   30 %   10 %
one typo in the name (swap, drop, OCR look-alike,
ư/u ơ/o đ/d)                                             4 %    6 %   10 %   12 %
middle name dropped ("Nguyễn Thắng")                     3 %   12 %    5 %    8 %
birth year ±1                                            4 %    6 %    8 %   10 %
birth year missing                                       3 %   12 %    6 %   20 %
old province name (when the province had one)           60 %   45 %   25 %   10 %
hometown only district + province                       10 %   20 %   15 %   30 %
hometown written "Yên Phong - Hà Bắc"                    5 %   10 %   25 %   10 %
death place missing                                      5 %   15 %   20 %   30 %
death place only the province                           15 %   30 %   35 %   30 %
=====================================================  =====  =====  =====  =====

Units are written ``c3 d2 e7 f950`` / ``C3D2E7F950`` / ``Đại đội 3, Tiểu đoàn 2, Trung đoàn
7, Sư đoàn 950`` / ``c3/d2/e7`` / ``e7 f950`` / missing with the weights in
``PROFILES[i].unit_styles`` (missing: 2 / 10 / 10 / 20 %); death dates ``15/4/1974`` /
``04/74`` / ``tháng 4/1974`` / ``15-4-74`` / ``1974`` / ``ngày 15 tháng 4 năm 1974`` /
missing with ``PROFILES[i].date_styles`` (missing 5 / 5 / 10 / 10 %).

The baseline (:func:`baseline_clusters`) links entries with the same folded full name and
birth years within one year. Everything is the same for the same seed; rows are streamed
to disk (300,000 persons in 4 lists is about 1.2 million rows).

Run: ``.venv/bin/python -m bench.linkage_world [--persons 3000] [--lists 3] [--seed 7]
[--out DIR] [--json]`` — writes the world and prints the baseline's scores.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import random
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import IO, Any, NamedTuple

from bench.graves import COMMUNES, DISTRICTS, PROVINCES
from bench.people import CONFUSIONS, full_name
from decoder.legacy import encode_legacy
from decoder.normalize import normalize
from decoder.text import fold_key

#: Provinces the bench lists lack, so that each old name below has its members.
EXTRA_PROVINCES = ("Bắc Ninh", "Bắc Giang", "Hưng Yên", "Hà Nam")
HOMETOWN_PROVINCES = (*PROVINCES, *EXTRA_PROVINCES)
#: Provinces merged for a time, and the name they were known by (public facts).
OLD_PROVINCES = {"Bắc Ninh": "Hà Bắc", "Bắc Giang": "Hà Bắc", "Nghệ An": "Nghệ Tĩnh", "Hà Tĩnh": "Nghệ Tĩnh",
                 "Hải Dương": "Hải Hưng", "Hưng Yên": "Hải Hưng", "Hà Nam": "Hà Nam Ninh",
                 "Nam Định": "Hà Nam Ninh", "Ninh Bình": "Hà Nam Ninh", "Quảng Bình": "Bình Trị Thiên",
                 "Quảng Trị": "Bình Trị Thiên", "Thừa Thiên Huế": "Bình Trị Thiên"}
FORMATS = ("csv", "jsonl", "tcvn3")
CSV_HEADERS = ("Họ và tên", "Năm sinh", "Nguyên quán", "Đơn vị", "Ngày hy sinh", "Nơi hy sinh")
TCVN3_HEADERS = ("HỌ TÊN", "NĂM SINH", "QUÊ QUÁN", "ĐƠN VỊ", "NGÀY HI SINH", "NƠI HI SINH")
JSON_KEYS = ("name", "birth_year", "hometown", "unit_text", "death_date", "death_place")
NAMESAKE_RATE, BROTHER_RATE = 0.11, 0.05
LIST_SHARE = (0.55, 0.80)

Unit = tuple[int, int, int, int]  # company, battalion, regiment, division
UNIT_FORMS: dict[str, Callable[[Unit], str]] = {
    "spaced": lambda u: f"c{u[0]} d{u[1]} e{u[2]} f{u[3]}",
    "compact": lambda u: f"C{u[0]}D{u[1]}E{u[2]}F{u[3]}",
    "words": lambda u: f"Đại đội {u[0]}, Tiểu đoàn {u[1]}, Trung đoàn {u[2]}, Sư đoàn {u[3]}",
    "slashes": lambda u: f"c{u[0]}/d{u[1]}/e{u[2]}",
    "regiment": lambda u: f"e{u[2]} f{u[3]}",
    "missing": lambda u: "",
}
DATE_FORMS: dict[str, Callable[[date], str]] = {
    "dmy": lambda d: f"{d.day}/{d.month}/{d.year}",
    "month_year": lambda d: f"{d.month:02d}/{d.year % 100:02d}",
    "month_words": lambda d: f"tháng {d.month}/{d.year}",
    "dashed": lambda d: f"{d.day}-{d.month}-{d.year % 100:02d}",
    "year": lambda d: str(d.year),
    "words": lambda d: f"ngày {d.day} tháng {d.month} năm {d.year}",
    "missing": lambda d: "",
}


@dataclass(frozen=True)
class Noise:
    """How one list damages what it writes: each a probability per row (styles: weights)."""

    no_marks: float
    upper: float
    typo: float
    drop_middle: float
    year_shift: float
    year_missing: float
    old_province: float
    short_hometown: float
    dash_hometown: float
    prefixes: float  # "xã …, huyện …, tỉnh …" rather than bare names
    place_missing: float
    place_province_only: float
    unit_styles: tuple[float, ...]  # in UNIT_FORMS order
    date_styles: tuple[float, ...]  # in DATE_FORMS order


PROFILES = (
    Noise(0.03, 0.05, 0.04, 0.03, 0.04, 0.03, 0.60, 0.10, 0.05, 0.7, 0.05, 0.15,
          (0.55, 0.15, 0.15, 0.10, 0.03, 0.02), (0.60, 0.10, 0.05, 0.15, 0.05, 0.0, 0.05)),
    Noise(0.02, 0.02, 0.06, 0.12, 0.06, 0.12, 0.45, 0.20, 0.10, 0.8, 0.15, 0.30,
          (0.20, 0.05, 0.45, 0.10, 0.10, 0.10), (0.20, 0.10, 0.20, 0.05, 0.05, 0.35, 0.05)),
    Noise(0.12, 0.30, 0.10, 0.05, 0.08, 0.06, 0.25, 0.15, 0.25, 0.3, 0.20, 0.35,
          (0.30, 0.25, 0.10, 0.15, 0.10, 0.10), (0.35, 0.20, 0.05, 0.15, 0.15, 0.0, 0.10)),
    Noise(0.08, 0.10, 0.12, 0.08, 0.10, 0.20, 0.10, 0.30, 0.10, 0.5, 0.30, 0.30,
          (0.30, 0.05, 0.15, 0.10, 0.20, 0.20), (0.50, 0.10, 0.05, 0.05, 0.15, 0.05, 0.10)),
)


@dataclass(frozen=True, slots=True)
class Person:
    """One true person of the world."""

    pid: str
    family: str
    middle: str
    given: str
    birth_year: int
    commune: str
    district: str
    province: str
    unit: Unit
    died: date
    place_district: str
    place_province: str

    @property
    def full_name(self) -> str:
        return f"{self.family} {self.middle} {self.given}"


class Entry(NamedTuple):
    """One row of a list, as written."""

    name: str
    birth_year: int | None
    hometown: str
    unit_text: str
    death_date: str
    death_place: str


@dataclass(frozen=True)
class WorldFiles:
    """The files of a written world."""

    lists: list[Path]
    truth: Path
    persons: int
    entries: int


@dataclass(frozen=True)
class Scores:
    """Pairwise precision, recall and F1 of a clustering against the truth."""

    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int


# --- the persons --------------------------------------------------------------------------------


@cache
def geography() -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """The invented map: each province's three districts, each with four communes."""
    rng = random.Random("phienhieu linkage geography")
    return {province: tuple((district, tuple(rng.sample(COMMUNES, 4)))
                            for district in rng.sample(DISTRICTS, 3))
            for province in HOMETOWN_PROVINCES}


@cache
def divisions() -> dict[int, tuple[int, ...]]:
    """Invented divisions (300–999), each with three regiments of its own (1–299)."""
    rng = random.Random("phienhieu linkage units")
    numbers = rng.sample(range(300, 1000), 24)
    regiments = rng.sample(range(1, 300), 3 * len(numbers))
    return {number: tuple(regiments[3 * i:3 * i + 3]) for i, number in enumerate(numbers)}


@cache
def _division_numbers() -> tuple[int, ...]:
    return tuple(divisions())


def _unit(rng: random.Random) -> Unit:
    division = rng.choice(_division_numbers())
    return rng.randint(1, 20), rng.randint(1, 9), rng.choice(divisions()[division]), division


def _death(born: int, rng: random.Random) -> tuple[date, str, str]:
    year = rng.randint(max(1965, born + 17), 1979)
    died = date(year, 1, 1) + timedelta(days=rng.randrange(366 if year % 4 == 0 else 365))
    province = rng.choice(PROVINCES)
    return died, rng.choice(geography()[province])[0], province


def _hometown(rng: random.Random, province: str | None = None) -> tuple[str, str, str]:
    province = province or rng.choice(HOMETOWN_PROVINCES)
    district, communes = rng.choice(geography()[province])
    return rng.choice(communes), district, province


def _fresh(pid: str, rng: random.Random) -> Person:
    family, middle, given = full_name(rng).split(" ", 2)
    born = rng.randint(1930, 1958)
    return Person(pid, family, middle, given, born, *_hometown(rng), _unit(rng), *_death(born, rng))


def _namesake(pid: str, base: Person, rng: random.Random) -> Person:
    """Same full name and province, birth year ±1, another life."""
    born = min(1958, max(1930, base.birth_year + rng.choice((-1, 0, 1))))
    commune, district, province = _hometown(rng, base.province)
    return Person(pid, base.family, base.middle, base.given, born, commune, district, province, _unit(rng),
                  *_death(born, rng))


def _brother(pid: str, base: Person, rng: random.Random) -> Person:
    """Same family name and hometown, another given name, born a few years apart."""
    _, middle, given = full_name(rng).split(" ", 2)
    while given == base.given:
        given = full_name(rng).split(" ", 2)[2]
    middle = base.middle if rng.random() < 0.7 else middle
    born = min(1958, max(1930, base.birth_year + rng.choice((-1, 1)) * rng.randint(1, 8)))
    unit = base.unit if rng.random() < 0.15 else _unit(rng)
    return Person(pid, base.family, middle, given, born, base.commune, base.district, base.province, unit,
                  *_death(born, rng))


def make_persons(count: int, seed: int = 7) -> list[Person]:
    """The world's ``count`` true persons, the same for the same seed."""
    rng = random.Random(seed)
    persons: list[Person] = []
    for index in range(count):
        pid = f"p{index + 1:05d}"
        roll = rng.random()
        if persons and roll < NAMESAKE_RATE:
            persons.append(_namesake(pid, persons[rng.randrange(len(persons))], rng))
        elif persons and roll < NAMESAKE_RATE + BROTHER_RATE:
            persons.append(_brother(pid, persons[rng.randrange(len(persons))], rng))
        else:
            persons.append(_fresh(pid, rng))
    return persons


def namesake_share(persons: Iterable[Person]) -> float:
    """The share of persons who share full name, birth year ±1 and province with another."""
    groups: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
    for person in persons:
        groups[(person.full_name, person.province)].append(person.birth_year)
    total = shared = 0
    for years in groups.values():
        total += len(years)
        if len(years) > 1:
            counts = Counter(years)
            shared += sum(counts[y] > 1 or counts[y - 1] > 0 or counts[y + 1] > 0 for y in years)
    return shared / total if total else 0.0


# --- the noise ----------------------------------------------------------------------------------


class _Unmarked(dict[int, str]):
    """A translation table that drops diacritics and keeps case (``Đ -> D``)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        base = unicodedata.normalize("NFD", char)
        plain = base[0] if all(unicodedata.combining(c) for c in base[1:]) else char
        plain = {"đ": "d", "Đ": "D"}.get(plain, plain)
        self[code] = plain
        return plain


_UNMARKED = _Unmarked()


def unmark(text: str) -> str:
    """``text`` without diacritics, as typed without a Vietnamese keyboard."""
    return text.translate(_UNMARKED)


def _mark_lost(char: str) -> str | None:
    """``ư -> u``, ``ờ -> ò``, ``đ -> d``: the letter with its horn or bar lost, or None."""
    if char in "đĐ":
        return "d" if char == "đ" else "D"
    parts = unicodedata.normalize("NFD", char)
    return unicodedata.normalize("NFC", parts.replace("\u031b", "")) if "\u031b" in parts else None


def _edit(chars: list[str], kind: str, rng: random.Random) -> str | None:
    """One edit of ``kind`` at a random place it can be made (not a word's first letter,
    but for a lost mark), or None when there is none."""
    inner = [i for i in range(1, len(chars)) if chars[i].isalpha() and chars[i - 1].isalpha()]
    if kind == "mark":
        places = [i for i, char in enumerate(chars) if _mark_lost(char)]
    elif kind == "swap":
        places = [i for i in inner
                  if i + 1 < len(chars) and chars[i + 1].isalpha() and chars[i] != chars[i + 1]]
    elif kind == "replace":
        places = [i for i in inner if chars[i].lower() in CONFUSIONS]
    else:
        places = inner
    if not places:
        return None
    i = rng.choice(places)
    if kind == "mark":
        chars[i] = _mark_lost(chars[i]) or chars[i]
    elif kind == "swap":
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    elif kind == "replace":
        new = CONFUSIONS[chars[i].lower()]
        chars[i] = new.upper() if chars[i].isupper() else new
    else:
        del chars[i]
    return "".join(chars)


def typo(name: str, rng: random.Random) -> str:
    """``name`` with one OCR- or typist-like error: letters swapped, one dropped, one read as
    its look-alike, or a lost horn or bar (ư/u, ơ/o, đ/d)."""
    kinds = ["mark", "swap", "drop", "replace"]
    rng.shuffle(kinds)
    for kind in kinds:
        edited = _edit(list(name), kind, rng)
        if edited is not None:
            return edited
    return name


def _name_text(person: Person, noise: Noise, rng: random.Random) -> str:
    middle = "" if rng.random() < noise.drop_middle else f" {person.middle}"
    name = f"{person.family}{middle} {person.given}"
    if rng.random() < noise.typo:
        name = typo(name, rng)
    return name.upper() if rng.random() < noise.upper else name


def _hometown_text(person: Person, noise: Noise, rng: random.Random) -> str:
    province = person.province
    if province in OLD_PROVINCES and rng.random() < noise.old_province:
        province = OLD_PROVINCES[province]
    roll = rng.random()
    if roll < noise.dash_hometown:
        return f"{person.district} - {province}"
    parts = [("huyện ", person.district), ("tỉnh ", province)]
    if roll >= noise.dash_hometown + noise.short_hometown:
        parts.insert(0, ("xã ", person.commune))
    prefixed = rng.random() < noise.prefixes
    return ", ".join(f"{prefix}{name}" if prefixed else name for prefix, name in parts)


def _place_text(person: Person, noise: Noise, rng: random.Random) -> str:
    roll = rng.random()
    if roll < noise.place_missing:
        return ""
    if roll < noise.place_missing + noise.place_province_only:
        return person.place_province
    return f"{person.place_district}, {person.place_province}"


def render(person: Person, noise: Noise, rng: random.Random) -> Entry:
    """How one list writes ``person``."""
    name = _name_text(person, noise, rng)
    year: int | None = person.birth_year
    roll = rng.random()
    if roll < noise.year_missing:
        year = None
    elif roll < noise.year_missing + noise.year_shift:
        year = person.birth_year + rng.choice((-1, 1))
    unit = UNIT_FORMS[rng.choices(list(UNIT_FORMS), noise.unit_styles)[0]](person.unit)
    died = DATE_FORMS[rng.choices(list(DATE_FORMS), noise.date_styles)[0]](person.died)
    entry = Entry(name, year, _hometown_text(person, noise, rng), unit, died, _place_text(person, noise, rng))
    if rng.random() < noise.no_marks:
        entry = Entry(unmark(entry.name), year, unmark(entry.hometown), unmark(entry.unit_text),
                      unmark(entry.death_date), unmark(entry.death_place))
    return entry


# --- writing ------------------------------------------------------------------------------------


def list_source(index: int) -> str:
    """The source name of the list at ``index`` (0-based): ``list-a``, ``list-b``…"""
    return f"list-{chr(ord('a') + index)}"


def list_format(source: str) -> str:
    """``csv``, ``jsonl`` or ``tcvn3`` (CSV in TCVN3 bytes) for a source name."""
    return FORMATS[(ord(source[-1]) - ord("a")) % len(FORMATS)]


@lru_cache(maxsize=1 << 16)
def tcvn3_cell(text: str) -> str:
    """``text`` in TCVN3 bytes, held as Latin-1 text (one character a byte) for the CSV writer."""
    return encode_legacy(text, "tcvn3").decode("latin-1")


def _cells(entry: Entry) -> list[str]:
    year = "" if entry.birth_year is None else str(entry.birth_year)
    return [entry.name, year, entry.hometown, entry.unit_text, entry.death_date, entry.death_place]


def _row_writer(kind: str, out: IO[str]) -> Callable[[Entry], None]:
    """Writes the header now, and returns what writes a row."""
    if kind == "jsonl":
        def write_json(entry: Entry) -> None:
            values = {key: value for key, value in zip(JSON_KEYS, entry, strict=True)
                      if value not in ("", None)}
            out.write(json.dumps(values, ensure_ascii=False) + "\n")
        return write_json
    writer = csv.writer(out)
    if kind == "tcvn3":
        writer.writerow([tcvn3_cell(header) for header in TCVN3_HEADERS])
        return lambda entry: writer.writerow([tcvn3_cell(cell) for cell in _cells(entry)])
    writer.writerow(CSV_HEADERS)
    return lambda entry: writer.writerow(_cells(entry))


class _TruthWriter:
    """Writes the truth file's JSON object one entry at a time."""

    def __init__(self, out: IO[str]) -> None:
        self.out, self.count = out, 0
        out.write("{")

    def add(self, key: str, pid: str) -> None:
        self.out.write(f'{"," if self.count else ""}\n{json.dumps(key)}: {json.dumps(pid)}')
        self.count += 1

    def close(self) -> None:
        self.out.write("\n}\n")


def _write_list(folder: Path, index: int, persons: Sequence[Person], seed: int, truth: _TruthWriter) -> Path:
    rng = random.Random(f"{seed}:list:{index}")
    source = list_source(index)
    kind, noise = list_format(source), PROFILES[index % len(PROFILES)]
    chosen = rng.sample(range(len(persons)), max(1, round(rng.uniform(*LIST_SHARE) * len(persons))))
    path = folder / f"{source}.{'jsonl' if kind == 'jsonl' else 'csv'}"
    with path.open("w", encoding="latin-1" if kind == "tcvn3" else "utf-8", newline="") as out:
        write = _row_writer(kind, out)
        for row, number in enumerate(chosen, 1):
            person = persons[number]
            write(render(person, noise, rng))
            truth.add(f"{source}:{row}", person.pid)
    return path


def write_world(folder: Path, *, persons: int = 3000, lists: int = 3, seed: int = 7) -> WorldFiles:
    """Write the lists and the truth into ``folder`` (made if missing); rows are streamed."""
    if persons < 1 or not 1 <= lists <= 26:
        raise ValueError("give at least one person and 1 to 26 lists")
    folder.mkdir(parents=True, exist_ok=True)
    people = make_persons(persons, seed)
    truth_path = folder / "truth.json"
    with truth_path.open("w", encoding="utf-8") as out:
        truth = _TruthWriter(out)
        paths = [_write_list(folder, index, people, seed, truth) for index in range(lists)]
        truth.close()
    return WorldFiles(paths, truth_path, persons, truth.count)


def read_truth(path: Path) -> dict[str, str]:
    """``"{source}:{row}"`` -> the true person's id."""
    truth: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return truth


# --- scoring and the baseline -------------------------------------------------------------------


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def pairwise_scores(clusters: Iterable[Iterable[str]], truth: dict[str, str]) -> Scores:
    """Pairwise precision, recall and F1 of predicted ``clusters`` over the keys of ``truth``.

    Keys not in ``truth`` are ignored; a key left out is a singleton; a key in two clusters
    is an error. With no predicted pair precision is 1.0 (nothing wrong was claimed), with
    no true pair recall is 1.0.
    """
    seen: set[str] = set()
    predicted = correct = 0
    for cluster in clusters:
        members = [key for key in dict.fromkeys(cluster) if key in truth]
        for key in members:
            if key in seen:
                raise ValueError(f"{key} is in two clusters")
            seen.add(key)
        predicted += _pairs(len(members))
        correct += sum(_pairs(count) for count in Counter(truth[key] for key in members).values())
    true = sum(_pairs(count) for count in Counter(truth.values()).values())
    precision = correct / predicted if predicted else 1.0
    recall = correct / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, true, predicted, correct)


@lru_cache(maxsize=1 << 16)
def _repaired(text: str) -> str:
    return normalize(text)


def _year(value: object) -> int | None:
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.strip().isdigit() else None


def read_names(path: Path) -> Iterator[tuple[str, str, int | None]]:
    """Each row of a list file: its key, its name as read, its birth year (None if missing).
    A TCVN3 list is read as Windows-1252 and repaired with ``decoder.normalize``."""
    source = path.name.split(".")[0]
    kind = list_format(source)
    if kind == "jsonl":
        with path.open(encoding="utf-8") as lines:
            for row, line in enumerate(lines, 1):
                data = json.loads(line)
                yield f"{source}:{row}", str(data.get("name") or ""), _year(data.get("birth_year"))
        return
    with path.open(encoding="cp1252" if kind == "tcvn3" else "utf-8", newline="") as text:
        rows = csv.reader(text)
        next(rows)
        for row, cells in enumerate(rows, 1):
            name = _repaired(cells[0]) if kind == "tcvn3" else cells[0]
            yield f"{source}:{row}", name, _year(cells[1])


def _root(parent: dict[str, str], key: str) -> str:
    while parent[key] != key:
        parent[key] = parent[parent[key]]
        key = parent[key]
    return key


def baseline_clusters(folder_or_files: WorldFiles | Path) -> list[set[str]]:
    """The simple rule: entries with the same folded full name and birth years within ±1
    (a missing year matches nothing) are one person; union-find over those pairs (for each
    name, entries sorted by year and each joined to the next when within a year, which
    joins the same groups as every pair). Returns the groups of two or more."""
    if isinstance(folder_or_files, WorldFiles):
        paths = folder_or_files.lists
    else:
        paths = sorted(path for path in folder_or_files.glob("list-*") if path.suffix in (".csv", ".jsonl"))
    by_name: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
    for path in paths:
        for key, name, year in read_names(path):
            if year is not None:
                by_name[fold_key(name)].append((year, key))
    parent: dict[str, str] = {}
    for entries in by_name.values():
        entries.sort()
        for (year, key), (next_year, next_key) in itertools.pairwise(entries):
            parent.setdefault(key, key)
            parent.setdefault(next_key, next_key)
            if next_year - year <= 1:
                parent[_root(parent, next_key)] = _root(parent, key)
    groups: defaultdict[str, set[str]] = defaultdict(set)
    for key in parent:
        groups[_root(parent, key)].add(key)
    return [group for group in groups.values() if len(group) > 1]


# --- the command --------------------------------------------------------------------------------


def run(folder: Path, persons: int, lists: int, seed: int) -> dict[str, Any]:
    """Write the world into ``folder``, run the baseline, and report."""
    started = time.perf_counter()
    files = write_world(folder, persons=persons, lists=lists, seed=seed)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    scores = pairwise_scores(baseline_clusters(files), read_truth(files.truth))
    return {"persons": persons, "lists": lists, "seed": seed, "entries": files.entries, "folder": str(folder),
            "namesake_share": round(namesake_share(make_persons(persons, seed)), 4),
            "generate_seconds": round(generated, 2),
            "baseline_seconds": round(time.perf_counter() - started, 2),
            "baseline": {key: round(value, 4) if isinstance(value, float) else value
                         for key, value in asdict(scores).items()}}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--persons", type=int, default=3000)
    parser.add_argument("--lists", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="the folder to write (default: a temporary one, removed)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    if args.persons < 1 or not 1 <= args.lists <= 26:
        parser.error("give at least one person and 1 to 26 lists")
    with tempfile.TemporaryDirectory(prefix="linkage-world-") as temporary:
        report = run(args.out or Path(temporary), args.persons, args.lists, args.seed)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return
    base = report["baseline"]
    print(f"{report['persons']:,} persons in {report['lists']} lists: {report['entries']:,} entries "
          f"(namesakes {report['namesake_share']:.1%}), written in {report['generate_seconds']} s "
          f"to {report['folder']}")
    print(f"baseline (same folded name, birth year ±1): precision {base['precision']:.3f}, "
          f"recall {base['recall']:.3f}, F1 {base['f1']:.3f} ({base['correct_pairs']:,} of "
          f"{base['predicted_pairs']:,} predicted pairs right; {base['true_pairs']:,} true pairs) "
          f"in {report['baseline_seconds']} s")


if __name__ == "__main__":
    main()
