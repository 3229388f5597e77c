"""Places in martyr records: addresses split into commune, district and province, and
province names of any era (Hà Bắc, Nghệ Tĩnh, Bình Trị Thiên…) mapped to today's provinces
and to a point on the map. Pure: reads only its bundled data (see README.md)."""

from places.address import Address, split_address
from places.gazetteer import (
    find_province,
    find_provinces,
    province_centroid,
    provinces_2008,
    provinces_today,
    same_province,
)
from places.model import Province, Source

__all__ = [
    "Address",
    "Province",
    "Source",
    "find_province",
    "find_provinces",
    "province_centroid",
    "provinces_2008",
    "provinces_today",
    "same_province",
    "split_address",
]
