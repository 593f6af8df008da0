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


def _provenance(report: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The report's provenance summary when it has the shape this view knows, else None (a
    report from another version is drawn without it rather than failing)."""
    prov = report.get("provenance")
    if not isinstance(prov, Mapping) or not isinstance(prov.get("documents"), list):
        return None
    if not all(isinstance(d, Mapping) and "id" in d for d in prov["documents"]):
        return None
    return prov


def _summary_line(prov: Mapping[str, Any]) -> str:
    n = len(prov["documents"])
    return (f"copies from {n} document{'' if n == 1 else 's'}: {prov.get('traced_sentences', '?')} of "
            f"{prov.get('body_sentences', '?')} body sentences traced to the index {prov.get('index', '?')}")


def _known(src) -> bool:
    return (isinstance(src, Mapping) and src.get("status") in ("copied", "spun")
            and isinstance(src.get("document"), Mapping) and isinstance(src.get("edits"), list)
            and isinstance(src.get("similarity"), (int, float)))


def _traced(report: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    return [(s.get("index"), s["source"]) for s in report.get("sentences", [])
            if isinstance(s, Mapping) and _known(s.get("source"))]


# ------------------------------------------------------------------------------------------
# Terminal


def terminal(report: Mapping[str, Any]):
    """A Rich renderable, or None when the report was not traced."""
    prov = _provenance(report)
    if prov is None:
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
            line.append(f"\nsentences {', '.join(str(i) for i in d.get('sentences', []))}: "
                        f"{d.get('copied', 0)} copied, {d.get('spun', 0)} spun", style="dim")
            docs.add_row(Text(f"[S{n}]", style="bold cyan"), line)
        parts.append(docs)
    doc_no = {d["id"]: n for n, d in enumerate(prov["documents"], 1)}
    for i, src in _traced(report):
        head = Text()
        head.append(f"sentence {i}", style="bold")
        head.append(f"  {src['status']}", style="green" if src["status"] == "copied" else "yellow")
        head.append(f"  similarity {src['similarity']:.2f}  from [S{doc_no.get(src['document'].get('id'), '?')}]", style="dim")
        if src["status"] == "copied":
            parts.append(head)
            continue
        parts.append(Group(head, _diff_text(src["edits"])))
        for num in src.get("numbers") or []:
            if isinstance(num, Mapping):
                parts.append(Text(f"  figure changed: {num.get('from')} → {num.get('to')}", style="bold red"))
    return Group(*parts)


def _diff_text(edits) -> Text:
    out = Text("  ", overflow="fold")
    for e in edits:
        if not isinstance(e, Mapping):
            continue
        op = e.get("op")
        if op == "keep":
            out.append(str(e.get("to") or ""))
        elif op == "del":
            out.append(f"[-{e.get('from')}-]", style="red strike")
        elif op == "ins":
            out.append(f"{{+{e.get('to')}+}}", style="green underline")
        else:
            out.append(f"[-{e.get('from')}-]", style="red strike")
            out.append(f"{{+{e.get('to')}+}}", style="green underline")
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
    prov = _provenance(report)
    if prov is None:
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
                f"{e(', '.join(str(i) for i in d.get('sentences', [])))}: {e(d.get('copied', 0))} copied, "
                f"{e(d.get('spun', 0))} spun</span></li>"
            )
        out.append("</ol>")
    out.append('<ul class="traced">')
    for i, src in _traced(report):
        head = (f"<strong>sentence {i}</strong> {e(src['status'])} "
                f'<span class="dim">similarity {src["similarity"]:.2f}, from {e(src["document"].get("id"))}</span>')
        body = ""
        if src["status"] != "copied":
            body = "<br>" + _diff_html(src["edits"], e)
            for num in [n for n in src.get("numbers") or [] if isinstance(n, Mapping)]:
                body += (f'<br><span class="changed-figure">figure changed: {e(num.get("from"))} → '
                         f"{e(num.get('to'))}</span>")
        out.append(f"<li>{head}{body}</li>")
    out.append("</ul>")
    out.append("</section>")
    return "\n".join(out)


def _diff_html(edits, e) -> str:
    words = []
    for ed in edits:
        if not isinstance(ed, Mapping):
            continue
        op = ed.get("op")
        if op == "keep":
            words.append(e(ed.get("to") or ""))
        elif op == "del":
            words.append(f"<del>{e(ed.get('from'))}</del>")
        elif op == "ins":
            words.append(f"<ins>{e(ed.get('to'))}</ins>")
        else:
            words.append(f"<del>{e(ed.get('from'))}</del> <ins>{e(ed.get('to'))}</ins>")
    return " ".join(words)
