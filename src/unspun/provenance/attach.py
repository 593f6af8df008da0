"""Tracing a report's body sentences and writing the results into the report."""

from __future__ import annotations

import os

from unspun.doc import Document
from unspun.provenance.index import SourceIndex, summarise
from unspun.report import REMOVED_KINDS, Report


class Excluding:
    """An index seen without some of its documents: an article's own page, say, when the
    article is checked against an index that holds it."""

    def __init__(self, index: SourceIndex, ids) -> None:
        self.index = index
        self.ids = set(ids)
        self.path = index.path

    def trace(self, article, *, only=None, exclude=()):
        return self.index.trace(article, only=only, exclude=self.ids | set(exclude))


def attach(report: Report, doc: Document, sources) -> None:
    """Give each body sentence (one no finding removes as furniture or injected text) its
    source, and the report its provenance summary."""
    index, close = _as_index(sources)
    try:
        removed = set(REMOVED_KINDS)
        body = [u.index for u in report.sentences if not removed.intersection(u.flags)]
        traced = index.trace(doc, only=body)
        for u in report.sentences:
            u.source = traced[u.index]
        report.provenance = summarise(traced, _name(index), body)
    finally:
        if close:
            index.close()


def _name(index) -> str:
    path = getattr(index, "path", ":memory:")
    return "<records>" if path == ":memory:" else os.path.basename(str(path))


def _as_index(sources):
    """A SourceIndex (or something with its trace), a path to one, or records to index now."""
    if hasattr(sources, "trace"):
        return sources, False
    if isinstance(sources, (str, os.PathLike)):
        return SourceIndex(sources, read_only=True), True
    index = SourceIndex(":memory:")
    try:
        index.add(sources)
    except BaseException:
        index.close()
        raise
    return index, True
