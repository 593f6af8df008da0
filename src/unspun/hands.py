"""Signals of more than one hand, read over the whole body rather than one join at a time.

An article pasted together from runs of several outlets' stories keeps each outlet's habits
in its runs, and its runs' words stay with the run they came from:

- **lone sentences**: in an article written as one, each sentence shares rare words (names,
  places, the story's terms) with some other sentence of the article; a run lifted from
  another report brings sentences whose words recur nowhere else. The signal sums, over the
  sentences, one minus each one's highest cosine with any other, per sentence but over no
  fewer than 10: in a short body few words have the chance to recur.
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

Each is computed from what the thread step has already built: the sentences' cosine matrix
over rare words and each sentence's typographic marks (unspun.cohesion.marks_of), so they
cost a few array operations per article.
"""

from __future__ import annotations

import numpy as np

from unspun.cohesion import _MARKS

# Bits of unspun.cohesion.marks for the two typographies of quotation marks and apostrophes.
_CURLY = (1 << _MARKS.index(("“", "”"))) | (1 << _MARKS.index(("’",)))
_STRAIGHT = (1 << _MARKS.index(('"',))) | (1 << _MARKS.index(("'",)))

SIGNALS = ("lone_sentences", "hand_minority", "hand_vocabulary")
# Lone sentences are counted per sentence over no fewer than this many.
MIN_SENTENCES = 10


def hand_signals(sims: np.ndarray, mark_bits: list[int]) -> dict[str, float]:
    """The three signals for a body of ``len(sims)`` sentences: ``sims`` is their cosine matrix
    (any diagonal), ``mark_bits`` each one's typographic marks."""
    n = len(sims)
    if n < 2:
        return dict.fromkeys(SIGNALS, 0.0)
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
        "hand_minority": round(minority, 4),
        "hand_vocabulary": round(vocabulary, 4),
    }
