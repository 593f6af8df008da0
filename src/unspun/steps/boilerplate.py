"""Boilerplate: page furniture left in an article's text, found line by line.

Share and comment prompts, "read more" and related-story lines, ad labels, newsletter and
cookie notices, photo credits, copyright lines: a web page's furniture that an extractor let
through. Each line is scored by a logistic regression over its shape (length, punctuation,
capitals, digits, a leading verb in the base form, whether it is a sentence), its place in the
text and its words and word pairs. The weights were learned from real furniture
(``scripts/train_boilerplate.py``; see ``docs/boilerplate.md``) and ship as
``data/boilerplate-v1.json``; scoring is dictionary look-ups and a sum.

A false positive deletes real article text, so the threshold is set for precision.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from itertools import pairwise, repeat
from operator import add, mul
from pathlib import Path

from unspun.doc import Document
from unspun.spans import Finding, Findings
from unspun.steps.base import Step

__all__ = ["BoilerplateStep", "FeatureSpace"]

MODEL_FILE = "boilerplate-v1.json"
_MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / MODEL_FILE

# A capital letter that opens a word; counted against the line's words for its title-case share.
_CAPITAL = re.compile(r"\b[A-Z]")
_DIGIT = re.compile(r"\d")
_EMAIL = re.compile(r"\w@\w[\w-]*\.\w")
_SENTENCE_END = frozenset(".!?\"”’'")
_QUOTE_START = frozenset("\"“‘'")
_BULLET_START = frozenset("-–—•·*►»›")
# A line longer than this many words ends a run of header or footer lines.
_RUN_WORDS = 8


def _table(bounds: tuple[int, ...], names: tuple[str, ...], size: int = 64) -> tuple[str, ...]:
    """names[k] for every n below ``size``, k the first bucket with n <= bounds[k]; the last name above."""
    out = []
    for n in range(size):
        k = next((k for k, bound in enumerate(bounds) if n <= bound), len(bounds))
        out.append(names[k])
    return tuple(out)


_LENGTHS = _table((0, 1, 2, 3, 5, 8, 12, 20, 35), ("0", "1", "2", "3", "4-5", "6-8", "9-12", "13-20", "21-35", "36+"))
# Neighbour line lengths, indexed by word count + 1 (0: no neighbour).
_PREV = _table((0, 5, 15), ("#prev=none", "#prev=short", "#prev=mid", "#prev=long"))
_NEXT = _table((0, 5, 15), ("#next=none", "#next=short", "#next=mid", "#next=long"))


class FeatureSpace:
    """The features of a line, as string keys into one weight table.

    Shape, punctuation and position keys start with ``#``, which no word can hold; unigrams
    are the bare lower-cased words of ``doc.line_words``, bigrams two words joined by a space,
    and the first and last words also appear as ``^word`` and ``word$`` (the first pair as
    ``^word word``). The trainer and the step use this one definition, so what is learned is
    what is scored.

    Three word lists, mined from news text by the trainer and stored with the weights:
    ``verbs``, words that mostly follow "to" or a modal verb (the base form: "discuss",
    "follow", "subscribe"); ``function_words``, the commonest words; ``open_words``, common
    words that almost never end a sentence ("the", "of", "by"), so that a line ending on one
    is unfinished.
    """

    def __init__(self, verbs: Iterable[str], function_words: Iterable[str], open_words: Iterable[str]) -> None:
        self.verbs = frozenset(verbs)
        self.function_words = frozenset(function_words)
        self.open_words = frozenset(open_words)
        # The six keys every line has, by (length, end, start, capitals): built once each.
        self._base_keys: dict[tuple[str, str, str, str], list[str]] = {}

    @staticmethod
    def context(doc: Document) -> tuple[int, int]:
        """The first and the last line longer than a header or footer line (-1 when none)."""
        long_lines = [i for i, words in enumerate(doc.line_words) if len(words) > _RUN_WORDS]
        return (long_lines[0], long_lines[-1]) if long_lines else (-1, -1)

    def keys(self, doc: Document, i: int, context: tuple[int, int]) -> list[str]:
        """Every key of line ``i``: its shape keys, then its word keys."""
        words = doc.line_words[i]
        keys = self.shape_keys(doc, i, context)
        if words:
            keys.extend(words)
            keys.append("^" + words[0])
            keys.append(words[-1] + "$")
            keys.extend(a + " " + b for a, b in pairwise(words))
            if len(words) >= 2:
                keys.append("^" + words[0] + " " + words[1])
        return keys

    def shape_keys(self, doc: Document, i: int, context: tuple[int, int]) -> list[str]:
        """Keys of the line's length, punctuation, capitals, verbs, sentences and place."""
        text = doc.line_text(i)
        words = doc.line_words[i]
        n = len(words)
        n_lines = len(doc.lines)
        length = _LENGTHS[n] if n < 64 else _LENGTHS[-1]

        first, last = text[0], text[-1]
        ends_sentence = last in _SENTENCE_END
        if ends_sentence:
            end = "quote" if last not in ".!?" else last
        elif last == ":":
            end = ":"
        elif last in ")]":
            end = ")"
        elif last.isdigit():
            end = "digit"
        elif last.isalpha():
            end = "letter"
        else:
            end = "other"
        if first.isupper():
            start = "upper"
        elif first.islower():
            start = "lower"
        elif first.isdigit():
            start = "digit"
        elif first in _QUOTE_START:
            start = "quote"
        elif first in "([":
            start = "bracket"
        elif first in _BULLET_START:
            start = "bullet"
        else:
            start = "other"
        # Capitals and digits tell labels, credits and scores from prose; a long line is prose
        # or a table row whatever its capitals, and counting them would cost a scan per line.
        if not n:
            caps = "none"
        elif text.isupper():
            caps = "all"
        elif n > _RUN_WORDS:
            caps = "long"
        else:
            share = len(_CAPITAL.findall(text)) / n
            caps = "<.3" if share < 0.3 else "<.7" if share < 0.7 else "<1" if share < 1 else "1"
        # Length with its ending and with its capitals: a linear model cannot combine them.
        keys = self._base_keys.get((length, end, start, caps))
        if keys is None:
            keys = self._base_keys[length, end, start, caps] = [
                f"#len={length}",
                f"#end={end}",
                f"#start={start}",
                f"#caps={caps}",
                f"#len={length}|end={end}",
                f"#len={length}|caps={caps}",
            ]
        keys = keys.copy()
        if n:
            if n <= _RUN_WORDS and _DIGIT.search(text):
                digits = sum(1 for w in words if w[0].isdigit() or w[-1].isdigit())
                if digits:
                    keys.append("#digits" if digits * 3 < n else "#digits>1/3")
            if n >= 4:
                function = sum(map(self.function_words.__contains__, words))
                keys.append(
                    "#fw=0" if not function else "#fw<.2" if function * 5 < n else "#fw<.35" if function * 20 < n * 7 else "#fw>=.35"
                )
                if n >= 6 and ends_sentence and function * 6 >= n and (first.isupper() or first in _QUOTE_START):
                    keys.append("#sentence")
                    if n >= 15:
                        keys.append("#sentence&long")
            if words[0] in self.verbs:
                keys.append("#lead_verb")
                if n <= 8:
                    keys.append("#lead_verb&short")
                if not ends_sentence:
                    keys.append("#lead_verb&open")
            if last.isalnum() and words[-1] in self.open_words:
                keys.append("#unfinished")
                if n <= 6:
                    keys.append("#unfinished&short")
        if n <= 6 and not ends_sentence:
            keys.append("#short&open")
        sentences = len(doc.sentences_of_line(i))
        if sentences >= 2:
            keys.append("#sentences=2" if sentences == 2 else "#sentences=3+")

        if ":" in text[:40] and last != ":":
            keys.append("#colon_head")
        if "|" in text:
            keys.append("#pipe")
        if "/" in text:
            keys.append("#slash")
        if "©" in text:
            keys.append("#copyright_sign")
        if "@" in text:
            keys.append("#email" if _EMAIL.search(text) else "#at_sign")
        if "http" in text or "www." in text or ".com" in text:
            keys.append("#web_address")
        if "…" in text or "..." in text:
            keys.append("#ellipsis")
        if first in "([" and last in ")]":
            keys.append("#bracketed")

        # Place in the text: furniture gathers at the head and the tail, often as a run of
        # short lines before the first or after the last long one.
        if i == 0:
            keys.append("#pos=first")
        elif i < 3:
            keys.append("#pos=head")
        if i == n_lines - 1:
            keys.append("#pos=last")
        elif i >= n_lines - 3:
            keys.append("#pos=tail")
        first_long, last_long = context
        if i < first_long or first_long < 0:
            keys.append("#head_run")
            if i == first_long - 1:
                keys.append("#head_run_last")
        if i > last_long:
            keys.append("#tail_run")
            if i == last_long + 1:
                keys.append("#tail_run_first")
        # Neighbours: a run of short lines is a menu or a footer; a short line between long
        # ones is more often a subheading.
        prev_n = len(doc.line_words[i - 1]) + 1 if i else 0
        next_n = len(doc.line_words[i + 1]) + 1 if i + 1 < n_lines else 0
        keys.append(_PREV[min(prev_n, 63)])
        keys.append(_NEXT[min(next_n, 63)])
        return keys


