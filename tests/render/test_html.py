"""The HTML view: one standalone page, every piece of report text escaped."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from unspun.render.html import render

_VOID = {"meta", "br", "hr", "img", "input", "link", "wbr"}


class _Page(HTMLParser):
    """Checks that elements nest properly and collects each article paragraph's text
    (without its [n] marker links) and each mark's title."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.paragraphs: dict[int, str] = {}
        self.titles: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self._para: int | None = None
        self._in_ref = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in _VOID:
            return
        self.stack.append(tag)
        if tag == "p" and (a.get("id") or "").startswith("p-"):
            self._para = int(a["id"][2:])
            self.paragraphs[self._para] = ""
        if tag == "mark" and "title" in a:
            self.titles.append(a["title"])
        if tag == "a" and "ref" in (a.get("class") or "").split():
            self._in_ref += 1

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()
        if tag == "p":
            self._para = None
        if tag == "a" and self._in_ref:
            self._in_ref -= 1

    def handle_data(self, data):
        if self._para is not None and not self._in_ref:
            self.paragraphs[self._para] += data


def _parse(page: str) -> _Page:
    p = _Page()
    p.feed(page)
    p.close()
    assert not p.errors, p.errors[:3]
    assert p.stack == [], p.stack
    return p


def _shown(text: str) -> str:
    """The text as the page shows it: control characters replaced one for one."""
    return re.sub("[\x00-\x08\x0b-\x1f\x7f-\x9f]", "\ufffd", text)


def _outside_refs(page: str) -> list[str]:
    """Attributes or CSS that would make the browser fetch something."""
    return re.findall(
        r"""(?:\b(?:src|href|srcset|action|poster|data|background)\s*=\s*["']?\s*(?:[a-z]+:)?//|url\(|@import)""",
        page,
        flags=re.I,
    )


@pytest.mark.parametrize("fixture", ["council_report", "handmade_report", "clean_report", "foreign_report"])
def test_page_is_standalone_and_well_formed(fixture, request):
    report = request.getfixturevalue(fixture)
    page = render(report)
    assert page.startswith("<!doctype html>")
    assert '<meta name="viewport"' in page
    assert "<script" not in page.lower()
    assert not _outside_refs(page)
    parsed = _parse(page)
    # The article, paragraph by paragraph, is all there and unchanged under the marks.
    for i, p in enumerate(report["paragraphs"]):
        assert parsed.paragraphs[i] == _shown(report["text"][p["start"] : p["end"]])


def test_council_page_has_no_outside_url(council_report):
    assert not re.search(r"https?://", render(council_report))


def test_council_page_has_verdict_reasons_findings_and_clean_text(council_report):
    page = render(council_report)
    verdict = council_report["verdict"]
    assert f'<p class="label">{verdict["label"]}</p>' in page
    for reason in verdict["reasons"]:
        assert html.escape(reason["message"]) in page
    assert council_report["findings"]
    for f in council_report["findings"]:
        assert html.escape(f["reason"]) in page
    assert html.escape(council_report["clean_text"]) in page
    n = len(council_report["findings"])
    assert all(f'<li id="f-{k}"' in page for k in range(1, n + 1))


def test_text_is_escaped(handmade_report):
    page = render(handmade_report)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<b>nothing</b>" not in page and "&lt;b&gt;nothing&lt;/b&gt;" in page
    assert "&lt;harbour&gt;.txt" in page
    assert "<furniture>" not in page
    assert "\x1b" not in page and "\x07" not in page
    # A URL in the article stays text: no link to it, nothing fetched from it.
    assert "https://example.com/ads &amp; subscribe" in page
    assert not _outside_refs(page)


def test_each_mark_carries_its_reason(handmade_report):
    parsed = _parse(render(handmade_report))
    in_text = [f for f in handmade_report["findings"] if f["end"] <= len(handmade_report["text"])]
    for f in in_text:
        if f["start"] == f["end"]:
            continue  # a point has a marker, not a mark
        assert any(f["reason"] in t and f["kind"] in t for t in parsed.titles), f["kind"]


def test_nested_overlapping_and_unknown_kinds(handmade_report):
    page = render(handmade_report)
    parsed = _parse(page)
    classes = [a.get("class", "") for t, a in parsed.tags if t == "mark"]
    assert any("k-injected" in c for c in classes)
    assert any("k-quote" in c for c in classes)
    # The unknown kind gets the generic highlight.
    assert any("k-generic" in c and "k-x-sarcasm" in c for c in classes)
    # Every finding is in the numbered list with its reason, the one past the end included.
    for n, f in enumerate(sorted(handmade_report["findings"], key=lambda f: (f["start"], -f["end"])), 1):
        item = re.search(rf'<li id="f-{n}"[^>]*>(.*?)</li>', page, flags=re.S)
        assert item and html.escape(f["reason"]) in item.group(1), f["kind"]
    # The furniture over two paragraphs is marked in both.
    assert page.count('class="k k-boilerplate"') >= 2


def test_clean_text_section(handmade_report):
    page = render(handmade_report)
    assert "<details>" in page
    assert '<div class="clean">The board meets again in June.</div>' in page


def test_not_english_is_said_plainly(foreign_report):
    assert "The text is not English" in render(foreign_report)


def test_keyboard_focus_and_narrow_screens_are_styled(clean_report):
    page = render(clean_report)
    assert ":focus-visible" in page
    assert "@media (max-width:" in page


@pytest.mark.parametrize(
    "report",
    [
        {"text": ""},
        {"text": "<p>One paragraph only.</p>"},
        {"text": "a\n\nb", "findings": [{"kind": "x", "start": "0", "end": None}, "junk", {"start": 0, "end": 1}]},
        {"text": "abc\ud800", "paragraphs": None, "verdict": None, "metadata": [], "language": "en"},
    ],
)
def test_sparse_or_damaged_reports_do_not_crash(report):
    page = render(report)
    page.encode("utf-8")  # lone surrogates are replaced
    _parse(page)
