"""What leads read from the archive: the graves inside a person's search boxes (so a
national register is not read whole for one person), the first burials written with his
given name, and a cemetery's graves.

Rows are turned into leads' own values (:mod:`leads.contract`); nothing here ranks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session

from archive.graves import burial_json, cemetery_json
from archive.models import Burial, Cemetery, Grave
from decoder.dates import PartialDate
from decoder.errors import InvalidDateError
from decoder.plots import given_key
from leads import Area, burial_from_json, search_boxes
from leads import Burial as LeadBurial
from leads import Grave as LeadGrave

#: Graves leads rank.
RANKED = ("unidentified", "partial")
#: Most graves or burials read for one person; the nearest boxes' rows come first.
MAX_ROWS = 50_000
#: Graves read per search area and kind (a point of their own, or their cemetery's) for
#: each grave a person's leads list: beyond the nearest few hundred, a grave does not rank
#: among his first (measured: the first 20 of 100 persons among a million graves were the
#: same with 300 as with 1,500 per area, in 40 % of the time).
PER_LISTED = 15
#: A light area still brings its nearest graves.
LEAST_PER_AREA = 100
#: Most first burials or cemeteries drawn on one map.
MAX_MAP_ROWS = 500
Box = tuple[float, float, float, float]


def _inside(lat: Any, lon: Any, boxes: Sequence[Box]) -> ColumnElement[bool]:
    """A condition: the point (two columns) lies in one of the ``(south, west, north, east)`` boxes."""
    if not boxes:
        return false()
    return or_(*(and_(lat.between(south, north), lon.between(west, east))
                 for south, west, north, east in boxes))


#: The grave columns leads read, fetched as plain rows (building ORM objects for tens of
#: thousands of candidate graves cost more than ranking them).
_GRAVE_COLUMNS = (Grave.id, Grave.cemetery_id, Grave.status, Grave.remains_place, Grave.remains_lat,
                  Grave.remains_lon, Grave.remains_date, Grave.remains_burial, Grave.name, Grave.birth_year,
                  Grave.unit_text, Grave.death_date, Grave.hometown)


def _lead_grave(row: Any, cemetery_lat: float | None, cemetery_lon: float | None) -> LeadGrave:
    """Leads' grave from a stored row, built directly: the row was validated when stored, and
    a person's leads read thousands of them."""
    return LeadGrave(id=row.id, cemetery=row.cemetery_id, status=row.status, cemetery_lat=cemetery_lat,
                     cemetery_lon=cemetery_lon, remains_place=row.remains_place or None,
                     remains_lat=row.remains_lat, remains_lon=row.remains_lon,
                     remains_date=_stored_date(row.remains_date), remains_burial=row.remains_burial or None,
                     name=row.name or None, birth_year=row.birth_year, unit_text=row.unit_text or None,
                     death_date=_stored_date(row.death_date), hometown=row.hometown or None)


@lru_cache(maxsize=1 << 14)
def _parsed_date(value: str) -> PartialDate | None:
    """A stored date parsed once (registers repeat their dates, years above all)."""
    try:
        return PartialDate.parse(value)
    except InvalidDateError:
        return None


def _stored_date(value: str | None) -> PartialDate | None:
    return _parsed_date(value) if value else None


def graves_near(session: Session, areas: Sequence[Area], *, listed: int = 20) -> list[LeadGrave]:
    """The unidentified and partial graves nearest each area, inside its search box: those
    whose remains were collected there (their ``placed_*`` point: the one given, else the
    gazetteer's for the place written), and those with neither of the cemeteries there;
    of each kind at most :data:`PER_LISTED` per grave ``listed`` times the area's weight
    (and no fewer than :data:`LEAST_PER_AREA`), the nearest first, so one person's leads
    read hundreds of graves, not a national register."""
    per_area = PER_LISTED * max(listed, 20)
    found: dict[str, LeadGrave] = {}
    for area in areas:
        quota = max(LEAST_PER_AREA, round(per_area * area.weight))
        box = search_boxes([area])[0]
        # The nearest ids first, from the index of unnamed graves' points alone; then their rows.
        for lat, lon, extra in ((Grave.placed_lat, Grave.placed_lon, ()),
                                (Cemetery.lat, Cemetery.lon, (Grave.placed_lat.is_(None),))):
            nearest = _nearest(lat, lon, area, box, quota, extra)
            found |= {grave.id: grave for grave in _graves_where(session, Grave.id.in_(nearest))}
    return list(found.values())


def _nearest(lat: Any, lon: Any, area: Area, box: Box, quota: int,
             extra: Sequence[ColumnElement[bool]]) -> Any:
    """A subquery: the ids of the ``quota`` unnamed graves whose point (two columns, the
    grave's or its cemetery's) lies in the box, nearest the area's centre first."""
    squeeze = math.cos(math.radians(area.lat)) ** 2  # a degree of longitude is shorter
    query = select(Grave.id)
    if lat.table is Cemetery.__table__:
        query = query.join(Cemetery, Grave.cemetery_id == Cemetery.id)
    # Graves at one point (a written commune's) are tied: their ids decide which are read.
    return query.where(Grave.status.in_(RANKED), _inside(lat, lon, [box]), *extra).order_by(
        (lat - area.lat) * (lat - area.lat) + (lon - area.lon) * (lon - area.lon) * squeeze, Grave.id
    ).limit(quota).scalar_subquery()


