"""One suite, every backend: the embedded tantivy index always, and the cluster named by
``PHIENHIEU_TEST_SEARCH_URL`` (the OpenSearch node scripts/services.sh starts) or
``PHIENHIEU_ELASTICSEARCH_URL``. Pages, persons, units and graves (built by the archive's
own document builder)."""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import get_args

import pytest
import tantivy

from archive.models import Cemetery, Grave
from archive.search_feed import grave_document
from bench.people import misread, people, strip_marks
from decoder.plots import GRAVE_STATUSES
from decoder.registry import Registry
from search.errors import OutdatedIndexError
from search.model import GraveStatus, IndexDocument, SearchRequest
from search.protocol import SearchIndex
from search.tantivy_backend import TantivyIndex
from tests.conftest import skip_or_fail

CLUSTER_URL = os.environ.get("PHIENHIEU_TEST_SEARCH_URL") or os.environ.get("PHIENHIEU_ELASTICSEARCH_URL")


@pytest.fixture(params=["tantivy", "cluster"])
def index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchIndex]:
    if request.param == "tantivy":
        embedded = TantivyIndex(tmp_path / "index")
        yield embedded
        embedded.close()
        return
    if not CLUSTER_URL:
        skip_or_fail("PHIENHIEU_TEST_SEARCH_URL is not set: no search cluster to test against")
    from search.cluster import cluster_index

    cluster = cluster_index(str(CLUSTER_URL), name=f"phienhieu-test-{uuid.uuid4().hex[:8]}")
    yield cluster
    cluster.drop()
    cluster.close()


def person(pid: str, name: str, body: str = "", **fields: object) -> IndexDocument:
    return IndexDocument(type="person", id=pid, title=name, body=f"{name}\n{body}", names=[name],
                         **fields)  # type: ignore[arg-type]


THANH = person("hn-1972-0042", "Nguyễn Văn Thành", "sinh 1950, xã Yên Phong, tỉnh Hà Bắc\nc2 d5 e88 f308",
               codes=["hn19720042", "c2", "d5", "e88", "f308"], provinces=["Hà Bắc"],
               units=["f308-e88", "f308"], dates=[date(1972, 7, 15)])
THANH_PLAIN = person("hn-1971-0007", "Nguyễn Văn Thanh", "Hòm thư 47120 HN", codes=["47120", "47120hn"],
                     provinces=["Thái Bình"], dates=[date(1971, 3, 1)])
OTHER = person("hn-1968-0100", "Trần Thị Hoa", "c4 d1 e86 f304", codes=["e86", "f304"],
               provinces=["Nam Hà"], dates=[date(1968, 2, 1)])
PAGE = IndexDocument(type="page", id="17", title="notice.png — trang 1", collection="Phông Sư đoàn 308",
                     body="GIẤY BÁO TỬ\nĐồng chí Nguyễn Vǎn Thànk hy sinh ngày 15 tháng 7 năm 1972",
                     dates=[date(1972, 7, 15)], scan_id=3, page_number=1)
UNIT = IndexDocument(type="unit", id="f308", title="Sư đoàn 308", names=["Sư đoàn 308", "Quân Tiên Phong"],
                     body="Sư đoàn 308\nQuân Tiên Phong\nChiến dịch Điện Biên Phủ", codes=["f308"],
                     units=["f308"])
ALL = [THANH, THANH_PLAIN, OTHER, PAGE, UNIT]


@pytest.fixture
def filled(index: SearchIndex) -> SearchIndex:
    index.upsert(ALL)
    index.commit()
    return index


def ids(index: SearchIndex, q: str, **options: object) -> list[str]:
    return [hit.id for hit in index.search(SearchRequest(q=q, **options)).hits]  # type: ignore[arg-type]


def test_without_diacritics_finds_the_record(filled: SearchIndex) -> None:
    found = ids(filled, "nguyen van thanh")
    assert {"hn-1972-0042", "hn-1971-0007", "17"} <= set(found)
    assert "hn-1968-0100" not in found


