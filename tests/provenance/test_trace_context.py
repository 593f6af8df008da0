"""Tracing whole articles: the neighbours of a traced sentence, quotations two outlets share,
lone near-matches, and how a stretch of swapped words is split. The documents are invented."""

from __future__ import annotations

import pytest

from unspun import SourceIndex
from unspun.provenance import align

REPORT = {
    "id": "harbour-report",
    "outlet": "Coastal Wire",
    "text": (
        "The Port Ellery council approved a new seawall for the northern harbour on Tuesday night. "
        "Engineers from the Dunmore institute will survey the breakwater and the old quays in March. "
        "They told all of the people that it would be a very long time before the ferries could "
        "sail back to the harbour at Kelmsby. "
        "\"We will rebuild the harbour wall before the winter storms arrive,\" mayor Ada Lind said. "
        "Residents on Kelpie Row have complained about flooding since the pier collapsed in 2019."
    ),
}
OTHER = {
    "id": "regatta-notice",
    "outlet": "Harbour Weekly",
    "text": (
        "Sailing clubs from across Merrow county will race past the lighthouse during the summer "
        "regatta. Organisers expect the largest fleet of wooden dinghies since the festival began. "
        "Tickets for the evening ceilidh at the boathouse go on sale at the tourist office."
    ),
}

PLAN = {
    "id": "harbour-plan",
    "outlet": "Coastal Wire",
    "text": (
        "The council published its plan for the harbour on Monday evening.\n\n"
        "There are two parts to it, the mayor said.\n\n"
        "1. The northern seawall will be rebuilt with granite from the Dunmore quarry before the winter storms.\n\n"
        "2. The ferry slipway at Kelmsby will be widened so that larger boats can land there."
    ),
}
HEAVY_SPIN = "The ferry ramp at Kelmsby is going to be broadened so that bigger vessels can dock there."


@pytest.fixture(scope="module")
def index():
    with SourceIndex(":memory:") as idx:
        idx.add([REPORT, OTHER, PLAN])
        yield idx


def _sentence(doc: dict, n: int) -> str:
    from unspun.doc import parse

    d = parse(doc["text"])
    s = d.sentences[n]
    return doc["text"][s.start : s.end]


def test_a_spun_sentence_without_rare_words_left_is_found_beside_its_traced_neighbour(index):
    # The middle sentence's rare words are swapped, so none of its retrieval keys is left,
    # but the sentences around it are copies from the same report.
    article = " ".join([
        _sentence(REPORT, 1),
        "They told all of the people that it would be a very long time before the boats could "
        "go back to the port at Kelmsby.",
        _sentence(REPORT, 3),
    ])
    traced = index.trace(article)
    assert [s and s["document"]["id"] for s in traced] == ["harbour-report"] * 3
    assert traced[1]["status"] == "spun"
    assert {"op": "sub", "from": "harbour", "to": "port"} in traced[1]["edits"]


def test_a_shared_quotation_in_another_frame_is_not_a_copy(index):
    # Two copied sentences give the report company; the quotation is the mayor's words,
    # which any outlet could quote, framed in words of the article's own.
    article = " ".join([
        _sentence(REPORT, 0),
        _sentence(REPORT, 1),
        "\"We will rebuild the harbour wall before the winter storms arrive,\" Lind repeated on a "
        "radio phone-in.",
    ])
    traced = index.trace(article)
    assert traced[0] is not None and traced[1] is not None
    assert traced[2] is None
    # For a study of text reuse, the shared quotation is reuse all the same.
    assert index.trace(article, reuse=True)[2]["document"]["id"] == "harbour-report"
    # The same words without quotation marks, in another frame than the mayor's "said".
    article = " ".join([
        _sentence(REPORT, 0),
        _sentence(REPORT, 1),
        "We will rebuild the harbour wall before the winter storms arrive, the council's website announced.",
    ])
    traced = index.trace(article)
    assert traced[0] is not None and traced[1] is not None
    assert traced[2] is None
    # A copy with its speaker cut off is still a copy.
    article = " ".join([_sentence(REPORT, 0), _sentence(REPORT, 1),
                        "\"We will rebuild the harbour wall before the winter storms arrive.\""])
    traced = index.trace(article)
    assert traced[2] is not None and traced[2]["document"]["id"] == "harbour-report"


def test_a_lone_near_match_in_an_article_is_let_go_but_kept_with_company(index):
    spun = "Residents on Kelpie Row have grumbled about flooding ever since the pier collapsed in 2019."
    own = [
        "A new bakery opened on the corner of Mill Lane and Castle Street last weekend.",
        "Its owners moved to the town from the mainland after selling their farm.",
        "They plan to sell bread made with flour from the island's only working windmill.",
    ]
    alone = index.trace(" ".join(own + [spun]))
    assert alone == [None] * 4
    # For a study of text reuse, one borrowed sentence counts.
    assert index.trace(" ".join(own + [spun]), reuse=True)[-1]["document"]["id"] == "harbour-report"
    with_company = index.trace(" ".join([_sentence(REPORT, 0), _sentence(REPORT, 1)] + own + [spun]))
    assert with_company[-1] is not None and with_company[-1]["status"] == "spun"
    # A single sentence on its own is not an article: its one match stands.
    [single] = index.trace(spun)
    assert single is not None and single["document"]["id"] == "harbour-report"


def test_unrelated_sentences_stay_untraced_beside_traced_ones(index):
    article = " ".join([_sentence(REPORT, 0), "The weather was mild and the ferries ran on time all week long."])
    traced = index.trace(article)
    assert traced[0] is not None and traced[1] is None


def test_a_stretch_of_swaps_of_unequal_lengths_is_split_word_by_word():
    ref = "The administration official, who also asked not to be named, spoke on Monday."
    text = "The government officer, that as well requested certainly not to be named, spoke on Monday."
    a = align(ref, text)
    subs = [(e["from"], e["to"]) for e in a.edits if e["op"] == "sub"]
    inserted = [e["to"] for e in a.edits if e["op"] == "ins"]
    assert ("official", "officer") in subs
    assert ("asked", "requested") in subs
    assert "certainly" in inserted
    # Put back together, the pieces give the words of both sentences, in order.
    from unspun.provenance.tokens import keys_of

    assert keys_of(" ".join(e["from"] for e in a.edits if e["from"])) == keys_of(ref)
    assert keys_of(" ".join(e["to"] for e in a.edits if e["to"])) == keys_of(text)


def test_inside_a_run_a_renumbered_item_and_a_heavier_spin_are_traced(index):
    article = "\n\n".join([
        "The council published its plan for the harbour on Monday evening.",
        "There are two parts to it, the mayor said.",
        "2.",
        "The northern seawall will be rebuilt with granite from the Dunmore quarry before the winter storms.",
        "3.",
        HEAVY_SPIN,
    ])
    traced = index.trace(article)
    assert [s and s["document"]["id"] for s in traced] == ["harbour-plan"] * 6
    assert traced[2]["numbers"] == [{"from": "1", "to": "2"}]
    assert traced[4]["numbers"] == [{"from": "2", "to": "3"}]
    assert traced[5]["status"] == "spun"
    # Without the run around it, the heavier spin is too far from its reference to trace.
    assert index.trace(HEAVY_SPIN) == [None]
