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
- its typography changes: straight and curly quotation marks, "U.S." and "US", side by side;
- its first sentence does not read like a news story's opening (a lede), while later ones do
  (unspun.lede): it opens in the middle of some story, and other stories' openings lie inside;
- many neighbouring sentences do not read as written to follow each other, nor sentences
  as belonging with the one two places before them (unspun.cohesion): the seams of pasted runs.
- over the whole body (unspun.hands): sentences whose words recur in no other sentence (runs
  lifted from other reports), threads that keep their names and terms to themselves, and
  curly and straight typography in several sentences each, where the sentences typeset alike
  share their words with each other more than with the rest.

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
from itertools import repeat
from importlib import resources

import numpy as np

from unspun.cohesion import PairModel, marks_of
from unspun.doc import Document
from unspun.hands import SIGNALS as HAND_SIGNALS, hand_signals
from unspun.lede import MIN_WORDS, LedeModel, word_hashes
from unspun.lexicon import Lexicon
from unspun.spans import REMOVED_KINDS, Finding, Findings
from unspun.steps.base import Step, body_sentences

# Words at least this rare carry a story (weight = 7 - Zipf).
_MIN_WORD_WEIGHT = 2.0
# Words whose weights a step keeps between articles, at most.
_WORD_STORE = 500_000
_PREFIX = 6
# Pairs of spellings of one thing; an outlet keeps to one of each pair, so an article that uses
# both sides of several pairs was written by more than one hand.
class _Side:
    """One side of a style pair: present when the text holds one of ``literals`` and, if a
    ``pattern`` is given, the pattern matches too. The literal test (a C substring search)
    spares the regex on most texts."""

    __slots__ = ("literals", "pattern")

    def __init__(self, literals: str, pattern: str | None = None) -> None:
        self.literals = literals.split("|")
        self.pattern = re.compile(pattern) if pattern else None

    def search(self, text: str) -> bool:
        if not any(lit in text for lit in self.literals):
            return False
        return self.pattern is None or self.pattern.search(text) is not None


_STYLE_PAIRS = {
    name: (_Side(*a), _Side(*b))
    for name, a, b in (
        ("quotes", ("“|”",), ('"',)),  # curly and straight quotation marks
        ("apostrophes", ("’",), ("'",)),
        ("acronyms", ("U.S.|U.K.|U.N.|E.U.",), ("US|UK|UN|EU", r"\b(?:US|UK|UN|EU)\b(?!\.)")),
        ("dashes", ("—",), (" -- | - ",)),
        ("percent", (" percent",), ("%| per cent",)),
        ("honorific_stop", ("Mr.|Mrs.|Ms.|Dr.",), ("Mr |Mrs |Ms |Dr ",)),
        ("titles", ("Sen. |Rep. |Gov. ",), ("Senator |Representative |Governor ",)),
        ("spelling", ("ization|center|Center|defense|Defense|favor",), ("isation|centre|Centre|defence|Defence|favour",)),
        ("magnitudes", ("bn", r"\d ?bn\b"), (" billion| million",)),
    )
}
# Openings that point back to the sentence before.
_OPENER = re.compile(
    r"[\"“‘']?(?:He|She|They|It|His|Her|Their|Its|This|That|These|Those|Such|But|However|Also|Meanwhile|"
    r"Still|Yet|Instead|Moreover|Furthermore|Nonetheless|Nevertheless|Both|The (?:former|latter|move|decision|"
    r"statement|comments|remarks|announcement|deal|plan|report|group|company|agency))\b"
)

MIN_THREAD = 3
MIN_THREAD_SHARE = 0.15

FEATURES = (
    "dangling",
    *(f"style_{name}" for name in _STYLE_PAIRS),
    "adjacent_gap",
    "redundancy",
    "returns",
    "threads",
    "conflicts",
    "repeats",
    "unanchored",
    "sentences",
    "not_lede",
    "ledes_inside",
    "weak_joins",
    "join_doubt",
    "join_logit",
    "skip_logit",
    *HAND_SIGNALS,
)
# A join between neighbouring sentences is weak when the pair model gives it less than this.
WEAK_JOIN = 0.3


