"""The terminal view of a report: verdict, source, metadata, then the article with each
finding marked on its own text and explained under its paragraph.

A pure function of the report dict (schema ``unspun.report/1``), drawn on a Rich console.
Article text is always passed to Rich as ``Text``, never as markup, because it is untrusted
web content and ``[bold]`` in it must stay text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Text

from unspun.render._layout import Block, Layout, Mark, excerpt, layout, pieces
from unspun.render.sources import terminal as render_sources

__all__ = ["render", "LABEL_STYLES", "KIND_STYLES", "DEFAULT_KIND_STYLE"]

LABEL_STYLES = {
    "clean": "bold green",
    "suspicious": "bold yellow",
    "polluted": "bold red",
    "stitched": "bold magenta",
}
_DEFAULT_LABEL_STYLE = "bold"

# (style of the marked text, style of its [n] marker and kind name). Kinds will grow; any kind
# not named here gets DEFAULT_KIND_STYLE, so a new step shows up without a change here.
KIND_STYLES = {
    "metadata": ("dim", "dim"),
    "boilerplate": ("grey50 strike", "grey50"),
    "injected": ("red strike", "bold red"),
    "dangling_reference": ("yellow underline", "bold yellow"),
    "quote": ("cyan italic", "bold cyan"),
    "figure": ("blue bold", "bold blue"),
    "conflict": ("magenta underline", "bold magenta"),
}
DEFAULT_KIND_STYLE = ("dark_orange underline", "bold dark_orange")
# Kinds that describe the text rather than fault it (a quotation, a figure) are coloured in
# place but get no [n] marker inside the sentence, which would break up the very words a
# reader checks; their notes below the paragraph quote them instead.
UNMARKED_KINDS = frozenset({"quote", "figure", "repeat"})


def _styles(kind: str) -> tuple[Style, Style]:
    text, tag = KIND_STYLES.get(kind, DEFAULT_KIND_STYLE)
    return Style.parse(text), Style.parse(tag)


def render(report_dict: Mapping[str, Any], console: Console) -> None:
    """Print a report (``Report.to_dict()``) on ``console``."""
    lay = layout(report_dict)
    console.print(_verdict(lay))
    console.print(_source(lay))
    console.print(_metadata(lay))
    if lay.threads[0] > 1:
        count, switches = lay.threads
        console.print(Text(f"story threads: {count}, switching {switches} time{'' if switches == 1 else 's'}", style="dim"))
    console.print()
    console.print(Rule(Text("Article", style="bold"), align="left", style="dim"))
    if not lay.blocks:
        console.print(Text("(the text is empty)", style="dim italic"))
    for block in lay.blocks:
        console.print()
        console.print(_paragraph(lay, block))
        if block.notes:
            console.print(Padding(_notes(lay, block.notes), (0, 0, 0, 2)))
    sources = render_sources(report_dict)
    if sources is not None:
        console.print()
        console.print(sources)
    if lay.orphans:
        console.print()
        console.print(Rule(Text("Findings not marked in the text", style="bold"), align="left", style="dim"))
        console.print(_notes(lay, lay.orphans, with_text=True))


def _verdict(lay: Layout) -> Panel:
    head = Text()
    head.append(lay.label.upper(), style=LABEL_STYLES.get(lay.label, _DEFAULT_LABEL_STYLE))
    if lay.score is not None:
        head.append(f"   score {lay.score:.2f}")
    n = len(lay.marks)
    head.append(f"   {n} finding{'' if n == 1 else 's'}", style="dim")
    parts: list[Any] = [head]
    if lay.reasons:
        bullets = Table.grid(padding=(0, 1, 0, 0))
        bullets.add_column(no_wrap=True)
        bullets.add_column(overflow="fold")
        for _code, message, refs in lay.reasons:
            line = Text(message)
            for m in refs:
                line.append(" ")
                line.append(m.tag, style=_styles(m.kind)[1])
            bullets.add_row("•", line)
        parts.append(bullets)
    else:
        parts.append(Text("nothing wrong was found", style="dim"))
    return Panel(Group(*parts), title="unspun verdict", title_align="left",
                 border_style=LABEL_STYLES.get(lay.label, "dim").replace("bold ", ""))


def _source(lay: Layout) -> Text:
    line = Text()
    line.append("Source: ", style="bold")
    line.append(lay.source.get("name") or "(unnamed)")
    if lay.source.get("format"):
        line.append(f" ({lay.source['format']})", style="dim")
    line.append(" · ")
    share = "" if lay.english_share is None else f" (English word share {lay.english_share:.2f})"
    if lay.english is False:
        line.append(
            f"The text is not English{share}: only part of the analysis applies.", style="bold yellow"
        )
    elif lay.english is True:
        line.append("Language: English")
    else:
        line.append("Language: unknown")
    return line


def _metadata(lay: Layout) -> Text | Table:
    if not lay.metadata:
        return Text("No title, author or date found.", style="dim")
    table = Table.grid(padding=(0, 1, 0, 0))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for name, value in lay.metadata:
        table.add_row(f"{name.capitalize()}:", Text(value))
    return table


def _paragraph(lay: Layout, block: Block) -> Text:
    out = Text(overflow="fold")
    for piece in pieces(block):
        if piece.end > piece.start:
            style = Style()
            for m in piece.active:  # outermost first, so an inner finding's colour wins
                style += _styles(m.kind)[0]
            out.append(lay.text[piece.start : piece.end], style=style or None)
        for m in piece.ending:
            if m.kind not in UNMARKED_KINDS:
                out.append(m.tag, style=_styles(m.kind)[1])
    return out


def _notes(lay: Layout, marks: list[Mark], with_text: bool = False) -> Table:
    table = Table.grid(padding=(0, 1, 0, 0))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for m in marks:
        tag_style = _styles(m.kind)[1]
        body = Text()
        body.append(m.kind, style=tag_style)
        if m.score is not None:
            body.append(f" {m.score_text()}")
        if m.reason:
            body.append(f" — {m.reason}")
        spans = lay.spans_of(m)
        if spans > 1:
            body.append(f" (over {spans} paragraphs)", style="dim")
        if not m.placed:
            body.append(" (its offsets do not fit the text)", style="dim")
        elif (with_text or m.kind in UNMARKED_KINDS) and m.end > m.start:
            body.append(f" «{excerpt(lay.text, m)}»", style="dim")
        table.add_row(Text(m.tag, style=tag_style), body)
    return table
