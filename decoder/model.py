"""What was written: echelons, mailbox codes, names, and the designations made of them.

These are the shapes of CONTRACT.md's decode result. They are pydantic models so the
API and the CLI serialise them the same way, but they carry no behaviour of their own.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Level(StrEnum):
    """An echelon of the army, smallest first in declaration order."""

    SQUAD = "squad"
    PLATOON = "platoon"
    COMPANY = "company"
    BATTALION = "battalion"
    REGIMENT = "regiment"
    BRIGADE = "brigade"
    DIVISION = "division"
    GROUP = "group"
    CORPS = "corps"
    MILITARY_REGION = "military_region"
    FRONT = "front"
    THEATRE = "theatre"

    @property
    def rank(self) -> int:
        """Position from the smallest echelon (0) upwards."""
        return _LEVEL_RANK[self]


_LEVEL_RANK = {level: index for index, level in enumerate(Level)}


class Qualifier(StrEnum):
    """A branch written beside an echelon (``eBB 52``, ``Đại đội 6 súng cối``)."""

    INFANTRY = "infantry"
    ARTILLERY = "artillery"
    ANTI_AIRCRAFT = "anti_aircraft"
    ENGINEERS = "engineers"
    SIGNALS = "signals"
    SAPPERS = "sappers"
    ARMOR = "armor"
    MEDICAL = "medical"
    MORTAR = "mortar"
    TRANSPORT = "transport"
    RECONNAISSANCE = "reconnaissance"
    LOGISTICS = "logistics"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True)


class Echelon(_Frozen):
    """One link of a chain such as ``d5`` or ``Trung đoàn 88 pháo binh``."""

    level: Level
    number: str | None = Field(description="ASCII digits, OCR confusions repaired")
    qualifier: Qualifier | None = None
    prefix: str | None = Field(
        default=None, description="theatre letter of a theatre or front code (B in B5)"
    )
    raw: str = Field(default="", description="the text this echelon was read from")


class Mailbox(_Frozen):
    """A military mailbox code such as ``Hòm thư 47120 HN-B5``."""

    number: str
    letters: str | None = None
    suffix: str | None = None

    @property
    def key(self) -> str:
        """Canonical form used to look the code up (``47120 HN``)."""
        return f"{self.number} {self.letters}" if self.letters else self.number


DesignationKind = Literal["chain", "mailbox", "name"]


class Designation(_Frozen):
    """One designation found in a text, with its position (offsets into the NFC text)."""

    raw: str
    start: int
    end: int
    kind: DesignationKind
    echelons: list[Echelon] = Field(default_factory=list)
    mailbox: Mailbox | None = None
    name: str | None = None
    repaired: bool = Field(
        default=False, description="true when OCR confusions in numbers were repaired"
    )