def _graves_where(session: Session, condition: ColumnElement[bool]) -> list[LeadGrave]:
    rows = session.execute(
        select(*_GRAVE_COLUMNS, Cemetery.lat.label("cemetery_lat"), Cemetery.lon.label("cemetery_lon"))
        .join(Cemetery, Grave.cemetery_id == Cemetery.id).where(condition, Grave.status.in_(RANKED)))
    return [_lead_grave(row, row.cemetery_lat, row.cemetery_lon) for row in rows]


def graves_by_id(session: Session, grave_ids: Iterable[str]) -> list[LeadGrave]:
    """The unidentified and partial graves among these ids (those first burials' remains went to)."""
    wanted = sorted(set(grave_ids))
    return _graves_where(session, Grave.id.in_(wanted)) if wanted else []


def cemetery_graves(session: Session, cemetery_id: str) -> list[LeadGrave]:
    """A cemetery's unidentified and partial graves."""
    cemetery = session.get(Cemetery, cemetery_id)
    if cemetery is None:
        return []
    return _graves_where(session, Grave.cemetery_id == cemetery_id)


#: The first-burial columns leads read, fetched as plain rows.
_BURIAL_COLUMNS = (Burial.id, Burial.name, Burial.unit_text, Burial.death_date, Burial.burial_date,
                   Burial.place, Burial.lat, Burial.lon, Burial.person_id, Burial.recovered_date,
                   Burial.recovered_grave)


#: A first burial whose death date lies further than this from the person's is not his
#: (``leads.matching.dates`` calls it a conflict, which rules the record out).
DATE_SLACK = timedelta(days=31)


def _dying_within(died: PartialDate, slack: timedelta) -> ColumnElement[bool]:
    """A condition: the stored death date (ISO, ``1972``, ``1972-05`` or ``1972-05-20``)
    spans some day within ``slack`` of the partial date. ISO dates compare as text: a stored
    date starts no later than the last day when it sorts before it, and ends no earlier than
    the first day when it sorts after as many of its characters; the first bound (the year)
    lets the index's range start there."""
    first, last = (died.first_day - slack).isoformat(), (died.last_day + slack).isoformat()
    stored = Burial.death_date
    return and_(stored >= first[:4], stored <= last, stored >= func.substr(first, 1, func.length(stored)))


def burials_for(session: Session, person_id: str, name: str | None,
                died: PartialDate | None = None) -> list[LeadBurial]:
    """The first burials that may be the person's: linked to his record, or written with
    his given name (folded, so marks and case do not matter) and a death date within a
    month of his, or none; leads compare the rest of the name, the unit and the dates."""
    linked = Burial.person_id == person_id
    given = given_key(name) if name else None
    which: ColumnElement[bool] = linked
    if given:
        namesake = Burial.given_key == given
        if died is not None:
            namesake = and_(namesake, or_(Burial.death_date.is_(None), _dying_within(died, DATE_SLACK)))
        which = or_(linked, namesake)
    rows = session.execute(select(*_BURIAL_COLUMNS).where(which).order_by(Burial.id).limit(MAX_ROWS))
    return [_lead_burial(row) for row in rows]


def _lead_burial(row: Any) -> LeadBurial:
    return burial_from_json({"id": row.id, "name": row.name, "unit_text": row.unit_text,
                             "death_date": row.death_date, "burial_date": row.burial_date, "place": row.place,
                             "lat": row.lat, "lon": row.lon, "person_id": row.person_id,
                             "recovered": {"date": row.recovered_date, "grave": row.recovered_grave}})


#: Ids per query when reading the first burials of many graves.
CLAIM_CHUNK = 2_000


def claims_on(session: Session, graves: Sequence[LeadGrave]) -> dict[str, LeadBurial]:
    """By grave id, a first burial whose remains the records say went into the grave (the
    burial names the grave, or the grave names the burial)."""
    claims: dict[str, LeadBurial] = {}
    by_burial = {grave.remains_burial: grave.id for grave in graves if grave.remains_burial}
    ids = [grave.id for grave in graves]
    for start in range(0, max(len(ids), len(by_burial)), CLAIM_CHUNK):
        some, named = ids[start:start + CLAIM_CHUNK], list(by_burial)[start:start + CLAIM_CHUNK]
        rows = session.execute(select(*_BURIAL_COLUMNS).where(
            or_(Burial.recovered_grave.in_(some), Burial.id.in_(named))).order_by(Burial.id))
        for row in rows:
            grave_id = by_burial.get(row.id) or row.recovered_grave
            claims.setdefault(grave_id, _lead_burial(row))
    return claims


def placed_in(session: Session, box: Box) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The first burials and the cemeteries with a point inside the box (a map's frame), as
    CONTRACT's JSON, at most :data:`MAX_MAP_ROWS` of each."""
    burials = session.scalars(select(Burial).where(_inside(Burial.lat, Burial.lon, [box]))
                              .order_by(Burial.id).limit(MAX_MAP_ROWS))
    cemeteries = session.scalars(select(Cemetery).where(_inside(Cemetery.lat, Cemetery.lon, [box]))
                                 .order_by(Cemetery.id).limit(MAX_MAP_ROWS))
    return [burial_json(burial) for burial in burials], [cemetery_json(cemetery) for cemetery in cemeteries]

