"""A record (list entry, person record or grave) as the linkage model compares it.

Names are compared syllable by syllable: a Vietnamese name is family name, middle
name(s) and given name (``Nguyễn | Văn | Thắng``), and a list often drops the middle.
Hometowns are compared through today's provinces, so ``Hà Bắc`` meets ``Bắc Ninh``;
units through the decoded chain, so ``C3D2E7F950`` meets ``c3 d2 e7 f950``; dates as
partial dates, so ``1974`` meets ``1974-04-15`` at the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from decoder.text import fold_key, to_nfc
from places import provinces_today, split_address

#: What kind of record a key names: ``entry:SOURCE:ROW``, ``person:ID``, ``grave:ID``.
KINDS = ("entry", "person", "grave")


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """A record to link: its key and what it says, as written."""

    key: str
    name: str
    birth_year: int | None = None
    hometown: str | None = None
    commune: str | None = None
    district: str | None = None
    province: str | None = None
    unit_chain: str | None = None
    death_date: str | None = None
    death_place: str | None = None

    @classmethod
    def from_written(cls, key: str, name: str, *, hometown: str | None = None, **fields: Any) -> LinkRecord:
        """A record whose hometown is one text, split here."""
        address = split_address(hometown) if hometown else None
        return cls(key=key, name=name, hometown=hometown, commune=address.commune if address else None,
                   district=address.district if address else None,
                   province=address.province if address else None, **fields)


def features(record: LinkRecord) -> dict[str, Any]:
    """The columns the model compares (see :mod:`linkage.model`)."""
    syllables = fold_key(record.name).split()
    exact = " ".join(to_nfc(record.name).lower().split())
    chain = record.unit_chain.split() if record.unit_chain else []
    today = sorted(set(provinces_today(record.province))) if record.province else []
    year, month = _year_month(record.death_date)
    return {
        "unique_id": record.key, "name_exact": exact or None, "name_folded": " ".join(syllables) or None,
        "family": syllables[0] if syllables else None,
        "middle": " ".join(syllables[1:-1]) or None, "given": syllables[-1] if len(syllables) > 1 else None,
        "birth_year": record.birth_year,
        "province_today": today or None, "province_first": today[0] if today else None,
        "district_key": fold_key(record.district) if record.district else None,
        "commune_key": fold_key(record.commune) if record.commune else None,
        "unit_chain": record.unit_chain, "regiment": _echelon(chain, "e"), "division": _echelon(chain, "f"),
        "death_date": record.death_date, "death_year": year, "death_month": month,
        **_death_place(record.death_place),
    }


def _death_place(text: str | None) -> dict[str, Any]:
    """A place of death as a key, and its district and today's provinces when it names them."""
    if not text:
        return {"death_place_key": None, "death_district_key": None, "death_province_today": None}
    address = split_address(text)
    today = sorted(set(provinces_today(address.province))) if address.province else []
    return {"death_place_key": fold_key(text) or None,
            "death_district_key": fold_key(address.district) if address.district else None,
            "death_province_today": today or None}


def _echelon(chain: list[str], letter: str) -> str | None:
    return next((part for part in chain if part.startswith(letter)), None)


def _year_month(text: str | None) -> tuple[int | None, int | None]:
    if not text or not text[:4].isdigit():
        return None, None
    return int(text[:4]), int(text[5:7]) if len(text) >= 7 and text[5:7].isdigit() else None
