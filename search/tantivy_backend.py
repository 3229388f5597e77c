"""The embedded search index: tantivy, in the data dir, no server to run.

The index lives in a *generation* folder named by ``CURRENT``; a rebuild fills a new
generation and switches ``CURRENT`` in one rename, so searches go on during a rebuild
and every process follows the switch at its next call. Only one process at a time can
write (tantivy's lock); the others read. A generation built with the fields of an older
version is refused (:class:`OutdatedIndexError`) until ``phienhieu reindex`` replaces it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Filter, Occur, Query, TextAnalyzerBuilder, Tokenizer

from decoder.text import fold
from search.analysis import MAX_TOKEN_CHARS, Term, day_number, phrases, query_code_keys, terms
from search.backends import DEFAULT_NAME
from search.errors import IndexBusyError, OutdatedIndexError, SearchUnavailableError
from search.model import IndexDocument, SearchHit, SearchRequest, SearchResult
from search.snippets import hit_snippet

_WRITER_HEAP = 128 * 1024 * 1024


def _analyzers() -> dict[str, tantivy.TextAnalyzer]:
    def chain(fold_marks: bool) -> tantivy.TextAnalyzer:
        builder = (TextAnalyzerBuilder(Tokenizer.simple()).filter(Filter.remove_long(MAX_TOKEN_CHARS + 1))
                   .filter(Filter.lowercase()))
        return (builder.filter(Filter.ascii_fold()) if fold_marks else builder).build()

    return {"vn_folded": chain(True), "vn_exact": chain(False)}


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in ("key", "type", "id", "collection", "cemetery", "status", "provinces", "units", "codes"):
        builder.add_text_field(name, stored=name in ("key", "type", "id"), tokenizer_name="raw",
                               index_option="basic")
    builder.add_text_field("title", stored=True, tokenizer_name="vn_folded")
    builder.add_text_field("names", tokenizer_name="vn_folded")
    builder.add_text_field("names_exact", tokenizer_name="vn_exact")
    builder.add_text_field("body", stored=True, tokenizer_name="vn_folded")
    builder.add_text_field("body_exact", tokenizer_name="vn_exact")
    builder.add_text_field("summary", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("day", indexed=True, fast=True)
    builder.add_integer_field("sort_day", fast=True)
    builder.add_integer_field("scan_id", stored=True)
    builder.add_integer_field("page_number", stored=True)
    return builder.build()


class TantivyIndex:
    """The embedded index under ``root`` (``data_dir/index``).

    Args:
        root: the folder holding the generations and ``CURRENT``.
        generation: open this generation instead of the current one (for a rebuild).
    """

    def __init__(self, root: Path, *, generation: str | None = None) -> None:
        self.root = root
        self._schema = _schema()
        self._lock = threading.RLock()
        self._pinned = generation
        self._generation = ""
        self._index: tantivy.Index | None = None
        self._writer: Any = None
        root.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OutdatedIndexError):  # said at its first use; a rebuild does not read it
            self._follow()

    # -- generations -------------------------------------------------------------------

    def new_generation(self) -> TantivyIndex:
        """An empty index in a fresh generation beside this one, not yet current."""
        name = f"g-{time.strftime('%Y%m%dT%H%M%S')}-{os.urandom(3).hex()}"
        return TantivyIndex(self.root, generation=name)

    @property
    def generation(self) -> str:
        """The generation folder this object reads and writes."""
        return self._generation

    def promote(self) -> None:
        """Make this generation the current one for every process; drop the older ones."""
        self.commit()
        temporary = self.root / f".CURRENT.{os.getpid()}"
        temporary.write_text(self._generation)
        temporary.replace(self.root / "CURRENT")
        self._pinned = None
        for folder in self.root.glob("g-*"):
            if folder.name != self._generation:
                shutil.rmtree(folder, ignore_errors=True)  # open readers keep their files

    def _current_name(self) -> str:
        if self._pinned:
            return self._pinned
        try:
            return (self.root / "CURRENT").read_text().strip()
        except FileNotFoundError:
            name = "g-initial"
            (self.root / "CURRENT").write_text(name)
            return name

    def _follow(self) -> tantivy.Index:
        """The index of the current generation, reopened when another process switched it."""
        with self._lock:
            name = self._current_name()
            if self._index is None or name != self._generation:
                folder = self.root / name
                folder.mkdir(parents=True, exist_ok=True)
                try:
                    index = tantivy.Index(self._schema, path=str(folder), reuse=True)
                except ValueError as error:
                    if "schema does not match" in str(error):
                        raise OutdatedIndexError("The search index was built by an older version of "
                                                 "Phiên hiệu; rebuild it with `phienhieu reindex`.") from None
                    raise SearchUnavailableError(f"The search index cannot be opened ({error}).") from None
                for analyzer_name, analyzer in _analyzers().items():
                    index.register_tokenizer(analyzer_name, analyzer)
                self._close_writer()
                self._index, self._generation = index, name
            return self._index

    def _writer_for(self) -> Any:
        index = self._follow()
        if self._writer is None:
            try:
                self._writer = index.writer(heap_size=_WRITER_HEAP, num_threads=1)
            except ValueError as error:
                if "LockBusy" in str(error):
                    raise IndexBusyError("Another process is writing the search index.") from None
                raise SearchUnavailableError(f"The search index cannot be written ({error}).") from None
        return self._writer

    def _close_writer(self) -> None:
        if self._writer is not None:
            self._writer.rollback()
            self._writer = None

    # -- writing -----------------------------------------------------------------------

    def upsert(self, documents: Sequence[IndexDocument]) -> None:
        """Add documents, replacing those with the same key."""
        with self._lock:
            writer = self._writer_for()
            for document in documents:
                writer.delete_documents_by_term("key", document.key)
                writer.add_document(self._to_tantivy(document))

    def delete(self, keys: Sequence[str]) -> None:
        """Remove documents by key."""
        with self._lock:
            writer = self._writer_for()
            for key in keys:
                writer.delete_documents_by_term("key", key)

    def commit(self) -> None:
        """Make the writes durable and searchable."""
        with self._lock:
            if self._writer is not None:
                self._writer.commit()
                self._writer.wait_merging_threads()
                self._writer = None
                assert self._index is not None
                self._index.reload()

    def clear(self) -> None:
        """Remove every document."""
        with self._lock:
            self._writer_for().delete_all_documents()

    def close(self) -> None:
        """Give up the writer (uncommitted writes are dropped)."""
        with self._lock:
            self._close_writer()

    def _to_tantivy(self, document: IndexDocument) -> tantivy.Document:
        days = [day_number(value) for value in document.dates]
        fields: dict[str, Any] = {
            "key": document.key, "type": document.type, "id": document.id,
            "title": document.title, "body": document.body, "body_exact": document.body,
            "names": document.names, "names_exact": document.names, "codes": document.codes,
            "provinces": [fold(p) for p in document.provinces], "units": document.units,
            "summary": document.summary, "day": days, "sort_day": min(days) if days else 0,
        }
        for name in ("collection", "cemetery", "status"):
            if getattr(document, name):
                fields[name] = getattr(document, name)
        if document.scan_id is not None:
            fields["scan_id"] = document.scan_id
        if document.page_number is not None:
            fields["page_number"] = document.page_number
        return tantivy.Document(**{name: value for name, value in fields.items() if value != []})

    # -- reading -----------------------------------------------------------------------

    def count(self) -> int:
        """Documents searchable now."""
        index = self._follow()
        index.reload()
        return int(index.searcher().num_docs)

    def search(self, request: SearchRequest) -> SearchResult:
        """Run a search (see :mod:`search.analysis` for how words and codes match)."""
        index = self._follow()
        index.reload()
        searcher = index.searcher()
        words = terms(request.q)
        result = self._run(searcher, request, words, Occur.Must)
        relaxed = False
        if result.count == 0 and len(words) > 1:
            result, relaxed = self._run(searcher, request, words, Occur.Should), True
        hits = []
        for score, address in result.hits:
            stored = searcher.doc(address)
            hits.append(self._hit(stored, float(score), words))
        return SearchResult(total=int(result.count), hits=hits, relaxed=relaxed)

    def _run(self, searcher: Any, request: SearchRequest, words: list[Term], occur: Occur) -> Any:
        schema = self._schema
        matching: list[tuple[Occur, Query]] = []
        if words:
            # OCR errors live in page text; a record's name is where a person is misspelt.
            fuzzy_text = request.type in (None, "page")
            matching.append((Occur.Should, Query.boolean_query(
                [(occur, self._word_query(word, fuzzy_text)) for word in words])))
        for key in query_code_keys(request.q):
            matching.append((Occur.Should, Query.boost_query(Query.term_query(schema, "codes", key), 8.0)))
        clauses: list[tuple[Occur, Query]] = [(Occur.Must, Query.boolean_query(matching))]
        clauses += [(Occur.Must, Query.phrase_query(schema, "body", [w.folded for w in phrase]))
                    for phrase in phrases(request.q)]
        clauses += [(Occur.Must, query) for query in self._filters(request)]
        query = Query.boolean_query(clauses)
        options: dict[str, Any] = {"limit": request.limit, "offset": request.offset, "count": True}
        if request.sort != "relevance":
            options |= {"order_by_field": "sort_day",
                        "order": tantivy.Order.Asc if request.sort == "date" else tantivy.Order.Desc}
        return searcher.search(query, **options)

    def _word_query(self, word: Term, fuzzy_text: bool) -> Query:
        schema = self._schema
        alternatives = [
            Query.boost_query(Query.term_query(schema, "names", word.folded), 3.0),
            Query.term_query(schema, "body", word.folded),
            Query.boost_query(Query.term_query(schema, "names_exact", word.exact), 2.0),
            Query.boost_query(Query.term_query(schema, "body_exact", word.exact), 0.5),
        ]
        if word.fuzziness:
            alternatives.append(Query.fuzzy_term_query(schema, "names", word.folded, distance=word.fuzziness))
        if word.fuzziness and fuzzy_text:
            alternatives.append(Query.boost_query(
                Query.fuzzy_term_query(schema, "body", word.folded, distance=word.fuzziness), 0.5))
        return Query.boolean_query([(Occur.Should, alternative) for alternative in alternatives])

    def _filters(self, request: SearchRequest) -> list[Query]:
        schema = self._schema
        filters = []
        if request.type:
            filters.append(Query.term_query(schema, "type", request.type))
        for name in ("collection", "cemetery", "status"):
            if getattr(request, name):
                filters.append(Query.term_query(schema, name, getattr(request, name)))
        if request.province:
            filters.append(Query.term_query(schema, "provinces", fold(request.province.strip())))
        if request.unit:
            filters.append(Query.term_query(schema, "units", request.unit))
        if request.date_from or request.date_to:
            filters.append(Query.range_query(
                schema, "day", tantivy.FieldType.Integer,
                day_number(request.date_from) if request.date_from else None,
                day_number(request.date_to) if request.date_to else None))
        return filters

    def _hit(self, stored: Any, score: float, words: list[Term]) -> SearchHit:
        def first(name: str) -> Any:
            values = stored.get_all(name)
            return values[0] if values else None

        text, highlights = hit_snippet(first("body") or "", first("summary"), words)
        return SearchHit(type=first("type"), id=first("id"), score=round(score, 4), title=first("title"),
                         snippet=text, highlights=highlights, scan_id=first("scan_id"),
                         page_number=first("page_number"))


def open_tantivy(url: str | None, *, data_dir: Path | None, name: str = DEFAULT_NAME) -> TantivyIndex:
    """The embedded index in ``data_dir / "index"`` (the backend of no URL; ``url`` and
    ``name`` mean nothing to it).

    Raises:
        SearchUnavailableError: no data dir was given.
    """
    if data_dir is None:
        raise SearchUnavailableError("The embedded index needs a data dir to live in.")
    return TantivyIndex(data_dir / "index")
