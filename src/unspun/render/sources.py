"""The sources part of a report view: "copies from N documents", each document with its
sentences, and each traced sentence's changes inline, like a diff (deleted words struck out,
inserted words underlined, changed figures called out).

Pure functions of the report dict; nothing here when the report has no ``provenance``.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from rich.console import Group
from rich.rule import Rule
from rich.table import Table
from rich.text import Text


def _summary_line(prov: Mapping[str, Any]) -> str:
    n = len(prov["documents"])
    return (f"copies from {n} document{'' if n == 1 else 's'}: {prov['traced_sentences']} of "
            f"{prov['body_sentences']} body sentences traced to the index {prov['index']}")


def _traced(report: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    return [(s["index"], s["source"]) for s in report.get("sentences", []) if s.get("source")]


# ------------------------------------------------------------------------------------------
# Terminal


def terminal(report: Mapping[str, Any]):
    """A Rich renderable, or None when the report was not traced."""
    prov = report.get("provenance")
    if not prov:
        return None
    parts: list[Any] = [Rule(Text("Sources", style="bold"), align="left", style="dim"),
                        Text(_summary_line(prov), style="bold")]
    if prov["documents"]:
        docs = Table.grid(padding=(0, 1, 0, 0))
        docs.add_column(no_wrap=True)
        docs.add_column(overflow="fold")
        for n, d in enumerate(prov["documents"], 1):
            line = Text()
            line.append(d.get("title") or d["id"], style="bold")
            if d.get("outlet"):
                line.append(f" — {d['outlet']}")
            line.append(f"  [{d['id']}]", style="dim")
            if d.get("url"):
                line.append(f"\n{d['url']}", style="dim")
            line.append(f"\nsentences {', '.join(str(i) for i in d['sentences'])}: "
                        f"{d['copied']} copied, {d['spun']} spun", style="dim")
            docs.add_row(Text(f"[S{n}]", style="bold cyan"), line)
        parts.append(docs)
    doc_no = {d["id"]: n for n, d in enumerate(prov["documents"], 1)}
    for i, src in _traced(report):
        head = Text()
        head.append(f"sentence {i}", style="bold")
        head.append(f"  {src['status']}", style="green" if src["status"] == "copied" else "yellow")
        head.append(f"  similarity {src['similarity']:.2f}  from [S{doc_no.get(src['document']['id'], '?')}]", style="dim")
        if src["status"] == "copied":
            parts.append(head)
            continue
        parts.append(Group(head, _diff_text(src["edits"])))
        for num in src.get("numbers") or []:
            parts.append(Text(f"  figure changed: {num['from']} → {num['to']}", style="bold red"))
    return Group(*parts)


def _diff_text(edits) -> Text:
    out = Text("  ", overflow="fold")
    for e in edits:
        op = e["op"]
        if op == "keep":
            out.append(e["to"] or "")
        elif op == "del":
            out.append(f"[-{e['from']}-]", style="red strike")
        elif op == "ins":
            out.append(f"{{+{e['to']}+}}", style="green underline")
        else:
            out.append(f"[-{e['from']}-]", style="red strike")
            out.append(f"{{+{e['to']}+}}", style="green underline")
        out.append(" ")
    return out


# ------------------------------------------------------------------------------------------
# HTML

CSS = """
.sources ol.docs { padding-left: 1.5rem; }
.sources ol.docs li { margin: 0 0 .5rem; overflow-wrap: anywhere; }
.sources .dim { color: var(--muted); font-size: .9rem; }
.sources ul.traced { list-style: none; padding: 0; }
.sources ul.traced li { margin: 0 0 .75rem; padding-left: .6rem; border-left: 3px solid var(--line);
  overflow-wrap: anywhere; }
.sources del { color: var(--injected); text-decoration: line-through; }
.sources ins { color: var(--clean); text-decoration: underline; }
.sources .changed-figure { font-weight: 700; color: var(--polluted); }
""".strip()


def html(report: Mapping[str, Any]) -> str:
    """An HTML section, or "" when the report was not traced. All text is escaped."""
    prov = report.get("provenance")
    if not prov:
        return ""
    e = lambda x: escape(str(x), quote=True)  # noqa: E731
    out = ['<section class="sources" aria-labelledby="h-sources">', '<h2 id="h-sources">Sources</h2>',
           f"<p><strong>{e(_summary_line(prov))}</strong></p>"]
    if prov["documents"]:
        out.append('<ol class="docs">')
        for d in prov["documents"]:
            title = e(d.get("title") or d["id"])
            if d.get("url", "") and str(d["url"]).startswith(("http://", "https://")):
                title = f'<a href="{e(d["url"])}" rel="noopener noreferrer">{title}</a>'
            outlet = f" — {e(d['outlet'])}" if d.get("outlet") else ""
            out.append(
                f'<li id="src-{e(d["id"])}">{title}{outlet} <span class="dim">[{e(d["id"])}] sentences '
                f"{e(', '.join(str(i) for i in d['sentences']))}: {d['copied']} copied, {d['spun']} spun</span></li>"
            )
        out.append("</ol>")
    out.append('<ul class="traced">')
    for i, src in _traced(report):
        head = (f"<strong>sentence {i}</strong> {e(src['status'])} "
                f'<span class="dim">similarity {src["similarity"]:.2f}, from {e(src["document"]["id"])}</span>')
        body = ""
        if src["status"] != "copied":
            body = "<br>" + _diff_html(src["edits"], e)
            for num in src.get("numbers") or []:
                body += (f'<br><span class="changed-figure">figure changed: {e(num["from"])} → '
                         f"{e(num['to'])}</span>")
        out.append(f"<li>{head}{body}</li>")
    out.append("</ul>")
    out.append("</section>")
    return "\n".join(out)


def _diff_html(edits, e) -> str:
    words = []
    for ed in edits:
        op = ed["op"]
        if op == "keep":
            words.append(e(ed["to"] or ""))
        elif op == "del":
            words.append(f"<del>{e(ed['from'])}</del>")
        elif op == "ins":
            words.append(f"<ins>{e(ed['to'])}</ins>")
        else:
            words.append(f"<del>{e(ed['from'])}</del> <ins>{e(ed['to'])}</ins>")
    return " ".join(words)
