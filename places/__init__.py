"""Places in martyr records: addresses split into commune, district and province, province
names of any era (Hà Bắc, Nghệ Tĩnh, Bình Trị Thiên…) mapped to today's provinces, and
written places put on the map at the finest level known (commune, district, province).
Pure: reads only its bundled data (see README.md)."""

from places.address import Address, split_address
from places.gazetteer import (
    find_province,
    find_provinces,
    province_centroid,
    provinces_2008,
    provinces_today,
    same_province,
)
from places.localities import Locality, find_localities
from places.locate import Located, locate
from places.model import Province, Source

__all__ = [
    "Address",
    "Locality",
    "Located",
    "Province",
    "Source",
    "find_localities",
    "find_province",
    "find_provinces",
    "locate",
    "province_centroid",
    "provinces_2008",
    "provinces_today",
    "same_province",
    "split_address",
]
