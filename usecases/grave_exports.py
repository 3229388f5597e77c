"""The count ("kiểm đếm") as a table to download (CSV or XLSX), and cemeteries and
initial-burial places as GeoJSON.

A cell that begins like a formula is written as text (``decoder.untrusted.spreadsheet_cell``),
in CSV and XLSX alike, so a name typed ``=HYPERLINK(…)`` never runs when an officer opens
the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from archive.grave_views import mapped_burials, mapped_cemeteries
from archive.graves import CemeteryCount, count_graves
from decoder.errors import NotFoundError
from decoder.plots import GRAVE_STATUSES
from decoder.untrusted import spreadsheet_cell
from usecases.graves import grave_counts

#: The columns of the count, in order: what each row says.
COUNT_COLUMNS = ("kind", "id", "name", "province", *GRAVE_STATUSES, "total", "disagreeing")
#: The most points a map or a GeoJSON answer carries (Vietnam has about 3,100 cemeteries).
MAP_LIMIT = 20_000
Cell = str | int | None


def _row(kind: str, entry: dict[str, Any], *, id: str = "", name: str = "") -> list[Cell]:
    counts = entry["counts"]
    return [kind, id, name, entry.get("province") or "", *(counts[status] for status in GRAVE_STATUSES),
            counts["total"], entry["disagreeing"]]


def count_rows(*, sessions: sessionmaker[Session], cemetery: str | None = None) -> list[list[Cell]]:
    """The count as rows of :data:`COUNT_COLUMNS`: one cemetery's row; or every
    cemetery's, then each province's totals (``kind`` ``province``) and the whole (``total``).

    Raises:
        NotFoundError: ``cemetery`` names no cemetery.
    """
    if cemetery is not None:
        with sessions() as session:
            counted = count_graves(session, cemetery=cemetery)
        if not counted:
            raise NotFoundError(f"There is no cemetery {cemetery!r}.")
        one = counted[0]
        entry = {"counts": one.counts, "disagreeing": one.disagreeing, "province": one.province}
        return [_row("cemetery", entry, id=one.id, name=one.name)]
    counts = grave_counts(sessions=sessions)
    rows = [_row("cemetery", entry, id=entry["id"], name=entry["name"]) for entry in counts["cemeteries"]]
    rows += [_row("province", entry) for entry in counts["provinces"]]
    rows.append(_row("total", counts["total"]))
    return rows


def _text(value: Cell) -> Cell:
    return spreadsheet_cell(value) if isinstance(value, str) else value


def count_csv(header: Sequence[str], rows: list[list[Cell]]) -> bytes:
    """The count as CSV (UTF-8 with a byte-order mark, which Excel needs to read the marks)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([_text(name) for name in header])
    writer.writerows([[_text(value) if value is not None else "" for value in row] for row in rows])
    return out.getvalue().encode("utf-8-sig")


def count_xlsx(header: Sequence[str], rows: list[list[Cell]], *, title: str = "Kiểm đếm") -> bytes:
    """The count as an Excel workbook of one sheet, written as a stream (openpyxl write-only)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append([_text(name) for name in header])
    for row in rows:
        sheet.append([_text(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _point(lon: float, lat: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": properties}


def cemeteries_geojson(*, sessions: sessionmaker[Session]) -> dict[str, Any]:
    """Every cemetery with coordinates as a GeoJSON FeatureCollection, its ``counts`` and
    ``disagreeing`` in its properties."""
    with sessions() as session:
        counts = {count.id: count for count in count_graves(session)}
        return {"type": "FeatureCollection", "features": cemetery_features(session, counts)}


def cemetery_features(session: Session, counts: dict[str, CemeteryCount]) -> list[dict[str, Any]]:
    """The cemeteries with coordinates as GeoJSON features with their counts."""
    features = []
    for cemetery in mapped_cemeteries(session, limit=MAP_LIMIT):
        count = counts.get(cemetery.id)
        features.append(_point(cemetery.lon or 0.0, cemetery.lat or 0.0, {
            "id": cemetery.id, "name": cemetery.name, "level": cemetery.level, "province": cemetery.province,
            "counts": count.counts if count else dict.fromkeys([*GRAVE_STATUSES, "total"], 0),
            "disagreeing": count.disagreeing if count else 0}))
    return features


def burials_geojson(*, sessions: sessionmaker[Session]) -> dict[str, Any]:
    """Every initial burial whose place has coordinates, as a GeoJSON FeatureCollection."""
    features = []
    with sessions() as session:
        for burial in mapped_burials(session, limit=MAP_LIMIT):
            recovered = {"date": burial.recovered_date, "grave": burial.recovered_grave}
            features.append(_point(burial.lon or 0.0, burial.lat or 0.0, {
                "id": burial.id, "name": burial.name, "unit_text": burial.unit_text,
                "death_date": burial.death_date, "burial_date": burial.burial_date, "place": burial.place,
                "marker": burial.marker, "recovered": recovered if any(recovered.values()) else None,
                "person_id": burial.person_id}))
    return {"type": "FeatureCollection", "features": features}
