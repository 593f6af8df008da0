"""How much a sentence reads like a news story's opening sentence, its lede.

A reporter's first sentence says who did what, where and when, in words a later sentence
seldom uses ("said on Tuesday", "has been", "announced"), while a later sentence leans on the
ones before it ("he added", "the move", "also"). An article pasted together from runs of other
articles' sentences almost never opens with one of its sources' ledes, so a first sentence
that does not read like a lede is a sign of stitching (the thread step uses it).

The model is a linear one over hashed lower-case word unigrams and bigrams (each present or
not, the vector scaled to unit length), fitted on real articles' first sentences against
their later ones (scripts/train_lede.py). Words are hashed with CRC-32, which is the same on
every machine and every run, into a fixed number of buckets; the file holds one weight per
bucket.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

from unspun.linear import HashedLinear

# A prime, so that taking the remainder mixes all bits of the hash.
BUCKETS = 262_139
# Sentences shorter than this say too little to be judged.
MIN_WORDS = 6
_MODEL = "data/lede-v1.npz"


def word_hashes(words: Sequence[str]) -> np.ndarray:
    """CRC-32 of each word's UTF-8 bytes."""
    return np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.int64, count=len(words))


def buckets(hashes: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (row, bucket) pairs of word runs laid end to end: run ``i`` holds
    ``hashes[bounds[i]:bounds[i + 1]]``. Each run gives its words and its pairs of
    neighbouring words."""
    n = len(bounds) - 1
    lengths = np.diff(bounds)
    row = np.repeat(np.arange(n), lengths)
    uni = hashes % BUCKETS
    # Pairs within one run only: a pair whose second word opens the next run is dropped.
    same = row[:-1] == row[1:] if len(row) > 1 else np.zeros(0, dtype=bool)
    a, b = hashes[:-1][same], hashes[1:][same]
    bi = ((a * 1_000_003) ^ (b + 0x5BD1E995)) % BUCKETS
    rows = np.concatenate([row, row[:-1][same]])
    cols = np.concatenate([uni, bi])
    key = np.unique(rows * BUCKETS + cols)
    return key // BUCKETS, key % BUCKETS


class LedeModel(HashedLinear):
    @classmethod
    def load(cls) -> LedeModel:
        return cls.from_package(_MODEL)

    def score_ids(self, ids: np.ndarray, bounds: np.ndarray, hashes: np.ndarray) -> np.ndarray:
        """Probability of being a lede for each run of word numbers (``ids[bounds[i]:bounds[i+1]]``),
        given each word number's hash."""
        n = len(bounds) - 1
        if n <= 0:
            return np.zeros(0)
        row, col = buckets(hashes[ids], bounds)
        return self.probabilities(row, col, n)

    def score_words(self, sentences: Sequence[Sequence[str]]) -> np.ndarray:
        """Probability of being a lede for each sentence given as its lower-cased words."""
        vocab: dict[str, int] = {}
        ids = [vocab.setdefault(w, len(vocab)) for s in sentences for w in s]
        bounds = np.concatenate([[0], np.cumsum([len(s) for s in sentences])]).astype(np.int64)
        return self.score_ids(np.array(ids, dtype=np.int64), bounds, word_hashes(list(vocab)))
