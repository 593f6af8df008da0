"""Provenance on the METER corpus: real Press Association copy reused by UK newspapers.

    python -m bench.provenance_meter            # all 945 newspaper articles
    python -m bench.provenance_meter --limit 200

The 772 PA texts make the reference index. Each newspaper article is traced against it, and
its *traced share* (the share of its sentence characters given a source) is set against the
corpus's labels:

- how well the traced share separates wholly-, partially- and non-derived articles: AUC for
  derived (wholly or partially) against non-derived, and for wholly against the rest, and the
  accuracy of two thresholds on the share (wholly / partially / non), fitted and scored by
  5-fold cross-validation;
- of the spans annotated ``verbatim`` (445 articles), the share of their characters that fall
  in sentences traced to a PA text of the same story (the article's ``source_ids``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

from bench import corpora
from unspun import SourceIndex
from unspun.doc import parse

LABELS = ("non-derived", "partially-derived", "wholly-derived")


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def auc(scores, positive) -> float:
    """Area under the ROC curve (Mann-Whitney U, ties counted half)."""
    s = np.asarray(scores, float)
    y = np.asarray(positive, bool)
    pos, neg = s[y], s[~y]
    if not len(pos) or not len(neg):
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    ranks = np.empty(len(order))
    allv = np.concatenate([pos, neg])[order]
    i = 0
    while i < len(allv):  # average ranks over ties
        j = i
        while j + 1 < len(allv) and allv[j + 1] == allv[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def _classify(share, lo, hi):
    return np.where(share >= hi, 2, np.where(share >= lo, 1, 0))


def cv_accuracy(share, label, folds: int = 5, seed: int = 1) -> float:
    share = np.asarray(share, float)
    label = np.asarray(label, int)
    rng = np.random.default_rng(seed)
    fold = rng.permutation(len(share)) % folds
    grid = np.linspace(0, 1, 51)
    right = 0
    for f in range(folds):
        tr, te = fold != f, fold == f
        best, best_acc = (0.0, 0.0), -1.0
        for lo in grid:
            for hi in grid[grid >= lo]:
                acc = np.mean(_classify(share[tr], lo, hi) == label[tr])
                if acc > best_acc:
                    best, best_acc = (lo, hi), acc
        right += int(np.sum(_classify(share[te], *best) == label[te]))
    return right / len(share)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.provenance_meter", description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, help="newspaper articles to trace (default: all)")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    ap.add_argument("--reuse", action="store_true",
                    help="trace for text reuse: keep lone near-matches and shared quotations (SourceIndex.trace(reuse=True))")
    args = ap.parse_args(argv)
    root = corpora.data_dir() / "meter-corpus"
    pa = _jsonl(root / "pa_sources.jsonl")
    news = _jsonl(root / "newspaper_articles.jsonl")[: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        with SourceIndex(Path(tmp) / "pa.duckdb") as index:
            index.add({"id": r["id"], "text": r["text_clean"], "outlet": "PA"} for r in pa)
            shares, same_shares, labels = [], [], []
            verb_chars = verb_hit = 0
            verb_spans = verb_spans_hit = 0
            for r in news:
                text = r["annotated_text"] or r["text"]
                doc = parse(text, r["id"])
                traced = index.trace(doc, reuse=args.reuse)
                same = set(r["source_ids"])
                total = sum(s.end - s.start for s in doc.sentences) or 1
                hit = sum(s.end - s.start for s, t in zip(doc.sentences, traced) if t)
                hit_same = sum(s.end - s.start for s, t in zip(doc.sentences, traced) if t and t["document"]["id"] in same)
                shares.append(hit / total)
                same_shares.append(hit_same / total)
                labels.append(LABELS.index(r["classification"]))
                if r["segments"] and r.get("annotation_matches_text") is not False:
                    covered = np.zeros(len(text), bool)
                    for s, t in zip(doc.sentences, traced):
                        if t and t["document"]["id"] in same:
                            covered[s.start : s.end] = True
                    for seg in r["segments"]:
                        if seg["label"] != "verbatim" or seg["end"] <= seg["start"]:
                            continue
                        n = seg["end"] - seg["start"]
                        c = int(covered[seg["start"] : seg["end"]].sum())
                        verb_chars += n
                        verb_hit += c
                        if len(text[seg["start"] : seg["end"]].split()) >= 10:
                            verb_spans += 1
                            verb_spans_hit += c * 2 >= n
    shares_a, labels_a = np.array(shares), np.array(labels)
    result = {
        "articles": len(news),
        "pa_texts": len(pa),
        "mode": "reuse" if args.reuse else "article",
        "mean_traced_share": {LABELS[k]: round(float(shares_a[labels_a == k].mean()), 3) for k in range(3)},
        "auc_derived_vs_non": round(auc(shares, labels_a > 0), 3),
        "auc_wholly_vs_rest": round(auc(shares, labels_a == 2), 3),
        "accuracy_3_class_cv": round(cv_accuracy(shares, labels), 3),
        "majority_class_share": round(float(np.bincount(labels_a).max() / len(labels_a)), 3),
        "verbatim_chars_traced_to_same_story": round(verb_hit / verb_chars, 3) if verb_chars else None,
        "verbatim_spans_10_words_mostly_traced": round(verb_spans_hit / verb_spans, 3) if verb_spans else None,
        "verbatim_spans_10_words": verb_spans,
        "traced_share_to_same_story": round(float(np.sum(same_shares) / max(1e-9, np.sum(shares))), 3),
    }
    print(f"METER: {result['articles']} newspaper articles traced against {result['pa_texts']} PA texts "
          f"({'text-reuse' if args.reuse else 'article'} rules)")
    for k, v in result.items():
        if k not in ("articles", "pa_texts", "mode"):
            print(f"  {k:<40} {v}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
