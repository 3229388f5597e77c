"""Where on the map an unnamed grave's remains came from (``placed_lat``, ``placed_lon``):
the point the record gives, else the gazetteer's point for the place it writes (``xã Hải
Phú, Hải Lăng``).

Leads fetch a person's candidate graves by this point, from one index; a grave known only
by a written place would otherwise be found only when its cemetery lies near his areas,
and remains were often carried far to a cemetery. The point is derived, never shown as
the record's: it is one of the columns worked out whenever a grave is stored
(:func:`archive.grave_stored.placed_point`, in an import's workers), and
:func:`place_graves` works it out again for the graves stored already (the migration that
brought the columns runs it; so may whoever changes the gazetteer).
"""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from archive.grave_stored import UNNAMED, placed_point
from archive.models import Grave

#: Graves written per statement.
CHUNK = 5_000


def place_graves(session: Session) -> int:
    """Give every stored grave its :func:`~archive.grave_stored.placed_point` where it
    differs from the one it has; how many graves have one."""
    unnamed = Grave.status.in_(UNNAMED)
    said_nothing = and_(Grave.remains_lat.is_(None), Grave.remains_place.is_(None))
    given = and_(Grave.remains_lat.is_not(None), Grave.remains_lon.is_not(None))
    for change in (update(Grave).where(Grave.placed_lat.is_not(None), or_(~unnamed, said_nothing))
                   .values(placed_lat=None, placed_lon=None),
                   update(Grave).where(unnamed, given).values(placed_lat=Grave.remains_lat,
                                                              placed_lon=Grave.remains_lon)):
        # Nothing loaded to keep in step, and a million ids are not worth fetching back.
        session.execute(change.execution_options(synchronize_session=False))
    written = select(Grave.id, Grave.remains_place, Grave.placed_lat, Grave.placed_lon).where(
        unnamed, ~given, Grave.remains_place.is_not(None))
    changes = []
    for grave_id, place, lat, lon in session.execute(written).all():
        point = placed_point(UNNAMED[0], place, None, None)
        if point != (lat, lon):
            changes.append({"id": grave_id, "placed_lat": point[0], "placed_lon": point[1]})
    for start in range(0, len(changes), CHUNK):
        session.execute(update(Grave), changes[start:start + CHUNK])
    return session.execute(select(func.count()).where(unnamed, Grave.placed_lat.is_not(None))).scalar_one()
