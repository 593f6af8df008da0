"""Reports to render: one real (``unspun.check`` on an invented council story) and hand-made
dicts with what the pipeline does not produce yet: nested and overlapping findings, findings
over several paragraphs, unknown kinds, hostile text and fields from later schema versions."""

from __future__ import annotations

import copy

import pytest

import unspun

# An invented story, with a furniture line and a two-line celebrity teaser dropped in.
COUNCIL_ARTICLE = """\
Millbrook council approves leaner budget after long night of debate

By Harriet Quayle
March 4, 2025

Millbrook town council approved a budget of 41.2 million pounds for the coming year on Tuesday night, after a meeting in the town hall that ran past midnight.

The budget trims spending on road resurfacing by 8 per cent and moves the money into the library service, which councillors said had been starved of funds for most of a decade.

Council leader Ada Penhallow told the chamber that the library branches in Eastgate and Ferris Hill would now stay open on Saturdays. "Residents asked us for this in every consultation we held," she said.

Opposition councillors argued that the cut to road repairs would leave potholes on the ring road unfilled through another winter. Councillor Tom Brackley said the town's highways budget was already the lowest in the county.

Share this article

The council tax precept will rise by 2.9 per cent, below the cap set by central government. A band D household will pay about 61 pounds more over the year.

Pop star Lola Vance stuns fans with surprise red carpet engagement ring
The singer flashed a diamond the size of a grape at the glittering film premiere, sending social media into a frenzy.

Finance officer Priya Mendes warned the council that reserves would fall below the recommended level by 2027 unless the sale of the old depot site goes ahead.

The council will publish the full budget papers on its website next week, and a public meeting on the depot sale is planned for April.
"""

_TEXT = (
    "Harbour board signs deal\n"
    "\n"
    'The board said <script>alert("x")</script> the deal "was the best we could get" for the harbour.\n'
    "Costs rose by 12% [bold red]not markup[/] \x1b]0;pwned\x07 since it.\n"
    "\n"
    "Read more at https://example.com/ads & subscribe today\n"
    "Click here for more\n"
    "\n"
    "Celebrity chef opens a restaurant on the moon.\n"
    "\n"
    "The board meets again in June."
)


def _at(text: str, needle: str, end_needle: str | None = None) -> tuple[int, int]:
    start = text.index(needle)
    end = text.index(end_needle, start) + len(end_needle) if end_needle else start + len(needle)
    return start, end


def _paragraphs(text: str) -> list[dict]:
    out, pos = [], 0
    for i, chunk in enumerate(text.split("\n\n")):
        out.append({"index": i, "start": pos, "end": pos + len(chunk), "flags": []})
        pos += len(chunk) + 2
    return out


def _finding(i, kind, span, score, reason, **extra):
    return {"id": i, "kind": kind, "start": span[0], "end": span[1], "score": score, "reason": reason,
            "step": f"test.{kind}.v1", "details": {}, **extra}


def _handmade() -> dict:
    t = _TEXT
    p1 = _at(t, "The board said", "since it.")
    findings = [
        _finding(0, "metadata", _at(t, "Harbour board signs deal"), 0.9, "the headline at the head of the text"),
        # An injected paragraph with a quote nested inside it.
        _finding(1, "injected", p1, 0.93, "off-topic: <b>nothing</b> shared with the story"),
        _finding(2, "quote", _at(t, '"was the best we could get"'), 0.8, "a quote with no named speaker"),
        # A figure and a dangling reference that overlap without nesting.
        _finding(3, "figure", _at(t, "rose by 12%"), 0.7, "a figure with no base year"),
        _finding(4, "dangling_reference", _at(t, "12% [bold red]not markup[/] \x1b]0;pwned\x07 since it"), 0.6,
                 "'it' refers to nothing earlier in the text"),
        # Furniture over two paragraphs, and a kind no renderer knows.
        _finding(5, "boilerplate", _at(t, "Read more at", "restaurant on the moon."), 0.85,
                 "page furniture: a link line and a teaser"),
        _finding(6, "sarcasm", _at(t, "The board meets again"), 0.5, "an unknown kind from a later step",
                 provenance={"url": "https://example.org/x"}),
        # A zero-length finding (a stitch point) and one outside the text.
        _finding(7, "conflict", (p1[1], p1[1]), 0.4, "the story changes subject here"),
        _finding(8, "stitch", (len(t) + 5, len(t) + 50), 0.3, "a finding past the end of the text"),
    ]
    return {
        "schema": "unspun.report/1",
        "unspun_version": "9.9.9",
        "source": {"name": "<harbour>.txt", "format": "text", "sha256": "0" * 64},
        "text": t,
        "language": {"english": True, "english_share": 0.4},
        "metadata": {"title": {"value": "Harbour board signs deal", "start": 0, "end": 24}, "author": None,
                     "date": None, "section": {"value": "ignored"}},
        "paragraphs": _paragraphs(t),
        "sentences": [{"index": 0, "start": 0, "end": 24, "paragraph": 0, "flags": ["metadata"],
                       "source": {"url": "https://example.org/a", "score": 0.9}}],
        "findings": findings,
        "verdict": {
            "label": "stitched",
            "score": 0.97,
            "reasons": [
                {"code": "injected", "message": "1 paragraph(s) on another topic", "findings": [1]},
                {"code": "boilerplate", "message": "1 line(s) of <furniture>", "findings": [5, 99]},
            ],
        },
        "clean_text": "The board meets again in June.",
        "steps": [],
        "provenance": {"added": "in a later version"},
    }


@pytest.fixture(scope="session")
def council_report() -> dict:
    return unspun.check(COUNCIL_ARTICLE, name="millbrook-budget.txt").to_dict()


@pytest.fixture()
def handmade_report() -> dict:
    return copy.deepcopy(_HANDMADE)


_HANDMADE = _handmade()


@pytest.fixture()
def clean_report(handmade_report) -> dict:
    r = handmade_report
    r["findings"] = []
    r["verdict"] = {"label": "clean", "score": 0.0, "reasons": []}
    r["clean_text"] = r["text"]
    return r


@pytest.fixture()
def foreign_report(clean_report) -> dict:
    r = clean_report
    r["language"] = {"english": False, "english_share": 0.03}
    r["verdict"]["label"] = "suspicious"
    return r