# How a shape key reads in a reason.
_SHAPE_WORDS = {
    "#caps=all": "all capitals",
    "#caps=1": "every word capitalised",
    "#short&open": "a short line with no closing punctuation",
    "#end=:": "ends in a colon",
    "#colon_head": "a label before a colon",
    "#pipe": "a pipe separator",
    "#slash": "a slash as in a credit",
    "#copyright_sign": "a copyright sign",
    "#email": "an e-mail address",
    "#at_sign": "an @ handle",
    "#web_address": "a web address",
    "#ellipsis": "trails off",
    "#bracketed": "in brackets",
    "#digits>1/3": "mostly numbers",
    "#fw=0": "no function words",
    "#unfinished": "stops on a word that never ends a sentence",
    "#len=0": "no words at all",
    "#len=1": "a single word",
    "#len=2": "two words",
    "#len=3": "three words",
    "#pos=first": "the first line",
    "#pos=last": "the last line",
    "#pos=head": "at the head of the text",
    "#pos=tail": "at the tail of the text",
    "#head_run": "among the short lines before the article",
    "#tail_run": "among the short lines after the article",
    "#tail_run_first": "the first short line after the article",
    "#head_run_last": "the last short line before the article",
    "#prev=short": "after another short line",
    "#next=short": "before another short line",
}
_VERB_KEYS = ("#lead_verb", "#lead_verb&short", "#lead_verb&open")


