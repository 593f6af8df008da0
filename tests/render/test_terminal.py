"""The terminal view: a pure function of the report dict, drawn with Rich."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from unspun.render.terminal import render

WIDTH = 80


def _text(report: dict) -> str:
    console = Console(record=True, width=WIDTH, file=io.StringIO())
    render(report, console)
    return console.export_text()


def _flat(s: str) -> str:
    """Words only: no [n] markers, box edges or line wrapping."""
    s = re.sub(r"\[\d+\]", " ", s)
    s = re.sub(r"[│╭╮╰╯─]", " ", s)
    return " ".join(s.split())


def _words(s: str) -> str:
    return " ".join(s.split())


def test_council_report_shows_verdict_reasons_and_text(council_report):
    out = _text(council_report)
    flat = _flat(out)
    assert council_report["verdict"]["label"].upper() in out
    assert council_report["findings"], "the council story should have findings to show"
    for f in council_report["findings"]:
        assert _words(f["reason"]) in flat
    for reason in council_report["verdict"]["reasons"]:
        assert _words(reason["message"]) in flat
    for p in council_report["paragraphs"]:
        assert _flat(council_report["text"][p["start"] : p["end"]]) in flat
    assert "millbrook-budget.txt" in out


def test_each_finding_note_has_its_number_kind_and_score(council_report):
    out = _text(council_report)
    for n, f in enumerate(sorted(council_report["findings"], key=lambda f: (f["start"], -f["end"])), 1):
        assert re.search(rf"\[{n}\]\s+{f['kind']} {f['score']:.2f} — ", out), (n, f["kind"])


@pytest.mark.parametrize("fixture", ["council_report", "handmade_report", "clean_report", "foreign_report"])
def test_fits_80_columns(fixture, request):
    out = _text(request.getfixturevalue(fixture))
    assert max(len(line) for line in out.splitlines()) <= WIDTH


def test_nested_overlapping_and_unknown_findings(handmade_report):
    out = _text(handmade_report)
    flat = _flat(out)
    assert "STITCHED" in out
    for f in handmade_report["findings"]:
        assert _words(f["reason"]) in flat, f["kind"]
    assert "sarcasm" in out  # an unknown kind is shown by its name
    # The boilerplate finding covers two paragraphs: its marker follows each part, its note is once.
    n_boiler = 7
    assert out.count(f"[{n_boiler}] boilerplate") == 1
    assert "(over 2 paragraphs)" in flat
    # The finding past the end of the text is listed apart, not dropped.
    assert "Findings not marked in the text" in out
    assert "[9] stitch 0.30 — a finding past the end of the text (its offsets do not fit the text)" in _words(out)


def test_untrusted_text_is_text_not_markup_or_escapes(handmade_report):
    buf = io.StringIO()
    console = Console(file=buf, width=WIDTH, force_terminal=True, color_system="truecolor")
    render(handmade_report, console)
    raw = buf.getvalue()
    assert "\x1b]0;pwned" not in raw  # a terminal escape in the text is neutralised
    assert "pwned" in raw
    assert "[bold red]not markup[/]" in _text(handmade_report)
    assert "<script>" in _text(handmade_report)  # shown as it is: a terminal runs no scripts


def test_clean_report_without_findings(clean_report):
    out = _text(clean_report)
    assert "CLEAN" in out
    assert "nothing wrong was found" in out
    assert "The board meets again in June." in out


def test_not_english_is_said_plainly(foreign_report):
    flat = _flat(_text(foreign_report))
    assert "The text is not English" in flat
    assert "only part of the analysis applies" in flat


@pytest.mark.parametrize(
    "report",
    [
        {"text": ""},
        {"text": "One paragraph only."},
        {"text": "a\n\nb", "findings": [{"kind": "x", "start": "0", "end": None}, "junk", {"start": 0, "end": 1}]},
        {"text": "abc", "paragraphs": None, "verdict": None, "metadata": [], "language": "en"},
    ],
)
def test_sparse_or_damaged_reports_do_not_crash(report):
    _text(report)


def test_rejects_what_is_not_a_report():
    with pytest.raises(TypeError, match="report dict"):
        _text("just a string")
    with pytest.raises(ValueError, match="'text'"):
        _text({"schema": "unspun.report/1"})
