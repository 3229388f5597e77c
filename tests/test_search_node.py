"""The search node end to end, with real processes: a generated scan ingested and read,
published through the outbox into OpenSearch, found through the API; the index rebuilt
beside the live one and switched in by its alias; and a node killed in the middle of
publishing loses nothing (the outbox waits with back-off until the node is back)."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from opensearchpy import OpenSearch
from PIL import Image
from sqlalchemy import func, select

from api.app import create_app
from api.context import AppContext
from archive.models import OutboxEntry
from bench.search_node import SearchNode
from bench.synth import make_page
from tests.app_client import make_settings
from tests.cli_runner import Cli
from tests.conftest import skip_or_fail
from tests.java_tools import java_problem
from usecases.persons import import_person_lines

PERSONS = [
    {"id": f"node-{number}", "full_name": name, "unit_text": "c2 d5 e88 f308", "death_date": "1972-07-15"}
    for number, name in enumerate(["Lê Văn Khải", "Phạm Thị Lụa", "Đỗ Quang Tuấn", "Vũ Đình Hậu",
                                   "Hoàng Văn Thụ"])
]


@pytest.fixture
def node(tmp_path: Path) -> Iterator[SearchNode]:
    """A node of this test's own, since the test stops it."""
    problem = java_problem()
    if problem:
        skip_or_fail(f"no search node can run here: {problem}")
    node = SearchNode(tmp_path / "node")
    node.start()
    yield node
    node.stop()


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def ingest_a_scan(cli: Cli, folder: Path) -> None:
    """A generated notice, ingested and read by one worker process."""
    folder.mkdir()
    Image.fromarray(make_page(7, dpi=200).image).save(folder / "notice.png", dpi=(200, 200))
    run = cli("ingest", str(folder), "--collection", "Phông Sư đoàn 308", "--workers", "1", "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["added"] == 1


def pending(context: AppContext) -> list[OutboxEntry]:
    """The outbox entries not yet applied to the index."""
    with context.resources.sessions() as session:
        return list(session.scalars(select(OutboxEntry)))


def search(client: TestClient, **params: str) -> dict[str, Any]:
    """A search through the API, which must answer."""
    response = client.get("/api/v1/search", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def rebuild_and_check_the_alias(cli: Cli, cluster: OpenSearch, client: TestClient,
                                page_ids: list[Any]) -> None:
    """``phienhieu reindex`` fills a new index, switches the alias to it and deletes the old
    one; the same page is found afterwards."""
    before = set(cluster.indices.get_alias(name="phienhieu"))
    run = cli("reindex", "--json")
    assert run.returncode == 0, run.stderr
    after = set(cluster.indices.get_alias(name="phienhieu"))
    assert len(after) == 1, "one index behind the alias"
    assert not after & before, "a new index, switched in by the alias"
    assert not cluster.indices.exists(index=",".join(before)), "the old index is deleted"
    assert [hit["id"] for hit in search(client, q="giay bao tu", type="page")["hits"]] == page_ids


def import_while_the_node_is_dead(node: SearchNode, context: AppContext, client: TestClient) -> None:
    """Persons imported after the node is killed wait in the outbox, each tried and failed
    with the engine's error, and a search answers 503."""
    node.stop(kill=True)
    lines = "\n".join(json.dumps(person, ensure_ascii=False) for person in PERSONS)
    import_person_lines(io.BytesIO(lines.encode()), sessions=context.resources.sessions, actor="test")
    wait_for(lambda: len(pending(context)) == len(PERSONS)
             and all(e.attempts >= 1 for e in pending(context)),
             30, "the publisher to try and fail")
    assert all("OpenSearch" in (entry.last_error or "") for entry in pending(context))
    assert client.get("/api/v1/search", params={"q": "khai"}).status_code == 503


def restart_and_check_nothing_was_lost(node: SearchNode, context: AppContext, client: TestClient) -> None:
    """Once the node is back the outbox drains: every person is found and the page survived."""
    node.start()
    wait_for(lambda: not pending(context), 60, "the outbox to drain once the node is back")
    for person in PERSONS:
        hits = search(client, q=str(person["full_name"]), type="person")["hits"]
        assert hits[0]["id"] == person["id"], person
    assert search(client, q="giay bao tu", type="page")["total"] == 1, "the page survived the kill"
    with context.resources.sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutboxEntry)) == 0


def test_ingest_publish_search_rebuild_and_a_node_killed_while_publishing(
        tmp_path: Path, node: SearchNode) -> None:
    database_url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    cli = Cli(tmp_path / "data", database_url)
    cli.env["PHIENHIEU_ELASTICSEARCH_URL"] = node.url
    ingest_a_scan(cli, tmp_path / "in")

    context = AppContext.open(make_settings(tmp_path / "data", database_url, elasticsearch_url=node.url))
    cluster = OpenSearch(hosts=[node.http_url])
    assert pending(context) == [], "ingest published the page"
    with TestClient(create_app(context=context), raise_server_exceptions=False) as client:
        page = search(client, q="giay bao tu", type="page")["hits"]
        assert [(hit["scan_id"], hit["page_number"]) for hit in page] == [(1, 1)]
        assert page[0]["boxes"], "the matching words are placed on the page"
        rebuild_and_check_the_alias(cli, cluster, client, [hit["id"] for hit in page])
        import_while_the_node_is_dead(node, context, client)
        restart_and_check_nothing_was_lost(node, context, client)
    cluster.close()