@pytest.mark.parametrize(("query", "first"), [
    ("Nguyễn Văn Thành", "hn-1972-0042"),
    ("Nguyễn Văn Thanh", "hn-1971-0007"),
])
def test_the_exact_diacritics_rank_first(filled: SearchIndex, query: str, first: str) -> None:
    assert ids(filled, query)[0] == first


def test_ocr_typos_are_tolerated_both_ways(filled: SearchIndex) -> None:
    assert "17" in ids(filled, "Nguyễn Văn Thành"), "the page OCR read as Vǎn Thànk"
    assert ids(filled, "nguyen vam thanh", type="person")[:2] == ["hn-1971-0007", "hn-1972-0042"] or \
        set(ids(filled, "nguyen vam thanh", type="person")[:2]) == {"hn-1971-0007", "hn-1972-0042"}


@pytest.mark.parametrize(("query", "expected"), [
    ("e88", "hn-1972-0042"),
    ("E88", "hn-1972-0042"),
    ("47120 HN", "hn-1971-0007"),
    ("47120HN", "hn-1971-0007"),
    ("Hòm thư 47120", "hn-1971-0007"),
    ("hn-1972-0042", "hn-1972-0042"),
])
def test_codes_are_found_exactly_from_the_general_box(filled: SearchIndex, query: str, expected: str) -> None:
    found = ids(filled, query)
    assert found[0] == expected
    assert "hn-1968-0100" not in found, "e86 is not e88"


def test_a_quoted_phrase_must_appear_in_order(filled: SearchIndex) -> None:
    assert "17" in ids(filled, '"giay bao tu"')
    assert ids(filled, '"tu bao giay"') == []


@pytest.mark.parametrize(("options", "expected"), [
    ({"type": "page"}, ["17"]),
    ({"collection": "Phông Sư đoàn 308"}, ["17"]),
    ({"province": "ha bac"}, ["hn-1972-0042"]),
    ({"province": "Hà Bắc"}, ["hn-1972-0042"]),
    ({"unit": "f308"}, ["hn-1972-0042"]),
    ({"date_from": date(1972, 1, 1), "date_to": date(1972, 12, 31), "type": "person"}, ["hn-1972-0042"]),
])
def test_filters(filled: SearchIndex, options: dict[str, object], expected: list[str]) -> None:
    assert ids(filled, "nguyen", **options) == expected


def test_pages_of_results_and_the_total(filled: SearchIndex) -> None:
    everything = filled.search(SearchRequest(q="nguyen", limit=100))
    assert everything.total == len(everything.hits) >= 3
    first = filled.search(SearchRequest(q="nguyen", limit=2))
    second = filled.search(SearchRequest(q="nguyen", limit=2, offset=2))
    assert first.total == second.total == everything.total
    assert [h.id for h in first.hits + second.hits] == [h.id for h in everything.hits[:4]]
    assert filled.search(SearchRequest(q="nguyen", offset=500)).hits == []


def test_sorting_by_date(filled: SearchIndex) -> None:
    oldest_first = ids(filled, "nguyen", type="person", sort="date")
    assert oldest_first == ["hn-1971-0007", "hn-1972-0042"]
    assert ids(filled, "nguyen", type="person", sort="-date") == oldest_first[::-1]


def test_snippets_mark_the_words_that_matched_even_misread(filled: SearchIndex) -> None:
    page = filled.search(SearchRequest(q="nguyen van thanh", type="page")).hits[0]
    marked = [page.snippet[start:end] for start, end in page.highlights]
    assert marked[:3] == ["Nguyễn", "Vǎn", "Thànk"]
    assert set(marked[3:]) <= {"tháng"}, "one edit from thanh, as the index matched it"
    assert (page.scan_id, page.page_number) == (3, 1)


