"""Provenance speed and size: build a reference index of AllSides, trace farm articles against
it, and run datasketch's MinHashLSH (document level) over the same text as the peer.

    python -m bench.provenance                 # all 37,554 AllSides articles
    python -m bench.provenance --limit 5000    # a slice
    python -m bench.provenance --workers 4     # and a build with 4 worker processes

Each phase runs in a process of its own, on one core, so that its peak memory (ru_maxrss) is
its own; the build with ``--workers`` runs on all the cores there are, and is timed by the
clock on the wall. Prints the figures, the ratio against the peer, and the extrapolation to 1,000,000
reference documents; ``--json`` writes them too.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import shutil
import sys
import time
from pathlib import Path

from bench import corpora
from bench.corpora import REPO

OUT = REPO / "bench" / "out"


def _one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        except OSError:
            pass
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _dir_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def _build(db: str, limit: int | None, workers: int, q) -> None:
    if workers == 1:
        _one_core()
    from unspun import SourceIndex

    t_wall, t_cpu = time.perf_counter(), time.process_time()
    size = 0

    def records():
        nonlocal size
        for r in corpora.allsides(limit):
            size += len(r["text"].encode("utf-8"))
            yield r

    with SourceIndex(db) as index:
        index._con.execute("SET threads TO 1")
        n = index.add(records(), workers=workers)
        cpu_add = time.process_time() - t_cpu
        wall_add = time.perf_counter() - t_wall
        stats = index.stats()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    q.put({
        "documents": n, "text_mb": size / 1e6, "sentences": stats["sentences"], "postings": stats["postings"],
        "cpu_s": cpu_add, "wall_s": wall_add, "workers": workers,
        "workers_cpu_s": children.ru_utime + children.ru_stime,
        "db_bytes": _dir_bytes(Path(db)), "segment_bytes": _dir_bytes(Path(db + ".segments")),
        "peak_mb": _peak_mb(),
    })


def _parse_only(limit: int | None, q) -> None:
    """unspun.doc.sentence_spans alone over the same text: the floor under any sentence-level
    index that shares unspun's segmentation."""
    _one_core()
    from unspun.doc import sentence_spans

    size = 0
    t = time.process_time()
    for r in corpora.allsides(limit):
        size += len(r["text"].encode("utf-8"))
        sentence_spans(r["text"])
    q.put({"text_mb": size / 1e6, "cpu_s": time.process_time() - t})


def _trace(db: str, n: int, q) -> None:
    _one_core()
    from bench.farm.generate import load_or_generate
    from unspun import SourceIndex
    from unspun.doc import parse

    records = load_or_generate("heldout", max(n, 200), 1, quiet=True)[:n]
    docs = [parse(r["text"], r["id"]) for r in records]
    with SourceIndex(db, read_only=True) as index:
        index.trace(docs[0])  # opens the look-up files
        t = time.process_time()
        w = time.perf_counter()
        traced = sum(sum(s is not None for s in index.trace(d)) for d in docs)
        cpu = time.process_time() - t
        wall = time.perf_counter() - w
    q.put({"articles": len(docs), "sentences": sum(len(d.sentences) for d in docs), "traced": traced,
           "cpu_ms_per_article": 1000 * cpu / len(docs), "wall_ms_per_article": 1000 * wall / len(docs),
           "peak_mb": _peak_mb()})


def _peer(limit: int | None, n_query: int, q) -> None:
    """datasketch MinHashLSH over word 5-shingles, 128 permutations, threshold 0.5: the
    document-level near-duplicate index of datatrove and text-dedup."""
    _one_core()
    import re

    from datasketch import MinHash, MinHashLSH

    from bench.farm.generate import load_or_generate

    word = re.compile(r"\w+")

    def sketch(text: str) -> MinHash:
        words = word.findall(text.lower())
        m = MinHash(num_perm=128)
        m.update_batch([" ".join(words[i : i + 5]).encode() for i in range(max(1, len(words) - 4))])
        return m

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    size = 0
    t, w = time.process_time(), time.perf_counter()
    n = 0
    for r in corpora.allsides(limit):
        size += len(r["text"].encode("utf-8"))
        lsh.insert(r["id"], sketch(r["text"]), check_duplication=False)
        n += 1
    cpu, wall = time.process_time() - t, time.perf_counter() - w
    records = load_or_generate("heldout", max(n_query, 200), 1, quiet=True)[:n_query]
    t = time.process_time()
    for r in records:
        lsh.query(sketch(r["text"]))
    qcpu = time.process_time() - t
    q.put({"documents": n, "text_mb": size / 1e6, "cpu_s": cpu, "wall_s": wall,
           "query_cpu_ms_per_article": 1000 * qcpu / max(1, len(records)), "peak_mb": _peak_mb()})


