"""The Elasticsearch backend: the official ``elasticsearch`` client under :class:`ClusterIndex`."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from elasticsearch import ApiError, Elasticsearch, TransportError, helpers

from search.backends import DEFAULT_NAME
from search.cluster import BULK_RETRIES, ClusterIndex


class ElasticClient:
    """The calls :class:`ClusterIndex` makes, in the ``elasticsearch`` client's words."""

    product = "Elasticsearch"
    errors: tuple[type[Exception], ...] = (ApiError, TransportError, helpers.BulkIndexError)

    def __init__(self, url: str, client: Elasticsearch | None = None) -> None:
        self.client = client or Elasticsearch(url, request_timeout=30, retry_on_timeout=True, max_retries=3)

    def put_template(self, name: str, patterns: list[str], template: dict[str, Any]) -> None:
        self.client.indices.put_index_template(name=name, index_patterns=patterns, template=template)

    def put_mapping(self, index: str, mapping: dict[str, Any]) -> None:
        self.client.indices.put_mapping(index=index, **mapping)

    def index_exists(self, index: str) -> bool:
        return bool(self.client.indices.exists(index=index))

    def create_index(self, index: str, aliases: dict[str, Any] | None = None) -> None:
        self.client.indices.create(index=index, aliases=aliases)

    def alias_exists(self, name: str) -> bool:
        return bool(self.client.indices.exists_alias(name=name))

    def get_alias(self, name: str) -> dict[str, Any]:
        return dict(self.client.indices.get_alias(name=name))

    def update_aliases(self, actions: list[dict[str, Any]]) -> None:
        self.client.indices.update_aliases(actions=actions)

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
        self.client.delete_by_query(index=index, query={"match_all": {}}, refresh=True)

    def count(self, index: str) -> int:
        return int(self.client.count(index=index)["count"])

    def search(self, index: str, body: dict[str, Any]) -> dict[str, Any]:
        # ``from`` is ``from_`` among the client's keyword arguments
        arguments = {("from_" if key == "from" else key): value for key, value in body.items()}
        return dict(self.client.search(index=index, **arguments))

    def close(self) -> None:
        self.client.close()


class ElasticIndex(ClusterIndex):
    """Documents in an Elasticsearch cluster, through the alias ``name``."""

    def __init__(self, url: str, *, name: str = "phienhieu", physical: str | None = None) -> None:
        super().__init__(ElasticClient(url), name=name, physical=physical)


def open_elasticsearch(url: str | None, *, data_dir: Path | None = None,
                       name: str = DEFAULT_NAME) -> ClusterIndex:
    """The index behind the alias ``name`` in the Elasticsearch cluster at an
    ``http(s)://`` URL (``data_dir`` means nothing to it)."""
    assert url, "a cluster is named by its URL"
    return ClusterIndex(ElasticClient(url), name=name)
