"""The OpenSearch backend: the official ``opensearch-py`` client under :class:`ClusterIndex`
(the ``elasticsearch`` client refuses to talk to OpenSearch)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from opensearchpy import OpenSearch, OpenSearchException, helpers

from search.backends import DEFAULT_NAME, url_scheme
from search.cluster import BULK_RETRIES, ClusterIndex


class OpenSearchClient:
    """The calls :class:`ClusterIndex` makes, in the ``opensearch-py`` client's words."""

    product = "OpenSearch"
    errors: tuple[type[Exception], ...] = (OpenSearchException, helpers.BulkIndexError)

    def __init__(self, url: str, client: OpenSearch | None = None) -> None:
        self.client = client or OpenSearch(hosts=[url], timeout=30, retry_on_timeout=True, max_retries=3)

    def put_template(self, name: str, patterns: list[str], template: dict[str, Any]) -> None:
        self.client.indices.put_index_template(name=name, body={"index_patterns": patterns,
                                                                "template": template})

    def put_mapping(self, index: str, mapping: dict[str, Any]) -> None:
        self.client.indices.put_mapping(index=index, body=mapping)

    def index_exists(self, index: str) -> bool:
        return bool(self.client.indices.exists(index=index))

    def create_index(self, index: str, aliases: dict[str, Any] | None = None) -> None:
        self.client.indices.create(index=index, body={"aliases": aliases} if aliases else None)

    def alias_exists(self, name: str) -> bool:
        return bool(self.client.indices.exists_alias(name=name))

    def get_alias(self, name: str) -> dict[str, Any]:
        return dict(self.client.indices.get_alias(name=name))

    def update_aliases(self, actions: list[dict[str, Any]]) -> None:
        self.client.indices.update_aliases(body={"actions": actions})

    def delete_index(self, index: str) -> None:
        self.client.indices.delete(index=index)

    def delete_template(self, name: str) -> None:
        self.client.indices.delete_index_template(name=name)

    def bulk(self, actions: Iterable[dict[str, Any]], ignore_status: tuple[int, ...]) -> None:
        for _ in helpers.streaming_bulk(self.client, actions, max_retries=BULK_RETRIES, initial_backoff=1,
                                        max_backoff=30, ignore_status=ignore_status, yield_ok=False):
            pass

    def refresh(self, index: str) -> None:
        self.client.indices.refresh(index=index)

    def delete_all(self, index: str) -> None:
        self.client.delete_by_query(index=index, body={"query": {"match_all": {}}}, refresh=True)

    def count(self, index: str) -> int:
        return int(self.client.count(index=index)["count"])

    def search(self, index: str, body: dict[str, Any]) -> dict[str, Any]:
        return dict(self.client.search(index=index, body=body))

    def close(self) -> None:
        self.client.close()


def transport_url(url: str) -> str:
    """The address the client is given: ``opensearch://`` and ``opensearch+http://``
    become ``http://``, ``opensearch+https://`` becomes ``https://``."""
    _, _, transport = url_scheme(url).partition("+")
    return f"{transport or 'http'}://{url.partition('://')[2]}"


def open_opensearch(url: str | None, *, data_dir: Path | None = None,
                    name: str = DEFAULT_NAME) -> ClusterIndex:
    """The index behind the alias ``name`` in the OpenSearch cluster at an
    ``opensearch://`` URL (``data_dir`` means nothing to it)."""
    assert url, "a cluster is named by its URL"
    return ClusterIndex(OpenSearchClient(transport_url(url)), name=name)
