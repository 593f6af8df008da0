"""The neighbouring-sentence model: whether a sentence was written to follow the one before."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from unspun.cohesion import BUCKETS, N_MARKS, PairModel, join_features, marks, marks_of
from unspun.doc import parse
from unspun.lede import word_hashes
from unspun.lexicon import Lexicon
from unspun.steps.threads import ThreadStep

OPENING = "The city council voted on Tuesday to close three public libraries in the northern district next year."
# (a sentence written to follow OPENING, one from another story on a neighbouring subject)
FOLLOWS = [
    (
        "The council said the libraries would shut in March to save money on heating and staff.",
        "He told reporters that the striker would be fit for the cup final on Saturday.",
    ),
    (
        "Council members who opposed the closures said the libraries were used by thousands of pupils.",
        "Those talks collapsed last month after the two unions refused to sign the agreement.",
    ),
    (
        "The three libraries in the northern district lend more than 40,000 books a year, the council said.",
        "It was the second time this year that she had been forced to cancel the tour.",
    ),
]


@pytest.fixture(scope="module")
def step() -> ThreadStep:
    return ThreadStep(Lexicon())


def _all_joins(step: ThreadStep, doc) -> tuple[np.ndarray, np.ndarray]:
    return step._joins(doc, doc.sentences, marks_of(doc.text, [(s.start, s.end) for s in doc.sentences]))


def _joins(step: ThreadStep, *sentences: str) -> np.ndarray:
    doc = parse(" ".join(sentences))
    assert len(doc.sentences) == len(sentences)
    return _all_joins(step, doc)[0]


def test_model_loads_without_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the pair model tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    model = PairModel.load()
    assert len(model.weights) == BUCKETS
    assert np.isfinite(model.weights).all() and np.isfinite(model.bias)


def test_marks_tell_the_typography_apart():
    curly, straight = marks("“We will appeal,” she said."), marks('"We will appeal," she said.')
    assert curly != straight and curly and straight
    assert marks("The U.S. envoy arrived.") != marks("The US envoy arrived.")
    assert marks("USA Today ran the story.") == 0  # "US" inside a word is no acronym
    assert marks("Plain words only.") == 0
    assert marks("Mr. Smith and Mr Jones") == marks("Mr. Smith") | marks("Mr Jones")
    assert 0 <= marks("“U.S.” - 5% — Mr. 'x' US") < 1 << N_MARKS


def test_marks_of_parts_match_marks_of_each_part():
    text = "“We will appeal,” she said. The US envoy said 5% was fair. Mr. Smith left - quietly. USA Today. Plain."
    doc = parse(text)
    spans = [(s.start, s.end) for s in doc.sentences]
    assert marks_of(text, spans) == [marks(text[a:b]) for a, b in spans]
    assert marks_of(text, []) == []


def test_join_features_give_each_join_its_own_row():
    words = [["the", "ferry", "sailed"], ["the", "ferry", "returned", "late"], [], ["cranes", "failed"]]
    flat = [w for s in words for w in s]
    hashes = word_hashes(flat)
    rare = np.array([-1 if w == "the" else hash(w) % 7 for w in flat], dtype=np.int64)
    lengths = np.array([len(s) for s in words])
    row, col = join_features(hashes, rare, lengths, [0, 1, 0, 2])
    assert sorted(set(row.tolist())) == [0, 1, 2]
    assert ((col >= 0) & (col < BUCKETS)).all()
    again = join_features(hashes, rare, lengths, [0, 1, 0, 2])
    assert np.array_equal(row, again[0]) and np.array_equal(col, again[1])
    # One sentence has no joins.
    assert len(join_features(hashes[:3], rare[:3], lengths[:1], [0])[0]) == 0


def test_a_sentence_that_follows_scores_above_one_from_another_story(step):
    for follows, pasted in FOLLOWS:
        (same,) = _joins(step, OPENING, follows)
        (other,) = _joins(step, OPENING, pasted)
        assert 0 < other < same < 1, (follows, pasted)


def test_skip_joins_pair_each_sentence_with_the_one_two_places_on(step):
    sentences = [OPENING, FOLLOWS[0][0], FOLLOWS[1][0], FOLLOWS[2][0], FOLLOWS[0][1]]
    doc = parse(" ".join(sentences))
    joins, skips = _all_joins(step, doc)
    assert len(joins) == 4 and len(skips) == 3
    # The join of sentences 0 and 2 scores as the neighbouring join of the same two sentences.
    (alone,) = _joins(step, OPENING, FOLLOWS[1][0])
    assert skips[0] == pytest.approx(alone)
    assert len(_all_joins(step, parse(" ".join(sentences[:2])))[1]) == 0


def test_fragments_are_not_judged(step):
    # Joins that touch a sentence of under six words are left out.
    assert len(_joins(step, OPENING, "Read more.", FOLLOWS[0][0])) == 0
    assert len(_joins(step, OPENING, FOLLOWS[0][0], FOLLOWS[1][0])) == 2
