"""The boilerplate step: quality on held-out real pages, the content-farm specimen, and spans.

The labelled lines are built at run time from ../shared/data by ``bench.furniture`` (cached
under .cache/); nothing of the article text is kept in the repository.
"""

from __future__ import annotations

import math
import re

import pytest

from bench.boilerplate_eval import breakdown, score_documents
from bench.corpora import specimen
from bench.furniture import labelled_documents
from unspun.doc import parse
from unspun.spans import Finding, Findings
from unspun.steps.boilerplate import BoilerplateStep

# Measured on the held-out split when the model was trained (docs/boilerplate.md): precision
# 0.973 / 0.975 / 0.973 and recall 0.904 / 0.755 / 0.975 (all / extraction benchmark /
# AllSides). Each recall floor sits just below its measure, so that a change that loses recall
# fails here. Do not lower them to make a change pass.
PRECISION_FLOOR = 0.95
RECALL_FLOORS = {
    "all": 0.89,
    "extraction benchmark": 0.74,
    "allsides": 0.96,
}
# Each distinct line text once (measured 0.927): most of these false positives are one-off
# furniture the recurrence rule labels body (docs/boilerplate.md), so this floor guards
# against a regression rather than stating the true precision.
DISTINCT_PRECISION_FLOOR = 0.91


@pytest.fixture(scope="module")
def step() -> BoilerplateStep:
    return BoilerplateStep()


@pytest.fixture(scope="module")
def heldout(step: BoilerplateStep):
    docs = labelled_documents("heldout")
    rows = score_documents(step, docs)
    known = {line for d in labelled_documents("dev") for line in d.lines}
    return breakdown(rows, known)


@pytest.fixture(scope="module")
def specimen_doc():
    return parse(specimen(), name="content-farm-article.txt")


def _flagged_lines(step: BoilerplateStep, doc, found: Findings | None = None) -> dict[str, Finding]:
    found = found if found is not None else Findings(len(doc.text))
    return {doc.text[f.start : f.end]: f for f in step.detect(doc, found)}


@pytest.mark.parametrize("source", sorted(RECALL_FLOORS))
def test_heldout_precision(heldout, source: str) -> None:
    m = heldout[source]["lines"]
    assert m.precision >= PRECISION_FLOOR, f"{source}: precision {m.precision:.3f} on {m.flagged} flagged lines"


@pytest.mark.parametrize("source", sorted(RECALL_FLOORS))
def test_heldout_recall(heldout, source: str) -> None:
    m = heldout[source]["lines"]
    assert m.recall >= RECALL_FLOORS[source], f"{source}: recall {m.recall:.3f} of {m.furniture} furniture lines"


def test_heldout_precision_on_distinct_lines(heldout) -> None:
    # Each distinct line once: recurring lines ("Advertisement") do not carry the precision.
    m = heldout["all"]["distinct"]
    assert m.precision >= DISTINCT_PRECISION_FLOOR, f"precision {m.precision:.3f} on {m.flagged} distinct lines"


@pytest.mark.parametrize("line", ["Other reports by", "Discuss This Article"])
def test_specimen_furniture_is_found(step: BoilerplateStep, specimen_doc, line: str) -> None:
    flagged = _flagged_lines(step, specimen_doc)
    assert line in flagged, f"{line!r} not flagged; flagged: {sorted(flagged)}"
    assert flagged[line].reason.endswith("not article text")


# A full news sentence: a capital or a quotation mark, a dozen words or more, a closing mark.
_SENTENCE = re.compile(r"^[\"“A-Z].{60,}[.!?\"”]$")


def test_specimen_sentences_are_not_flagged(step: BoilerplateStep, specimen_doc) -> None:
    flagged = _flagged_lines(step, specimen_doc)
    sentences = [line for line in flagged if _SENTENCE.match(line) and len(line.split()) >= 12]
    assert not sentences, f"full sentences flagged as boilerplate: {sentences}"


def test_spans_are_lines_within_the_text(step: BoilerplateStep, specimen_doc) -> None:
    doc = specimen_doc
    found = Findings(len(doc.text))
    findings = list(step.detect(doc, found))
    assert findings
    spans = {(line.start, line.end) for line in doc.lines}
    for f in findings:
        assert 0 <= f.start < f.end <= len(doc.text)
        assert (f.start, f.end) in spans
        assert f.kind == "boilerplate" and f.step == "unspun.boilerplate.v1"
        assert step.threshold <= f.score <= 1.0
        assert "\n" not in f.reason and f.reason
    found.extend(findings)  # Findings refuses spans outside the document
    assert len(found.of("boilerplate")) == len(findings)


def test_spans_within_heldout_documents(step: BoilerplateStep) -> None:
    for d in labelled_documents("heldout")[:200]:
        doc = parse(d.text)
        found = Findings(len(doc.text))
        found.extend(step.detect(doc, found))
        for f in found.of("boilerplate"):
            assert doc.text[f.start : f.end] == doc.line_text(f.details["line"])


def test_lines_under_metadata_are_skipped(step: BoilerplateStep, specimen_doc) -> None:
    doc = specimen_doc
    target = next(line for line in doc.lines if doc.text[line.start : line.end] == "Discuss This Article")
    found = Findings(len(doc.text))
    found.add(Finding("metadata", target.start, target.end, 1.0, "test", "test.metadata"))
    assert "Discuss This Article" not in _flagged_lines(step, doc, found)


def test_deterministic_and_config_round_trip(step: BoilerplateStep, specimen_doc) -> None:
    again = BoilerplateStep(**step.config())
    first = [f.to_dict() for f in step.detect(specimen_doc, Findings(len(specimen_doc.text)))]
    second = [f.to_dict() for f in again.detect(specimen_doc, Findings(len(specimen_doc.text)))]
    assert first == second


def test_threshold_is_validated() -> None:
    with pytest.raises(ValueError, match="threshold"):
        BoilerplateStep(threshold=1.5)


def test_fast_score_matches_the_feature_keys(step: BoilerplateStep, specimen_doc) -> None:
    # detect() sums the weights in one pass; the trainer sees the keys: both must agree.
    doc = specimen_doc
    context = step.features.context(doc)
    for i in range(len(doc.lines)):
        keys = step.features.keys(doc, i, context)
        assert step.score_line(doc, i) == pytest.approx(1 / (1 + math.exp(-step.logit_of_keys(keys))), abs=1e-9)


def test_empty_document(step: BoilerplateStep) -> None:
    doc = parse("")
    assert list(step.detect(doc, Findings(0))) == []
