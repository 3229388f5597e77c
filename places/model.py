"""What the gazetteer knows of one province: a value, read from the bundled data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: The three maps a name can belong to: before 2008, 2008–2025 (63 units), from 2025 (34 units).
Kind = Literal["historical", "2008", "2025"]


@dataclass(frozen=True)
class Source:
    """A public page a fact was taken from."""

    url: str
    title: str

    def __str__(self) -> str:
        return f"{self.title} <{self.url}>"


@dataclass(frozen=True)
class Province:
    """A provincial unit of one map, with what it corresponds to on the later maps.

    ``provinces_2008`` are the units of the 2008–2025 map its land belongs to (itself for a
    2008 unit, the units it absorbed for a 2025 one); ``today`` the units of the 2025 map.
    Dates are ISO, as precise as the sources are (``"1976-02"``, ``"1965"``), None if unknown.
    """

    name: str
    kind: Kind
    from_date: str | None
    to_date: str | None
    provinces_2008: tuple[str, ...]
    today: tuple[str, ...]
    centroid: tuple[float, float] | None
    centroid_origin: str
    sources: tuple[Source, ...]
    aliases: tuple[str, ...] = ()
    became: tuple[str, ...] = ()
    code: str | None = None
    note: str | None = None

    @property
    def source(self) -> str:
        """The first source, as ``title <url>``."""
        return str(self.sources[0]) if self.sources else ""