def _in_process(target, *args) -> dict:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=target, args=(*args, q))
    p.start()
    out = q.get()
    p.join()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.provenance", description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, help="AllSides articles to index (default: all)")
    ap.add_argument("--trace", type=int, default=200, help="farm articles to trace (default 200)")
    ap.add_argument("--no-peer", action="store_true", help="skip the datasketch run")
    ap.add_argument("--db", type=Path, default=OUT / "bench-provenance.duckdb")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    ap.add_argument("--workers", type=int, default=1,
                    help="also build with this many worker processes, and compare the time on the wall")
    args = ap.parse_args(argv)
    db = str(args.db)
    args.db.parent.mkdir(parents=True, exist_ok=True)
    for p in (Path(db), Path(db + ".wal")):
        p.unlink(missing_ok=True)
    shutil.rmtree(db + ".segments", ignore_errors=True)

    build = _in_process(_build, db, args.limit, 1)
    parallel = None
    if args.workers > 1:
        other = str(args.db.with_name(args.db.stem + f"-{args.workers}w.duckdb"))
        for p in (Path(other), Path(other + ".wal")):
            p.unlink(missing_ok=True)
        shutil.rmtree(other + ".segments", ignore_errors=True)
        parallel = _in_process(_build, other, args.limit, args.workers)
    parse_only = _in_process(_parse_only, args.limit)
    trace = _in_process(_trace, db, args.trace)
    peer = None if args.no_peer else _in_process(_peer, args.limit, args.trace)

    mbps = build["text_mb"] / build["cpu_s"]
    per_doc_disk = (build["db_bytes"] + build["segment_bytes"]) / build["documents"]
    print(f"provenance benchmark: {build['documents']:,} AllSides articles, {build['text_mb']:.1f} MB of text; one core")
    print(f"  index build          {mbps:6.2f} MB/s  ({build['cpu_s']:.1f} s CPU, {build['wall_s']:.1f} s wall)")
    if parallel:
        print(f"  index build, {parallel['workers']} workers {parallel['text_mb'] / parallel['wall_s']:6.2f} MB/s on the wall "
              f"({parallel['wall_s']:.1f} s: {build['wall_s'] / parallel['wall_s']:.2f}x the one-core build's "
              f"{build['wall_s']:.1f} s; CPU {parallel['cpu_s']:.1f} s writing, {parallel['workers_cpu_s']:.1f} s in the workers; "
              f"{os.cpu_count()} cores)")
    print(f"  (segmenting alone    {parse_only['text_mb'] / parse_only['cpu_s']:6.2f} MB/s: unspun.doc.sentence_spans over the same text)")
    print(f"  sentences / postings {build['sentences']:,} / {build['postings']:,}")
    print(f"  on disk              {(build['db_bytes'] + build['segment_bytes']) / 1e6:8.1f} MB: database "
          f"{build['db_bytes'] / 1e6:.1f} MB + segments {build['segment_bytes'] / 1e6:.1f} MB; "
          f"{per_doc_disk / 1e3:.1f} kB per document")
    print(f"  peak memory (build)  {build['peak_mb']:8.1f} MB")
    print(f"  trace                {trace['cpu_ms_per_article']:6.2f} ms/article CPU ({trace['wall_ms_per_article']:.2f} wall), "
          f"{trace['articles']} farm articles, {trace['traced']}/{trace['sentences']} sentences traced; "
          f"peak {trace['peak_mb']:.0f} MB")
    if peer:
        pm = peer["text_mb"] / peer["cpu_s"]
        print(f"  peer: datasketch MinHashLSH (documents) {pm:.2f} MB/s build, "
              f"{peer['query_cpu_ms_per_article']:.2f} ms/article query, peak {peer['peak_mb']:.0f} MB")
        print(f"  ratio, build speed: {mbps / pm:.2f}x the peer")
    million = 1_000_000 / build["documents"]
    # Writing holds one batch; the merge at the end holds about 40 bytes per sentence (its
    # new row numbers, offsets and spans) and one step of postings, and maps what it reads.
    merge_gb = (40 * build["sentences"] * million + (1 << 23) * 40) / 1e9
    print(f"  1,000,000 documents: about {per_doc_disk * 1e6 / 1e9:.1f} GB on disk "
          f"(database {build['db_bytes'] * million / 1e9:.1f} GB + segments {build['segment_bytes'] * million / 1e9:.1f} GB); "
          f"memory: batches as here ({build['peak_mb']:.0f} MB peak), and about {merge_gb:.1f} GB of arrays "
          f"for the final merge, plus the pages it maps")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"build": build, "parallel": parallel, "parse_only": parse_only, "trace": trace, "peer": peer},
                                        indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
