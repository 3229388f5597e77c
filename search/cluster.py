"""Search in a cluster, Elasticsearch or OpenSearch, for when one machine's index is not enough.

One builder makes the index template (analysers and mappings), the documents and the
query bodies, in the query language both engines speak; :class:`ClusterIndex` does
everything else the same way for both, through a thin adapter of each engine's own
client (``search.elastic_backend``, ``search.opensearch_backend``): the official
``elasticsearch`` client refuses to talk to OpenSearch.

The project creates its own index template and reads and writes through an alias, so a
rebuild fills a new index and switches the alias in one step. Analysers agree with the
embedded index: lowercase + ``asciifolding`` for the folded fields, lowercase alone for
their ``exact`` subfields, keywords for codes and filters. Bulk writes retry a bounded
number of times with back-off.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from elasticsearch.dsl import Integer, Keyword, Long, Mapping, Q, Text, analyzer, token_filter
from elasticsearch.dsl.query import Query

from decoder.text import fold
from search.analysis import MAX_TOKEN_CHARS, Term, day_number, phrases, query_code_keys, terms
from search.backends import DEFAULT_NAME, backend_factory, url_scheme
from search.errors import SearchUnavailableError, UnknownBackendError
from search.model import IndexDocument, SearchHit, SearchRequest, SearchResult
from search.snippets import hit_snippet

#: Retries of a bulk chunk the cluster turned away as too busy (429).
BULK_RETRIES = 3

_LONG = token_filter("vn_long", "length", max=MAX_TOKEN_CHARS)
_FOLD = token_filter("vn_fold", "asciifolding", preserve_original=False)
_FOLDED = analyzer("vn_folded", tokenizer="standard", filter=["lowercase", _FOLD, _LONG])
_EXACT = analyzer("vn_exact", tokenizer="standard", filter=["lowercase", _LONG])


def index_settings() -> dict[str, Any]:
    """The analysers, as the index template declares them."""
    analysis: dict[str, Any] = {}
    for definition in (_FOLDED.get_analysis_definition(), _EXACT.get_analysis_definition()):
        for section, entries in definition.items():
            analysis.setdefault(section, {}).update(entries)
    return {"number_of_shards": 1, "analysis": analysis}


def index_mapping() -> dict[str, Any]:
    """The fields, as the index template declares them."""
    mapping = Mapping()
    for name in ("key", "type", "id", "collection", "cemetery", "status", "provinces", "units", "codes"):
        mapping.field(name, Keyword())
    for name in ("title", "names", "body"):
        mapping.field(name, Text(analyzer="vn_folded", fields={"exact": Text(analyzer="vn_exact")}))
    mapping.field("summary", Keyword(index=False, doc_values=False))
    mapping.field("day", Long())
    mapping.field("sort_day", Long())
    mapping.field("scan_id", Integer())
    mapping.field("page_number", Integer())
    body: dict[str, Any] = mapping.to_dict()
    body["dynamic"] = "strict"
    return body


def document_source(document: IndexDocument) -> dict[str, Any]:
    """A document as stored in the cluster."""
    days = [day_number(value) for value in document.dates]
    return {"key": document.key, "type": document.type, "id": document.id, "title": document.title,
            "names": document.names, "body": document.body, "codes": document.codes,
            "collection": document.collection, "cemetery": document.cemetery, "status": document.status,
            "provinces": [fold(p) for p in document.provinces],
            "units": document.units, "summary": document.summary, "day": days,
            "sort_day": min(days) if days else 0, "scan_id": document.scan_id,
            "page_number": document.page_number}


def word_query(word: Term, fuzzy_text: bool = True) -> Query:
    """One word of the query: folded or exact, in names or text, or within its OCR
    tolerance (in the text only when pages are searched: OCR errors live there)."""
    should = [
        Q("match", names={"query": word.folded, "boost": 3.0}),
        Q("match", body={"query": word.folded}),
        Q("match", **{"names.exact": {"query": word.exact, "boost": 2.0}}),
        Q("match", **{"body.exact": {"query": word.exact, "boost": 0.5}}),
    ]
    if word.fuzziness:
        should.append(Q("match", names={"query": word.folded, "fuzziness": word.fuzziness, "boost": 1.0}))
    if word.fuzziness and fuzzy_text:
        should.append(Q("match", body={"query": word.folded, "fuzziness": word.fuzziness, "boost": 0.5}))
    return Q("bool", should=should)


def search_body(request: SearchRequest, *, relaxed: bool = False) -> dict[str, Any]:
    """The body of ``_search`` for a request (``relaxed``: any word instead of every word)."""
    words = terms(request.q)
    matching = []
    if words:
        fuzzy_text = request.type in (None, "page")
        clauses = [word_query(word, fuzzy_text) for word in words]
        matching.append(Q("bool", should=clauses) if relaxed else Q("bool", must=clauses))
    matching += [Q("term", codes={"value": key, "boost": 8.0}) for key in sorted(query_code_keys(request.q))]
    filters = []
    if request.type:
        filters.append(Q("term", type=request.type))
    for name in ("collection", "cemetery", "status"):
        if getattr(request, name):
            filters.append(Q("term", **{name: getattr(request, name)}))
    if request.province:
        filters.append(Q("term", provinces=fold(request.province.strip())))
    if request.unit:
        filters.append(Q("term", units=request.unit))
    if request.date_from or request.date_to:
        bounds = {}
        if request.date_from:
            bounds["gte"] = day_number(request.date_from)
        if request.date_to:
            bounds["lte"] = day_number(request.date_to)
        filters.append(Q("range", day=bounds))
    must = [Q("bool", should=matching, minimum_should_match=1)]
    must += [Q("match_phrase", body=" ".join(word.folded for word in phrase))
             for phrase in phrases(request.q)]
    query = Q("bool", must=must, filter=filters)
    body: dict[str, Any] = {"query": query.to_dict(), "from": request.offset, "size": request.limit,
                            "track_total_hits": True}
    if request.sort != "relevance":
        body["sort"] = [{"sort_day": {"order": "asc" if request.sort == "date" else "desc"}}]
    return body


class ClusterClient(Protocol):
    """What :class:`ClusterIndex` asks of an engine's client; bodies are the builder's dicts."""

    #: The engine's name, for messages.
    product: str
    #: The client's errors that mean the cluster could not do what was asked.
    errors: tuple[type[Exception], ...]

    def put_template(self, name: str, patterns: list[str], template: dict[str, Any]) -> None: ...
    def put_mapping(self, index: str, mapping: dict[str, Any]) -> None: ...
    def index_exists(self, index: str) -> bool: ...
    def create_index(self, index: str, aliases: dict[str, Any] | None = None) -> None: ...
    def alias_exists(self, name: str) -> bool: ...
    def get_alias(self, name: str) -> dict[str, Any]: ...
    def update_aliases(self, actions: list[dict[str, Any]]) -> None: ...
    def delete_index(self, index: str) -> None: ...
    def delete_template(self, name: str) -> None: ...
    def bulk(self, actions: Iterable[dict[str, Any]], ignore_status: tuple[int, ...]) -> None: ...
    def refresh(self, index: str) -> None: ...
    def delete_all(self, index: str) -> None: ...
    def count(self, index: str) -> int: ...
    def search(self, index: str, body: dict[str, Any]) -> dict[str, Any]: ...
    def close(self) -> None: ...


class ClusterIndex:
    """Documents in a cluster, through the alias ``name``.

    Args:
        client: the engine's adapter.
        name: the alias (and the prefix of the physical indices).
        physical: write to this index instead of the alias (for a rebuild).
    """

    def __init__(self, client: ClusterClient, *, name: str = "phienhieu",
                 physical: str | None = None) -> None:
        self._client = client
        self.name = name
        self._physical = physical
        self._ensure()

    def _call(self, what: str, function: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except self._client.errors as error:
            raise SearchUnavailableError(f"{self._client.product} could not {what} ({error}).") from None

    def _ensure(self) -> None:
        client = self._client
        self._call("store the index template", client.put_template, self.name, [f"{self.name}-*"],
                   {"settings": index_settings(), "mappings": index_mapping()})
        if self._physical:
            if not self._call("look up the index", client.index_exists, self._physical):
                self._call("create the index", client.create_index, self._physical)
        elif not self._call("look up the alias", client.alias_exists, self.name):
            self._call("create the index", client.create_index, f"{self.name}-initial", {self.name: {}})
        else:  # an index made by an older version gains the fields added since (never loses one)
            self._call("add the new fields to the index", client.put_mapping, self.name, index_mapping())

    @property
    def _target(self) -> str:
        return self._physical or self.name

    def new_generation(self) -> ClusterIndex:
        """An empty physical index for a rebuild, not yet behind the alias."""
        physical = f"{self.name}-{time.strftime('%Y%m%dt%H%M%S')}-{os.urandom(3).hex()}"
        return ClusterIndex(self._client, name=self.name, physical=physical)

    def promote(self) -> None:
        """Put this physical index behind the alias, alone, and delete the older ones."""
        assert self._physical, "only a new generation can be promoted"
        self.commit()
        current = self._call("read the alias", self._client.get_alias, self.name)
        actions: list[dict[str, Any]] = [{"remove": {"index": old, "alias": self.name}} for old in current]
        actions.append({"add": {"index": self._physical, "alias": self.name}})
        self._call("switch the alias", self._client.update_aliases, actions)
        for old in current:
            if old != self._physical:
                self._call("delete an old index", self._client.delete_index, old)
        self._physical = None

    def upsert(self, documents: Sequence[IndexDocument]) -> None:
        """Index documents by key, in bulk, with bounded retries."""
        self._call("store the documents", self._client.bulk, (
            {"_op_type": "index", "_index": self._target, "_id": document.key,
             "_source": document_source(document)} for document in documents), ())

    def delete(self, keys: Sequence[str]) -> None:
        """Delete documents by key; missing ones are ignored."""
        self._call("delete the documents", self._client.bulk, (
            {"_op_type": "delete", "_index": self._target, "_id": key} for key in keys), (404,))

    def commit(self) -> None:
        """Refresh, so what was written can be searched."""
        self._call("refresh", self._client.refresh, self._target)

    def clear(self) -> None:
        """Remove every document."""
        self._call("clear the index", self._client.delete_all, self._target)

    def count(self) -> int:
        """Documents searchable now."""
        return int(self._call("count", self._client.count, self._target))

    def search(self, request: SearchRequest) -> SearchResult:
        """Run a search, every word required, or any word when none has them all."""
        words = terms(request.q)
        response = self._search(search_body(request))
        relaxed = False
        if response["hits"]["total"]["value"] == 0 and len(words) > 1:
            response, relaxed = self._search(search_body(request, relaxed=True)), True
        hits = []
        for hit in response["hits"]["hits"]:
            source = hit["_source"]
            text, highlights = hit_snippet(source.get("body") or "", source.get("summary"), words)
            hits.append(SearchHit(
                type=source["type"], id=source["id"], score=round(hit.get("_score") or 0.0, 4),
                title=source["title"], snippet=text, highlights=highlights,
                scan_id=source.get("scan_id"), page_number=source.get("page_number")))
        return SearchResult(total=response["hits"]["total"]["value"], hits=hits, relaxed=relaxed)

    def _search(self, body: dict[str, Any]) -> Any:
        return self._call("search", self._client.search, self._target, body)

    def drop(self) -> None:
        """Delete every index of this alias and its template (for tests and benchmarks)."""
        self._call("delete the indices", self._client.delete_index, f"{self.name}-*")
        self._call("delete the index template", self._client.delete_template, self.name)

    def close(self) -> None:
        """Close the connections."""
        self._client.close()


def cluster_index(url: str, *, name: str = DEFAULT_NAME) -> ClusterIndex:
    """The index behind the alias ``name`` in the cluster at ``url``, whose scheme picks
    the engine as for :func:`search.backends.open_index`: ``opensearch://host:port`` (or
    ``opensearch+https://``) for OpenSearch, ``http(s)://`` for Elasticsearch.

    Raises:
        UnknownBackendError: the URL names no cluster.
    """
    index = backend_factory(url)(url, data_dir=None, name=name)
    if not isinstance(index, ClusterIndex):
        index.close()
        raise UnknownBackendError(f"The search URL's scheme '{url_scheme(url)}://' names no cluster.")
    return index
