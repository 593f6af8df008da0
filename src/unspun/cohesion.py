"""Whether two neighbouring sentences come from the same article.

A sentence written to follow another leans on it: it opens with "He", "But" or "The
company" where the sentence before named the person, the deal or the company, it shares its
names and terms, and it keeps the same hand's typography (curly or straight quotation
marks, "Mr." or "Mr"). A sentence pasted after one from another outlet's story does none of
these reliably, even when both report the same event. The thread step scores every pair of
neighbouring body sentences with this model and reads the article's share of weak joins.

The model is a linear one over hashed features of each join (fitted by
scripts/train_pairs.py on real articles of the dev split: neighbouring sentences of one
article against a sentence of one article followed by a sentence of another article on the
same topic from another outlet, published within three days; two sentences in five first
reworded as a content farm rewords what it copies, so that rewording alone does not read as
a seam):

- the first word and first two words of the second sentence, alone and crossed with how
  many rare words the two sentences share (0, 1, 2, 3 or more);
- the first word of the first sentence and the last word of the first sentence, each
  crossed with the first word of the second;
- the number of shared rare words, and the share of all words the two share;
- the number of rare words of the second sentence that the first lacks, crossed with the
  number shared, and (0, 1, 2 or more) with the second sentence's first word;
- the typographic marks of each sentence (quotation marks, apostrophes, dashes, acronyms,
  honorifics, percent), crossed between the two;
- the two sentences' lengths, in bands.

Each join's features are present or not, the vector scaled to unit length, as in
unspun.lede. Words are numbered by their CRC-32 (unspun.lede.word_hashes), so that the
features are the same on every machine.
"""

from __future__ import annotations

import re

import numpy as np

from unspun.linear import HashedLinear

# A prime, so that taking the remainder mixes all bits of the key.
BUCKETS = 131_071
_MODEL = "data/pairs-v1.npz"
_M = 2_147_483_647  # 2**31 - 1, a prime: keys are combined modulo it and stay exact in int64
_NONE = 0x7FFF_FFFE  # the hash of a missing word (an empty sentence)

# Typographic marks an outlet keeps to; a mark is present when one of its literals is.
_MARKS: tuple[tuple[str, ...], ...] = (
    ("“", "”"),
    ('"',),
    ("’",),
    ("'",),
    ("—",),
    (" - ", " -- "),
    ("U.S.", "U.K.", "U.N.", "E.U."),
    ("Mr.", "Mrs.", "Ms.", "Dr."),
    ("Mr ", "Mrs ", "Ms ", "Dr "),
    (" percent",),
    ("%", " per cent"),
)
_BARE_ACRONYM = re.compile(r"\b(?:US|UK|UN|EU)\b(?!\.)")
_BARE_BIT = len(_MARKS)
N_MARKS = len(_MARKS) + 1

# Feature kinds, the salt of each key.
(_OPEN1, _OPEN1_SHARED, _OPEN2, _OPEN2_SHARED, _FIRST_FIRST, _LAST_FIRST, _SHARED, _OVERLAP, _MARK,
 _LENGTHS, _NOVEL, _OPEN1_NOVEL) = range(1, 13)


def marks(text: str) -> int:
    """The typographic marks of a sentence, one bit each."""
    bits = 0
    for k, literals in enumerate(_MARKS):
        for lit in literals:
            if lit in text:
                bits |= 1 << k
                break
    if ("US" in text or "UK" in text or "UN" in text or "EU" in text) and _BARE_ACRONYM.search(text):
        bits |= 1 << _BARE_BIT
    return bits