class ThreadStep(Step):
    name = "unspun.threads.v1"
    produces = "thread"
    also_produces = ("stitch",)
    requires = (*REMOVED_KINDS, "dangling_reference", "conflict", "repeat")

    def __init__(
        self, lexicon: Lexicon, *, link: float = 0.08, threshold: float | None = None, min_sentences: int = 6
    ) -> None:
        super().__init__(link=link, threshold=threshold, min_sentences=min_sentences)
        self.min_sentences = min_sentences
        self.lexicon = lexicon
        self.link = link
        model = json.loads(resources.files("unspun").joinpath("data/stitch-v1.json").read_text())
        self.weights = np.array([model["weights"].get(f, 0.0) for f in FEATURES])
        self.bias = model["bias"]
        self.threshold = model["threshold"] if threshold is None else threshold
        self.lede = LedeModel.load()
        self.pairs = PairModel.load()
        # Every word met so far: its row in the weight and prefix-number arrays, so that an
        # article looks each of its words up once, in one C-level pass.
        self._word_row: dict[str, int] = {}
        self._prefix_number: dict[str, int] = {}
        self._word_weight = np.zeros(0)
        self._word_prefix = np.zeros(0, dtype=np.int64)
        self._word_hash = np.zeros(0, dtype=np.int64)
        # The last vocabulary looked up and its tables, in one attribute so that it is replaced
        # whole: three readers ask for them per document.
        self._last_tables: tuple[dict[str, int], tuple] | None = None

    def detect(self, doc: Document, found: Findings) -> Iterable[Finding]:
        body = body_sentences(doc, found)
        if len(body) < 2:
            return []
        vectors = self._vectors(doc, body)
        sims = vectors @ vectors.T
        np.fill_diagonal(sims, 1.0)
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
        if len(body) < self.min_sentences:  # too short to tell whose sentences these are
            return out
        signals = self.signals(doc, found, body, sims, threads, vectors)
        p = self.probability(signals)
        if p >= self.threshold:
            out.append(Finding("stitch", body[0].start, body[-1].end, p, _reason(signals, self.weights), self.name,
                               {"probability": round(p, 4), "signals": signals}))
        return out

    def probability(self, signals: dict[str, float]) -> float:
        x = np.array([signals[f] for f in FEATURES])
        z = float(self.weights @ x + self.bias)
        return 1.0 / (1.0 + math.exp(-z))

    def signals(
        self, doc: Document, found: Findings, body, sims: np.ndarray, threads: list[int], vectors: np.ndarray
    ) -> dict[str, float]:
        n = len(body)
        # Pairs above the diagonal, and those two or more apart, in row order; a boolean mask
        # picks them without building index arrays.
        above = ~np.tri(n, n, 0, dtype=bool)
        upper = sims[above]
        adjacent = np.diagonal(sims, 1)
        if n > 2:
            above[np.arange(n - 1), np.arange(1, n)] = False
            far = sims[above]
        else:
            far = np.zeros(1)
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
        lede = self._lede(doc, body)
        # The typographic marks of each sentence: the joins and the hand signals both read them.
        bits = marks_of(doc.text, [(s.start, s.end) for s in body])
        joins, skips = self._joins(doc, body, bits)
        hands = hand_signals(sims, bits, threads, vectors)
        return {
            # Per sentence, but never over fewer than 10: one slip in a short text is no pattern.
            "dangling": round(min(4, len(found.of("dangling_reference"))) / max(n, 10), 4),
            "dangling_count": len(found.of("dangling_reference")),
            "adjacent_gap": round(float(upper.mean() - adjacent.mean()), 4),
            "redundancy": round(float(far.max()), 4),
            "returns": round(returns / n, 4),
            "threads": float(len(set(threads))),
            "conflicts": float(min(2, len(found.of("conflict")))),
            "repeats": float(min(3, len(found.of("repeat")))),
            "style_mix": float(sum(styles.values())),
            **{f"style_{k}": v for k, v in styles.items()},
            "unanchored": round(self._unanchored(doc, body, adjacent) / n, 4),
            "sentences": round(math.log(n), 4),
            "switches": float(switches),
            # One minus how much the first sentence reads like a lede: a stitched article opens
            # with a sentence from the middle of some other story.
            "not_lede": round(1.0 - float(lede[0]), 4) if len(lede) else 0.0,
            # The share of later sentences that read like ledes: other stories' openings.
            "ledes_inside": round(float((lede[1:] >= 0.5).mean()), 4) if len(lede) > 1 else 0.0,
            # The share of neighbouring sentences that do not read as written to follow each
            # other (unspun.cohesion), and how far the joins fall short of that on average.
            "weak_joins": round(float((joins < WEAK_JOIN).mean()), 4) if len(joins) else 0.0,
            "join_doubt": round(float(1.0 - joins.mean()), 4) if len(joins) else 0.0,
            # The same on the log-odds scale, where each join's evidence adds up.
            "join_logit": _mean_log_odds_against(joins),
            # And between each sentence and the one two places after it.
            "skip_logit": _mean_log_odds_against(skips),
            # Over the whole body: sentences that share their words with no other, threads
            # that keep their words to themselves, and typographies that split the body into
            # groups that keep their own words (unspun.hands).
            **hands,
        }

    def _lede(self, doc: Document, body) -> np.ndarray:
        """The lede probability of each body sentence long enough to be judged, in order."""
        _, bounds = doc.sentence_word_ids()
        judged = [s for s in body if bounds[s.index + 1] - bounds[s.index] >= MIN_WORDS]
        if not judged:
            return np.zeros(0)
        tokens, lengths = _body_word_ids(doc, judged)
        run_bounds = np.concatenate([[0], np.cumsum(lengths)])
        return self.lede.score_ids(tokens, run_bounds, self._word_tables(doc.vocabulary())[3])

    def _joins(self, doc: Document, body, bits: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """The pair model's probability (unspun.cohesion) that a body sentence was written to
        follow another: for each pair of neighbouring sentences, and for each sentence and the
        one two places after it (the even and the odd sentences read as two chains). Within one
        article a sentence still belongs with the one before last; across the seams of pasted
        runs it seldom does. Joins that touch a fragment (a dateline, a caption, "Read
        more") are left out: it says too little, and the model learnt from sentences of
        MIN_WORDS words or more. ``bits``: each body sentence's typographic marks
        (unspun.cohesion.marks_of)."""
        n = len(body)
        if n < 2:
            return np.zeros(0), np.zeros(0)
        weight, prefix, _, hashes = self._word_tables(doc.vocabulary())
        # The body, then the even sentences, then the odd ones, scored in one pass (a join
        # depends on its two sentences only); the joins where one run meets the next are dropped.
        evens = (n + 1) // 2
        order = list(range(n)) + list(range(0, n, 2)) + list(range(1, n, 2))
        tokens, lengths = _body_word_ids(doc, [body[i] for i in order])
        rare = np.where(weight[tokens] != 0.0, prefix[tokens], -1)
        joins = self.pairs.score(hashes[tokens], rare, lengths, [bits[i] for i in order])
        judged = lengths >= MIN_WORDS
        keep = judged[:-1] & judged[1:]
        keep[[n - 1, n + evens - 1]] = False
        return joins[: n - 1][keep[: n - 1]], joins[n:][keep[n:]]

    @staticmethod
    def _unanchored(doc: Document, body, adjacent: np.ndarray) -> int:
        """Sentences that open by pointing back ("He", "But", "The move") to a sentence with
        which they share no rare word."""
        text = doc.text
        return sum(
            1 for i in range(1, len(body)) if adjacent[i - 1] <= 0.0 and _OPENER.match(text, body[i].start, body[i].end)
        )

    def _vectors(self, doc: Document, body) -> np.ndarray:
        """Rows of unit length, one per sentence, over the rare words (cut to a prefix, so that
        "negotiations" meets "negotiators") that occur in two sentences or more: words of one sentence
        count in its length but cannot make it like another, so their columns are left out,
        which keeps the matrix small.

        Built on arrays of the document's word numbers, so that each distinct word is weighed
        once per document. A sentence's entry for a prefix is the weight of the last of its
        words with that prefix; its length sums the squared entries one after another, in the
        order the prefixes first occur in it; the columns run in the order the prefixes first
        occur in the body."""
        n = len(body)
        word_weight, word_prefix, n_prefixes, _ = self._word_tables(doc.vocabulary())
        tokens, lengths = _body_word_ids(doc, body)
        weights = word_weight[tokens]
        rare = weights != 0.0
        if not rare.any():
            return np.zeros((n, 1))
        row = np.repeat(np.arange(n), lengths)[rare]
        prefix, weight = word_prefix[tokens[rare]], weights[rare]
        # One entry per (sentence, prefix): where it first occurs, and the weight of its last word.
        key = row * n_prefixes + prefix
        _, first = np.unique(key, return_index=True)
        _, from_end = np.unique(key[::-1], return_index=True)
        order = np.argsort(first, kind="stable")
        first = first[order]
        value = weight[len(key) - 1 - from_end[order]]
        e_row, e_prefix = row[first], prefix[first]
        # Columns: prefixes held by two sentences or more, in order of first occurrence.
        _, prefix_first, which_prefix, held = np.unique(e_prefix, return_index=True, return_inverse=True, return_counts=True)
        shared = held >= 2
        n_columns = int(shared.sum())
        column = np.full(len(held), -1, dtype=np.int64)
        column[np.flatnonzero(shared)[np.argsort(prefix_first[shared], kind="stable")]] = np.arange(n_columns)
        # Squared lengths as a running sum over each sentence's entries in order (a cumulative
        # sum adds one entry at a time, and the padding adds exact zeros).
        position = np.arange(len(e_row)) - np.searchsorted(e_row, e_row)
        squares = np.zeros((n, int(position.max()) + 1))
        squares[e_row, position] = value * value
        norm = np.sqrt(np.cumsum(squares, axis=1)[:, -1])
        out = np.zeros((n, max(1, n_columns)))
        col = column[which_prefix]
        kept = col >= 0
        out[e_row[kept], col[kept]] = value[kept] / norm[e_row[kept]]
        return out

    def _word_tables(self, vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
        """Per word of the document: its weight (0 for common words and numbers), the number of
        its prefix (among all prefixes met so far), how many such numbers there are, and per
        word its hash for the lede model (unspun.lede.word_hashes)."""
        last = self._last_tables
        if last is not None and last[0] is vocab:  # the document's own vocabulary, asked for again
            return last[1]
        rows = np.fromiter(map(self._word_row.get, vocab, repeat(-1)), dtype=np.int64, count=len(vocab))
        if (rows < 0).any():
            words = list(vocab)
            self._learn([words[j] for j in np.flatnonzero(rows < 0).tolist()], words)
            rows = np.fromiter(map(self._word_row.__getitem__, vocab), dtype=np.int64, count=len(vocab))
        tables = (self._word_weight[rows], self._word_prefix[rows], max(1, len(self._prefix_number)),
                  self._word_hash[rows])
        self._last_tables = (vocab, tables)
        return tables

    def _learn(self, new: list[str], article: list[str]) -> None:
        """Weigh the words not met before. The store is emptied when it grows past a bound, for
        long corpus runs, and then learns all of the article's words again."""
        if len(self._word_row) + len(new) > _WORD_STORE:
            self._word_row.clear()
            self._prefix_number.clear()
            new = article
        n = len(self._word_row)
        if n + len(new) > len(self._word_weight):
            capacity = max(2 * (n + len(new)), 4096)
            self._word_weight = np.resize(self._word_weight, capacity)
            self._word_prefix = np.resize(self._word_prefix, capacity)
            self._word_hash = np.resize(self._word_hash, capacity)
        weight, prefix, numbers = self._word_weight, self._word_prefix, self._prefix_number
        self._word_hash[n : n + len(new)] = word_hashes(new)
        lexicon = self.lexicon
        for w in new:
            wt = 0.0 if w.isdigit() else lexicon.weight(w)
            wt = wt if wt >= _MIN_WORD_WEIGHT else 0.0
            weight[n] = wt
            prefix[n] = numbers.setdefault(w[:_PREFIX], len(numbers)) if wt else 0
            self._word_row[w] = n
            n += 1


def _mean_log_odds_against(p: np.ndarray) -> float:
    """The mean of log((1 - p) / p), 0 when there is nothing to average."""
    if not len(p):
        return 0.0
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return round(float(np.mean(np.log1p(-p) - np.log(p))), 4)


def _body_word_ids(doc: Document, body) -> tuple[np.ndarray, np.ndarray]:
    """The word numbers of the given sentences end to end, and each sentence's count."""
    ids, bounds = doc.sentence_word_ids()
    which = np.fromiter((s.index for s in body), dtype=np.int64, count=len(body))
    starts = bounds[which]
    lengths = bounds[which + 1] - starts
    offsets = np.cumsum(lengths) - lengths
    return ids[np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))], lengths


