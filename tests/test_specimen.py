"""Issue 2 acceptance on the real content-farm page in ../shared/examples."""

from __future__ import annotations

from unspun.schema import validate


def _lines_with(report, kind):
    return [report.span_text(f) for f in report.findings_of(kind)]


def test_unrelated_paragraph_is_injected_and_nothing_else(specimen):
    injected = specimen.findings_of("injected")
    assert len(injected) == 1
    text = specimen.span_text(injected[0])
    lines = text.split("\n")
    assert len(lines) == 2
    assert "Farted on National Television" in lines[0]
    assert lines[1].startswith("Frankly, there is no way to describe the fart situation")
    # Every sentence flagged injected lies inside that paragraph.
    for s in specimen.sentences:
        if "injected" in s.flags:
            assert injected[0].start <= s.start and s.end <= injected[0].end


def test_footer_lines_are_boilerplate(specimen):
    lines = _lines_with(specimen, "boilerplate")
    assert "Other reports by" in lines
    assert "Discuss This Article" in lines


def test_no_news_sentence_is_boilerplate(specimen):
    for line in _lines_with(specimen, "boilerplate"):
        assert len(line.split()) <= 6, line


def test_title_byline_and_date_are_metadata(specimen):
    md = specimen.metadata
    assert md["title"].value == "USA breaks off defense cost talks amid South Korea backlash"
    assert md["title"].start == 0
    assert md["author"].value == "Clay Curtis"
    assert md["date"].value == "November 19, 2019"
    for field in ("title", "author", "date"):
        f = md[field]
        assert specimen.text[f.start : f.end] == f.value


def test_clean_text_keeps_every_other_sentence(specimen):
    removed = {"metadata", "boilerplate", "injected"}
    kept = [specimen.span_text(s) for s in specimen.sentences if not removed.intersection(s.flags)]
    assert len(kept) >= 20
    for sentence in kept:
        assert sentence in specimen.clean_text
    assert "fart" not in specimen.clean_text.lower()
    assert "Discuss This Article" not in specimen.clean_text
    assert "Clay Curtis" not in specimen.clean_text


def test_verdict_is_stitched_with_reasons(specimen):
    v = specimen.verdict
    assert v.label == "stitched"
    assert 0.5 < v.score <= 1
    codes = {r.code for r in v.reasons}
    assert {"stitch", "injected", "boilerplate", "dangling_reference"} <= codes
    for r in v.reasons:
        for i in r.findings:
            assert specimen.findings[i].kind == r.code


def test_report_follows_schema(specimen):
    validate(specimen.to_dict())


def test_dangling_references(specimen):
    found = specimen.findings_of("dangling_reference")
    phrases = [f.details["phrase"] for f in found]
    assert len(found) >= 4
    assert any(p.lower() == "the minister" for p in phrases)
    assert "His statement" in phrases
    for f in found:
        assert specimen.span_text(f) == f.details["phrase"]
        assert f.details["missing"]


def test_threads(specimen):
    data = specimen.to_dict()
    assert data["threads"]["count"] >= 2
    body = [s for s in data["sentences"] if s["thread"] is not None]
    assert len({s["thread"] for s in body}) == data["threads"]["count"]
    # A switch is a sentence whose thread differs from the body sentence before it.
    for i in data["threads"]["switches"]:
        before = [s for s in body if s["index"] < i][-1]
        assert before["thread"] != data["sentences"][i]["thread"]
    # Furniture and injected text belong to no thread.
    for s in data["sentences"]:
        if {"injected", "boilerplate", "metadata"} & set(s["flags"]):
            assert s["thread"] is None
