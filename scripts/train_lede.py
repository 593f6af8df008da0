"""Fit the lede model (src/unspun/data/lede-v1.npz; see unspun.lede).

Positives: the first sentence (of at least unspun.lede.MIN_WORDS words) of real AllSides and
BBC articles of the dev split. Negatives: two sentences drawn from the third one on of the
same articles. Logistic regression with an L2 penalty over the hashed words and word pairs.
Prints the area under the ROC curve on the held-out split's articles.

    python scripts/train_lede.py [--allsides 12000] [--c 3]
"""

from __future__ import annotations

import argparse
import random
import sys
from itertools import chain, islice
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import minimize

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpora import allsides, bbc, split_of  # noqa: E402
from unspun.doc import parse  # noqa: E402
from unspun.lede import BUCKETS, MIN_WORDS, buckets, word_hashes  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "src" / "unspun" / "data" / "lede-v1.npz"


def samples(records, rng: random.Random) -> dict[str, tuple[list[list[str]], list[int]]]:
    out = {"dev": ([], []), "heldout": ([], [])}
    for rec in records:
        words = [w for w in parse(rec["text"]).sentence_words() if len(w) >= MIN_WORDS]
        if len(words) < 5:
            continue
        xs, ys = out[split_of(rec["id"])]
        xs.append(words[0]), ys.append(1)
        for j in rng.sample(range(2, len(words)), 2):
            xs.append(words[j]), ys.append(0)
    return out


def matrix(sentences: list[list[str]]) -> sparse.csr_matrix:
    vocab: dict[str, int] = {}
    ids = np.array([vocab.setdefault(w, len(vocab)) for w in chain.from_iterable(sentences)], dtype=np.int64)
    bounds = np.concatenate([[0], np.cumsum([len(s) for s in sentences])]).astype(np.int64)
    row, col = buckets(word_hashes(list(vocab))[ids], bounds)
    size = np.bincount(row, minlength=len(sentences))
    return sparse.csr_matrix((1 / np.sqrt(size[row]), (row, col)), shape=(len(sentences), BUCKETS))


def fit(X: sparse.csr_matrix, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    """Minimise c * (sum of log losses) + |w|^2 / 2, as liblinear-style logistic regression."""

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1]
        z = X @ w + b
        p = 1 / (1 + np.exp(-z))
        g = c * (p - y)
        return c * np.sum(np.logaddexp(0, z) - y * z) + 0.5 * (w @ w), np.append(X.T @ g + w, g.sum())

    theta = minimize(loss, np.zeros(X.shape[1] + 1), jac=True, method="L-BFGS-B", options={"maxiter": 2000}).x
    return theta[:-1], float(theta[-1])


def auc(p: np.ndarray, y: np.ndarray) -> float:
    order = np.argsort(p, kind="stable")
    rank = np.empty(len(p))
    rank[order] = np.arange(1, len(p) + 1)
    pos = y == 1
    return float((rank[pos].sum() - pos.sum() * (pos.sum() + 1) / 2) / (pos.sum() * (~pos).sum()))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--allsides", type=int, default=12000, help="AllSides articles to read (both splits)")
    ap.add_argument("--c", type=float, default=3.0)
    args = ap.parse_args()
    data = samples(chain(islice(allsides(), args.allsides), bbc()), random.Random(0))
    (xd, yd), (xh, yh) = data["dev"], data["heldout"]
    yd, yh = np.array(yd, dtype=float), np.array(yh)
    w, b = fit(matrix(xd), yd, args.c)
    w16 = w.astype(np.float16)
    p = 1 / (1 + np.exp(-(matrix(xh) @ w16.astype(np.float64) + b)))
    print(f"{int(yd.sum())} dev articles; held out: {int(yh.sum())} articles, AUC {auc(p, yh):.3f}")
    print(f"held-out mean lede probability: first sentences {p[yh == 1].mean():.3f}, later {p[yh == 0].mean():.3f}")
    np.savez_compressed(OUT, weights=w16, bias=np.float64(b))
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
