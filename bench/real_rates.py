"""How often unspun's content findings fire on real news, where each one is a false alarm or a
real oddity: dangling references per article, and the share of articles with a stitched
verdict, a conflict, or any injected finding.

    python -m bench.real_rates [--allsides 2000] [--bbc all]

Reads every BBC article and the first N AllSides articles from ../shared/data.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from itertools import islice

from bench.corpora import allsides, bbc
from unspun.errors import InputError
from unspun.pipeline import Pipeline


def rates(pipeline: Pipeline, texts: list[str]) -> dict:
    n = errors = 0
    kinds: Counter = Counter()
    articles_with: Counter = Counter()
    labels: Counter = Counter()
    pointers: Counter = Counter()
    threads = 0
    for text in texts:
        try:
            report = pipeline.check(text)
        except InputError:
            errors += 1
            continue
        n += 1
        labels[report.verdict.label] += 1
        seen = set()
        for f in report.findings:
            kinds[f.kind] += 1
            seen.add(f.kind)
            if f.kind == "dangling_reference":
                pointers[f.details["pointer"]] += 1
        articles_with.update(seen)
        threads += len({f.details["thread"] for f in report.findings if f.kind == "thread"})
    return {
        "articles": n,
        "refused": errors,
        "dangling_per_article": round(kinds["dangling_reference"] / n, 4),
        "dangling_by_pointer": dict(pointers),
        "stitched_share": round(labels["stitched"] / n, 4),
        "conflict_share": round(articles_with["conflict"] / n, 4),
        "injected_share": round(articles_with["injected"] / n, 4),
        "verdicts": dict(labels),
        "mean_threads": round(threads / n, 3),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--allsides", type=int, default=2000, help="AllSides articles (default 2000)")
    ap.add_argument("--bbc", type=int, default=None, help="BBC articles (default all 2,225)")
    args = ap.parse_args(argv)
    pipeline = Pipeline()
    out = {}
    t0 = time.perf_counter()
    out["bbc"] = rates(pipeline, [r["text"] for r in islice(bbc(), args.bbc)])
    out["allsides"] = rates(pipeline, [r["text"] for r in islice(allsides(), args.allsides)])
    out["seconds"] = round(time.perf_counter() - t0, 1)
    for name in ("bbc", "allsides"):
        r = out[name]
        print(f"{name:<9} {r['articles']:>5} articles: dangling {r['dangling_per_article']:.3f}/article "
              f"(bar 0.2), stitched {r['stitched_share']:.2%} (bar 2%), conflicts {r['conflict_share']:.2%} "
              f"(bar 1%), injected {r['injected_share']:.2%}, threads {r['mean_threads']:.2f} on average")
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
