"""Signals of more than one hand, read over the whole body rather than one join at a time.

An article pasted together from runs of several outlets' stories keeps each outlet's habits
in its runs, and its runs' words stay with the run they came from:

- **lone sentences**: in an article written as one, each sentence shares rare words (names,
  places, the story's terms) with some other sentence of the article; a run lifted from
  another report brings sentences whose words recur nowhere else. The signal sums, over the
  sentences, one minus each one's highest cosine with any other, per sentence but over no
  fewer than 10: in a short body few words have the chance to recur.
- **threads that keep their words**: of the rare words that recur (in two sentences or more),
  the share whose sentences all lie in one story thread, when the body has two threads or
  more. One writer's threads share the story's names and terms; runs from other reports
  bring their own, which recur only among themselves.
- **typographic hands**: sentences typeset with curly quotation marks or apostrophes and
  sentences typeset with straight ones. One hand keeps to one kind; a curly quote in a
  headline or a pasted tweet makes one sentence odd, not a share of the body. The signal is
  the share of sentences on the minority side (0 when either side is empty).
- **hands that keep their own words**: where both kinds of typography occur, how much more
  sentences of the same kind share their words than sentences of different kinds (the mean
  cosine within each kind less the mean across, not below 0; 0 when neither kind has two
  sentences). When the typography marks where each outlet's runs lie, the runs' vocabulary
  agrees with it; in an article written as one, the sentences that quote someone share no
  more words with each other than with the rest.

Each is computed from what the thread step has already built: the sentences' rare-word
vectors, their cosine matrix, the threads and each sentence's typographic marks
(unspun.cohesion.marks_of), so they cost a few array operations per article.
"""

from __future__ import annotations

import numpy as np

from unspun.cohesion import _MARKS

# Bits of unspun.cohesion.marks for the two typographies of quotation marks and apostrophes.
_CURLY = (1 << _MARKS.index(("“", "”"))) | (1 << _MARKS.index(("’",)))
_STRAIGHT = (1 << _MARKS.index(('"',))) | (1 << _MARKS.index(("'",)))

SIGNALS = ("lone_sentences", "thread_words", "hand_minority", "hand_vocabulary")
# Lone sentences are counted per sentence over no fewer than this many.
MIN_SENTENCES = 10


def hand_signals(sims: np.ndarray, mark_bits: list[int], threads: list[int], vectors: np.ndarray) -> dict[str, float]:
    """The signals for a body of ``len(sims)`` sentences: ``sims`` is their cosine matrix (any
    diagonal), ``mark_bits`` each one's typographic marks, ``threads`` each one's story thread
    and ``vectors`` their rare-word vectors (a row per sentence, a column per word; a word
    is in a sentence where its entry is not 0)."""
    n = len(sims)
    if n < 2:
        return dict.fromkeys(SIGNALS, 0.0)
    thread_words = 0.0
    labels = np.asarray(threads)
    if len(set(threads)) > 1:
        held = vectors != 0.0
        recurring = held.sum(axis=0) >= 2
        if recurring.any():
            held = held[:, recurring]
            column_labels = labels[:, None]
            first = np.where(held, column_labels, n).min(axis=0)
            last = np.where(held, column_labels, -1).max(axis=0)
            thread_words = float((first == last).mean())
    off = np.array(sims, dtype=float)
    np.fill_diagonal(off, 0.0)
    lone = float((1.0 - off.max(axis=1)).sum()) / max(n, MIN_SENTENCES)
    bits = np.asarray(mark_bits, dtype=np.int64)
    curly_bits, straight_bits = (bits & _CURLY) != 0, (bits & _STRAIGHT) != 0
    curly, straight = curly_bits & ~straight_bits, straight_bits & ~curly_bits
    a, b = int(curly.sum()), int(straight.sum())
    minority = min(a, b) / n
    vocabulary = 0.0
    if a and b and (a > 1 or b > 1):
        within = off[np.ix_(curly, curly)].sum() + off[np.ix_(straight, straight)].sum()
        pairs_within = (a * (a - 1) + b * (b - 1))  # ordered pairs, as the sums count them
        across = off[np.ix_(curly, straight)].mean()
        vocabulary = max(0.0, float(within / pairs_within - across))
    return {
        "lone_sentences": round(lone, 4),
        "thread_words": round(thread_words, 4),
        "hand_minority": round(minority, 4),
        "hand_vocabulary": round(vocabulary, 4),
    }
