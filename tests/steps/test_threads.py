"""Story threads and the stitched verdict."""

from __future__ import annotations

import itertools

import unspun
from bench import corpora
from unspun.pipeline import default_steps
from unspun.steps.threads import ThreadStep


def _sentences(text):
    return [s for s in text.split("\n\n") if s]


FERRY = _sentences(
    "The island ferry service cancelled its evening crossings after the harbour cranes failed.\n\n"
    "Ferry passengers waited at the harbour terminal for four hours.\n\n"
    "The ferry operator said the cranes would be repaired by the weekend.\n\n"
    "Passengers at the terminal were offered vouchers for the cancelled ferry crossings."
)
ORCHARD = _sentences(
    "Apple growers in the valley reported the smallest orchard harvest in a decade.\n\n"
    "Late frost damaged the blossom in most valley orchards in April.\n\n"
    "Growers said apple prices at the orchard gate had doubled since the frost.\n\n"
    "Several valley growers plan to replant their orchards with frost-hardy apple trees."
)


def test_two_interleaved_stories_make_two_threads():
    text = "\n\n".join(itertools.chain.from_iterable(zip(FERRY, ORCHARD)))
    data = unspun.check(text).to_dict()
    assert data["threads"]["count"] == 2
    threads = [s["thread"] for s in data["sentences"]]
    assert threads == [0, 1, 0, 1, 0, 1, 0, 1]
    assert data["threads"]["switches"] == [1, 2, 3, 4, 5, 6, 7]


def test_joins_between_two_stories_read_weaker_than_within_one():
    """Two stories told one after the other join once; told alternately, at every sentence."""
    pipeline = unspun.Pipeline()
    steps = [s for s in default_steps(pipeline.lexicon) if not isinstance(s, ThreadStep)]
    pipeline = unspun.Pipeline(steps + [ThreadStep(pipeline.lexicon, threshold=0.0)], lexicon=pipeline.lexicon)

    def signals(sentences):
        (stitch,) = pipeline.check("\n\n".join(sentences)).findings_of("stitch")
        return stitch.details["signals"]

    told_in_turn = signals(FERRY + ORCHARD)
    alternating = signals(list(itertools.chain.from_iterable(zip(FERRY, ORCHARD))))
    assert 0 <= told_in_turn["join_doubt"] < alternating["join_doubt"] <= 1
    assert told_in_turn["join_logit"] < alternating["join_logit"]
    assert 0 <= told_in_turn["weak_joins"] <= alternating["weak_joins"] <= 1


def test_one_story_is_one_thread():
    data = unspun.check("\n\n".join(FERRY)).to_dict()
    assert data["threads"] == {"count": 1, "switches": []}


def test_stitch_finding_explains_itself():
    report = unspun.check(corpora.specimen())
    (stitch,) = report.findings_of("stitch")
    assert stitch.details["probability"] == round(stitch.score, 4)
    assert stitch.details["signals"]["dangling"] > 0
    assert stitch.reason.startswith("pasted together from several stories")
    assert report.verdict.reasons[0].code == "stitch"


def test_stitched_verdict_is_rare_on_real_news():
    """The issue's bar: a stitched verdict on at most 2% of real articles."""
    pipeline = unspun.default_pipeline()
    real = [r["text"] for r in itertools.islice(corpora.allsides(), 400)]
    real += [r["text"] for r in itertools.islice(corpora.bbc(), 0, 2225, 10)]
    stitched = sum(pipeline.check(t).verdict.label == "stitched" for t in real)
    assert stitched / len(real) <= 0.02


def test_word_store_emptied_mid_run_gives_the_same_vectors(monkeypatch):
    """Past its bound the store of word weights is emptied and the article's words learnt
    again: the sentence vectors are those a fresh step makes."""
    import numpy as np

    from unspun.doc import parse
    from unspun.lexicon import Lexicon
    from unspun.steps import threads
    from unspun.steps.threads import ThreadStep

    lexicon = Lexicon()
    monkeypatch.setattr(threads, "_WORD_STORE", 1500)
    small = ThreadStep(lexicon)
    for rec in corpora.allsides(30):
        doc = parse(rec["text"])
        got = small._vectors(doc, doc.sentences)
        assert len(small._word_row) <= 1500
        assert np.array_equal(got, ThreadStep(lexicon)._vectors(doc, doc.sentences))
