"""Standoff spans: every finding points into the document's text, which is never edited."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Finding kinds whose text is not part of the article's body: the steps that read the body
# skip it, and the clean text leaves it out.
REMOVED_KINDS = ("metadata", "boilerplate", "injected")


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` into a document's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"span [{self.start}, {self.end}) is not a valid range")

    def __len__(self) -> int:
        return self.end - self.start

    def overlap(self, start: int, end: int) -> int:
        return max(0, min(self.end, end) - max(self.start, start))


@dataclass(slots=True)
class Finding:
    """One thing a step found: a kind, a span, a score in 0..1 and a reason a person can read.

    ``step`` names the algorithm that produced it with its version
    (``unspun.boilerplate.v1``), so that reports from different versions can be told apart.
    ``details`` holds what is particular to the kind (the metadata field, the cohesion
    measured, the speaker of a quote...).
    """

    kind: str
    start: int
    end: int
    score: float
    reason: str
    step: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "score": round(float(self.score), 4),
            "reason": self.reason,
            "step": self.step,
            "details": self.details,
        }


class Findings:
    """The findings of one document, grouped by kind, refusing spans that fall outside it."""

    def __init__(self, text_length: int) -> None:
        self._length = text_length
        self._by_kind: dict[str, list[Finding]] = {}

    def add(self, finding: Finding) -> None:
        if not 0 <= finding.start < finding.end <= self._length:
            raise ValueError(
                f"{finding.step}: {finding.kind} span [{finding.start}, {finding.end}) "
                f"is outside the document (length {self._length})"
            )
        self._by_kind.setdefault(finding.kind, []).append(finding)

    def extend(self, findings) -> None:
        for finding in findings:
            self.add(finding)

    def of(self, *kinds: str) -> list[Finding]:
        out: list[Finding] = []
        for kind in kinds:
            out.extend(self._by_kind.get(kind, ()))
        return out

    def all(self) -> list[Finding]:
        """Every finding, ordered by position, then kind."""
        out = [f for group in self._by_kind.values() for f in group]
        out.sort(key=lambda f: (f.start, f.end, f.kind))
        return out

    def kinds(self) -> list[str]:
        return [k for k, v in self._by_kind.items() if v]
