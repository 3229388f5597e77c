"""Builders for registry documents and registries used across the tests."""

from __future__ import annotations

from typing import Any

from decoder.registry import Registry
from decoder.registry_schema import RegistryDocument


def unit(uid: str, level: str, number: str | None, name: str, **fields: Any) -> dict[str, Any]:
    """One unit as registry JSON; extra keyword fields are copied in (use ``from_`` for ``from``)."""
    data: dict[str, Any] = {"id": uid, "level": level, "number": number, "name": name}
    data.update(fields)
    return data


def parent(uid: str, start: str | None = None, end: str | None = None) -> dict[str, Any]:
    """A parent link."""
    return {"unit": uid, "from": start, "to": end}


def code(text: str, kind: str, start: str | None = None, end: str | None = None,
         *, verified: bool = True, source: str | None = "test source") -> dict[str, Any]:
    """A code held for a period."""
    return {"code": text, "kind": kind, "from": start, "to": end, "verified": verified,
            "source": source}


def event(title: str, start: str | None, end: str | None, place: str | None = None,
          lat: float | None = None, lon: float | None = None) -> dict[str, Any]:
    """A history event."""
    return {"title": title, "from": start, "to": end, "place": place, "lat": lat, "lon": lon,
            "source": "test source"}


def document(*units: dict[str, Any]) -> RegistryDocument:
    """A validated registry document."""
    return RegistryDocument.model_validate({"units": list(units)})


def registry(*units: dict[str, Any]) -> Registry:
    """An in-memory registry."""
    return Registry(document(*units).units)


def sample_units() -> list[dict[str, Any]]:
    """A small registry with every resolution case: moved regiments, reused mailbox codes,
    campaign cover names, aliases, honorifics and a same-numbered regiment elsewhere."""
    return [
        unit("qd1", "corps", "1", "Quân đoàn 1", founded="1973-10-24"),
        unit("f308", "division", "308", "Sư đoàn 308", founded="1949-08-28",
             aliases=["Đại đoàn 308"], parents=[parent("qd1", "1973-10-24")],
             codes=[code("Quân Tiên Phong", "honorific")],
             events=[event("Chiến dịch Điện Biên Phủ", "1954-03-13", "1954-05-07",
                           "Điện Biên Phủ", 21.39, 103.02),
                     event("Chiến dịch Trị Thiên", "1972-03", "1972-09", "Quảng Trị",
                           16.75, 107.19)]),
        unit("f312", "division", "312", "Sư đoàn 312", founded="1950-12-27",
             codes=[code("Bến Tre", "cover_name", "1953-11", "1954-07")]),
        unit("f7", "division", "7", "Sư đoàn 7", founded="1966-06-13",
             codes=[code("Công trường 7", "cover_name", "1966-06-13", "1976")],
             events=[event("Đường 13", "1972-04", "1972-06", "Bình Long", 11.65, 106.6)]),
        unit("f304", "division", "304", "Sư đoàn 304", founded="1950-03-10"),
        unit("f308-e88", "regiment", "88", "Trung đoàn 88", branch="infantry",
             parents=[parent("f308", "1949-08-28")],
             codes=[code("47120 HN", "mailbox", "1971", "1972", verified=False,
                         source="demonstration data")]),
        unit("f304-e66", "regiment", "66", "Trung đoàn 66", parents=[parent("f304", "1950")],
             codes=[code("47120 HN", "mailbox", "1974", "1975")]),
        unit("f312-e141", "regiment", "141", "Trung đoàn 141",
             parents=[parent("f312", "1950-12-27", "1966-06-12"), parent("f7", "1966-06-13")],
             codes=[code("Đầm Hà", "cover_name", "1953-11", "1954-07")]),
        unit("f304-e9", "regiment", "9", "Trung đoàn 9", parents=[parent("f304", "1950")]),
        unit("f7-e9", "regiment", "9", "Trung đoàn 9 (Sư đoàn 7)", parents=[parent("f7", "1966")]),
    ]
