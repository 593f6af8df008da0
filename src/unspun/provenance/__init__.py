"""Provenance: a reference index of real articles, and each sentence of an article traced to
the reference sentence it was copied or spun from, with the word-level changes."""

from unspun.provenance.align import Alignment, align
from unspun.provenance.index import SourceIndex, summarise

__all__ = ["SourceIndex", "align", "Alignment", "summarise"]
