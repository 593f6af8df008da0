"""Build the topic word vectors shipped in src/unspun/data/topics-v1.npz.

A small latent semantic space learned from real news in ../shared/data (the dev split of
AllSides and BBC): TF-IDF over articles, reduced by truncated SVD. Each word's vector is its
IDF-weighted loading, so a paragraph's topic vector is the sum of its words' vectors. Two
passages on one story point the same way even when they share no word; a sports teaser in
a politics story does not.

    python scripts/build_topic_vectors.py [--dims 64] [--vocab 20000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.corpora import allsides, bbc, split_of  # noqa: E402
from unspun.doc import WORD  # noqa: E402
from unspun.lexicon import Lexicon  # noqa: E402

OUT = ROOT / "src" / "unspun" / "data" / "topics-v1.npz"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dims", type=int, default=64)
    ap.add_argument("--vocab", type=int, default=20000)
    args = ap.parse_args()
    texts = [r["text"] for r in allsides() if split_of(r["id"]) == "dev"]
    texts += [r["text"] for r in bbc() if split_of(r["id"]) == "dev"]
    lexicon = Lexicon()
    # Topic words only: the commonest words carry no topic (the same cut the steps use).
    vec = TfidfVectorizer(
        lowercase=True,
        token_pattern=None,
        tokenizer=lambda t: [w for w in WORD.findall(t) if len(w) >= 3 and not w.isdigit() and lexicon.weight(w) >= 1.5],
        min_df=5,
        max_df=0.2,
        max_features=args.vocab,
        sublinear_tf=True,
        dtype=np.float32,
    )
    x = vec.fit_transform(texts)
    svd = TruncatedSVD(n_components=args.dims, random_state=0, algorithm="randomized", n_iter=7)
    svd.fit(x)
    vocab = vec.get_feature_names_out()
    # Word vector = idf * loading; scale to int8 to keep the shipped file small.
    vectors = (svd.components_.T * vec.idf_[:, None]).astype(np.float32)
    scale = float(np.abs(vectors).max() / 127.0)
    q = np.round(vectors / scale).astype(np.int8)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, words=np.array(vocab, dtype=object).astype(str), vectors=q, scale=np.float32(scale))
    print(f"{len(texts)} articles, {len(vocab)} words, {args.dims} dims -> {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")
    print(f"explained variance: {svd.explained_variance_ratio_.sum():.3f}")


if __name__ == "__main__":
    main()
