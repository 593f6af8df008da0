"""Train the boilerplate line classifier and write src/unspun/data/boilerplate-v1.json.

    PYTHONPATH=src:. python scripts/train_boilerplate.py [--folds 5] [--precision 0.97]

Trains on the development split of ``bench.furniture.labelled_documents`` only: the held-out
split is for ``bench.boilerplate_eval`` and the tests. scikit-learn and numpy are needed here,
never at run time: the exported JSON is read by ``unspun.steps.boilerplate`` with plain Python.

What is exported: the word lists the features need (base-form verbs and function words, both
mined here from news text), one weight per feature key, the bias, and a threshold chosen on
out-of-fold predictions so that precision on the development split reaches ``--precision``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import Counter

import numpy as np
import sklearn
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from bench.corpora import REPO, allsides, bbc, split_of
from bench.furniture import LabelledDoc, labelled_documents
from unspun.doc import WORD, parse
from unspun.steps.boilerplate import BoilerplateStep, FeatureSpace

OUT = REPO / "src" / "unspun" / "data" / "boilerplate-v1.json"

# A word is a base-form verb when, written in lower case, it follows "to" or a modal at least
# this often (and has been seen often enough to tell), e.g. "discuss" 0.79, "sign" 0.34,
# "share" 0.24; nouns such as "story" or "photo" stay near 0.
_VERB_CONTEXT = frozenset(
    {
        "to", "will", "would", "can", "could", "should", "must", "may", "might", "shall",
        "cannot", "please", "don't", "didn't", "doesn't", "won't", "wouldn't", "can't",
        "couldn't", "shouldn't", "don’t", "didn’t", "doesn’t", "won’t", "wouldn’t", "can’t",
        "couldn’t", "shouldn’t",
    }
)
_VERB_SHARE, _VERB_MIN = 0.18, 30
_VERB_SHARE_RARE, _VERB_MIN_RARE = 0.5, 4
_FUNCTION_WORDS = 60
# Among the commonest words, those that end a sentence less often than this share of the time
# ("the", "of", "by", but not "in", "up" or "out", which close phrasal verbs).
_OPEN_WORDS_FROM, _OPEN_SHARE = 300, 0.002
_FINAL = frozenset(".!?")
# Each distinct line counts at most this much in training, however often it recurs, so that a
# few ubiquitous lines ("Advertisement") do not stand for all furniture.
_REPEAT_CAP = 3.0
# Word and word-pair keys seen in fewer documents than this are left out (names, one-offs).
_MIN_DOCS = 3


def mine_word_lists() -> tuple[list[str], list[str], list[str]]:
    """Base-form verbs, function words and open words, from BBC News and AllSides dev articles."""
    after: Counter[str] = Counter()
    total: Counter[str] = Counter()
    final: Counter[str] = Counter()
    texts = itertools.chain(
        (r["text"] for r in bbc()),
        # Every fourth article is plenty for word statistics.
        (r["text"] for r in itertools.islice(allsides(), 0, None, 4) if split_of(r["id"]) == "dev"),
    )
    for text in texts:
        prev = ""
        for m in WORD.finditer(text):
            w = m.group()
            if w.islower():  # lower case in running text: not a name, not a sentence opener
                total[w] += 1
                if prev in _VERB_CONTEXT:
                    after[w] += 1
                if text[m.end() : m.end() + 1] in _FINAL:
                    final[w] += 1
            prev = w.lower()
    verbs = sorted(
        w
        for w, n in total.items()
        if (n >= _VERB_MIN and after[w] / n >= _VERB_SHARE) or (n >= _VERB_MIN_RARE and after[w] / n >= _VERB_SHARE_RARE)
    )
    common = total.most_common(_OPEN_WORDS_FROM)
    function_words = [w for w, _ in common[:_FUNCTION_WORDS]]
    open_words = sorted(w for w, n in common if final[w] / n < _OPEN_SHARE)
    return verbs, function_words, open_words


def line_table(docs: list[LabelledDoc], space: FeatureSpace):
    """Feature keys, labels, document ids and texts of every labelled line of ``docs``."""
    keys, labels, groups, texts, sources = [], [], [], [], []
    for d in docs:
        doc = parse(d.text, name=d.doc_id)
        if len(doc.lines) != len(d.lines):
            raise ValueError(f"{d.source} {d.doc_id}: parsed {len(doc.lines)} lines, labelled {len(d.lines)}")
        context = space.context(doc)
        for i, label in enumerate(d.labels):
            if label is None:
                continue
            keys.append(space.keys(doc, i, context))
            labels.append(label == "furniture")
            groups.append(d.doc_id)
            texts.append(d.lines[i])
            sources.append(d.source)
    return keys, np.array(labels), np.array(groups), texts, np.array(sources)


def vocabulary(keys: list[list[str]], groups: np.ndarray) -> dict[str, int]:
    """Every shape key, and the word keys seen in at least _MIN_DOCS documents."""
    docs_of: dict[str, set[str]] = {}
    for ks, g in zip(keys, groups):
        for k in ks:
            docs_of.setdefault(k, set()).add(g)
    kept = sorted(k for k, ds in docs_of.items() if k.startswith("#") or len(ds) >= _MIN_DOCS)
    return {k: j for j, k in enumerate(kept)}


def matrix(keys: list[list[str]], vocab: dict[str, int], word_scale: float) -> sparse.csr_matrix:
    """One row per line. Word keys take the value ``word_scale`` instead of 1: below 1, their
    weights must grow to matter and the L2 penalty holds them back more than the shape keys'."""
    rows, cols, data = [], [], []
    for r, ks in enumerate(keys):
        for k in ks:
            j = vocab.get(k)
            if j is not None:
                rows.append(r)
                cols.append(j)
                data.append(1.0 if k.startswith("#") else word_scale)
    m = sparse.csr_matrix((np.array(data), (rows, cols)), shape=(len(keys), len(vocab)))
    m.sum_duplicates()
    return m