def _cluster(sims: np.ndarray, link: float) -> list[int]:
    """Average-linkage clustering stopped at ``link``, then small groups folded into threads.
    After each merge only the merged cluster's row of average similarities is recomputed."""
    n = len(sims)
    total = np.array(sims, dtype=float)
    avg = total.copy()
    np.fill_diagonal(avg, -np.inf)
    size = np.ones(n)
    alive = np.ones(n, dtype=bool)
    # 0 for a live cluster, -inf for one merged away: added to a row of averages, it rules the
    # merged clusters out without a masked write (similarities are finite and not negative).
    gone = np.zeros(n)
    members = [[i] for i in range(n)]
    # Each row's best partner, kept up to date, so that a merge costs O(n) rather than a scan
    # of the whole matrix.
    arg = avg.argmax(axis=1)
    best = avg[np.arange(n), arg]
    while True:
        a = int(best.argmax())
        if best[a] < link:
            break
        b = int(arg[a])
        merged = total[a]
        merged += total[b]
        total[:, a] = merged
        size[a] += size[b]
        alive[b] = False
        gone[b] = -np.inf
        row = merged / (size[a] * size)
        row += gone
        row[a] = -np.inf
        avg[a] = row
        avg[:, a] = row
        avg[b] = -np.inf
        avg[:, b] = -np.inf
        best[b] = -np.inf
        members[a].extend(members[b])
        members[b] = []
        # Rows whose best partner was a or b look again, all in one argmax over those rows.
        stale = (arg == a) | (arg == b)
        stale &= alive
        stale[a] = True
        rows = stale.nonzero()[0]
        again = avg[rows]
        arg[rows] = again.argmax(axis=1)
        best[rows] = again.max(axis=1)
        # The others only compare with a (a's own and merged rows hold -inf, so never gain).
        better = row > best
        arg[better] = a
        best[better] = row[better]
    # A thread holds at least MIN_THREAD sentences and MIN_THREAD_SHARE of the body; the
    # sentences of smaller groups join the thread they are most like on average, or the
    # thread of the sentence before them when they share no word with any.
    group_of = [0] * n
    for g, m in enumerate(members):
        for i in m:
            group_of[i] = g
    labels = np.array(group_of)
    big = [g for g, m in enumerate(members) if len(m) >= max(MIN_THREAD, MIN_THREAD_SHARE * n)]
    if not big:
        return [0] * n
    # Each sentence's average similarity to each thread, in one product.
    onehot = (labels[:, None] == np.array(big)[None, :]).astype(float)
    affinity = (sims @ onehot) / onehot.sum(axis=0)
    nearest = affinity.argmax(axis=1)
    shares = affinity[np.arange(n), nearest] > 0
    label = labels.copy()
    big_group = np.zeros(n, dtype=bool)
    big_group[big] = True
    is_big = big_group[labels]
    for i in np.flatnonzero(~is_big):
        if shares[i] or i == 0:
            label[i] = big[nearest[i]]
        else:
            label[i] = label[i - 1]
    # Number the threads in order of first appearance.
    order: dict[int, int] = {}
    return [order.setdefault(int(x), len(order)) for x in label]