class BoilerplateStep(Step):
    """Score every line; flag those whose furniture probability reaches the threshold.

    Lines covered by a ``metadata`` finding (headline, byline, date) are the metadata step's
    and are skipped. ``threshold`` overrides the one stored with the model (chosen on the
    development split for precision).
    """

    name = "unspun.boilerplate.v1"
    produces = "boilerplate"
    requires = ("metadata",)

    def __init__(self, threshold: float | None = None) -> None:
        super().__init__(threshold=threshold)
        model = json.loads(_MODEL_PATH.read_text(encoding="utf-8"))
        if model.get("name") != self.name:
            raise ValueError(f"{self.name}: {_MODEL_PATH.name} holds model {model.get('name')!r}, expected {self.name!r}")
        self.features = FeatureSpace(model["verbs"], model["function_words"], model["open_words"])
        self._weights: dict[str, float] = model["weights"]
        self._bias: float = model["bias"]
        self._index_words()
        chosen = model["threshold"] if threshold is None else threshold
        if not 0.0 < chosen < 1.0:
            raise ValueError(f"{self.name}: threshold must lie strictly between 0 and 1, got {chosen!r}")
        self.threshold = chosen
        # Compare logits, not probabilities: no exp() for the lines that do not pass.
        self._logit_threshold = math.log(chosen / (1.0 - chosen))

    def _index_words(self) -> None:
        """Number the words of the unigram and bigram keys, for scoring without building strings.

        A word's number indexes its unigram weight; a bigram's weight sits under
        ``number(a) * n + number(b)``. Unknown words are 0, and no key holding a 0 is stored.
        """
        ids: dict[str, int] = {}
        for key in self._weights:
            if key[0] not in "#^" and key[-1] != "$":
                for w in key.split(" "):
                    ids.setdefault(w, len(ids) + 1)
        self._word_id = ids
        self._width = n = len(ids) + 1
        self._unigram = [0.0] * n
        self._bigram: dict[int, float] = {}
        for key, weight in self._weights.items():
            if key[0] in "#^" or key[-1] == "$":
                continue
            a, _, b = key.partition(" ")
            if b:
                self._bigram[ids[a] * n + ids[b]] = weight
            else:
                self._unigram[ids[a]] = weight

    def score_line(self, doc: Document, i: int) -> float:
        """Furniture probability of line ``i`` (for inspection; :meth:`detect` scores all lines)."""
        return _sigmoid(self._logit(doc, i, self.features.context(doc)))

    def logit_of_keys(self, keys: Iterable[str]) -> float:
        get = self._weights.get
        return self._bias + sum(get(k, 0.0) for k in keys)

    def _logit(self, doc: Document, i: int, context: tuple[int, int]) -> float:
        """The same sum as ``logit_of_keys(features.keys(...))``: word pairs are looked up by
        number, and every loop runs inside map() and sum()."""
        get = self._weights.get
        words = doc.line_words[i]
        total = self._bias + sum(map(get, self.features.shape_keys(doc, i, context), repeat(0.0)))
        if words:
            ids = list(map(self._word_id.get, words, repeat(0)))
            total += sum(map(self._unigram.__getitem__, ids))
            pairs = map(add, map(mul, ids, repeat(self._width)), ids[1:])
            total += sum(map(self._bigram.get, pairs, repeat(0.0)))
            total += get("^" + words[0], 0.0) + get(words[-1] + "$", 0.0)
            if len(words) > 1:
                total += get("^" + words[0] + " " + words[1], 0.0)
        return total

    def detect(self, doc: Document, found: Findings) -> Iterator[Finding]:
        covered = sorted((f.start, f.end) for f in found.of("metadata"))
        context = self.features.context(doc)
        k = 0
        for i, line in enumerate(doc.lines):
            # Both are in text order: step past metadata that ends before this line.
            while k < len(covered) and covered[k][1] <= line.start:
                k += 1
            if k < len(covered) and covered[k][0] < line.end:
                continue
            logit = self._logit(doc, i, context)
            if logit < self._logit_threshold:
                continue
            reason, evidence = self.explain(self.features.keys(doc, i, context), doc.line_words[i])
            yield self.finding(line.start, line.end, _sigmoid(logit), reason, line=i, evidence=evidence)

    def explain(self, keys: list[str], words: list[str]) -> tuple[str, list[str]]:
        """A one-line reason from the keys that pushed the line furthest towards furniture,
        and those keys (at most four)."""
        weights = self._weights
        push: dict[str, float] = {}
        for key in keys:
            w = weights.get(key, 0.0)
            if w > 0:
                push[key] = push.get(key, 0.0) + w
        ranked = sorted(push, key=push.__getitem__, reverse=True)

        shown: list[str] = []
        shown_words: set[str] = set()
        for key in ranked:
            if not key.startswith("#"):
                phrase = key.strip("^$").split(" ")
                if not shown_words.issuperset(phrase):  # "full" adds nothing after "full coverage"
                    shown.append(" ".join(phrase))
                    shown_words.update(phrase)
        shapes = [k for k in ranked if k in _SHAPE_WORDS]
        verb = sum(push.get(k, 0.0) for k in _VERB_KEYS)
        best_word = max((push[k] for k in ranked if not k.startswith("#")), default=0.0)
        best_shape = max((push[k] for k in shapes), default=0.0)
        if verb and words and verb >= min(best_word, best_shape):
            kind = f"call to action: opens with the verb '{words[0]}'"
        elif best_word >= best_shape:
            kind = "page furniture wording"
        else:
            kind = "page furniture layout"
        details = []
        if shown:
            details.append("words " + ", ".join(f"'{w}'" for w in shown[:2]))
        details.extend(_SHAPE_WORDS[k] for k in shapes[:2])
        reason = kind + (" (" + "; ".join(details) + ")" if details else "") + ", not article text"
        return reason, ranked[:4]


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)
