"""Throughput of ``unspun serve`` on loopback, beside the library and the CLI on the same article.

    python -m bench.serve [--clients 1,4,16] [--workers 1,2] [--requests 200] [--repeats 30]
                          [--article allsides|specimen]

1. The article: the AllSides body whose UTF-8 size is nearest 5,000 bytes (``--article
   specimen``: ../shared/examples/content-farm-article.txt). Only its id and size are printed.
2. The library: ``pipeline.check(text)`` + ``report.to_json()`` in this process, the pipeline
   built once, ``--repeats`` times after a warm-up; the median time per article.
3. The CLI: ``unspun check --format json FILE`` as a new process, ``--cli-repeats`` times; the
   median wall time per article, process start and model loading included (what a shell loop
   over files pays).
4. The server: ``unspun serve [--workers W]`` started as its own process on a free loopback port (so the load
   generator does not share its interpreter), then for each number of clients N, N asyncio
   tasks with one httpx.AsyncClient post the article as JSON to /api/check, ``--requests``
   requests in all after a warm-up of N; each request's latency is timed with
   ``time.perf_counter``. Every answer must be a 200 with the report, or the run fails.
   Before that, the median of 100 GET /api/health from one client gives the cost of the HTTP
   round trip alone.

Figures: requests per second over the whole batch, p50 and p99 latency, and the ratio of the
server's requests/s to the library's articles/s (1 / median library time) measured above in
the same run. The table is printed and written as JSON to bench/out/serve.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def pick_article(which: str) -> tuple[str, str]:
    from bench import corpora

    if which == "specimen":
        return "specimen", corpora.specimen()
    best = None
    for doc in corpora.allsides():
        text = doc.get("text") or ""
        size = len(text.encode("utf-8"))
        if best is None or abs(size - 5000) < abs(best[2] - 5000):
            best = (str(doc.get("id")), text, size)
            if size == 5000:
                break
    if best is None:
        raise SystemExit("bench.serve: no AllSides articles found under ../shared/data")
    return f"allsides:{best[0]}", best[1]


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between closest ranks."""
    s = sorted(values)
    if len(s) == 1:
        return s[0]
    pos = (len(s) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def time_library(text: str, repeats: int) -> dict:
    import unspun

    t0 = time.perf_counter()
    pipeline = unspun.Pipeline()
    load = time.perf_counter() - t0
    for _ in range(3):
        pipeline.check(text).to_json()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        pipeline.check(text).to_json()
        times.append(time.perf_counter() - t)
    return {"load_s": load, "median_s": statistics.median(times), "min_s": min(times), "repeats": repeats}


def time_cli(text: str, repeats: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text(text, encoding="utf-8")
        cmd = [sys.executable, "-m", "unspun", "check", "--format", "json", str(path)]
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - t)
    return {"median_s": statistics.median(times), "min_s": min(times), "repeats": repeats}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "unspun", "serve", "--port", str(port), "--time-limit", "600",
         "--workers", str(workers)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    ready = 0
    for line in proc.stdout:  # blocks until every worker has started
        ready += "Application startup complete" in line
        if ready == workers:
            break
    else:
        raise SystemExit(f"bench.serve: the server did not start (exit {proc.wait()})")
    # Drain the access log so the server never blocks on a full pipe.
    import threading

    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
    return proc


async def transport(base: str, n: int = 100) -> float:
    """Median latency of GET /api/health from one client: the HTTP round trip alone, in ms."""
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await client.get("/api/health")
        times = []
        for _ in range(n):
            t = time.perf_counter()
            r = await client.get("/api/health")
            times.append(time.perf_counter() - t)
            r.raise_for_status()
    return statistics.median(times) * 1000


async def load(base: str, text: str, clients: int, requests: int) -> dict:
    import httpx

    body = json.dumps({"text": text}).encode()
    headers = {"content-type": "application/json"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=600) as client:

        async def one() -> float:
            t = time.perf_counter()
            r = await client.post("/api/check", content=body, headers=headers)
            elapsed = time.perf_counter() - t
            if r.status_code != 200 or r.json().get("schema") != "unspun.report/1":
                raise SystemExit(f"bench.serve: a request failed: {r.status_code} {r.text[:200]}")
            return elapsed

        await asyncio.gather(*(one() for _ in range(clients)))  # warm-up: one per connection
        latencies: list[float] = []
        remaining = requests

        async def worker() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                latencies.append(await one())

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        wall = time.perf_counter() - t0
    return {
        "clients": clients,
        "requests": len(latencies),
        "wall_s": wall,
        "rps": len(latencies) / wall,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", default="1,4,16", help="numbers of concurrent clients, comma-separated")
    ap.add_argument("--requests", type=int, default=200, help="requests per number of clients (default 200)")
    ap.add_argument("--repeats", type=int, default=30, help="library timings (default 30)")
    ap.add_argument("--cli-repeats", type=int, default=5, help="CLI runs (default 5)")
    ap.add_argument("--article", choices=("allsides", "specimen"), default="allsides")
    ap.add_argument("--workers", default="1", help="server processes, comma-separated to compare (default 1)")
    args = ap.parse_args(argv)
    clients = [int(c) for c in args.clients.split(",") if c.strip()]

    name, text = pick_article(args.article)
    size = len(text.encode("utf-8"))
    print(f"article: {name}, {size:,} bytes; {os.cpu_count()} CPUs; Python {platform.python_version()}")

    lib = time_library(text, args.repeats)
    lib_rate = 1 / lib["median_s"]
    print(f"library: {lib['median_s'] * 1000:.1f} ms/article median (min {lib['min_s'] * 1000:.1f}), "
          f"{lib_rate:.1f} articles/s; pipeline load {lib['load_s']:.2f} s")  # fmt: skip
    cli = time_cli(text, args.cli_repeats)
    print(f"CLI:     {cli['median_s'] * 1000:.0f} ms/article median (a new process each, load included)")

    rows = []
    round_trip = None
    for workers in [int(w) for w in args.workers.split(",") if w.strip()]:
        port = free_port()
        server = start_server(port, workers)
        try:
            if round_trip is None:
                round_trip = asyncio.run(transport(f"http://127.0.0.1:{port}"))
                print(f"HTTP round trip (GET /api/health, 1 client): {round_trip:.2f} ms median")
            for n in clients:
                row = asyncio.run(load(f"http://127.0.0.1:{port}", text, n, args.requests))
                row["workers"] = workers
                row["vs_library"] = row["rps"] / lib_rate
                rows.append(row)
        finally:
            server.terminate()
            server.wait(30)

    print()
    print(f"{'workers':>7} {'clients':>7} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'req/s ÷ library/s':>18}")
    for r in rows:
        print(f"{r['workers']:>7} {r['clients']:>7} {r['requests']:>8} {r['rps']:>8.1f} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} "
              f"{r['vs_library']:>18.2f}")  # fmt: skip
    OUT.mkdir(exist_ok=True)
    result = {"article": name, "bytes": size, "cpus": os.cpu_count(), "python": platform.python_version(),
              "library": lib, "cli": cli, "health_round_trip_ms": round_trip, "server": rows}  # fmt: skip
    (OUT / "serve.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {OUT / 'serve.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
