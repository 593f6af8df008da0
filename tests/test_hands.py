"""Signals of more than one hand over the whole body (unspun.hands), on invented text."""

from __future__ import annotations

import numpy as np

import unspun
from unspun.cohesion import marks_of
from unspun.hands import SIGNALS, hand_signals
from unspun.pipeline import default_steps
from unspun.steps.threads import FEATURES, ThreadStep

# Two invented reports, each in its own typography: one sets curly quotation marks and
# apostrophes, the other straight ones.
CURLY = [
    "The river authority closed the old stone bridge on Monday after engineers found cracks in its arches.",
    "“The arches can’t carry lorries any more,” the authority’s chief engineer said.",
    "Engineers will inspect the bridge arches again next week, the river authority said.",
    "The authority’s engineers said the stone bridge could reopen to walkers within a month.",
    "Drivers were told to use the ring road while the bridge stays shut.",
]
STRAIGHT = [
    "Hospital managers in the county said the new maternity ward would open in spring.",
    "\"We're hiring forty midwives for the ward,\" a hospital manager said.",
    "The maternity ward's cost rose by a third after the county's builders found asbestos.",
    "Midwives at the hospital said the county's maternity services were stretched.",
    "The hospital's managers said the asbestos had been removed by the builders.",
]


def _signals(sentences: list[str]) -> dict[str, float]:
    pipeline = unspun.Pipeline()
    steps = [s for s in default_steps(pipeline.lexicon) if not isinstance(s, ThreadStep)]
    pipeline = unspun.Pipeline(steps + [ThreadStep(pipeline.lexicon, threshold=0.0)], lexicon=pipeline.lexicon)
    (stitch,) = pipeline.check("\n\n".join(sentences)).findings_of("stitch")
    return stitch.details["signals"]


def test_the_step_reports_each_signal():
    signals = _signals(CURLY + STRAIGHT)
    assert set(SIGNALS) <= set(FEATURES)
    assert all(0.0 <= signals[k] <= 1.0 for k in SIGNALS)


def test_two_typographies_each_keeping_their_words():
    mixed = _signals([s for pair in zip(CURLY, STRAIGHT) for s in pair])
    one_hand = _signals(CURLY + [s.replace('"', "“", 1).replace('"', "”").replace("'", "’") for s in STRAIGHT])
    # Two sentences of each typography at least: the minority side is a share of the body.
    assert mixed["hand_minority"] >= 0.2
    assert mixed["hand_vocabulary"] > 0.0
    assert one_hand["hand_minority"] == 0.0
    assert one_hand["hand_vocabulary"] == 0.0


def test_one_stray_mark_is_a_small_minority():
    sentences = CURLY + ["\"Walkers are welcome,\" a ranger said of the bridge."]
    assert _signals(sentences)["hand_minority"] == round(1 / len(sentences), 4)


def test_lone_sentences_are_those_sharing_words_with_no_other():
    # Four sentences: 0 and 1 alike, 2 alike with 1 a little, 3 like no other.
    sims = np.array([
        [1.0, 0.8, 0.0, 0.0],
        [0.8, 1.0, 0.2, 0.0],
        [0.0, 0.2, 1.0, 0.0],
        [0.0, 0.0, 0.0, 1.0],
    ])
    out = hand_signals(sims, [0, 0, 0, 0], [0] * 4, np.eye(4))
    # Per sentence, but over no fewer than 10: a short body has had little room to repeat itself.
    assert out["lone_sentences"] == round(((1 - 0.8) + (1 - 0.8) + (1 - 0.2) + 1) / 10, 4)
    assert out["hand_minority"] == 0.0 and out["hand_vocabulary"] == 0.0
    # Twelve sentences in pairs that share their words: none lone.
    pairs = np.kron(np.eye(6), np.ones((2, 2)))
    assert hand_signals(pairs, [0] * 12, [0] * 12, np.eye(12))["lone_sentences"] == 0.0
    # Twelve that share nothing: all lone.
    assert hand_signals(np.eye(12), [0] * 12, [0] * 12, np.eye(12))["lone_sentences"] == 1.0


def test_typography_groups_that_share_words_within_not_across():
    texts = ["“A” one", "“B” two", "\"C\" three", "\"D\" four"]
    bits = marks_of("\n".join(texts), _spans(texts))
    alike_within = np.array([
        [1.0, 0.6, 0.1, 0.0],
        [0.6, 1.0, 0.0, 0.1],
        [0.1, 0.0, 1.0, 0.4],
        [0.0, 0.1, 0.4, 1.0],
    ])
    out = hand_signals(alike_within, bits, [0] * 4, np.eye(4))
    assert out["hand_minority"] == 0.5
    assert out["hand_vocabulary"] == round((0.6 + 0.4) / 2 - 0.2 / 4, 4)
    # The same sentences where the words cross the typographies: no sign of two hands.
    alike_across = alike_within[[0, 2, 1, 3]][:, [0, 2, 1, 3]]
    assert hand_signals(alike_across, bits, [0] * 4, np.eye(4))["hand_vocabulary"] == 0.0


def test_a_body_of_one_sentence_gives_zeros():
    assert hand_signals(np.ones((1, 1)), [0], [0], np.ones((1, 1))) == dict.fromkeys(SIGNALS, 0.0)


def test_threads_that_keep_their_words():
    # Six sentences in two threads; words (columns) held by the sentences where the entry is
    # not 0. Word 0 recurs in thread 0 only, word 1 in thread 1 only, word 2 across both,
    # word 3 occurs once and does not count.
    vectors = np.array([
        [0.5, 0.0, 0.5, 0.7],
        [0.5, 0.0, 0.0, 0.0],
        [0.0, 0.6, 0.0, 0.0],
        [0.0, 0.6, 0.6, 0.0],
        [0.5, 0.0, 0.0, 0.0],
        [0.0, 0.6, 0.0, 0.0],
    ])
    sims = np.eye(6)
    threads = [0, 0, 1, 1, 0, 1]
    assert hand_signals(sims, [0] * 6, threads, vectors)["thread_words"] == round(2 / 3, 4)
    # One thread: nothing to keep apart.
    assert hand_signals(sims, [0] * 6, [0] * 6, vectors)["thread_words"] == 0.0
    # Two threads that share every recurring word.
    shared = np.ones((6, 2))
    assert hand_signals(sims, [0] * 6, threads, shared)["thread_words"] == 0.0


def _spans(texts: list[str]) -> list[tuple[int, int]]:
    out, at = [], 0
    for t in texts:
        out.append((at, at + len(t)))
        at += len(t) + 1
    return out


def test_two_stories_keep_their_words_to_their_threads():
    two = _signals([s for pair in zip(CURLY, STRAIGHT) for s in pair])
    one = _signals(CURLY + ["Walkers crossed the old stone bridge for the last time before the authority closed it."])
    assert two["threads"] == 2.0 and two["thread_words"] >= 0.5
    assert one["thread_words"] == 0.0