def test_when_no_record_has_every_word_some_are_shown(filled: SearchIndex) -> None:
    result = filled.search(SearchRequest(q="Trần Thị Hoa Quảng Ngãi"))
    assert result.relaxed
    assert result.hits[0].id == "hn-1968-0100"


def test_writes_replace_and_delete(index: SearchIndex) -> None:
    index.upsert(ALL)
    index.commit()
    assert index.count() == len(ALL)
    renamed = person("hn-1968-0100", "Trần Thị Huệ")
    index.upsert([renamed])
    index.delete(["unit:f308", "unit:does-not-exist"])
    index.commit()
    assert index.count() == len(ALL) - 1
    assert ids(index, "tran thi hue") == ["hn-1968-0100"]
    assert ids(index, '"tran thi hoa"') == []
    index.clear()
    index.commit()
    assert index.count() == 0


def test_a_rebuild_is_searched_only_once_it_is_switched_in(index: SearchIndex) -> None:
    index.upsert([THANH])
    index.commit()
    fresh = index.new_generation()
    fresh.upsert([OTHER])
    fresh.commit()
    assert ids(index, '"tran thi hoa"') == [], "the live index answers during the rebuild"
    assert ids(index, '"nguyen van thanh"') == ["hn-1972-0042"]
    fresh.promote()
    assert ids(index, '"tran thi hoa"') == ["hn-1968-0100"]
    assert ids(index, '"nguyen van thanh"') == []


def test_recall_of_names_without_diacritics_and_with_ocr_errors(index: SearchIndex) -> None:
    corpus = people(3000)
    index.upsert(corpus)
    index.commit()
    rng = random.Random(11)
    targets = rng.sample(corpus, 200)
    found_in_ten = exact_first = 0
    for target in targets:
        query = strip_marks(misread(target.title, rng.choice([1, 2]), rng))
        found_in_ten += target.id in ids(index, query, type="person", limit=10)
        first = index.search(SearchRequest(q=target.title, type="person", limit=1)).hits[0]
        exact_first += first.title == target.title  # a namesake with the very same name ties
    assert found_in_ten / len(targets) >= 0.95, found_in_ten
    assert exact_first == len(targets)


# --- graves: the same document builder the archive feeds the index with, on every backend ----

TRUONG_SON = Cemetery(id="nt-truong-son", name="Nghĩa trang liệt sĩ quốc gia Trường Sơn",
                      commune="Vĩnh Trường", district="Gio Linh", province="Quảng Trị")
BEN_TRE = Cemetery(id="nt-ben-tre", name="Nghĩa trang liệt sĩ tỉnh Bến Tre", province="Bến Tre")


def grave(gid: str, cemetery: Cemetery, position: tuple[str, str, str, str], status: str,
          **stone: object) -> IndexDocument:
    zone, lot, row, number = position
    stored = Grave(id=gid, cemetery_id=cemetery.id, zone=zone, lot=lot, row=row, number=number, status=status,
                   **stone)
    return grave_document(stored, cemetery, Registry([]))


GRAVE_THANH = grave("ts-b-3-4-12", TRUONG_SON, ("B", "3", "4", "12"), "named", name="Nguyễn Văn Thành",
                    birth_year=1950, hometown="xã Yên Phong, tỉnh Hà Bắc", unit_text="c2 d5 e88 f308",
                    death_date="1972-07-15")
GRAVE_THANH_PLAIN = grave("bt-1-2-3", BEN_TRE, ("", "1", "2", "3"), "named", name="Nguyễn Văn Thanh",
                          death_date="1968-02")
GRAVE_UNNAMED = grave("ts-b-3-4-13", TRUONG_SON, ("B", "3", "4", "13"), "unidentified",
                      remains_place="xã Hải Phú, huyện Hải Lăng, tỉnh Quảng Trị")
GRAVE_PARTIAL = grave("ts-a-1-1-1", TRUONG_SON, ("A", "1", "1", "1"), "partial", unit_text="e88",
                      death_date="1972")
