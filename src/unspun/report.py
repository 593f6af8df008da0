"""The report: everything found in one article, and its JSON form (schema ``unspun.report/1``)."""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from unspun.doc import Document
from unspun.spans import REMOVED_KINDS, Finding
from unspun.verdict import Verdict

SCHEMA = "unspun.report/1"

# Kinds that describe the whole body or a run of it rather than mark text: they set no flags.
ARTICLE_KINDS = ("thread", "stitch")


@dataclass(slots=True)
class MetadataField:
    value: str
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Unit:
    """A paragraph or sentence of the report, with the kinds of findings that cover it."""

    index: int
    start: int
    end: int
    flags: list[str]
    paragraph: int | None = None
    thread: int | None = None
    # Where the sentence came from, when the article was traced against a reference index.
    source: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {"index": self.index, "start": self.start, "end": self.end, "flags": self.flags}
        if self.paragraph is not None:
            d["paragraph"] = self.paragraph
            d["thread"] = self.thread
        return d


@dataclass(slots=True)
class Report:
    text: str
    source: dict[str, Any]
    language: dict[str, Any]
    metadata: dict[str, MetadataField | None]
    paragraphs: list[Unit]
    sentences: list[Unit]
    findings: list[Finding]
    verdict: Verdict
    clean_text: str
    steps: list[dict[str, Any]]
    version: str
    threads: dict[str, Any] = field(default_factory=lambda: {"count": 0, "switches": []})
    schema: str = field(default=SCHEMA)
    # The provenance summary; None when no reference index was given.
    provenance: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": self.schema,
            "unspun_version": self.version,
            "source": self.source,
            "text": self.text,
            "language": self.language,
            "metadata": {k: (v.to_dict() if v else None) for k, v in self.metadata.items()},
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "sentences": [
                dict(s.to_dict(), source=s.source) if self.provenance is not None else s.to_dict()
                for s in self.sentences
            ],
            "findings": [dict(f.to_dict(), id=i) for i, f in enumerate(self.findings)],
            "threads": self.threads,
            "verdict": self.verdict.to_dict(),
            "clean_text": self.clean_text,
            "steps": self.steps,
            "provenance": self.provenance,
        }

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def findings_of(self, *kinds: str) -> list[Finding]:
        return [f for f in self.findings if f.kind in kinds]

    def span_text(self, f: Finding | Unit) -> str:
        return self.text[f.start : f.end]


def _covering(units, findings: list[Finding]) -> list[list[str]]:
    """For each unit, the sorted kinds of findings that cover most of it (or lie inside it).

    The units are the document's paragraphs or sentences, in text order without overlap, so
    their ends rise: each finding starts its walk at the first unit that ends after it starts."""
    flags: list[set[str]] = [set() for _ in units]
    if not findings:
        return [[] for _ in units]
    ends = [u.end for u in units]
    n = len(units)
    for f in findings:
        for j in range(bisect_right(ends, f.start), n):
            u = units[j]
            if u.start >= f.end:
                break
            ov = min(u.end, f.end) - max(u.start, f.start)
            if ov * 2 >= (u.end - u.start) or (f.start >= u.start and f.end <= u.end):
                flags[j].add(f.kind)
    return [sorted(s) for s in flags]


def build(
    doc: Document,
    findings: list[Finding],
    verdict: Verdict,
    *,
    source: dict[str, Any],
    language: dict[str, Any],
    metadata: dict[str, MetadataField | None],
    steps: list[dict[str, Any]],
    version: str,
) -> Report:
    marking = [f for f in findings if f.kind not in ARTICLE_KINDS]
    para_flags = _covering(doc.paragraphs, marking)
    sent_flags = _covering(doc.sentences, marking)
    thread_of = _threads(doc, findings)
    paragraphs = [Unit(p.index, p.start, p.end, para_flags[p.index]) for p in doc.paragraphs]
    sentences = [
        Unit(s.index, s.start, s.end, sent_flags[s.index], s.paragraph, thread_of[s.index]) for s in doc.sentences
    ]
    in_thread = [u for u in sentences if u.thread is not None]
    switches = [b.index for a, b in zip(in_thread, in_thread[1:]) if a.thread != b.thread]
    source = dict(source, sha256=hashlib.sha256(doc.text.encode("utf-8", "surrogatepass")).hexdigest())
    return Report(
        text=doc.text,
        source=source,
        language=language,
        metadata=metadata,
        paragraphs=paragraphs,
        sentences=sentences,
        findings=findings,
        verdict=verdict,
        clean_text=clean_text(doc, sent_flags),
        steps=steps,
        version=version,
        threads={"count": len({u.thread for u in in_thread}), "switches": switches},
    )


def _threads(doc: Document, findings: list[Finding]) -> list[int | None]:
    """Each sentence's thread id, from the thread findings (runs of sentences), or None."""
    out: list[int | None] = [None] * len(doc.sentences)
    runs = sorted((f.start, f.end, f.details["thread"]) for f in findings if f.kind == "thread")
    if not runs:
        return out
    j = 0
    for s in doc.sentences:
        while j < len(runs) and runs[j][1] <= s.start:
            j += 1
        if j < len(runs) and runs[j][0] <= s.start < runs[j][1]:
            out[s.index] = runs[j][2]
    return out


def clean_text(doc: Document, sent_flags: list[list[str]]) -> str:
    """The body without removed sentences: a line whose sentences all stay is kept as it is;
    otherwise its kept sentences are joined by a space. Lines of a paragraph are joined by a
    newline, paragraphs by a blank line."""
    removed = set(REMOVED_KINDS)
    kept_by_line: dict[int, list] = {}
    dropped_lines: set[int] = set()
    for s, flags in zip(doc.sentences, sent_flags):
        if removed.intersection(flags):
            dropped_lines.add(s.line)
        else:
            kept_by_line.setdefault(s.line, []).append(s)
    paragraphs: list[list[str]] = []
    last_para = None
    for line_index, kept in kept_by_line.items():
        line = doc.lines[line_index]
        if line_index in dropped_lines:
            piece = " ".join(doc.text[s.start : s.end] for s in kept)
        else:
            piece = doc.text[line.start : line.end]
        if line.paragraph != last_para:
            paragraphs.append([piece])
            last_para = line.paragraph
        else:
            paragraphs[-1].append(piece)
    return "\n\n".join("\n".join(lines) for lines in paragraphs)
