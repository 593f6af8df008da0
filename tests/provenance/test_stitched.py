"""With a reference index, a body assembled from several indexed documents is stitched."""

from __future__ import annotations

import jsonschema

import unspun
from unspun.schema import report_schema
from unspun.doc import parse
from unspun.verdict import SOURCE_SENTENCES


def _prose(doc: dict, n: int, skip: int = 2) -> list[str]:
    """n full sentences of a document's body, past its first lines."""
    parsed = parse(doc["text"])
    out = [parsed.sentence_text(s.index) for s in parsed.sentences[skip:] if len(parsed.sentence_text(s.index).split()) >= 10]
    return out[:n]


def test_runs_from_two_documents_make_a_stitched_verdict(index, docs):
    a, b = docs[3], docs[160]  # an AllSides article and a BBC article
    runs = _prose(a, 3) + _prose(b, 3) + _prose(a, 6)[3:] + _prose(b, 6)[3:]
    text = "\n\n".join(runs)
    report = unspun.check(text, sources=index)
    assert report.verdict.label == "stitched"
    first = report.verdict.reasons[0]
    assert first.code == "stitch"
    assert "2 different documents" in first.message
    (finding,) = [report.findings[i] for i in first.findings]
    assert finding.kind == "stitch" and finding.step == "unspun.provenance.v1"
    assert set(finding.details["documents"]) == {a["id"], b["id"]}
    jsonschema.validate(report.to_dict(), report_schema())
    traced = {d["id"] for d in report.to_dict()["provenance"]["documents"] if len(d["sentences"]) >= SOURCE_SENTENCES}
    assert traced == {a["id"], b["id"]}


def test_one_document_copied_is_not_stitched_by_its_sources(index, docs):
    text = "\n\n".join(_prose(docs[3], 8))
    report = unspun.check(text, sources=index)
    assert not [f for f in report.findings if f.step == "unspun.provenance.v1"]
    assert report.verdict.label != "stitched"
