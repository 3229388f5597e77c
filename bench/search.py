"""Search at national scale: generated person records and pages, indexed with the embedded
tantivy index or in a single OpenSearch node on this machine, then timed queries.

Reports the indexing rate, the index size on disk, latency p50/p99 of name queries
(without diacritics, with one or two OCR-style errors; among persons, then among
everything), code queries (``e88``, ``47120
HN``) and full-text queries (words from the pages), and the peak memory of each process
(this one, and the node's JVM).

Run: ``.venv/bin/python -m bench.search [--backend embedded|node] [--persons 1200000]
[--pages 100000] [--queries 500]``; ``--backend node`` starts its own node
(scripts/java/search-node, ``--node-heap``) and stops it afterwards.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench.people import misread, person, strip_marks
from bench.search_node import SearchNode
from bench.synth import death_notice_lines, letter_lines
from search.cluster import ClusterIndex, cluster_index
from search.model import IndexDocument, SearchRequest
from search.protocol import SearchIndex
from search.tantivy_backend import TantivyIndex

_BATCH = 20_000


def persons(count: int, seed: int = 7) -> Iterator[IndexDocument]:
    """Generated martyr records, streamed."""
    rng = random.Random(seed)
    for index in range(count):
        yield person(index, rng)


def pages(count: int, seed: int = 9) -> Iterator[IndexDocument]:
    """Generated pages: death notices and letters, streamed."""
    rng = random.Random(seed)
    for index in range(count):
        lines = death_notice_lines(rng) if index % 2 else letter_lines(rng)
        yield IndexDocument(type="page", id=str(index), title=f"scan {index} — trang 1",
                            body="\n".join(lines), collection=f"Phông {index % 50}", scan_id=index,
                            page_number=1)


def index_all(index: SearchIndex, documents: Iterator[IndexDocument]) -> int:
    """Write every document in batches; returns how many."""
    count, batch = 0, []
    for document in documents:
        batch.append(document)
        if len(batch) >= _BATCH:
            index.upsert(batch)
            count += len(batch)
            batch = []
    index.upsert(batch)
    index.commit()
    return count + len(batch)


def latency(index: SearchIndex, queries: list[SearchRequest]) -> dict[str, float]:
    """p50 and p99 of the queries, in milliseconds, after a tenth of them untimed (a JVM
    compiles its hot paths meanwhile)."""
    for request in queries[:len(queries) // 10]:
        index.search(request)
    times = []
    for request in queries:
        started = time.perf_counter()
        index.search(request)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2),
            "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 2)}


def cluster_size(index: ClusterIndex) -> int:
    """Bytes the alias's index takes on the node's disk, once flushed."""
    client: Any = index._client.client  # type: ignore[attr-defined]
    client.indices.flush(index=index.name)
    return int(client.indices.stats(index=index.name)["_all"]["total"]["store"]["size_in_bytes"])


def run(person_count: int, page_count: int, query_count: int, *, backend: str = "embedded",
        node_heap: str = "1g") -> dict[str, Any]:
    """Index, then time each kind of query."""
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        node: SearchNode | None = None
        index: SearchIndex
        if backend == "node":
            node = SearchNode(Path(folder) / "node", heap=node_heap, quick_start=False)
            node_start_s = node.start()
            stack.callback(node.stop)
            index = cluster_index(node.url, name="bench")
        else:
            index = TantivyIndex(Path(folder))
        started = time.perf_counter()
        indexed = index_all(index, persons(person_count)) + index_all(index, pages(page_count))
        seconds = time.perf_counter() - started
        if isinstance(index, ClusterIndex):
            size = cluster_size(index)
        else:
            size = sum(path.stat().st_size for path in Path(folder).rglob("*") if path.is_file())
        names = [p.title for p in persons(min(person_count, 50_000))]
        name_queries = [SearchRequest(q=strip_marks(misread(name, rng.choice([1, 2]), rng)), type="person")
                        for name in rng.sample(names, query_count)]
        code_queries = [SearchRequest(q=rng.choice([f"e{rng.randint(1, 270)}", f"f{rng.randint(300, 340)}",
                                                    f"p{rng.randrange(person_count):07d}"]))
                        for _ in range(query_count)]
        words = ["hy sinh", "giấy báo tử", "hòm thư", "quê quán thái bình", "mẹ kính yêu", "trung sĩ"]
        text_queries = [SearchRequest(q=rng.choice(words), type="page") for _ in range(query_count)]
        untyped = [SearchRequest(q=request.q) for request in name_queries]
        timings: dict[str, Callable[[], dict[str, float]]] = {
            "name": lambda: latency(index, name_queries),
            "name_any_type": lambda: latency(index, untyped),
            "code": lambda: latency(index, code_queries),
            "full_text": lambda: latency(index, text_queries)}
        results = {kind: measure() for kind, measure in timings.items()}
        index.close()
        report: dict[str, Any] = {
            "backend": backend, "persons": person_count, "pages": page_count, "documents": indexed,
            "index_seconds": round(seconds, 1), "docs_per_second": round(indexed / seconds),
            "index_mb": round(size / 1e6, 1), "queries": results,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
        if node is not None:
            report |= {"node_start_seconds": round(node_start_s, 1), "node_heap": node_heap,
                       "node_peak_rss_mb": round(node.peak_rss_mb())}
    return report


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_200_000)
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--backend", choices=["embedded", "node"], default="embedded",
                        help="the embedded tantivy index, or a single OpenSearch node started for the run")
    parser.add_argument("--node-heap", default="1g", help="the node's JVM heap (-Xms and -Xmx)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    report = run(args.persons, args.pages, args.queries, backend=args.backend, node_heap=args.node_heap)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{report['backend']}: {report['persons']:,} persons + {report['pages']:,} pages: "
          f"{report['index_seconds']} s ({report['docs_per_second']:,} documents/s), "
          f"{report['index_mb']} MB on disk, peak memory {report['peak_rss_mb']} MB")
    if "node_peak_rss_mb" in report:
        print(f"node: started in {report['node_start_seconds']} s, heap {report['node_heap']}, "
              f"peak memory {report['node_peak_rss_mb']} MB")
    for kind, figures in report["queries"].items():
        print(f"{kind:<14} p50 {figures['p50_ms']:>7} ms   p99 {figures['p99_ms']:>7} ms")


if __name__ == "__main__":
    main()
