"""How cemetery registers write a grave's place, its status and its dates, read into the
contract's fields.

A register writes the place of a grave in one cell (``lô 3, hàng 4, mộ số 12``,
``Khu B - Lô 3 - Hàng 4 - Mộ 12``), its status in words (``vô danh``, ``có tên``,
``mộ gió``) and its dates the Vietnamese way (``15/7/1972``). Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from decoder.text import fold, fold_key, to_nfc

#: The statuses of CONTRACT's grave JSON.
GRAVE_STATUSES = ("named", "unidentified", "partial", "named_no_remains")
#: The levels of a cemetery.
CEMETERY_LEVELS = ("national", "province", "district", "commune")

# Longest words first, so "mộ số 12" is a number and not a grave "số".
_PART = re.compile(
    r"\b(khu|lo|hang|mo so|so mo|mo|so)\b\s*(?:so\b)?\s*[:.]?\s*"
    r"([0-9a-z]{1,8}(?:[-/.][0-9a-z]{1,8})?)\b")
_PART_FIELD = {"khu": "zone", "lo": "lot", "hang": "row", "mo so": "number", "so mo": "number",
               "mo": "number", "so": "number"}

_STATUS_WORDS = {
    "named": ("named", "co ten", "da co ten", "da xac dinh", "co danh tinh", "da xac dinh danh tinh"),
    "unidentified": ("unidentified", "vo danh", "mo vo danh", "chua biet ten", "khong ten",
                     "khong co ten", "chua xac dinh", "chua xac dinh danh tinh", "khong co thong tin"),
    "partial": ("partial", "mot phan", "co thong tin", "chua du thong tin", "thieu thong tin",
                "co mot phan thong tin"),
    "named_no_remains": ("named no remains", "mo gio", "co ten chua co hai cot", "co ten khong co hai cot",
                         "khong co hai cot", "chua co hai cot", "chua quy tap"),
}
_STATUS = {word: status for status, words in _STATUS_WORDS.items() for word in words}
_LEVEL_WORDS = {"national": ("national", "quoc gia", "trung uong"),
                "province": ("province", "tinh", "cap tinh", "thanh pho"),
                "district": ("district", "huyen", "cap huyen", "quan", "thi xa"),
                "commune": ("commune", "xa", "cap xa", "phuong", "thi tran")}
_LEVEL = {word: level for level, words in _LEVEL_WORDS.items() for word in words}

_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_WORDED = re.compile(r"^(?:ngay\s*(\d{1,2})\s*)?(?:thang\s*(\d{1,2})\s*)?nam\s*(\d{4})$")

# Words that name the kind of an administrative unit, not the unit: "xã Yên Phong, huyện
# Yên Phong" and "Yên Phong, Yên Phong" are the same place.
_ADMIN_WORDS = re.compile(
    r"\b(?:thanh pho|thi xa|thi tran|khu pho|xa|huyen|tinh|thon|xom|ap|lang|phuong|quan|tp|tx|tt)\b")


@dataclass(frozen=True)
class Position:
    """Where a grave lies in its cemetery; None where the text does not say."""

    zone: str | None = None
    lot: str | None = None
    row: str | None = None
    number: str | None = None

    def is_empty(self) -> bool:
        """Whether the text named no part of a position."""
        return not (self.zone or self.lot or self.row or self.number)


def parse_position(text: str) -> Position:
    """Read ``lô 3, hàng 4, mộ số 12`` (with or without marks, any case, with ``khu``) into
    its parts; a part named twice keeps its first value.

    Returns:
        The parts found; an empty :class:`Position` when the text names none.
    """
    original = to_nfc(text)
    folded = fold(original)  # same length as the NFC text: offsets carry over
    found: dict[str, str] = {}
    for match in _PART.finditer(folded):
        field = _PART_FIELD[match.group(1)]
        found.setdefault(field, original[match.start(2):match.end(2)].upper())
    return Position(**found)


def parse_status(text: str) -> str | None:
    """The contract's status for a status as written (``vô danh``, ``mộ gió``,
    ``named_no_remains``), or None when the words are not known."""
    return _STATUS.get(fold_key(text))


def parse_level(text: str) -> str | None:
    """The contract's level for a cemetery level as written (``quốc gia``, ``tỉnh``), or None."""
    key = fold_key(text)
    return _LEVEL.get(key.removeprefix("nghia trang ").removeprefix("cap "), _LEVEL.get(key))


def iso_partial_date(text: str) -> str:
    """A date as registers write it (``15/7/1972``, ``7/1972``, ``ngày 15 tháng 7 năm 1972``)
    as a partial ISO date; any other text comes back as it was, for the caller to judge."""
    cleaned = text.strip()
    if match := _DAY_MONTH_YEAR.match(cleaned):
        day, month, year = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    if match := _MONTH_YEAR.match(cleaned):
        month, year = match.groups()
        return f"{year}-{int(month):02d}"
    if match := _WORDED.match(fold_key(cleaned)):
        day, month, year = match.groups()
        if day and not month:
            return cleaned
        return year + (f"-{int(month):02d}" if month else "") + (f"-{int(day):02d}" if day else "")
    return cleaned


def name_key(text: str) -> str:
    """A name as compared across records: folded (no case, no marks, ``đ -> d``), one space
    between words."""
    return fold_key(text)


def given_key(name: str) -> str | None:
    """The given name folded (the last word of a Vietnamese name): what first burials are
    looked up by, however the rest of the name is spelt."""
    words = fold_key(name).split()
    return words[-1][:60] if words else None


def place_key(text: str) -> str:
    """A place as compared across records: folded, without the words that name the kind of
    administrative unit (``xã``, ``huyện``, ``tỉnh``…), one space between words."""
    return " ".join(_ADMIN_WORDS.sub(" ", fold_key(text)).split())
