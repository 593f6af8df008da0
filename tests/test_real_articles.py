"""False alarms on real news, and HTML extraction quality against the extraction benchmark."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import trafilatura

from bench import corpora


def _injected_share(pipeline, records) -> tuple[float, int]:
    flagged = total = 0
    for rec in records:
        report = pipeline.check(rec["text"])
        total += len(report.sentences)
        flagged += sum("injected" in s.flags for s in report.sentences)
    return flagged / total, total


def test_injected_rarely_flags_real_allsides(pipeline):
    share, total = _injected_share(pipeline, corpora.allsides(1000))
    print(f"AllSides: injected on {share:.3%} of {total} sentences")
    assert share <= 0.01


def test_injected_rarely_flags_real_bbc(pipeline):
    share, total = _injected_share(pipeline, corpora.bbc(skip_duplicates=False))
    print(f"BBC: injected on {share:.3%} of {total} sentences")
    assert share <= 0.005


_TOKEN = re.compile(r"\w+")


def token_f1(predicted: str, expected: str) -> float:
    p = Counter(_TOKEN.findall(predicted.lower()))
    e = Counter(_TOKEN.findall(expected.lower()))
    common = sum((p & e).values())
    if not common:
        return 0.0
    precision = common / sum(p.values())
    recall = common / sum(e.values())
    return 2 * precision * recall / (precision + recall)


@pytest.fixture(scope="module")
def extraction_scores(pipeline):
    ours, theirs = [], []
    for page in corpora.extraction_benchmark("en"):
        expected = page["expected_text"]
        baseline = trafilatura.extract(page["html"]) or ""
        theirs.append(token_f1(baseline, expected))
        try:
            report = pipeline.check(page["html"].decode("utf-8", "replace"), name=page["id"])
            ours.append(token_f1(report.clean_text, expected))
        except Exception:  # an empty extraction scores zero, as trafilatura's does
            ours.append(0.0)
    return sum(ours) / len(ours), sum(theirs) / len(theirs), len(ours)


def test_clean_text_of_html_pages_at_least_trafilatura(extraction_scores):
    ours, theirs, n = extraction_scores
    print(f"extraction benchmark, {n} English pages: token F1 unspun clean_text {ours:.4f}, trafilatura {theirs:.4f}")
    assert n == 161
    assert ours >= theirs
