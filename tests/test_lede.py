"""The lede model: how much a sentence reads like a news story's opening sentence."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from unspun.doc import WORD, parse
from unspun.lede import BUCKETS, LedeModel, buckets, word_hashes
from unspun.lexicon import Lexicon
from unspun.steps.threads import ThreadStep


def _words(sentence: str) -> list[str]:
    return WORD.findall(sentence.lower())


LEDES = [
    "The city council voted on Tuesday to close three public libraries next year, citing a budget shortfall of $4 million.",
    "A magnitude 6.1 earthquake struck off the coast of northern Chile on Sunday, officials said, damaging homes and roads.",
    "Shares in the carmaker fell 12% on Monday after it cut its sales forecast for the year.",
]
MIDDLES = [
    "But he added that the decision had not been an easy one for him and his colleagues.",
    "She said they would keep looking at the options and that nothing had been ruled out yet.",
    "It was not immediately clear whether the move would affect the others, he told reporters.",
]


@pytest.fixture(scope="module")
def model() -> LedeModel:
    return LedeModel.load()


def test_model_loads_without_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the lede model tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    model = LedeModel.load()
    assert len(model.weights) == BUCKETS
    assert np.isfinite(model.weights).all() and np.isfinite(model.bias)


def test_ledes_score_above_sentences_from_the_middle(model):
    lede = model.score_words([_words(s) for s in LEDES])
    middle = model.score_words([_words(s) for s in MIDDLES])
    assert ((lede > 0) & (lede < 1)).all()
    assert lede.min() > middle.max()


def test_hashing_is_stable_between_runs():
    # CRC-32 of the UTF-8 bytes, not Python's per-process salted hash().
    assert word_hashes(["council", "vote"]).tolist() == [2398180322, 1511032164]


def test_word_pairs_stay_within_a_sentence():
    h = word_hashes(["a", "b", "c"])
    row, _ = buckets(h, np.array([0, 2, 3]))
    # "a", "b", "a b" in the first sentence; "c" alone in the second: no pair across them.
    assert np.bincount(row).tolist() == [3, 1]


def test_an_article_opening_mid_story_is_less_lede_like_than_one_opening_with_its_lede():
    story = [
        "The regional water authority announced on Wednesday that it would ban garden hoses across the county from next month.",
        "The ban follows the driest spring on record, with reservoirs at 41% of capacity.",
        "Households that break the ban face fines of up to 1,000 pounds.",
        "The authority said it would review the measure in September.",
        "Farmers' groups said they had been given no warning of the decision.",
        "He said the authority had not ruled out further restrictions if the dry weather continued.",
    ]
    threads = ThreadStep(Lexicon())
    first = {}
    for name, order in (("lede first", story), ("middle first", story[5:] + story[1:5] + story[:1])):
        doc = parse("\n\n".join(order))
        first[name] = threads._lede(doc, doc.sentences)[0]
    assert first["lede first"] > first["middle first"]
