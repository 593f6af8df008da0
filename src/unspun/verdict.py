"""The verdict: a label, a score in 0..1, and the reasons, each pointing to its findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from unspun.spans import Finding

CLEAN, SUSPICIOUS, POLLUTED, STITCHED = "clean", "suspicious", "polluted", "stitched"

# How much one finding of a kind weighs in the verdict score, and the words of its reason.
# Metadata (a title or byline at the head) is normal and weighs nothing.
_KINDS = {
    "injected": (0.9, ("passage", "passages", "on another topic dropped into the article")),
    "boilerplate": (0.6, ("line", "lines", "of page furniture left in the text")),
    # Two figures for one thing that disagree: a sign of text pasted from different sources.
    "conflict": (0.5, ("pair of figures", "pairs of figures", "for the same thing that disagree")),
}
# Kinds whose findings alone make an article suspicious, never polluted: they point to a
# problem for a person to check rather than text to remove.
_CHECK_ONLY = {"conflict"}
# A finding at least this sure makes the article polluted; weaker ones make it suspicious.
_SURE = 0.8


@dataclass(slots=True)
class Reason:
    code: str
    message: str
    findings: list[int] = field(default_factory=list)  # indices into the report's findings

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "findings": self.findings}


@dataclass(slots=True)
class Verdict:
    label: str
    score: float
    reasons: list[Reason]

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "score": round(self.score, 4), "reasons": [r.to_dict() for r in self.reasons]}


def decide(findings: list[Finding], english: bool = True) -> Verdict:
    """Combine the findings: each counted kind adds a reason; the score is a noisy-or."""
    reasons: list[Reason] = []
    keep = 1.0
    label = CLEAN
    for code, (weight, words) in _KINDS.items():
        ids = [i for i, f in enumerate(findings) if f.kind == code]
        if not ids:
            continue
        sure = max(findings[i].score for i in ids)
        for i in ids:
            keep *= 1.0 - weight * findings[i].score
        singular, plural, rest = words
        reasons.append(Reason(code, f"{len(ids)} {singular if len(ids) == 1 else plural} {rest}", ids))
        if sure >= _SURE and code not in _CHECK_ONLY:
            label = POLLUTED
        elif label == CLEAN:
            label = SUSPICIOUS
    stitch = [i for i, f in enumerate(findings) if f.kind == "stitch"]
    if stitch:
        # Stitching says the most about where the article came from: it names the verdict, and
        # the other kinds' reasons stay listed beside it.
        f = findings[stitch[0]]
        reasons.insert(0, Reason("stitch", f"the body is {f.reason}", stitch))
        # Real articles have a dangling reference now and then; they count as evidence only
        # inside the stitching model, and are listed here when it says stitched.
        dangling = [i for i, g in enumerate(findings) if g.kind == "dangling_reference"]
        if dangling:
            n = len(dangling)
            words = "reference" if n == 1 else "references"
            reasons.insert(1, Reason("dangling_reference", f"{n} {words} to something the article never introduced", dangling))
        keep *= 1.0 - f.score
        label = STITCHED
    if not english:
        reasons.append(Reason("not_english", "the text is not English: only part of the analysis applies"))
        if label == CLEAN:
            label = SUSPICIOUS
    return Verdict(label, 1.0 - keep, reasons)


# With a reference index: a body that takes this many sentences or more from each of two
# documents or more was put together from them. On the farm benchmark's 200-article slice,
# traced against all of AllSides and BBC less each article's own page, this finds 0.93 of the
# stitched articles and none of the 140 single-source ones (with 2 sentences: 0.98, and 2% of
# single-source articles, whose wire copy stands under several outlets).
SOURCE_SENTENCES = 3


def stitch_from_sources(provenance: dict[str, Any] | None, spans: list[tuple[int, int]]) -> Finding | None:
    """A ``stitch`` finding when the traced sources say the body was assembled from several
    documents: ``SOURCE_SENTENCES`` or more sentences from each of two or more. ``spans``
    holds each report sentence's (start, end); the finding runs over the traced sentences."""
    if not provenance:
        return None
    docs = [d for d in provenance.get("documents") or [] if len(d.get("sentences") or []) >= SOURCE_SENTENCES]
    if len(docs) < 2:
        return None
    names = ", ".join(_doc_name(d) for d in docs[:5]) + (", ..." if len(docs) > 5 else "")
    n = sum(len(d["sentences"]) for d in docs)
    used = [i for d in docs for i in d["sentences"]]
    reason = (
        f"{n} body sentences copied from {len(docs)} different documents, "
        f"{SOURCE_SENTENCES} or more from each: {names}"
    )
    details = {"documents": [d["id"] for d in docs], "sentences": sorted(used)}
    return Finding("stitch", spans[min(used)][0], spans[max(used)][1], 0.9, reason, "unspun.provenance.v1", details)


def with_stitch(verdict: Verdict, finding_id: int, finding: Finding) -> Verdict:
    """The verdict made ``stitched`` by a finding added after it was decided (from the sources),
    its reason first and the others kept."""
    reason = Reason("stitch", f"the body has {finding.reason}", [finding_id])
    return Verdict(STITCHED, max(verdict.score, finding.score), [reason, *verdict.reasons])


def _doc_name(d: dict[str, Any]) -> str:
    title, outlet = d.get("title"), d.get("outlet")
    name = f"\"{title}\"" if title else str(d.get("id"))
    return f"{name} ({outlet})" if outlet else name