# How each signal reads in a reason, given the article's signals.
_SAYS = {
    "dangling": lambda s: f"{s['dangling_count']} reference{'' if s['dangling_count'] == 1 else 's'} to things never introduced",
    "returns": lambda s: f"{int(s['threads'])} story threads, left and taken up again",
    "threads": lambda s: f"{int(s['threads'])} story threads",
    "redundancy": lambda s: "two sentences far apart that say nearly the same thing",
    "adjacent_gap": lambda s: "neighbouring sentences that share fewer words than the article's sentences do on average",
    "conflicts": lambda s: "figures for one thing that disagree",
    "repeats": lambda s: "figures stated twice",
    "unanchored": lambda s: "sentences that open by pointing back to a sentence they share nothing with",
    "not_lede": lambda s: "a first sentence that does not read like the opening of a news story",
    "ledes_inside": lambda s: "sentences further down that read like the openings of other stories",
    "weak_joins": lambda s: "neighbouring sentences that do not read as written to follow each other",
    "join_doubt": lambda s: "neighbouring sentences that do not read as written to follow each other",
    "join_logit": lambda s: "neighbouring sentences that do not read as written to follow each other",
    "skip_logit": lambda s: "sentences that do not read as belonging with the ones just before them",
    "lone_sentences": lambda s: "sentences that share their words with no other sentence of the article",
    "thread_words": lambda s: f"{int(s['threads'])} story threads that keep their names and terms to themselves",
    "hand_minority": lambda s: "curly and straight quotation marks or apostrophes, each kind in several sentences",
    "hand_vocabulary": lambda s: "sentences typeset alike that share their words with each other more than with the rest",
}


def _reason(signals: dict[str, float], weights: np.ndarray) -> str:
    """The signals that weigh most in this article's probability, strongest first."""
    contrib = sorted(((w * signals[f], f) for f, w in zip(FEATURES, weights) if w * signals[f] > 0.25), reverse=True)
    parts: list[str] = []
    styles = [f.removeprefix("style_").replace("_", " ") for _, f in contrib if f.startswith("style_")]
    for _, f in contrib:
        if f in _SAYS and _SAYS[f](signals) not in parts:
            parts.append(_SAYS[f](signals))
    if styles:
        parts.append("typography and style that change between sentences (" + ", ".join(styles) + ")")
    return "pasted together from several stories: " + "; ".join(parts or ["several weak signs together"])