def sample_weights(
    texts: list[str], labels: np.ndarray, sources: np.ndarray, furniture_weight: float, page_weight: float
) -> np.ndarray:
    """Repeated lines capped at _REPEAT_CAP in all; furniture and web-page lines weighted up.

    The benchmark's pages hold the widest variety of furniture but a fiftieth of the lines.
    """
    count = Counter(texts)
    w = np.array([min(1.0, _REPEAT_CAP / count[t]) for t in texts])
    return w * np.where(labels, furniture_weight, 1.0) * np.where(sources == "allsides", 1.0, page_weight)


def threshold_for(scores: np.ndarray, labels: np.ndarray, precision: float) -> tuple[float, float, float]:
    """The lowest threshold at which precision still reaches ``precision``: (threshold, precision, recall)."""
    order = np.argsort(-scores, kind="stable")
    s, y = scores[order], labels[order]
    tp = np.cumsum(y)
    prec = tp / np.arange(1, len(y) + 1)
    # A threshold flags every line scoring at least as much: cut only after the last of equal scores.
    cut = np.append(s[1:] != s[:-1], True)
    ok = (prec >= precision) & cut
    if not ok.any():
        raise ValueError(f"no threshold reaches precision {precision} on {len(y)} lines")
    last = np.nonzero(ok)[0][-1]
    return float(s[last]), float(prec[last]), float(tp[last] / max(1, y.sum()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--precision", type=float, default=0.97, help="precision the threshold must reach on dev")
    ap.add_argument("--C", type=float, nargs="*", default=[3.0])
    ap.add_argument("--furniture-weight", type=float, nargs="*", default=[3.0])
    ap.add_argument("--page-weight", type=float, nargs="*", default=[1.0])
    ap.add_argument("--word-scale", type=float, nargs="*", default=[1.0])
    ap.add_argument("--max-keys", type=int, default=40000, help="keep the keys with the largest weights")
    ap.add_argument("--dump", help="write the out-of-fold scores of the chosen setting to this TSV file")
    args = ap.parse_args(argv)

    t0 = time.time()
    verbs, function_words, open_words = mine_word_lists()
    print(
        f"mined {len(verbs)} base-form verbs, {len(function_words)} function words, {len(open_words)} open words "
        f"({time.time() - t0:.0f}s)",
        flush=True,
    )
    space = FeatureSpace(verbs, function_words, open_words)

    docs = labelled_documents("dev")
    keys, y, groups, texts, sources = line_table(docs, space)
    print(f"dev: {len(docs)} documents, {len(y)} lines, {int(y.sum())} furniture ({time.time() - t0:.0f}s)", flush=True)

    # The vocabulary is chosen once on all of dev (by document counts, not labels), so the
    # folds below slice one matrix.
    vocab = vocabulary(keys, groups)
    y = y.astype(bool)
    print(f"{len(vocab)} keys ({time.time() - t0:.0f}s)", flush=True)

    # Cross-validation by document: choose C and the furniture weight, then the threshold.
    best = None
    folds = list(GroupKFold(n_splits=args.folds).split(np.zeros(len(y)), y, groups))
    unseen = np.zeros(len(y), dtype=bool)
    for train, test in folds:
        seen = {texts[i] for i in train}
        unseen[test] = [texts[i] not in seen for i in test]
    for ws, C, fw, pw in itertools.product(args.word_scale, args.C, args.furniture_weight, args.page_weight):
        X = matrix(keys, vocab, ws)
        weight = sample_weights(texts, y, sources, fw, pw)
        oof = np.zeros(len(y))
        for train, test in folds:
            model = LogisticRegression(C=C, max_iter=2000, solver="liblinear")
            model.fit(X[train], y[train], sample_weight=weight[train])
            oof[test] = model.predict_proba(X[test])[:, 1]
        thr, prec, rec = threshold_for(oof, y, args.precision)
        # Lines whose text no training fold holds: what generalises beyond recurring lines.
        flagged = oof >= thr
        tp = flagged & y & unseen
        print(
            f"word-scale={ws:g} C={C:g} furniture-weight={fw:g} page-weight={pw:g}: threshold {thr:.3f}, out-of-fold precision {prec:.3f} recall {rec:.3f}; "
            f"unseen lines precision {tp.sum() / max(1, (flagged & unseen).sum()):.3f} "
            f"recall {tp.sum() / max(1, (y & unseen).sum()):.3f}",
            flush=True,
        )
        if best is None or rec > best[0]:
            best = (rec, ws, C, fw, pw, thr, oof)
    rec, ws, C, fw, pw, thr, oof = best
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            f.writelines("\t".join(map(str, row)) + "\n" for row in zip(sources, groups, y, oof, unseen, texts))
    for src in sorted(set(sources)):
        m = sources == src
        flagged = oof[m] >= thr
        tp = int((flagged & y[m]).sum())
        print(f"  {src}: precision {tp / max(1, flagged.sum()):.3f} recall {tp / max(1, y[m].sum()):.3f}")

    model = LogisticRegression(C=C, max_iter=2000, solver="liblinear")
    model.fit(matrix(keys, vocab, ws), y, sample_weight=sample_weights(texts, y, sources, fw, pw))
    names = sorted(vocab, key=vocab.get)
    # Back to weights per key occurrence, as the step scores: a word key's value was ws.
    coef = model.coef_[0] * np.array([1.0 if k.startswith("#") else ws for k in names])
    kept = np.argsort(-np.abs(coef))[: args.max_keys]
    weights = {names[j]: round(float(coef[j]), 4) for j in sorted(kept) if abs(coef[j]) >= 5e-4}

    out = {
        "name": BoilerplateStep.name,
        "about": "Logistic regression over line-shape, position and word keys; see docs/boilerplate.md.",
        "trained_on": {
            "documents": len(docs),
            "lines": len(y),
            "furniture": int(y.sum()),
            "split": "dev",
            "sklearn": sklearn.__version__,
            "C": C,
            "furniture_weight": fw,
            "page_weight": pw,
            "word_scale": ws,
            "precision_target": args.precision,
            "out_of_fold_recall": round(rec, 4),
        },
        "threshold": round(thr, 4),
        "bias": round(float(model.intercept_[0]), 4),
        "verbs": verbs,
        "function_words": function_words,
        "open_words": open_words,
        "weights": weights,
    }
    OUT.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}: {len(weights)} weights, {OUT.stat().st_size / 1e6:.2f} MB ({time.time() - t0:.0f}s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