def marks_of(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """:func:`marks` of each ``text[start:end]``; marks absent from the whole text are not
    looked for in each part (most texts hold few of them)."""
    lo, hi = (min(a for a, _ in spans), max(b for _, b in spans)) if spans else (0, 0)
    whole = text[lo:hi]
    present = [(1 << k, literals) for k, literals in enumerate(_MARKS) if any(lit in whole for lit in literals)]
    bare = ("US" in whole or "UK" in whole or "UN" in whole or "EU" in whole) and _BARE_ACRONYM.search(whole)
    out = []
    for a, b in spans:
        part = text[a:b]
        bits = 0
        for bit, literals in present:
            for lit in literals:
                if lit in part:
                    bits |= bit
                    break
        if bare and _BARE_ACRONYM.search(part):
            bits |= 1 << _BARE_BIT
        out.append(bits)
    return out


def _key(*parts: np.ndarray | int) -> np.ndarray:
    """One key from several integer parts, combined modulo a prime."""
    h = np.zeros(1, dtype=np.int64)
    for p in parts:
        h = (h * 1_000_003 + (np.asarray(p, dtype=np.int64) % _M)) % _M
    return h


def _keys(features: tuple[tuple, ...]) -> np.ndarray:
    """:func:`_key` of several features of as many parts each, one row per feature."""
    h = np.array([f[0] for f in features], dtype=np.int64)[:, None] % _M
    for j in range(1, len(features[0])):
        part = np.stack([np.asarray(f[j], dtype=np.int64) for f in features])
        h = (h * 1_000_003 + part % _M) % _M
    return h


def join_features(
    hashes: np.ndarray, rare: np.ndarray, lengths: np.ndarray, mark_bits: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """The (join, bucket) pairs of the joins between sentences laid end to end.

    ``hashes`` holds each word's CRC-32 and ``rare`` a number for each rare word (the same
    number for words that should count as one, -1 for a common word), all sentences end to
    end; sentence ``i`` has ``lengths[i]`` words and the marks ``mark_bits[i]``. Join ``k``
    lies between sentences ``k`` and ``k + 1``."""
    n = len(lengths)
    m = n - 1
    if m <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    lengths = np.asarray(lengths, dtype=np.int64)
    starts = np.cumsum(lengths) - lengths
    has = lengths > 0
    padded = np.append(hashes, _NONE).astype(np.int64)
    first = np.where(has, padded[np.minimum(starts, len(hashes))], _NONE)
    second = np.where(lengths > 1, padded[np.minimum(starts + 1, len(hashes))], _NONE)
    last = np.where(has, padded[np.maximum(starts + lengths - 1, 0)], _NONE)
    row = np.repeat(np.arange(n), lengths)

    # Rare words the two sentences of a join share, counted once each.
    keep = rare >= 0
    width = int(rare.max()) + 1 if keep.any() else 1
    rare_keys = np.unique(row[keep] * width + rare[keep])
    ahead = np.intersect1d(rare_keys, rare_keys + width, assume_unique=True)  # in sentence s and s - 1
    shared = np.bincount(ahead // width - 1, minlength=n)[:m]
    # Rare words of the second sentence that the first does not have: names and terms it
    # brings in without introducing them.
    novel = np.minimum(5, np.bincount(rare_keys // width, minlength=n)[1:] - shared)
    # The share of all words the two share (distinct words, by hash).
    word_keys = np.unique(row * (1 << 32) + (hashes & 0xFFFFFFFF))
    distinct = np.bincount(word_keys >> 32, minlength=n)
    both = np.intersect1d(word_keys, word_keys + (1 << 32), assume_unique=True)
    common = np.bincount((both >> 32) - 1, minlength=n)[:m]
    overlap = np.minimum(4, (5 * common) // np.maximum(1, np.minimum(distinct[:-1], distinct[1:])))

    band = np.minimum(5, lengths // 8)
    s = np.minimum(3, shared)
    q1, q2, p1, pl = first[1:], second[1:], first[:-1], last[:-1]
    any_shared = (s > 0).astype(np.int64)
    # Features of two, three and four parts, each group keyed in one pass over a stacked array.
    groups = (
        ((_OPEN1, q1), (_SHARED, s), (_OVERLAP, overlap)),
        ((_OPEN1_SHARED, q1, s), (_OPEN2, q1, q2), (_FIRST_FIRST, p1, q1), (_LAST_FIRST, pl, q1),
         (_LENGTHS, band[:-1], band[1:]), (_NOVEL, novel, s), (_OPEN1_NOVEL, q1, np.minimum(2, novel))),
        ((_OPEN2_SHARED, q1, q2, any_shared),),
    )
    cols = [_keys(g).ravel() for g in groups]
    rows = [np.tile(np.arange(m), len(g)) for g in groups]
    # Marks of the first sentence crossed with those of the second (a mark absent from both
    # gives nothing); mark N_MARKS stands for "none".
    mrow: list[int] = []
    mkey: list[int] = []
    bits = [[k for k in range(N_MARKS) if b >> k & 1] or [N_MARKS] for b in mark_bits]
    for k in range(m):
        for a in bits[k]:
            for b in bits[k + 1]:
                mrow.append(k)
                mkey.append(a * (N_MARKS + 1) + b)
    if mrow:
        rows.append(np.array(mrow, dtype=np.int64))
        cols.append(_key(_MARK, np.array(mkey, dtype=np.int64)))
    key = np.unique(np.concatenate(rows) * BUCKETS + np.concatenate(cols) % BUCKETS)
    return key // BUCKETS, key % BUCKETS


class PairModel(HashedLinear):
    @classmethod
    def load(cls) -> PairModel:
        return cls.from_package(_MODEL)

    def score(self, hashes: np.ndarray, rare: np.ndarray, lengths: np.ndarray, mark_bits: list[int]) -> np.ndarray:
        """For each join between sentences laid end to end (see :func:`join_features`), the
        probability that the second sentence was written to follow the first."""
        m = len(lengths) - 1
        if m <= 0:
            return np.zeros(0)
        row, col = join_features(hashes, rare, lengths, mark_bits)
        return self.probabilities(row, col, m)
