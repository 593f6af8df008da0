"""unspun: find what is wrong with scraped web news.

>>> import unspun
>>> report = unspun.check(text_or_html)
>>> report.verdict.label, report.clean_text
"""

from __future__ import annotations

from unspun.errors import InputError, UnspunError
from unspun.pipeline import Pipeline
from unspun.provenance import SourceIndex
from unspun.report import SCHEMA, Report
from unspun.run import scan

__version__ = "0.1.0"
__all__ = ["check", "scan", "Pipeline", "SourceIndex", "Report", "InputError", "UnspunError", "SCHEMA", "__version__"]

_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    """The pipeline ``check`` uses when none is given, built on first use and then reused,
    because loading the word statistics costs about half a second."""
    global _default
    if _default is None:
        _default = Pipeline()
    return _default


def check(text_or_html: str, *, pipeline: Pipeline | None = None, name: str = "<text>", sources=None) -> Report:
    """Analyse one article, given as plain text or as an HTML page, and return its report.
    With ``sources`` (a :class:`SourceIndex` or its path), each body sentence is traced to
    the reference sentence it was copied or spun from."""
    return (pipeline or default_pipeline()).check(text_or_html, name=name, sources=sources)
