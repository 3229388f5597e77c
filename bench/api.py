"""The HTTP API under load, on loopback: requests per second and latency for decode and
search with 50 concurrent clients, against ``phienhieu serve`` as a user runs it.

The server gets the demo registry and 20,000 generated person records; each client sends
its next request as soon as the last one is answered, for ``--seconds`` per endpoint.
The clients are spread over a few processes, so the load generator is not what limits
the figures (on a small machine it still shares the cores with the server).

Run: ``.venv/bin/python -m bench.api [--clients 50] [--seconds 20] [--json]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from bench.people import misread, people, strip_marks

DECODE_TEXTS = ["c2 d5 e88 f308", "Hòm thư 47120 HN", "Công trường 9", "e209 f312", "Sư đoàn 308",
                "Đại đội 2, Tiểu đoàn 5, Trung đoàn 88", "KT 47120-B5", "Đơn vị: c1 d8 e86 f304"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(data_dir: Path, persons: int) -> tuple[subprocess.Popen[bytes], str, list[str]]:
    """Load the data and start ``phienhieu serve``; returns it, its address, and names."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHIENHIEU_")}
    env |= {"PHIENHIEU_DATA_DIR": str(data_dir), "PHIENHIEU_OCR_WORKERS": "0"}
    command = [sys.executable, "-m", "api.cli"]
    subprocess.run([*command, "demo"], env=env, check=True, capture_output=True)
    records = people(persons)
    lines = "\n".join(json.dumps({"id": r.id, "full_name": r.title, "unit_text": " ".join(r.codes[1:])},
                                 ensure_ascii=False) for r in records)
    source = data_dir / "persons.jsonl"
    source.write_text(lines + "\n", encoding="utf-8")
    subprocess.run([*command, "persons", "import", str(source)], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([*command, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            raise SystemExit("the server did not start")
        time.sleep(0.2)
    return server, base, [r.title for r in records]


async def load(base: str, clients: int, seconds: float, make: Callable[[random.Random], httpx.Request]
               ) -> dict[str, Any]:
    """Run ``clients`` loops of requests for ``seconds``; latency and errors of each."""
    times: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        stop = time.monotonic() + seconds

        async def loop(seed: int) -> None:
            nonlocal errors
            rng = random.Random(seed)
            while time.monotonic() < stop:
                request = make(rng)
                started = time.perf_counter()
                response = await client.send(client.build_request(request.method, request.url,
                                                                  content=request.content,
                                                                  headers=request.headers))
                times.append((time.perf_counter() - started) * 1000)
                errors += response.status_code != 200

        started = time.monotonic()
        await asyncio.gather(*(loop(seed) for seed in range(clients)))
        elapsed = time.monotonic() - started
    return {"times": times, "errors": errors, "elapsed": elapsed}


def decode_request(rng: random.Random, names: list[str]) -> httpx.Request:
    """A decode of one of the usual designations."""
    return httpx.Request("POST", "/api/v1/decode", json={"text": rng.choice(DECODE_TEXTS), "date": "1972"})


def search_request(rng: random.Random, names: list[str]) -> httpx.Request:
    """A family's search: a name without diacritics, with an OCR-style error."""
    query = strip_marks(misread(rng.choice(names), 1, rng))
    return httpx.Request("GET", "/api/v1/search", params={"q": query, "type": "person"})


def _load_in_process(job: tuple[str, int, float, str, list[str]]) -> dict[str, Any]:
    base, clients, seconds, kind, names = job
    maker = decode_request if kind == "decode" else search_request
    return asyncio.run(load(base, clients, seconds, lambda rng: maker(rng, names)))


def run(clients: int, seconds: float, persons: int, processes: int) -> dict[str, Any]:
    """Start the server, load it from ``processes`` processes, stop it."""
    from concurrent.futures import ProcessPoolExecutor

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        server, base, names = start_server(Path(folder), persons)
        sample = names[:5000]
        try:
            with ProcessPoolExecutor(processes) as pool:
                for kind in ("decode", "search"):
                    shares = [clients // processes + (i < clients % processes) for i in range(processes)]
                    parts = list(pool.map(_load_in_process,
                                          [(base, share, seconds, kind, sample) for share in shares]))
                    results[kind] = _combine(parts, seconds)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return {"clients": clients, "processes": processes, "seconds": seconds, "persons": persons,
            "results": results}


def _combine(parts: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    times = sorted(t for part in parts for t in part["times"])
    return {"requests": len(times), "errors": sum(part["errors"] for part in parts),
            "rps": round(len(times) / seconds, 1), "p50_ms": round(times[len(times) // 2], 1),
            "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1)}


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--processes", type=int, default=4, help="load-generating processes")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    report = run(args.clients, args.seconds, args.persons, args.processes)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{report['clients']} clients in {report['processes']} processes, {report['seconds']} s per "
          f"endpoint, {report['persons']:,} persons")
    for name, row in report["results"].items():
        print(f"{name:<8}{row['rps']:>9} req/s   p50 {row['p50_ms']:>7} ms   p99 {row['p99_ms']:>7} ms"
              f"   errors {row['errors']} of {row['requests']}")


if __name__ == "__main__":
    main()
