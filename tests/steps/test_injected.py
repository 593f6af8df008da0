"""Injected paragraphs: found by topic and lexical cohesion, on layouts with and without blank lines."""

from __future__ import annotations

import random

from bench import corpora


def _teaser(rec) -> str:
    first = rec["text"].split("\n\n")[0]
    return f"{rec['title']}\n{first}"


def _insert(text: str, block: str, sep: str = "\n\n") -> str:
    paras = text.split("\n\n")
    at = len(paras) // 2
    return sep.join(p.replace("\n\n", sep) for p in paras[:at] + [block] + paras[at:])


def test_teaser_of_another_section_is_found_in_real_articles(pipeline):
    """A sport or entertainment teaser dropped into a real politics or business story."""
    rng = random.Random(3)
    bbc = [r for r in corpora.bbc() if corpora.split_of(r["id"]) == "heldout"]
    targets = [r for r in bbc if r["category"] in ("politics", "business") and r["text"].count("\n\n") >= 6][:150]
    sources = [r for r in bbc if r["category"] in ("sport", "entertainment")]
    found = 0
    for rec in targets:
        teaser = _teaser(rng.choice(sources))
        report = pipeline.check(_insert(rec["text"], teaser))
        spans = [report.span_text(f) for f in report.findings_of("injected")]
        found += any(teaser.split("\n")[0] in s for s in spans)
    recall = found / len(targets)
    print(f"teaser recall on {len(targets)} BBC articles: {recall:.3f}")
    assert recall >= 0.75


def test_teaser_found_when_each_line_is_a_paragraph(pipeline, example_path):
    """HTML extraction gives one paragraph per line: the headline and its text are judged together."""
    text = example_path.read_text().replace("\n\n", "\n")
    report = pipeline.check(text)
    spans = [report.span_text(f) for f in report.findings_of("injected")]
    assert any("Lola Vance" in s for s in spans)
    assert any("cucumber" in s for s in spans)
    assert all("Millbrook" not in s for s in spans)


def test_short_articles_are_not_judged(pipeline):
    report = pipeline.check("A short note on the weather.\n\nA line about football scores.")
    assert not report.findings_of("injected")


def test_word_store_emptied_mid_run_keeps_scoring(monkeypatch):
    """Past its bound the store of word statistics is emptied; the article that triggers it is
    scored with all its words learnt again, and finds what a fresh step finds."""
    from unspun.lexicon import Lexicon
    from unspun.steps import injected
    from unspun.steps.injected import InjectedStep
    from unspun.topics import TopicSpace
    from unspun.doc import parse
    from unspun.spans import Findings

    lexicon, topics = Lexicon(), TopicSpace()
    monkeypatch.setattr(injected, "_WORD_CACHE", 2000)
    small = InjectedStep(lexicon, topics)
    texts = [r["text"] for r in corpora.allsides(40)]
    for text in texts:
        doc = parse(text)
        got = [(f.start, f.end) for f in small.detect(doc, Findings(len(text)))]
        assert len(small._ids) <= 2000
        fresh = [(f.start, f.end) for f in InjectedStep(lexicon, topics).detect(doc, Findings(len(text)))]
        assert got == fresh
