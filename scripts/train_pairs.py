"""Fit the neighbouring-sentence model (src/unspun/data/pairs-v1.npz; see unspun.cohesion).

Articles come from the farm benchmark's pool of real articles of one split (bench.farm.sources),
and its sentences fit to be lifted into another article. Positives: two neighbouring such
sentences of one article. Negatives: a sentence of one article followed by a sentence of
another article on the same topic, from another outlet, published within three days (the
mixes the farm stitches, found the way it finds them). A share of the sentences (``--spin``)
is first reworded as a content farm does (bench.farm.spin), on both sides alike. Logistic
regression with an L2 penalty over the hashed join features, the penalty chosen on the last
sixth of the dev joins. Fitted on the dev split; prints the area under the
ROC curve on pairs made the same way from the held-out split.

    python scripts/train_pairs.py [--mixes 25000] [--spin 0.4] [--c 1]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np
from scipy import sparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.farm.generate import RATES  # noqa: E402
from bench.farm.sources import Pool  # noqa: E402
from bench.farm.spin import Settings, spin  # noqa: E402
from unspun.doc import WORD  # noqa: E402
from unspun.cohesion import BUCKETS, join_features, marks  # noqa: E402
from unspun.lexicon import Lexicon  # noqa: E402
from unspun.steps.threads import ThreadStep  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_lede import auc, fit  # noqa: E402  (the same logistic fit as the lede model)

OUT = Path(__file__).resolve().parent.parent / "src" / "unspun" / "data" / "pairs-v1.npz"


def pairs(pool: Pool, mixes: int, rng: random.Random) -> tuple[list[tuple], list[int]]:
    """(article, sentence, article, sentence) joins and their labels, one of each per mix and
    direction."""
    out, labels = [], []
    for _ in range(mixes):
        a, b = pool.stitch_sources(rng, 2)[:2]
        for x, y in ((a, b), (b, a)):
            ux, uy = pool.usable(x), pool.usable(y)
            follow = [i for i, j in zip(ux, ux[1:]) if j == i + 1]
            if not follow or not uy:
                continue
            i = rng.choice(follow)
            out.append((x, i, x, i + 1)), labels.append(1)
            out.append((x, rng.choice(ux), y, rng.choice(uy))), labels.append(0)
    return out, labels


def matrix(joins: list[tuple], step: ThreadStep, spin_p: float = 0.0, seed: int = 0) -> sparse.csr_matrix:
    """One row per join: both sentences laid end to end, every second join kept. With
    ``spin_p``, each sentence of a join is first spun with that probability (some of its words
    swapped for others, as a content farm rewrites what it copies; bench.farm.spin), so that
    the model does not take a rewritten sentence for one from another story."""
    rng = random.Random(seed)
    vocab: dict[str, int] = {}
    ids, lengths, bits = [], [], []
    for a, i, b, j in joins:
        for art, k in ((a, i), (b, j)):
            text = art.sentence(k)
            if spin_p and rng.random() < spin_p:
                text = spin(text, rng, Settings(rate=rng.choice(RATES)))[0]
                words = WORD.findall(text.lower())
            else:
                words = art.doc.sentence_words()[k]
            ids.extend(vocab.setdefault(w, len(vocab)) for w in words)
            lengths.append(len(words))
            bits.append(marks(text))
    weight, prefix, _, hashes = step._word_tables(vocab)
    ids = np.array(ids, dtype=np.int64)
    rare = np.where(weight[ids] != 0.0, prefix[ids], -1)
    row, col = join_features(hashes[ids], rare, np.array(lengths), bits)
    even = row % 2 == 0
    row, col = row[even] // 2, col[even]
    size = np.bincount(row, minlength=len(joins))
    return sparse.csr_matrix((1 / np.sqrt(size[row]), (row, col)), shape=(len(joins), BUCKETS))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mixes", type=int, default=25000, help="pairs of source articles drawn from the dev split")
    ap.add_argument("--heldout", type=int, default=2000, help="pairs of source articles drawn from the held-out split")
    ap.add_argument("--spin", type=float, default=0.4, help="share of sentences spun before their joins are read")
    ap.add_argument("--c", type=float, nargs="+", default=[1.0], help="penalties to try (0.3, 1 and 3 scored alike)")
    args = ap.parse_args()
    step = ThreadStep(Lexicon())
    rng = random.Random(0)
    jd, yd = pairs(Pool("dev"), args.mixes, rng)
    jh, yh = pairs(Pool("heldout"), args.heldout, rng)
    yd, yh = np.array(yd, dtype=float), np.array(yh)
    Xd = matrix(jd, step, args.spin)
    # The penalty is chosen on the last sixth of the dev joins, then the model refitted on all.
    cut = len(yd) * 5 // 6
    best = None
    for c in args.c:
        w, b = fit(Xd[:cut], yd[:cut], c)
        a = auc(Xd[cut:] @ w + b, yd[cut:])
        print(f"c {c}: validation AUC {a:.3f}")
        best = max(best or (a, c), (a, c))
    w, b = fit(Xd, yd, best[1])
    w16 = w.astype(np.float16)
    p = 1 / (1 + np.exp(-(matrix(jh, step, args.spin, 1) @ w16.astype(np.float64) + b)))
    pd = 1 / (1 + np.exp(-(Xd @ w16.astype(np.float64) + b)))
    print(f"{len(yd)} dev joins (AUC {auc(pd, yd):.3f}); held out: {len(yh)} joins, AUC {auc(p, yh):.3f}")
    print(f"held-out mean probability: same article {p[yh == 1].mean():.3f}, two articles {p[yh == 0].mean():.3f}")
    np.savez_compressed(OUT, weights=w16, bias=np.float64(b))
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
