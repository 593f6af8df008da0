"""The HTML view of a report: one standalone page (inline CSS, no script, nothing fetched),
so that the CLI can write it to a file and the web service can serve it as it is.

A pure function of the report dict (schema ``unspun.report/1``). Every piece of text from the
report is escaped, because the report holds scraped web content; a Content-Security-Policy
meta tag also forbids scripts and outside resources, in case anything ever slips through.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import resources
from html import escape
from typing import Any

from unspun.render import sources
from unspun.render._layout import Block, Layout, Mark, excerpt, layout, pieces

__all__ = ["render", "KNOWN_KINDS", "LABELS"]

# Kinds and labels with a style of their own in the CSS below; others get the generic one.
KNOWN_KINDS = ("metadata", "boilerplate", "injected", "dangling_reference", "quote", "figure", "conflict")
LABELS = ("clean", "suspicious", "polluted", "stitched")

_KIND_DESCRIPTIONS = {
    "metadata": "title, byline or date",
    "boilerplate": "page furniture",
    "injected": "text from another story",
    "dangling_reference": "refers to something not in the text",
    "quote": "quotation",
    "figure": "figure",
    "conflict": "contradiction",
}

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'"

# The colours are shared with the served page (unspun.service), which links the same file.
_PALETTE = resources.files("unspun.render").joinpath("palette.css").read_text(encoding="utf-8")
_CSS = _PALETTE + """
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; padding: 1rem; background: var(--bg); color: var(--fg);
  font: 1.0625rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
.page { max-width: 48rem; margin: 0 auto; }
h1, h2 { line-height: 1.25; }
h1 { font-size: 1.1rem; margin: 0 0 .25rem; color: var(--muted); font-weight: 600; }
h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; padding-bottom: .25rem; border-bottom: 1px solid var(--line); }
a { color: var(--focus); }
:focus { outline: none; }
:focus-visible, a:focus, summary:focus {
  outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px;
}
.verdict {
  border: 2px solid var(--unknown); border-left-width: .6rem; border-radius: .4rem;
  padding: .75rem 1rem; background: var(--panel);
}
.verdict .label { font-size: 1.6rem; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; margin: 0; }
.verdict .score { color: var(--muted); margin: 0; }
.verdict ul { margin: .5rem 0 0; padding-left: 1.25rem; }
.source { color: var(--muted); margin: .75rem 0; overflow-wrap: anywhere; }
.warning {
  border: 2px solid var(--suspicious); border-radius: .4rem; padding: .5rem .75rem; margin: .75rem 0;
  font-weight: 600;
}
.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .75rem 0; }
.meta dt { font-weight: 600; } .meta dd { margin: 0; overflow-wrap: anywhere; }
.legend { display: flex; flex-wrap: wrap; gap: .35rem 1rem; padding: 0; margin: 0 0 1rem; list-style: none;
  font-size: .9rem; color: var(--muted); }
.article p, .clean { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 1em; }
.article p.flagged { padding-left: .6rem; border-left: 3px solid var(--line); }
mark { color: inherit; background: none; padding: 0; border-radius: 2px;
  -webkit-box-decoration-break: clone; box-decoration-break: clone; }
.k-metadata { color: var(--furniture); font-style: italic; }
.k-boilerplate { color: var(--furniture); text-decoration: line-through; text-decoration-thickness: 1px; }
.k-injected { color: var(--injected); background: var(--injected-bg);
  text-decoration: line-through; text-decoration-thickness: 1.5px; }
.k-quote { background: var(--quote-bg); }
.k-figure { background: var(--figure-bg); font-weight: 600; }
.k-dangling_reference { background: var(--dangling-bg); text-decoration: underline wavy var(--suspicious); }
.k-conflict { background: var(--conflict-bg); text-decoration: underline double var(--stitched); }
.k-generic { background: var(--generic-bg); text-decoration: underline dotted var(--generic-line);
  text-underline-offset: .2em; }
.legend .k { padding: 0 .2rem; }
.notes { list-style: none; margin: -.6em 0 1em; padding: 0 0 0 .6rem; font-size: .875rem; color: var(--muted);
  border-left: 3px solid var(--line); }
.notes a { font-weight: 600; text-decoration: none; }
a.ref { display: inline-block; font-size: .75em; line-height: 1; vertical-align: super; margin: 0 .1em;
  text-decoration: none; font-weight: 600; white-space: nowrap; padding: .1em .15em; }
