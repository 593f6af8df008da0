"""The step interface: one method to fill, ``detect``."""

from __future__ import annotations

from abc import ABC, abstractmethod
from bisect import bisect_right
from collections.abc import Iterable
from typing import Any, ClassVar

from unspun.doc import Document
from unspun.spans import REMOVED_KINDS, Finding, Findings


class Step(ABC):
    """A named, versioned analysis.

    ``name`` carries the algorithm's version (``unspun.boilerplate.v1``): a report names the
    steps that made it. ``produces`` is the finding kind the step writes (with any
    ``also_produces``) and ``requires`` the kinds it reads, so that a pipeline can check its order before it runs.
    Constructors store their keyword arguments as given; :meth:`config` returns them.
    """

    name: ClassVar[str]
    produces: ClassVar[str]
    # Further kinds a step writes beside its main one (the figure step's repeats and conflicts).
    also_produces: ClassVar[tuple[str, ...]] = ()
    requires: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def kinds(cls) -> tuple[str, ...]:
        return (cls.produces, *cls.also_produces)

    def __init__(self, **params: Any) -> None:
        self._params = dict(params)

    def config(self) -> dict[str, Any]:
        return dict(self._params)

    @abstractmethod
    def detect(self, doc: Document, found: Findings) -> Iterable[Finding]:
        """The findings of this step's kind in ``doc``, given those of the steps before it."""

    def finding(self, start: int, end: int, score: float, reason: str, **details: Any) -> Finding:
        return Finding(self.produces, start, end, score, reason, self.name, details)



def body_sentences(doc: Document, found: Findings) -> list:
    """The sentences that lie in no metadata, furniture or injected finding."""
    spans = sorted((f.start, f.end) for f in found.of(*REMOVED_KINDS))
    if not spans:
        return list(doc.sentences)
    starts = [a for a, _ in spans]
    ends: list[int] = []
    for _, b in spans:  # the furthest end so far, so that nested spans do not hide outer ones
        ends.append(max(b, ends[-1]) if ends else b)
    body = []
    for s in doc.sentences:
        i = bisect_right(starts, s.start) - 1
        if i >= 0 and ends[i] > s.start:
            continue
        body.append(s)
    return body
