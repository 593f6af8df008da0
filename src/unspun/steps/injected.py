"""Injected spam: paragraphs on another topic, found by their lexical cohesion with the rest.

A paragraph that belongs to an article shares its rare words (names, places, the story's
terms) with the other paragraphs. A teaser for another story dropped into the middle shares
almost none. Cohesion is the rarity-weighted share of a paragraph's distinct words that occur
elsewhere in the body; words are compared by a short prefix so that "Canada" meets "Canadian"
and "negotiations" meets "negotiators".

Injected text is often a headline line plus one or two sentences, whose words meet each other
but nothing else, so windows of up to three consecutive paragraphs are judged together.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from itertools import chain, repeat

import numpy as np

from unspun.doc import Document
from unspun.lexicon import Lexicon
from unspun.spans import Finding, Findings
from unspun.steps.base import Step
from unspun.topics import TopicSpace

# Words at least this rare carry topic (weight = 7 - Zipf; "said" is about 1, "negotiation" 3).
_MIN_WORD_WEIGHT = 1.5
_PREFIX = 5
_NEWS_BOOST = 3.0
_WORD_CACHE = 500_000


def _key(word: str) -> str:
    return word[:_PREFIX]


class InjectedStep(Step):
    """Flags paragraphs whose rare words the rest of the article never uses.

    A window is flagged when its topic vector points away from the rest of the body (cosine at
    most ``max_topic``), few of its rare words occur elsewhere (chance-corrected cohesion at
    most ``max_cohesion``) and it holds enough rare words to judge (``min_mass``). A window
    shaped like a teaser (a headline line and its text) gets ``teaser_limits``; any other
    paragraph must be far more clearly off-topic (``paragraph_limits``), since real articles
    have paragraphs that stray from the story.
    The limits were calibrated on real articles (scripts/calibrate_injected.py) to keep the
    flag on well under 1% of the sentences of real BBC and AllSides articles.
    """

    name = "unspun.injected.v1"
    produces = "injected"
    requires = ("metadata", "boilerplate")

    def __init__(
        self,
        lexicon: Lexicon,
        topics: TopicSpace,
        *,
        teaser_limits: tuple[float, float, float] = (0.2, 0.6, 10.0),
        paragraph_limits: tuple[float, float, float] = (0.0, 0.0, 40.0),
        min_units: int = 4,
        max_window: int = 3,
    ) -> None:
        super().__init__(
            teaser_limits=teaser_limits, paragraph_limits=paragraph_limits, min_units=min_units, max_window=max_window
        )
        self.lexicon = lexicon
        self.topics = topics
        self._ids: dict[str, int] = {}
        self._keys: dict[str, int] = {}
        self._arrays = (np.empty(0, np.int64), np.empty(0), np.empty(0), np.empty(0, np.int64))
        self.limits = {True: tuple(teaser_limits), False: tuple(paragraph_limits)}
        self.min_units = min_units
        self.max_window = max_window

    def units(self, doc: Document, found: Findings) -> list[tuple[int, list[int]]]:
        """(paragraph index, body line indices) for paragraphs with body text."""
        excluded = {
            line.index
            for f in found.of("metadata", "boilerplate")
            for line in doc.lines
            if line.start >= f.start and line.end <= f.end
        }
        units = []
        for para in doc.paragraphs:
            lines = [i for i in doc.paragraph_lines(para.index) if i not in excluded]
            if lines:
                units.append((para.index, lines))
        return units

    def _add_words(self, words: list[str], article: list[str]) -> None:
        """Give each new word an id into the arrays of prefix id (-1 when the word carries no
        topic), rarity weight, frequency and topic row (-1 when it has none).

        Each distinct word is looked up once and kept, so that an article costs one dict
        lookup per distinct word. The arrays double when full; the store is emptied when it
        grows past a bound, for long corpus runs, and then learns all of the article's words
        (``article``) again.
        """
        if len(self._ids) + len(words) > _WORD_CACHE:
            self._ids.clear()
            self._keys.clear()
            words = article
        n = len(self._ids)
        if n + len(words) > len(self._arrays[0]):
            capacity = max(2 * (n + len(words)), 4096)
            self._arrays = tuple(np.resize(a, capacity) for a in self._arrays)
        keys, weights, freqs, rows = self._arrays
        lexicon, topic_index, prefixes = self.lexicon, self.topics.index, self._keys
        for word in dict.fromkeys(words):
            zipf = lexicon.zipf(word)
            weight = 7.0 - zipf
            key = -1
            if weight >= _MIN_WORD_WEIGHT and len(word) >= 3 and not word.isdigit():
                key = prefixes.setdefault(_key(word), len(prefixes))
            keys[n], weights[n], freqs[n] = key, weight, 10.0 ** (zipf - 9.0)
            rows[n] = topic_index.get(word, -1)
            self._ids[word] = n
            n += 1

    @staticmethod
    def _headline_like(doc: Document, lines: list[int]) -> bool:
        text = doc.line_text(lines[0])
        return len(doc.line_words[lines[0]]) <= 20 and not text.endswith((".", ",", ";", ":", '"', "”"))

    def measure(self, doc: Document, found: Findings) -> list[dict]:
        """Topic, cohesion and mass of candidate windows of consecutive units.

        Cohesion is the rarity-weighted share of the window's distinct rare words found in the
        rest of the body, less the share expected by chance for a text of the rest's length,
        so that long articles, where more words meet by chance, are judged like short ones.
        Windows of two or three units are only those that start with a headline-shaped line:
        the teaser of another story, set out as one line per paragraph.

        The work is done on arrays of (unit, distinct word) pairs, so that Python touches each
        distinct word of a unit once, through C-level map and zip.
        """
        units = self.units(doc, found)
        n_units = len(units)
        if n_units < self.min_units:
            return []
        # The words of each unit as the document's word numbers, end to end, unit after unit.
        vocab = doc.vocabulary()
        word_ids, bounds = doc.line_word_ids()
        unit_lines = np.fromiter(chain.from_iterable(lines for _, lines in units), dtype=np.int64)
        line_unit = np.repeat(np.arange(n_units), [len(lines) for _, lines in units])
        starts = bounds[unit_lines]
        lengths = bounds[unit_lines + 1] - starts
        n_words = int(lengths.sum())
        if not n_words:
            return []
        offsets = np.cumsum(lengths) - lengths
        words = word_ids[np.repeat(starts - offsets, lengths) + np.arange(n_words)]
        word_unit = np.repeat(line_unit, lengths)
        sizes = np.bincount(line_unit, weights=lengths, minlength=n_units)
        # Each unit's distinct words, in first-seen order, not sorted by number: the sums below
        # must not depend on the order words were numbered in.
        _, first = np.unique(word_unit * len(vocab) + words, return_index=True)
        first.sort()
        pair_vocab = words[first]
        unit_of = word_unit[first]
        # Into this step's word tables: each of the document's words looked up once.
        known = np.fromiter(map(self._ids.get, vocab, repeat(-1)), dtype=np.int64, count=len(vocab))
        ids = known[pair_vocab]
        if (ids < 0).any():
            words_of = list(vocab)
            self._add_words([words_of[v] for v in pair_vocab[ids < 0].tolist()], words_of)
            ids = np.fromiter(map(self._ids.__getitem__, map(words_of.__getitem__, pair_vocab.tolist())), dtype=np.int64, count=len(pair_vocab))
        key_arr, weight_arr, freq_arr, row_arr = self._arrays
        keys, weights, freqs, rows = key_arr[ids], weight_arr[ids], freq_arr[ids], row_arr[ids]

        # Topic vectors of the units: sums of their distinct words' vectors. The pairs run unit
        # after unit, so each unit's sum is a difference of running sums at its boundaries
        # (no BLAS call, whose threads cost more than they save on matrices this small).
        has_row = rows >= 0
        running = np.zeros((int(has_row.sum()) + 1, self.topics.dims), dtype=np.float64)
        np.cumsum(self.topics.vectors[rows[has_row]], axis=0, out=running[1:])
        bounds = np.searchsorted(unit_of[has_row], np.arange(n_units + 1))
        unit_vectors = running[bounds[1:]] - running[bounds[:-1]]
        total_vector = unit_vectors.sum(axis=0)

        # Topical words, one per (unit, prefix); how many units hold each prefix.
        topical = keys >= 0
        pair_keys = unit_of[topical] * (int(keys.max()) + 1) + keys[topical]
        _, first = np.unique(pair_keys, return_index=True)
        t_unit = unit_of[topical][first]
        t_key = keys[topical][first]
        t_weight = weights[topical][first]
        t_freq = freqs[topical][first]
        key_ids, key_inverse, key_counts = np.unique(t_key, return_inverse=True, return_counts=True)
        held_by = key_counts[key_inverse]  # for each pair, the number of units holding its prefix

        # Chance of meeting a word of frequency f in the rest's words, where topical words of
        # news run at several times their general frequency.
        n_total = float(sizes.sum())
        scales = (n_total - sizes) * _NEWS_BOOST
        gain = t_weight * ((held_by > 1).astype(np.float64) - 1.0 + np.exp(-t_freq * scales[t_unit]))
        masses = np.bincount(t_unit, weights=t_weight, minlength=n_units)
        shared = np.bincount(t_unit, weights=gain, minlength=n_units)

        rest_vectors = total_vector[None, :] - unit_vectors
        dots = np.einsum("ij,ij->i", unit_vectors, rest_vectors)
        norms = np.sqrt(np.einsum("ij,ij->i", unit_vectors, unit_vectors) * np.einsum("ij,ij->i", rest_vectors, rest_vectors))
        topics = np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)

        out = []
        held: dict[int, int] | None = None  # prefix id -> units holding it, built on demand
        for u, (_, lines) in enumerate(units):
            headline = self._headline_like(doc, lines)
            if masses[u] > 0:
                out.append(self._window(units[u : u + 1], shared[u] / masses[u], topics[u], masses[u], n_units, headline and len(lines) > 1))
            # A headline line alone, in text set out one line per paragraph: judge it with the
            # one or two lines that follow it, when the line itself already strays from the
            # article's topic. Where blank lines part the paragraphs, a teaser keeps its
            # headline in its own paragraph, and a headline paragraph is a subheading.
            if doc.blank_line_paragraphs or not headline or len(lines) > 1 or topics[u] > self.limits[True][1]:
                continue
            for size in range(2, self.max_window + 1):
                if u + size > n_units:
                    break
                inside = (t_unit >= u) & (t_unit < u + size)
                if not inside.any():
                    continue
                # A handful of words: plain Python beats numpy's per-call cost here.
                if held is None:
                    held = dict(zip(key_ids.tolist(), key_counts.tolist()))
                counts: Counter[int] = Counter()
                merged: dict[int, tuple[float, float]] = {}
                for k, wt, f in zip(t_key[inside].tolist(), t_weight[inside].tolist(), t_freq[inside].tolist()):
                    counts[k] += 1
                    if k not in merged or wt > merged[k][0]:
                        merged[k] = (wt, f)
                scale = (n_total - float(sizes[u : u + size].sum())) * _NEWS_BOOST
                mass = gained = 0.0
                for k, (wt, f) in merged.items():
                    mass += wt
                    gained += wt * ((1.0 if held[k] > counts[k] else 0.0) - 1.0 + math.exp(-f * scale))
                inside_vector = unit_vectors[u : u + size].sum(axis=0)
                topic = TopicSpace.cosine(inside_vector, total_vector - inside_vector)
                out.append(self._window(units[u : u + size], gained / mass, topic, mass, n_units, True))
        return out

    @staticmethod
    def _window(units, cohesion, topic, mass, n_units, teaser) -> dict:
        return {
            "units": units,
            "cohesion": float(cohesion),
            "topic": float(topic),
            "mass": float(mass),
            "rest_units": n_units - len(units),
            "teaser": bool(teaser),
        }

    def detect(self, doc: Document, found: Findings) -> Iterable[Finding]:
        passing = []
        for m in self.measure(doc, found):
            max_cohesion, max_topic, min_mass = self.limits[m["teaser"]]
            if m["cohesion"] <= max_cohesion and m["topic"] <= max_topic and m["mass"] >= min_mass:
                passing.append(m)
        # The most clearly off-topic windows first; a window overlapping one already taken
        # (the same headline judged with one more paragraph) is left out.
        passing.sort(key=lambda m: (m["topic"], len(m["units"])))
        taken: set[int] = set()
        windows = []
        for m in passing:
            paras = [p for p, _ in m["units"]]
            if not taken.intersection(paras):
                taken.update(paras)
                windows.append(m)
        windows.sort(key=lambda m: m["units"][0][0])
        for m in windows:
            max_cohesion, max_topic, min_mass = self.limits[m["teaser"]]
            first_line, last_line = m["units"][0][1][0], m["units"][-1][1][-1]
            # Surer the further both measures sit below their limits, and the more text there is.
            margin = min((max_topic - m["topic"]) / (max_topic + 1.0), (max_cohesion - m["cohesion"]) / (max_cohesion + 1.0))
            score = min(1.0, 0.7 + 0.6 * max(0.0, margin) + 0.1 * min(1.0, m["mass"] / (4 * min_mass)))
            shape = "a headline and its text" if m["teaser"] else "a paragraph"
            yield self.finding(
                doc.lines[first_line].start,
                doc.lines[last_line].end,
                score,
                f"off-topic: {shape} whose topic does not match the rest of the article "
                f"(cosine {m['topic']:.2f}) and whose distinctive words occur nowhere else",
                cohesion=round(m["cohesion"], 4),
                topic=round(m["topic"], 4),
                mass=round(m["mass"], 2),
                teaser=m["teaser"],
                window=[p for p, _ in m["units"]],
            )
