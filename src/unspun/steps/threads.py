"""Story threads, and whether the article was stitched together from several stories.

Each body sentence becomes a vector of its rare words (names, places, the story's terms),
weighted by rarity. Sentences are grouped by average-linkage clustering on the cosine of these
vectors: a thread is a group of two sentences or more; a sentence that shares nothing with any
group joins the thread of the sentence before it. Threads are numbered in order of first
appearance, and the article switches thread wherever two neighbouring sentences differ.

An article pasted together from several outlets' stories leaves marks that an article written
by one person rarely has, and the step measures them:

- neighbouring sentences share fewer words than the article's sentences do on average
  (sentences were shuffled);
- two sentences far apart say nearly the same thing (two outlets reporting one fact);
- it leaves one thread and comes back to it again and again;
- it points to things it never introduced (dangling references, from the step before);
- its figures for one thing disagree, or repeat;
- its typography changes: straight and curly quotation marks, "U.S." and "US", side by side.

A logistic model over these signals, fitted on the dev split of the farm benchmark with real
articles as the negatives (scripts/train_stitch.py), gives the probability that the article
is stitched. Above ``threshold`` the step adds one ``stitch`` finding over the body, whose
details list the signals; the verdict then says stitched.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from importlib import resources

import numpy as np

from unspun.doc import WORD, Document
from unspun.lexicon import Lexicon
from unspun.spans import Finding, Findings
from unspun.steps.base import Step, body_sentences

# Words at least this rare carry a story (weight = 7 - Zipf).
_MIN_WORD_WEIGHT = 2.0
_PREFIX = 6
# Pairs of spellings of one thing; an outlet keeps to one of each pair, so an article that uses
# both sides of several pairs was written by more than one hand.
_STYLE_PAIRS = {
    name: (re.compile(a), re.compile(b))
    for name, a, b in (
        ("quotes", r"[“”]", r"\""),  # curly and straight quotation marks
        ("apostrophes", r"\w’\w", r"\w'\w"),
        ("acronyms", r"\b(?:U\.S|U\.K|U\.N|E\.U)\.", r"\b(?:US|UK|UN|EU)\b"),
        ("dashes", r"—", r" -- | - "),
        ("dash_spacing", r"\w—\w", r" — "),
        ("percent", r"\d percent\b", r"\d ?%|\bper cent\b"),
        ("speech_tense", r"\b(?:he|she|[A-Z][a-z]+) said\b", r"\b(?:he|she|[A-Z][a-z]+) says\b"),
        ("speech_order", r"[”\"],? said [A-Z]", r"[”\"],? [A-Z][a-z]+ said\b"),
        ("honorifics", r"\b(?:Mr|Mrs|Ms)\.? [A-Z]", r"\b(?:[A-Z][a-z]+ )?[A-Z][a-z]+ said\b"),
        ("honorific_stop", r"\b(?:Mr|Mrs|Ms|Dr)\. [A-Z]", r"\b(?:Mr|Mrs|Ms|Dr) [A-Z]"),
        ("titles", r"\b(?:Sen|Rep|Gov)\. [A-Z]", r"\b(?:Senator|Representative|Governor) [A-Z]"),
        ("spelling", r"(?i)\b(?:\w+ization|center|labor|defense|color|favor)\b",
         r"(?i)\b(?:\w+isation|centre|labour|defence|colour|favour)\b"),
        ("magnitudes", r"\d ?(?:bn|m)\b", r"\d (?:billion|million)\b"),
        ("months", r"\b(?:Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\. \d", r"\b(?:January|February|August|September|October|November|December) \d"),
        ("times", r"\d ?[ap]\.m\.", r"\d ?[ap]m\b"),
        ("ellipsis", r"…", r"\.\.\."),
    )
}
# Openings that point back to the sentence before.
_OPENER = re.compile(
    r"[\"“‘']?(?:He|She|They|It|His|Her|Their|Its|This|That|These|Those|Such|But|However|Also|Meanwhile|"
    r"Still|Yet|Instead|Moreover|Furthermore|Nonetheless|Nevertheless|Both|The (?:former|latter|move|decision|"
    r"statement|comments|remarks|announcement|deal|plan|report|group|company|agency))\b"
)
# A person's full name ("Jane Smith") again after the surname alone has been used: each outlet
# introduces its people, so a pasted article introduces them more than once.
_FULL_NAME = re.compile(r"\b([A-Z][a-z]+) ((?:[A-Z]\. )?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")

FEATURES = (
    "dangling",
    *(f"style_{name}" for name in _STYLE_PAIRS),
    "adjacent_gap",
    "redundancy",
    "returns",
    "threads",
    "conflicts",
    "repeats",
    "reintroduced",
    "unanchored",
    "sentences",
)


class ThreadStep(Step):
    name = "unspun.threads.v1"
    produces = "thread"
    also_produces = ("stitch",)
    requires = ("metadata", "boilerplate", "injected", "dangling_reference", "conflict", "repeat")

    def __init__(self, lexicon: Lexicon, *, link: float = 0.12, threshold: float | None = None) -> None:
        super().__init__(link=link, threshold=threshold)
        self.lexicon = lexicon
        self.link = link
        model = json.loads(resources.files("unspun").joinpath("data/stitch-v1.json").read_text())
        self.weights = np.array([model["weights"].get(f, 0.0) for f in FEATURES])
        self.bias = model["bias"]
        self.threshold = model["threshold"] if threshold is None else threshold
        self._weight_cache: dict[str, float] = {}

    def detect(self, doc: Document, found: Findings) -> Iterable[Finding]:
        body = body_sentences(doc, found)
        if len(body) < 2:
            return []
        vectors = self._vectors(doc, body)
        sims = vectors @ vectors.T
        threads = _cluster(sims, self.link)
        out: list[Finding] = []
        run_start = 0
        for i in range(1, len(body) + 1):
            # A run ends where the thread changes or the body is broken by text that is not body.
            if i == len(body) or threads[i] != threads[run_start] or body[i].index != body[i - 1].index + 1:
                t = threads[run_start]
                out.append(Finding("thread", body[run_start].start, body[i - 1].end, 1.0,
                                   f"story thread {t + 1}", self.name, {"thread": t}))
                run_start = i
        signals = self.signals(doc, found, body, sims, threads)
        p = self.probability(signals)
        if p >= self.threshold:
            out.append(Finding("stitch", body[0].start, body[-1].end, p, _reason(signals, self.weights), self.name,
                               {"probability": round(p, 4), "signals": signals}))
        return out

    def probability(self, signals: dict[str, float]) -> float:
        x = np.array([signals[f] for f in FEATURES])
        z = float(self.weights @ x + self.bias)
        return 1.0 / (1.0 + math.exp(-z))

    def signals(self, doc: Document, found: Findings, body, sims: np.ndarray, threads: list[int]) -> dict[str, float]:
        n = len(body)
        upper = sims[np.triu_indices(n, 1)]
        adjacent = np.diagonal(sims, 1)
        far = sims[np.triu_indices(n, 2)] if n > 2 else np.zeros(1)
        switches = sum(1 for a, b in zip(threads, threads[1:]) if a != b)
        left: set[int] = set()
        returns = 0
        for a, b in zip(threads, threads[1:]):
            if a != b:
                left.add(a)
                returns += b in left
        lo, hi = body[0].start, body[-1].end
        text = doc.text[lo:hi]
        styles = {k: float(bool(a.search(text) and b.search(text))) for k, (a, b) in _STYLE_PAIRS.items()}
        return {
            "dangling": round(min(4, len(found.of("dangling_reference"))) / n, 4),
            "dangling_count": len(found.of("dangling_reference")),
            "adjacent_gap": round(float(upper.mean() - adjacent.mean()), 4),
            "redundancy": round(float(far.max()), 4),
            "returns": round(returns / n, 4),
            "threads": float(len(set(threads))),
            "conflicts": float(min(2, len(found.of("conflict")))),
            "repeats": float(min(3, len(found.of("repeat")))),
            "style_mix": float(sum(styles.values())),
            **{f"style_{k}": v for k, v in styles.items()},
            "reintroduced": round(min(3, _reintroductions(text)) / n, 4),
            "unanchored": round(self._unanchored(doc, body, adjacent) / n, 4),
            "sentences": round(math.log(n), 4),
            "switches": float(switches),
        }

    @staticmethod
    def _unanchored(doc: Document, body, adjacent: np.ndarray) -> int:
        """Sentences that open by pointing back ("He", "But", "The move") to a sentence with
        which they share no rare word."""
        text = doc.text
        return sum(
            1 for i in range(1, len(body)) if adjacent[i - 1] <= 0.0 and _OPENER.match(text, body[i].start, body[i].end)
        )

    def _vectors(self, doc: Document, body) -> np.ndarray:
        """Unit rows, one per sentence, over the sentences' rare words (cut to a prefix, so that
        "Korea" meets "Korean")."""
        index: dict[str, int] = {}
        rows: list[dict[int, float]] = []
        weight = self._weight
        text = doc.text
        for s in body:
            row: dict[int, float] = {}
            for m in WORD.finditer(text, s.start, s.end):
                w = m.group().lower()
                wt = weight(w)
                if wt:
                    row[index.setdefault(w[:_PREFIX], len(index))] = wt
            rows.append(row)
        out = np.zeros((len(body), max(1, len(index))))
        for i, row in enumerate(rows):
            if row:
                out[i, list(row)] = list(row.values())
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms

    def _weight(self, word: str) -> float:
        wt = self._weight_cache.get(word)
        if wt is None:
            wt = 0.0 if word.isdigit() else self.lexicon.weight(word)
            wt = wt if wt >= _MIN_WORD_WEIGHT else 0.0
            if len(self._weight_cache) < 500_000:
                self._weight_cache[word] = wt
        return wt


def _cluster(sims: np.ndarray, link: float) -> list[int]:
    """Average-linkage clustering stopped at ``link``; singletons join the sentence before."""
    n = len(sims)
    total = sims.copy()
    np.fill_diagonal(total, -np.inf)
    size = np.ones(n)
    alive = np.ones(n, dtype=bool)
    members = [[i] for i in range(n)]
    while True:
        avg = total / np.outer(size, size)
        avg[~alive, :] = -np.inf
        avg[:, ~alive] = -np.inf
        k = int(np.argmax(avg))
        a, b = divmod(k, n)
        if avg[a, b] < link:
            break
        total[a, :] += total[b, :]
        total[:, a] += total[:, b]
        total[a, a] = -np.inf
        size[a] += size[b]
        alive[b] = False
        members[a].extend(members[b])
        members[b] = []
    label = [-1] * n
    groups = sorted((sorted(m) for m in members if len(m) >= 2), key=lambda m: m[0])
    for g, m in enumerate(groups):
        for i in m:
            label[i] = g
    if not groups:
        return [0] * n
    for i in range(n):
        if label[i] < 0:
            label[i] = label[i - 1] if i else next(x for x in label if x >= 0)
    # Number the threads in order of first appearance.
    order: dict[int, int] = {}
    return [order.setdefault(x, len(order)) for x in label]


def _reintroductions(text: str) -> int:
    """How many times a full name comes back after its surname was used alone."""
    count = 0
    for surname, spans in _full_names(text).items():
        if len(spans) < 2:
            continue
        first_end = spans[0][1]
        alone = [m.start() for m in re.finditer(rf"\b{re.escape(surname)}\b", text)
                 if not any(a <= m.start() < b for a, b in spans)]
        count += sum(1 for a, _ in spans[1:] if any(first_end <= x < a for x in alone))
    return count


def _full_names(text: str) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for m in _FULL_NAME.finditer(text):
        first, surname = m.group(1), m.group(2)
        if first in _NOT_FIRST or surname in _NOT_FIRST:
            continue
        out.setdefault(surname, []).append((m.start(), m.end()))
    return out


_NOT_FIRST = frozenset(
    "The A An In On At But And Or If As For From With This That These Those He She It They We His Her "
    "Its Their When While After Before Since Mr Mrs Ms Dr President Prime Minister Secretary Senator "
    "Sen Rep Gov Governor Mayor General Chief Judge Justice North South East West New United Supreme "
    "White House State States Republican Republicans Democrat Democrats Democratic Party Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday January February March April May June July August "
    "September October November December Last Next Former According Speaker Vice Attorney".split()
)


# How each signal reads in a reason, given the article's signals.
_SAYS = {
    "dangling": lambda s: f"{s['dangling_count']} reference{'' if s['dangling_count'] == 1 else 's'} to things never introduced",
    "returns": lambda s: f"{int(s['threads'])} story threads, left and taken up again",
    "threads": lambda s: f"{int(s['threads'])} story threads",
    "redundancy": lambda s: "two sentences far apart that say nearly the same thing",
    "adjacent_gap": lambda s: "neighbouring sentences that share fewer words than the article's sentences do on average",
    "conflicts": lambda s: "figures for one thing that disagree",
    "repeats": lambda s: "figures stated twice",
    "reintroduced": lambda s: "people introduced by full name more than once",
    "unanchored": lambda s: "sentences that open by pointing back to a sentence they share nothing with",
}


def _reason(signals: dict[str, float], weights: np.ndarray) -> str:
    """The signals that weigh most in this article's probability, strongest first."""
    contrib = sorted(((w * signals[f], f) for f, w in zip(FEATURES, weights) if w * signals[f] > 0.25), reverse=True)
    parts: list[str] = []
    styles = [f.removeprefix("style_").replace("_", " ") for _, f in contrib if f.startswith("style_")]
    for _, f in contrib:
        if f in _SAYS:
            parts.append(_SAYS[f](signals))
    if styles:
        parts.append("typography and style that change between sentences (" + ", ".join(styles) + ")")
    return "pasted together from several stories: " + "; ".join(parts or ["several weak signs together"])
