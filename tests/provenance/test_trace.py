"""Tracing sentences to the reference document they were copied or spun from."""

from __future__ import annotations

import random

from types import SimpleNamespace

from bench.farm import score
from bench.farm.spin import Settings, spin
from unspun import SourceIndex
from unspun.doc import parse
from unspun.provenance import align


def _sentences(doc: dict, n: int = 12) -> list[tuple[int, int, str]]:
    d = parse(doc["text"])
    out = [(s.start, s.end, doc["text"][s.start : s.end]) for s in d.sentences]
    return [s for s in out if len(s[2].split()) >= 8][:n]


def test_verbatim_sentences_are_copied_from_their_document(index, docs):
    doc = docs[3]
    picked = _sentences(doc)
    text = "\n\n".join(s for _, _, s in picked)
    traced = index.trace(text)
    assert len(traced) == len(picked)
    for (start, end, sentence), src in zip(picked, traced):
        assert src is not None, sentence
        assert src["document"]["id"] == doc["id"]
        assert src["status"] == "copied"
        assert src["similarity"] == 1.0
        assert (src["match"]["start"], src["match"]["end"]) == (start, end)
        assert src["match"]["text"] == doc["text"][start:end]
        assert all(e["op"] == "keep" for e in src["edits"])
        assert src["numbers"] == []


def test_case_and_punctuation_changes_are_still_copies(index, docs):
    _, _, sentence = _sentences(docs[10])[2]
    changed = sentence.lower().replace(",", "").replace("’", "'")
    [src] = index.trace(parse(changed))
    assert src is not None and src["document"]["id"] == docs[10]["id"]
    assert src["status"] == "copied"


def test_spun_sentences_are_traced_with_their_substitutions(index, docs):
    rng = random.Random(7)
    settings = Settings(rate=0.3, number_p=0.0)
    total = traced_right = subs_total = subs_found = 0
    for doc in docs[20:40]:
        for _, _, sentence in _sentences(doc, 4):
            spun, subs = spin(sentence, rng, settings)
            if not subs:
                continue
            [src] = index.trace(spun)
            total += 1
            if src is None or src["document"]["id"] != doc["id"]:
                continue
            traced_right += 1
            assert src["status"] == "spun"
            found = score._pairs(score._source_of(SimpleNamespace(source=src)))
            for s in subs:
                if s.kind in ("synonym", "spell_out", "unit"):
                    subs_total += 1
                    subs_found += (score._norm_piece(s.frm), score._norm_piece(s.to)) in found
    assert total >= 40
    assert traced_right / total >= 0.9
    assert subs_found / subs_total >= 0.7


def test_a_changed_figure_is_listed_apart(index, docs):
    for doc in docs:
        found = [(s, i) for _, _, s in _sentences(doc, 40) for i, w in enumerate(s.split())
                 if w.isdigit() and not 1900 <= int(w) <= 2099 and len(s.split()) >= 10]
        if found:
            sentence, at = found[0]
            words = sentence.split()
            break
    else:  # pragma: no cover - the documents hold such sentences
        raise AssertionError("no sentence with a figure")
    new = str(int(words[at]) * 2 + 3)
    changed = " ".join(words[:at] + [new] + words[at + 1 :])
    [src] = index.trace(changed)
    assert src is not None and src["document"]["id"] == doc["id"]
    assert src["status"] == "spun"
    assert src["numbers"] == [{"from": words[at], "to": new}]


def test_unrelated_text_gets_no_source(index):
    text = ("The committee of the village allotment society met on Tuesday to discuss the new rota "
            "for watering the marrows, and agreed that the shed key will hang by the gate from now on.")
    assert index.trace(text) == [None]


def test_excluded_documents_are_not_traced_to(index, docs):
    _, _, sentence = _sentences(docs[5])[1]
    [src] = index.trace(sentence, exclude={docs[5]["id"]})
    assert src is None or src["document"]["id"] != docs[5]["id"]


def test_alignment_rewrites_of_a_figure_are_one_substitution():
    a = align("The firm paid $30 million, or 5% of its sales, in the U.S. last year.",
              "The firm paid 30 million dollars, or 5 percent of its revenue, in the USA last year.")
    subs = [(e["from"], e["to"]) for e in a.edits if e["op"] == "sub"]
    assert subs == [("$30 million", "30 million dollars"), ("5%", "5 percent"), ("sales", "revenue"), ("U.S.", "USA")]
    assert a.numbers == []
    assert a.status == "spun"


def test_a_changed_figure_is_paired_across_a_word_kept_either_side_of_it():
    """"within 24 hours of his" -> "inside of 12 hrs of his": the kept "of" can be matched
    before or after the figure; matched before, the old and new values fall in two changes."""
    a = align("Every senator has condemned him or renounced support for his campaign within 24 hours of his "
              "remarks being called into question.",
              "Each senator has actually condemned him or even renounced help for his marketing campaign inside "
              "of 12 hrs of his remarks being known as in to question.")
    assert a.numbers == [{"from": "24", "to": "12"}]
    assert ("24", "12") in [(e["from"], e["to"]) for e in a.edits if e["op"] == "sub"]
    assert a.kept == 14  # as many words kept as before the pairing


def test_in_memory_records_trace_too(docs):
    with SourceIndex(":memory:") as index:
        index.add(docs[:5])
        _, _, sentence = _sentences(docs[2])[0]
        [src] = index.trace(sentence)
    assert src["document"]["id"] == docs[2]["id"]