GRAVE_NO_REMAINS = grave("bt-9", BEN_TRE, ("", "", "", "9"), "named_no_remains", name="Lê Văn Tám")
GRAVES = [GRAVE_THANH, GRAVE_THANH_PLAIN, GRAVE_UNNAMED, GRAVE_PARTIAL, GRAVE_NO_REMAINS]


@pytest.fixture
def with_graves(filled: SearchIndex) -> SearchIndex:
    filled.upsert(GRAVES)
    filled.commit()
    return filled


def test_graves_are_found_by_the_name_on_the_stone_with_or_without_marks(with_graves: SearchIndex) -> None:
    assert set(ids(with_graves, "nguyen van thanh", type="grave")) == {"ts-b-3-4-12", "bt-1-2-3"}
    assert ids(with_graves, "Nguyễn Văn Thành", type="grave")[0] == "ts-b-3-4-12"
    assert ids(with_graves, "Nguyễn Văn Thanh", type="grave")[0] == "bt-1-2-3"
    everything = ids(with_graves, "nguyen van thanh")
    assert {"ts-b-3-4-12", "bt-1-2-3", "hn-1972-0042", "hn-1971-0007"} <= set(everything)


@pytest.mark.parametrize("query", ["Nguyễn Vǎn Thànk", "nguyen vam thamh", "Ngyen Van Thanh"])
def test_graves_are_found_through_ocr_errors(with_graves: SearchIndex, query: str) -> None:
    assert "ts-b-3-4-12" in ids(with_graves, query, type="grave")
    assert ids(with_graves, "le vam tam", type="grave") == ["bt-9"]


def test_type_grave_holds_graves_only(with_graves: SearchIndex) -> None:
    found = with_graves.search(SearchRequest(q="nguyen", type="grave", limit=100)).hits
    assert {hit.type for hit in found} == {"grave"}
    assert {hit.id for hit in found} == {"ts-b-3-4-12", "bt-1-2-3"}
    assert "ts-b-3-4-12" not in ids(with_graves, "nguyen", type="person")


@pytest.mark.parametrize(("query", "options", "expected"), [
    ("nguyen", {"cemetery": "nt-truong-son"}, ["ts-b-3-4-12"]),
    ("nguyen", {"cemetery": "nt-ben-tre"}, ["bt-1-2-3"]),
    ("nguyen", {"province": "quang tri"}, ["ts-b-3-4-12"]),
    ("nguyen", {"province": "Bến Tre", "type": "grave"}, ["bt-1-2-3"]),
    ("nguyen", {"province": "Hà Bắc", "type": "grave"}, []),  # his hometown, not where he lies
    ("tam", {"status": "named_no_remains"}, ["bt-9"]),
    ("truong son", {"status": "unidentified"}, ["ts-b-3-4-13"]),
    ("truong son", {"status": "partial", "cemetery": "nt-truong-son"}, ["ts-a-1-1-1"]),
    ("nguyen", {"status": "named", "date_from": date(1972, 1, 1), "date_to": date(1972, 12, 31)},
     ["ts-b-3-4-12"]),
    ("nguyen", {"cemetery": "nt-does-not-exist"}, []),
])
def test_grave_filters(with_graves: SearchIndex, query: str, options: dict[str, object],
                       expected: list[str]) -> None:
    assert ids(with_graves, query, **options) == expected


@pytest.mark.parametrize(("query", "options", "expected"), [
    ("mộ vô danh", {"cemetery": "nt-truong-son"}, ["ts-b-3-4-13"]),
    ("vo danh truong son", {}, ["ts-b-3-4-13"]),
    ("lô 3 hàng 4 mộ số 13", {"type": "grave"}, ["ts-b-3-4-13"]),
    ("Hải Lăng", {"type": "grave"}, ["ts-b-3-4-13"]),
    ("ts-b-3-4-13", {}, ["ts-b-3-4-13"]),
])
def test_graves_without_a_name_are_found_by_cemetery_position_status_and_origin(
        with_graves: SearchIndex, query: str, options: dict[str, object], expected: list[str]) -> None:
    assert ids(with_graves, query, **options)[:1] == expected


