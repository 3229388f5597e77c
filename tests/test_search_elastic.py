"""The Elasticsearch backend without a cluster: the index template and query bodies it
builds are pinned by snapshots, and the official client carries every call it makes to a
recording stand-in for the cluster (so a parameter the client does not accept fails here)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from search.cluster import index_mapping, index_settings, search_body
from search.elastic_backend import ElasticClient, ElasticIndex
from search.model import IndexDocument, SearchRequest
from tests.conftest import Snapshot

REQUESTS = {
    "name": SearchRequest(q="Nguyễn Văn Thành"),
    "code": SearchRequest(q="47120 HN", type="person"),
    "filters": SearchRequest(q='"giay bao tu" e88', collection="Phông 308", province="Hà Bắc",
                             unit="f308", date_from=date(1972, 1, 1), date_to=date(1972, 12, 31),
                             sort="-date", limit=5, offset=10),
    "graves": SearchRequest(q="nguyen van thanh", type="grave", cemetery="nt-truong-son", status="named",
                            province="Quảng Trị"),
}


def test_the_index_template_is_pinned(snapshot: Snapshot) -> None:
    snapshot("es_template", {"settings": index_settings(), "mappings": index_mapping()})


def test_the_analysers_fold_like_the_embedded_index() -> None:
    analysis = index_settings()["analysis"]
    assert analysis["analyzer"]["vn_folded"]["filter"] == ["lowercase", "vn_fold", "vn_long"]
    assert analysis["filter"]["vn_fold"] == {"type": "asciifolding", "preserve_original": False}
    assert analysis["analyzer"]["vn_exact"]["filter"] == ["lowercase", "vn_long"]
    mapping = index_mapping()["properties"]
    assert mapping["names"]["fields"]["exact"]["analyzer"] == "vn_exact"
    assert mapping["codes"]["type"] == "keyword"


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_query_bodies_are_pinned(name: str, snapshot: Snapshot) -> None:
    snapshot(f"es_query_{name}", search_body(REQUESTS[name]))


def test_codes_numbers_and_short_words_are_never_fuzzy() -> None:
    text = json.dumps(search_body(SearchRequest(q="e88 Hòm thư 47120")))
    assert '"fuzziness": 1' in text, "hòm and thư tolerate one OCR error"
    assert '"query": "e88", "fuzziness"' not in text
    assert '"query": "47120", "fuzziness"' not in text


class Recorder(BaseHTTPRequestHandler):
    """Answers like a cluster with nothing in it, and remembers what it was asked."""

    calls: ClassVar[list[tuple[str, str, Any]]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body: Any = None
        if raw:
            lines = [json.loads(line) for line in raw.decode().splitlines() if line.strip()]
            body = lines[0] if len(lines) == 1 else lines
        self.calls.append((self.command, self.path.split("?")[0], body))
        status, payload = self._respond(self.path.split("?")[0], body)
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _respond(self, path: str, body: Any) -> tuple[int, Any]:
        if path.startswith("/_alias/") and self.command == "HEAD":
            return 404, {}
        if path.startswith("/_alias/"):
            return 200, {"phienhieu-initial": {"aliases": {"phienhieu": {}}}}
        if path == "/_bulk":
            items = [{next(iter(line)): {"status": 200}} for line in body if "_source" not in line
                     and next(iter(line)) in ("index", "delete")] if isinstance(body, list) else []
            return 200, {"errors": False, "took": 1, "items": items}
        if path.endswith("/_search"):
            return 200, {"took": 1, "timed_out": False, "hits": {"total": {"value": 1, "relation": "eq"},
                         "max_score": 2.0, "hits": [{"_index": "phienhieu-initial", "_id": "person:p1",
                         "_score": 2.0, "_source": {"type": "person", "id": "p1", "title": "Nguyễn Văn Thành",
                                                    "body": "Nguyễn Văn Thành\nc2 d5 e88 f308",
                                                    "summary": "", "scan_id": None, "page_number": None}}]}}
        if path.endswith("/_count"):
            return 200, {"count": 1}
        return 200, {"acknowledged": True}

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _answer  # noqa: N815 (http.server's names)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def cluster() -> Iterator[str]:
    Recorder.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_the_client_carries_every_call(cluster: str) -> None:
    index = ElasticIndex(cluster)
    document = IndexDocument(type="person", id="p1", title="Nguyễn Văn Thành", body="c2 d5 e88 f308",
                             names=["Nguyễn Văn Thành"], codes=["e88"], dates=[date(1972, 7, 15)])
    index.upsert([document])
    index.delete(["unit:gone"])
    index.commit()
    result = index.search(REQUESTS["name"])
    assert index.count() == 1
    index.new_generation().promote()
    index.close()
    calls = [(method, path) for method, path, _ in Recorder.calls]
    assert ("PUT", "/_index_template/phienhieu") in calls
    assert ("PUT", "/phienhieu-initial") in calls, "the first index is created behind the alias"
    assert ("POST", "/phienhieu/_refresh") in calls
    assert ("POST", "/_aliases") in calls
    template = next(body for method, path, body in Recorder.calls if path == "/_index_template/phienhieu")
    assert template["template"] == {"settings": index_settings(), "mappings": index_mapping()}
    bulk = [body for _, path, body in Recorder.calls if path == "/_bulk"]
    assert bulk[0][0] == {"index": {"_index": "phienhieu", "_id": "person:p1"}}
    assert bulk[0][1]["day"] == [(date(1972, 7, 15) - date(1970, 1, 1)).days]
    assert bulk[1] == {"delete": {"_index": "phienhieu", "_id": "unit:gone"}}
    search = next(body for _, path, body in Recorder.calls if path == "/phienhieu/_search")
    assert search == search_body(REQUESTS["name"])
    assert (result.total, result.hits[0].id) == (1, "p1")
    assert [result.hits[0].snippet[s:e] for s, e in result.hits[0].highlights] == ["Nguyễn", "Văn", "Thành"]


def test_an_index_of_an_older_version_is_given_the_new_fields(cluster: str) -> None:
    client = ElasticClient(cluster)
    client.put_mapping("phienhieu", index_mapping())
    client.close()
    assert Recorder.calls == [("PUT", "/phienhieu/_mapping", index_mapping())]
