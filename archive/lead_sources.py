"""What leads read from the archive: the graves and first burials inside a person's search
boxes (so a national register is not read whole for one person), and a cemetery's graves.

Rows are turned into leads' own values (:mod:`leads.contract`); nothing here ranks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from archive.graves import burial_json, cemetery_json, grave_json
from archive.models import Burial, Cemetery, Grave
from leads import Burial as LeadBurial
from leads import Grave as LeadGrave
from leads import burial_from_json, grave_from_json

#: Graves leads rank.
RANKED = ("unidentified", "partial")
#: Most graves or burials read for one person; the nearest boxes' rows come first.
MAX_ROWS = 50_000
#: Most first burials or cemeteries drawn on one map.
MAX_MAP_ROWS = 500
Box = tuple[float, float, float, float]


def _inside(lat: Any, lon: Any, boxes: Sequence[Box]) -> ColumnElement[bool]:
    """A condition: the point (two columns) lies in one of the ``(south, west, north, east)`` boxes."""
    if not boxes:
        return false()
    return or_(*(and_(lat.between(south, north), lon.between(west, east))
                 for south, west, north, east in boxes))


def graves_in(session: Session, boxes: Sequence[Box], *, cemetery_boxes: Sequence[Box]) -> list[LeadGrave]:
    """Unidentified and partial graves whose remains were collected inside ``boxes``, and
    those (with no point of their own) of cemeteries inside ``cemetery_boxes``."""
    query = (select(Grave, Cemetery).join(Cemetery, Grave.cemetery_id == Cemetery.id)
             .where(Grave.status.in_(RANKED),
                    or_(_inside(Grave.remains_lat, Grave.remains_lon, boxes),
                        and_(Grave.remains_lat.is_(None),
                             _inside(Cemetery.lat, Cemetery.lon, cemetery_boxes))))
             .order_by(Grave.id).limit(MAX_ROWS))
    return [grave_from_json(grave_json(grave), cemetery_json(cemetery))
            for grave, cemetery in session.execute(query)]


def cemetery_graves(session: Session, cemetery_id: str) -> list[LeadGrave]:
    """A cemetery's unidentified and partial graves."""
    cemetery = session.get(Cemetery, cemetery_id)
    if cemetery is None:
        return []
    place = cemetery_json(cemetery)
    graves = session.scalars(select(Grave).where(Grave.cemetery_id == cemetery_id, Grave.status.in_(RANKED))
                             .order_by(Grave.id))
    return [grave_from_json(grave_json(grave), place) for grave in graves]


def burials_for(session: Session, person_id: str, boxes: Sequence[Box]) -> list[LeadBurial]:
    """First burials linked to the person, or placed inside ``boxes``, or with no point at all
    (leads match those by name and unit)."""
    query = (select(Burial).where(or_(Burial.person_id == person_id,
                                      _inside(Burial.lat, Burial.lon, boxes),
                                      Burial.lat.is_(None)))
             .order_by(Burial.id).limit(MAX_ROWS))
    return [burial_from_json(burial_json(burial)) for burial in session.scalars(query)]


def placed_in(session: Session, box: Box) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The first burials and the cemeteries with a point inside the box (a map's frame), as
    CONTRACT's JSON, at most :data:`MAX_MAP_ROWS` of each."""
    burials = session.scalars(select(Burial).where(_inside(Burial.lat, Burial.lon, [box]))
                              .order_by(Burial.id).limit(MAX_MAP_ROWS))
    cemeteries = session.scalars(select(Cemetery).where(_inside(Cemetery.lat, Cemetery.lon, [box]))
                                 .order_by(Cemetery.id).limit(MAX_MAP_ROWS))
    return [burial_json(burial) for burial in burials], [cemetery_json(cemetery) for cemetery in cemeteries]