a.ref:hover { text-decoration: underline; }
.findings { padding-left: 2.25rem; }
.findings li { margin: 0 0 .6rem; overflow-wrap: anywhere; }
.findings li:target { background: var(--panel); outline: 2px solid var(--line); }
.findings .kind { font-weight: 600; text-decoration: none; padding: 0 .2rem; }
.findings .excerpt, .findings .step { display: block; color: var(--muted); font-size: .9rem; }
.findings .excerpt { font-style: italic; }
details { margin: 0 0 1rem; }
summary { cursor: pointer; font-weight: 600; padding: .25rem 0; }
.clean { padding: .75rem 1rem; background: var(--panel); border-radius: .4rem; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; overflow-wrap: anywhere; }
@media (max-width: 32rem) {
  body { padding: .6rem; font-size: 1rem; }
  .verdict { padding: .6rem .75rem; }
  .verdict .label { font-size: 1.35rem; }
  .findings { padding-left: 1.6rem; }
}
@media print { details { display: block; } a.ref { color: inherit; } }
""".strip()


def render(report_dict: Mapping[str, Any]) -> str:
    """One standalone HTML5 page for a report (``Report.to_dict()``)."""
    lay = layout(report_dict)
    name = lay.source.get("name") or "report"
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>unspun: {_e(lay.label)} — {_e(name)}</title>",
        f"<style>\n{_CSS}\n{sources.CSS}\n</style>",
        "</head>",
        "<body>",
        '<div class="page">',
        _verdict(lay),
        _source(lay),
        _metadata(lay),
        _threads(lay),
        "<main>",
        _article(lay),
        _findings(lay),
        sources.html(report_dict),
        _clean(lay),
        "</main>",
        _footer(lay),
        "</div>",
        "</body>",
        "</html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _e(text: Any) -> str:
    return escape(str(text), quote=True)


def _kind_class(kind: str) -> str:
    if kind in KNOWN_KINDS:
        return f"k k-{kind}"
    # An unknown kind gets the generic style, plus a class of its own (made safe) for later CSS.
    return f"k k-generic k-x-{re.sub(r'[^A-Za-z0-9_-]', '_', kind)[:40]}"


def _ref(m: Mark, with_id: bool = False) -> str:
    anchor = f' id="ref-{m.number}"' if with_id else ""
    return (
        f'<a class="ref {_kind_class(m.kind)}" href="#f-{m.number}"{anchor} '
        f'aria-label="finding {m.number}: {_e(m.kind)}">{_e(m.tag)}</a>'
    )


def _verdict(lay: Layout) -> str:
    cls = lay.label if lay.label in LABELS else "unknown"
    score = "" if lay.score is None else f"score {lay.score:.2f} · "
    n = len(lay.marks)
    out = [
        f'<header class="verdict verdict-{cls}">',
        "<h1>unspun verdict</h1>",
        f'<p class="label">{_e(lay.label)}</p>',
        f'<p class="score">{score}{n} finding{"" if n == 1 else "s"}</p>',
    ]
    if lay.reasons:
        out.append('<ul class="reasons">')
        for code, message, refs in lay.reasons:
            links = "".join(_ref(m) for m in refs)
            out.append(f'<li data-code="{_e(code)}">{_e(message)}{" " + links if links else ""}</li>')
        out.append("</ul>")
    else:
        out.append('<p class="reasons">Nothing wrong was found.</p>')
    out.append("</header>")
    return "\n".join(out)


def _source(lay: Layout) -> str:
    fmt = lay.source.get("format")
    src = f'<p class="source">Source: <strong>{_e(lay.source.get("name") or "(unnamed)")}</strong>'
    src += f" ({_e(fmt)})" if fmt else ""
    share = "" if lay.english_share is None else f" (English word share {lay.english_share:.2f})"
    if lay.english is False:
        return (
            src + "</p>\n"
            f'<p class="warning" role="note">The text is not English{_e(share)}: '
            "only part of the analysis applies.</p>"
        )
    return src + (" · English" if lay.english else " · language unknown") + "</p>"


def _metadata(lay: Layout) -> str:
    if not lay.metadata:
        return '<p class="source">No title, author or date found.</p>'
    rows = "".join(f"<dt>{_e(k.capitalize())}</dt><dd>{_e(v)}</dd>" for k, v in lay.metadata)
    return f'<dl class="meta">{rows}</dl>'


def _threads(lay: Layout) -> str:
    count, switches = lay.threads
    if count < 2:
        return ""
    return f'<p class="source">Story threads: {count}, switching {switches} time{"" if switches == 1 else "s"}.</p>'


def _title(m: Mark) -> str:
    return _e(m.note())


def _paragraph(lay: Layout, block: Block, seen: set[int]) -> str:
    """A paragraph with its findings as nested <mark> elements. Findings may overlap without
    nesting; then the inner ones are closed and reopened so the HTML stays well formed.
    ``seen`` holds the findings whose first marker is already out (it carries the anchor the
    findings list links back to)."""
    out: list[str] = []
    stack: list[Mark] = []

    def close_to(depth: int) -> None:
        while len(stack) > depth:
            stack.pop()
            out.append("</mark>")

    for piece in pieces(block):
        if piece.end > piece.start:
            want = list(piece.active)
            keep = 0
            while keep < len(stack) and keep < len(want) and stack[keep] is want[keep]:
                keep += 1
            close_to(keep)
            for m in want[keep:]:
                out.append(f'<mark class="{_kind_class(m.kind)}" title="{_title(m)}" data-finding="{m.number}">')
                stack.append(m)
            out.append(_e(lay.text[piece.start : piece.end]))
        if piece.ending:
            # Close the findings that end here (and any opened inside them) before their markers,
            # so a marker is not struck through or highlighted with its text.
            ending = set(id(m) for m in piece.ending)
            first = next((i for i, m in enumerate(stack) if id(m) in ending), len(stack))
            close_to(first)
            for m in piece.ending:
                out.append(_ref(m, with_id=m.number not in seen))
                seen.add(m.number)
    close_to(0)
    flagged = " flagged" if block.marks else ""
    para = f'<p id="p-{block.index}" class="para{flagged}">{"".join(out)}</p>'
    if not block.notes:
        return para
    # The reasons also sit under their paragraph: a title attribute cannot be read by touch or
    # keyboard, and the numbered list may be a long way down.
    notes = "".join(
        f'<li><a href="#f-{m.number}">{_e(m.tag)}</a> {_e(m.note()[len(m.tag) + 1 :])}</li>' for m in block.notes
    )
    return f'{para}\n<ul class="notes" aria-label="Findings in this paragraph">{notes}</ul>'



def _article(lay: Layout) -> str:
    out = ['<section class="article" aria-labelledby="h-article">', '<h2 id="h-article">Article</h2>']
    kinds = sorted({m.kind for m in lay.marks})
    if kinds:
        items = "".join(
            f'<li><mark class="{_kind_class(k)}">{_e(k)}</mark> {_e(_KIND_DESCRIPTIONS.get(k, ""))}</li>'
            for k in kinds
        )
        out.append(f'<ul class="legend" aria-label="How findings are marked">{items}</ul>')
    if not lay.blocks:
        out.append('<p class="source">The text is empty.</p>')
    seen: set[int] = set()
    out.extend(_paragraph(lay, b, seen) for b in lay.blocks)
    out.append("</section>")
    return "\n".join(out)


def _findings(lay: Layout) -> str:
    out = ['<section aria-labelledby="h-findings">', '<h2 id="h-findings">Findings</h2>']
    if not lay.marks:
        out.append("<p>No findings.</p>")
    else:
        orphans = {m.number for m in lay.orphans}
        out.append('<ol class="findings">')
        for m in lay.marks:
            score = f" {m.score_text()}" if m.score is not None else ""
            reason = f" — {_e(m.reason)}" if m.reason else ""
            back = ""
            if m.number not in orphans:
                label = f"back to finding {m.number} in the text"
                back = f'\u00a0<a href="#ref-{m.number}" aria-label="{label}">↩</a>'
            spans = lay.spans_of(m)
            where = f" (over {spans} paragraphs)" if spans > 1 else ""
            if not m.placed:
                where += " (its offsets do not fit the text)"
            elif m.whole:
                where += " (about the body, not marked in it)"
            elif m.number in orphans:
                where += " (outside the paragraphs)"
            text = excerpt(lay.text, m, 160)
            out.append(
                f'<li id="f-{m.number}" data-finding-id="{_e(m.id)}">'
                f'<span class="kind {_kind_class(m.kind)}">{_e(m.kind)}</span>{score}{reason}{_e(where)}{back}'
                + (f'<span class="excerpt">{_e(text)}</span>' if text else "")
                + (f'<span class="step">{_e(m.step)}</span>' if m.step else "")
                + "</li>"
            )
        out.append("</ol>")
    out.append("</section>")
    return "\n".join(out)


def _clean(lay: Layout) -> str:
    if lay.clean_text is None:
        return ""
    body = _e(lay.clean_text) if lay.clean_text.strip() else "(nothing is left)"
    return "\n".join(
        [
            '<section aria-labelledby="h-clean">',
            '<h2 id="h-clean">Clean text</h2>',
            "<details>",
            "<summary>Show the text without page furniture and injected text</summary>",
            f'<div class="clean">{body}</div>',
            "</details>",
            "</section>",
        ]
    )


def _footer(lay: Layout) -> str:
    bits = [f"unspun {lay.version}" if lay.version else "unspun"]
    if lay.schema:
        bits.append(f"schema {lay.schema}")
    if lay.source.get("sha256"):
        bits.append(f"text sha256 {lay.source['sha256']}")
    return f"<footer>{_e(' · '.join(bits))}</footer>"