def test_a_grave_hit_says_name_cemetery_position_and_status(with_graves: SearchIndex) -> None:
    request = SearchRequest(q="nguyen van thanh", type="grave", cemetery="nt-truong-son")
    hit = with_graves.search(request).hits[0]
    assert hit.title == ("Nguyễn Văn Thành — Nghĩa trang liệt sĩ quốc gia Trường Sơn, "
                         "khu B, lô 3, hàng 4, mộ số 12")
    assert "có tên" in hit.snippet
    assert [hit.snippet[start:end] for start, end in hit.highlights][:3] == ["Nguyễn", "Văn", "Thành"]
    unnamed = with_graves.search(SearchRequest(q="truong son", status="unidentified")).hits[0]
    assert unnamed.title.startswith("Mộ chưa biết tên — Nghĩa trang liệt sĩ quốc gia Trường Sơn, khu B")
    assert "mộ vô danh" in unnamed.snippet


def test_the_unit_written_on_a_stone_is_a_code(with_graves: SearchIndex) -> None:
    assert set(ids(with_graves, "e88", type="grave")) == {"ts-b-3-4-12", "ts-a-1-1-1"}
    assert ids(with_graves, "e86", type="grave") == []


def test_a_grave_status_filter_matches_the_contract() -> None:
    assert get_args(GraveStatus) == GRAVE_STATUSES


def test_an_index_of_an_older_version_is_refused_until_rebuilt(tmp_path: Path) -> None:
    root = tmp_path / "index"
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", stored=True)
    tantivy.Index(builder.build(), path=str(_old_generation(root)), reuse=True)
    index = TantivyIndex(root)  # opening is fine: a rebuild needs no more
    with pytest.raises(OutdatedIndexError, match="phienhieu reindex"):
        index.search(SearchRequest(q="nguyen"))
    fresh = index.new_generation()
    fresh.upsert(GRAVES)
    fresh.promote()
    assert ids(index, "nguyen", status="named") == ["ts-b-3-4-12", "bt-1-2-3"] or \
        set(ids(index, "nguyen", status="named")) == {"ts-b-3-4-12", "bt-1-2-3"}
    index.close()
    fresh.close()


def _old_generation(root: Path) -> Path:
    folder = root / "g-old"
    folder.mkdir(parents=True)
    (root / "CURRENT").write_text("g-old")
    return folder


def test_a_cluster_index_of_an_older_version_gains_the_grave_fields() -> None:
    if not CLUSTER_URL:
        skip_or_fail("PHIENHIEU_TEST_SEARCH_URL is not set: no search cluster to test against")
    from search.cluster import ClusterIndex, cluster_index, index_mapping, index_settings

    name = f"phienhieu-old-{uuid.uuid4().hex[:8]}"  # index patterns of two templates may not overlap
    probe = cluster_index(str(CLUSTER_URL), name=f"phienhieu-probe-{uuid.uuid4().hex[:8]}")
    client = probe._client  # the engine's adapter, to make an index as an older version did
    old = index_mapping()
    old["properties"] = {key: value for key, value in old["properties"].items()
                         if key not in ("cemetery", "status")}
    client.put_template(name, [f"{name}-*"], {"settings": index_settings(), "mappings": old})
    client.create_index(f"{name}-old", {name: {}})
    index = ClusterIndex(client, name=name)
    try:
        index.upsert(GRAVES)
        index.commit()
        assert ids(index, "nguyen", cemetery="nt-ben-tre") == ["bt-1-2-3"]
    finally:
        index.drop()
        probe.drop()
        probe.close()
