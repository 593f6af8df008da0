"""The per-document work of an index build, alone: sentence spans, word keys and retrieval
keys, with no database, beside the same work done through the full parse, and beside
datasketch's MinHash sketching (word 5-shingles, 128 permutations) of the same text.

    python -m bench.index_prepare                # the first 5,000 AllSides articles
    python -m bench.index_prepare --limit 2000

Each route runs in a process of its own on one core, over text read before the clock
starts, with the common-word list loaded before it too (a fixed cost of about a second, not
one per megabyte). The word caches start empty, as in a build: a word's hash is worked out
on its first sight.
"""

from __future__ import annotations

import argparse
import sys
import time

from bench import corpora
from bench.provenance import _in_process, _one_core

BATCH = 500


def _texts(limit: int) -> list[dict]:
    return [{"id": r["id"], "text": r["text"]} for r in corpora.allsides(limit)]


def _prepare(limit: int, q) -> None:
    """unspun's own route: index.prepare_batch, CHUNK documents at a time."""
    _one_core()
    from unspun.provenance.index import CHUNK, prepare_batch
    from unspun.provenance.tokens import _common_words

    records = _texts(limit)
    _common_words()
    t = time.process_time()
    n_keys = 0
    for i in range(0, len(records), CHUNK):
        n_keys += sum(len(d.keys) for d in prepare_batch(records[i : i + CHUNK]))
    q.put({"cpu_s": time.process_time() - t, "keys": n_keys,
           "text_mb": sum(len(r["text"].encode("utf-8")) for r in records) / 1e6})


def _parsed(limit: int, q) -> None:
    """The same sentences and keys through the full parse (lines, paragraphs, words too)."""
    _one_core()
    from unspun.doc import parse
    from unspun.provenance.tokens import _common_words, keys_of, retrieval_keys_batch

    records = _texts(limit)
    _common_words()
    t = time.process_time()
    n_keys = 0
    for i in range(0, len(records), BATCH):
        words = []
        for r in records[i : i + BATCH]:
            text = r["text"]
            words += [keys_of(text[s.start : s.end]) for s in parse(text).sentences]
        n_keys += len(retrieval_keys_batch(words)[0])
    q.put({"cpu_s": time.process_time() - t, "keys": n_keys})


def _peer(limit: int, q) -> None:
    """datasketch MinHash of each document's word 5-shingles: the sketching half of the
    MinHashLSH build that bench.provenance compares the whole build with."""
    _one_core()
    import re

    from datasketch import MinHash

    word = re.compile(r"\w+")
    records = _texts(limit)
    t = time.process_time()
    for r in records:
        words = word.findall(r["text"].lower())
        m = MinHash(num_perm=128)
        m.update_batch([" ".join(words[i : i + 5]).encode() for i in range(max(1, len(words) - 4))])
    q.put({"cpu_s": time.process_time() - t})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.index_prepare", description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=5000, help="AllSides articles (default 5,000)")
    args = ap.parse_args(argv)
    own = _in_process(_prepare, args.limit)
    parsed = _in_process(_parsed, args.limit)
    peer = _in_process(_peer, args.limit)
    mb = own["text_mb"]
    if own["keys"] != parsed["keys"]:
        print(f"the two routes disagree: {own['keys']:,} keys against {parsed['keys']:,}", file=sys.stderr)
        return 1
    print(f"index preparation: {args.limit:,} AllSides articles, {mb:.1f} MB of text; one core, CPU time")
    print(f"  prepare (spans, word keys, retrieval keys) {mb / own['cpu_s']:6.2f} MB/s  ({own['cpu_s']:.2f} s)")
    print(f"  the same through the full parse            {mb / parsed['cpu_s']:6.2f} MB/s  ({parsed['cpu_s']:.2f} s)")
    print(f"  peer: datasketch MinHash sketching        {mb / peer['cpu_s']:6.2f} MB/s  ({peer['cpu_s']:.2f} s)")
    print(f"  ratio: {peer['cpu_s'] / own['cpu_s']:.2f}x the peer's speed; "
          f"{parsed['cpu_s'] / own['cpu_s']:.2f}x the full-parse route")
    return 0


if __name__ == "__main__":
    sys.exit(main())
