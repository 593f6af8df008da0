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
from itertools import chain, compress, repeat

import numpy as np

# Numbers whole ("1,200", "3.5"), currency and percent signs, and words with inner
# apostrophes and dots ("don't", "u.s") kept together as unspun.doc's WORD does. The
# lookahead names the characters a token can start with, which lets the regex engine skip
# the others without trying each alternative there: the same tokens, in 0.6 of the time.
TOKEN = re.compile(r"(?=[$£€%\w])(?:[$£€%]|\d+(?:[.,]\d+)*|\w+(?:['’.]\w+)*)")
# An abbreviation with dots ("U.S", "a.m"): its final dot belongs to it, for display.
_ABBREVIATION = re.compile(r"^(?:\w\.)+\w$")
# A text without a dot between two word characters has no abbreviation.
_INNER_DOT = re.compile(r"\w\.\w")

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
# Above any word's value: the mark of a word not in _seen.
_UNSEEN = 1 << 40


def _word_info(key: str) -> int:
    h = zlib.crc32(key.encode("utf-8", "surrogatepass"))
    if key not in _NOT_ANCHORS and (key[0].isdigit() or key not in _common_words()):
        h |= _ANCHOR
    if len(_seen) < 4_000_000:
        _seen[key] = h
    return h


def is_anchor(key: str) -> bool:
    return bool((_seen.get(key) or _word_info(key)) & _ANCHOR)


def count_anchors(keys: list[str]) -> int:
    """How many of ``keys`` are anchors: a dict look-up each, looped in C, for the words
    seen before."""
    values = list(map(_seen.get, keys))
    if None in values:
        values = [_word_info(k) if v is None else v for k, v in zip(keys, values)]
    return sum(map(_ANCHOR.__le__, values))  # the anchor bit is the highest one set


# Characters that are never part of a token at its edges: everything but word characters
# and the currency and percent signs (dots, commas and apostrophes belong to a token only
# between its characters).
_EDGES = "\"'()[]{}“”‘«»,.;:!?*—–-…/\\|<>#@&+=~^`"


def keys_of(text: str) -> list[str]:
    """The sentence's word keys: lower-cased, curly apostrophes straightened.

    The same keys as the token regex over the whole text, in about half the time: no token
    holds white space, so the text is taken chunk by chunk between spaces; a chunk of
    letters alone, once the punctuation at its edges is cut off, is one token as it stands,
    and only the rest go through the regex."""
    out: list[str] = []
    findall = TOKEN.findall
    for chunk in text.lower().replace("’", "'").split():
        if chunk.isalpha():
            out.append(chunk)
            continue
        core = chunk.strip(_EDGES)
        if core.isalpha():
            out.append(core)
        elif core:
            out += findall(core)
    return out


def tokens(text: str, keys: list[str] | None = None) -> tuple[list[str], list[tuple[int, int]]]:
    """Word keys and their character spans in ``text`` (an abbreviation keeps its final dot).
    ``keys``: the text's :func:`keys_of`, when known, which saves the regex."""
    low = text.lower()
    if keys is not None and len(low) == len(text):
        # Between two tokens there is no character a token can start with, so each key is
        # found where its token starts by looking from the end of the one before.
        if "’" in low:
            low = low.replace("’", "'")
        find = low.find
        spans = []
        at = 0
        for k in keys:
            at = find(k, at)
            if at < 0:
                break
            spans.append((at, at + len(k)))
            at += len(k)
        else:
            return keys, _abbreviations(text, keys, spans)
    spans = [m.span() for m in TOKEN.finditer(text)]
    if len(low) == len(text):  # lower-casing kept the offsets: slice the keys from it
        keys = [low[a:b] for a, b in spans]
    else:
        keys = [text[a:b].lower() for a, b in spans]
    if "’" in text:
        keys = [k.replace("’", "'") for k in keys]
    return keys, _abbreviations(text, keys, spans)


def _abbreviations(text: str, keys: list[str], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with an abbreviation's final dot taken in."""
    if _INNER_DOT.search(text):
        n = len(text)
        for i, (a, b) in enumerate(spans):
            if b < n and text[b] == "." and "." in keys[i] and _ABBREVIATION.match(keys[i]):
                spans[i] = (a, b + 1)
    return spans


_SALT_SKIP = 0x5BD1E995
_SALT_PLAIN = 0x27D4EB2F


def _pair(a, b, salt: int):
    """32-bit keys for ordered pairs of word hashes (numpy uint64 arrays). 32 bits keep the
    postings small; a collision only adds a candidate, which the alignment then turns down."""
    return ((((a * np.uint64(0x9E3779B1)) ^ (b + np.uint64(salt))) * np.uint64(0x85EBCA6B))
            & np.uint64(0xFFFFFFFF)) ^ (a >> np.uint64(7))


def retrieval_keys_batch(sentences: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Retrieval keys of many sentences at once: (keys as uint32, the sentence of each).

    A sentence's keys are its pairs of anchors, adjacent and one apart, in order. With fewer
    than three anchors the sentence is too plain to be traced by its rare words alone, so
    pairs of adjacent words (any words) are added: a copied plain sentence is still found,
    while its spun form, having lost most of those pairs, may not be."""
    sizes = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
    # A dict look-up per word, looped in C straight into the array; a word not seen yet
    # comes out as _UNSEEN and is worked out afterwards.
    info = np.fromiter(map(_seen.get, chain.from_iterable(sentences), repeat(_UNSEEN)),
                       dtype=np.uint64, count=int(sizes.sum()))
    unseen = info == np.uint64(_UNSEEN)
    if unseen.any():
        new = list(compress(chain.from_iterable(sentences), unseen.tolist()))
        values = {w: _word_info(w) for w in set(new)}  # each new word once
        info[unseen] = np.fromiter(map(values.__getitem__, new), dtype=np.uint64, count=len(new))
    owner = np.repeat(np.arange(len(sentences)), sizes)
    is_anchor_ = (info & np.uint64(_ANCHOR)) != 0
    h = info & np.uint64(0xFFFFFFFF)
    ah, ao = h[is_anchor_], owner[is_anchor_]
    keys, owners = [], []
    for gap, salt in ((1, 0), (2, _SALT_SKIP)):
        same = ao[:-gap] == ao[gap:]
        keys.append(_pair(ah[:-gap][same], ah[gap:][same], salt))
        owners.append(ao[:-gap][same])
    plain = (np.bincount(ao, minlength=len(sentences)) < 3)[owner]
    ph, po = h[plain], owner[plain]
    same = po[:-1] == po[1:]
    keys.append(_pair(ph[:-1][same], ph[1:][same], _SALT_PLAIN))
    owners.append(po[:-1][same])
    return np.concatenate(keys).astype(np.uint32), np.concatenate(owners)


def retrieval_keys(keys: list[str]) -> list[int]:
    """The retrieval keys of one sentence (see :func:`retrieval_keys_batch`)."""
    return retrieval_keys_batch([keys])[0].tolist()
