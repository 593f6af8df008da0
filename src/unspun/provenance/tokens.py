"""Words of a sentence for tracing: their keys, their spans, and the retrieval keys built on
the words a spinner leaves alone.

Spinners swap common words for thesaurus synonyms, drop small words and respell a few
names; they do not touch the rare words (names, places, technical terms) or, mostly, the
figures. Those are the sentence's *anchors* (the "immutables" of Zhang, Wang and Voelker,
NDSS 2014). A sentence's retrieval keys are pairs of anchors in their order, next to each
other and one apart, so that one changed anchor costs at most three of its keys and a
synonym swap of a common word costs none.
"""

from __future__ import annotations

import re
import zlib

# Numbers whole ("1,200", "3.5"), currency and percent signs, and words with inner
# apostrophes and dots ("don't", "u.s") kept together as unspun.doc's WORD does.
TOKEN = re.compile(r"[$£€%]|\d+(?:[.,]\d+)*|\w+(?:['’.]\w+)*")
# An abbreviation with dots ("U.S", "a.m"): its final dot belongs to it, for display.
_ABBREVIATION = re.compile(r"^(?:\w\.)+\w$")

#: Words rarer than this Zipf value are anchors (about two words in five of news text).
#: Measured on 80 farm articles against their sources and 5,000 other articles: spun
#: sentences traced 0.910 at 4.6, 0.947 at 5.2, 0.952 at 5.6, with 1.0, 1.5 and 1.9 times
#: the postings.
ANCHOR_ZIPF = 5.2
# Words never anchors whatever wordfreq says: fragments left by apostrophes and the like.
_NOT_ANCHORS = frozenset({"s", "t", "ll", "re", "ve", "d", "m"})


_common: frozenset[str] | None = None


def _common_words() -> frozenset[str]:
    """Words at or above the anchor threshold in wordfreq's list, read once."""
    global _common
    if _common is None:

        import wordfreq

        cut = 10 ** (ANCHOR_ZIPF - 9.0)
        _common = frozenset(w for w, f in wordfreq.get_frequency_dict("en", "best").items() if f >= cut)
    return _common


# Each word seen: its 32-bit hash, with bit 32 set when it is an anchor.
_seen: dict[str, int] = {}
_ANCHOR = 1 << 32


def _word_info(key: str) -> int:
    h = zlib.crc32(key.encode("utf-8", "surrogatepass"))
    if key not in _NOT_ANCHORS and (key[0].isdigit() or key not in _common_words()):
        h |= _ANCHOR
    if len(_seen) < 4_000_000:
        _seen[key] = h
    return h


def is_anchor(key: str) -> bool:
    return bool((_seen.get(key) or _word_info(key)) & _ANCHOR)


def keys_of(text: str) -> list[str]:
    """The sentence's word keys: lower-cased, curly apostrophes straightened."""
    return TOKEN.findall(text.lower().replace("’", "'"))


def tokens(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Word keys and their character spans in ``text`` (an abbreviation keeps its final dot)."""
    spans = [m.span() for m in TOKEN.finditer(text)]
    low = text.lower()
    if len(low) == len(text):  # lower-casing kept the offsets: slice the keys from it
        keys = [low[a:b] for a, b in spans]
    else:
        keys = [text[a:b].lower() for a, b in spans]
    if "’" in text:
        keys = [k.replace("’", "'") for k in keys]
    if "." in text:
        n = len(text)
        for i, (a, b) in enumerate(spans):
            if b < n and text[b] == "." and "." in keys[i] and _ABBREVIATION.match(keys[i]):
                spans[i] = (a, b + 1)
    return keys, spans


def _pair(a: int, b: int, salt: int) -> int:
    """A 32-bit key for an ordered pair of word hashes. 32 bits keep the postings small; a
    collision only adds a candidate, which the alignment then turns down."""
    return (((a * 0x9E3779B1) ^ (b + salt)) * 0x85EBCA6B & 0xFFFFFFFF) ^ (a >> 7)


def retrieval_keys(keys: list[str]) -> list[int]:
    """32-bit keys for the pairs of anchors, adjacent and one apart, in sentence order.

    With fewer than three anchors the sentence is too plain to be traced by its rare words
    alone, so pairs of adjacent words (any words) are added: a copied plain sentence is
    still found, while its spun form, having lost most of those pairs, may not be."""
    seen = _seen
    info = [seen.get(k) or _word_info(k) for k in keys]
    anchors = [h & 0xFFFFFFFF for h in info if h & _ANCHOR]
    out = []
    for i in range(len(anchors) - 1):
        out.append(_pair(anchors[i], anchors[i + 1], 0))
        if i + 2 < len(anchors):
            out.append(_pair(anchors[i], anchors[i + 2], 0x5BD1E995))
    if len(anchors) < 3:
        hashes = [h & 0xFFFFFFFF for h in info]
        for i in range(len(hashes) - 1):
            out.append(_pair(hashes[i], hashes[i + 1], 0x27D4EB2F))
    return out
