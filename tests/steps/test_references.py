"""Dangling references: pointers to what the article never introduced, and none on real news."""

from __future__ import annotations

import itertools

import pytest

import unspun
from bench import corpora


# Two paragraphs of plain news prose that name no person, so that each case below reads as
# the body of an article rather than as two stray lines.
INTRO = (
    "Heavy rain fell across the county for most of the week, and rivers rose above their banks "
    "in several places along the valley.\n\n"
    "Roads near the coast were closed on Thursday while crews cleared fallen trees and mud from "
    "the main routes into the town.\n\n"
)


def _dangling(text):
    report = unspun.check(INTRO + text)
    return [(f.details["pointer"], f.details["phrase"]) for f in report.findings_of("dangling_reference")]


@pytest.mark.parametrize(
    ("text", "pointer", "phrase"),
    [
        ("The council approved the budget on Tuesday.\n\nThe mayor said the vote came late.", "definite", "The mayor"),
        ("Rain closed the harbour road for a week.\n\nShe said repairs would start in May.", "pronoun", "She"),
        ("Ferries ran late again on Friday.\n\nHis statement came an hour after the ferries stopped.",
         "pronoun", "His statement"),
        ("Talks on the port lease resumed in Oslo.\n\nThe offer was rejected, negotiator Lindqvist said.",
         "surname", "negotiator Lindqvist"),
        ("The lease runs out in March.\n\nMaria Lindqvist also rejected the offer on Monday.", "also",
         "Maria Lindqvist also"),
    ],
)
def test_pointer_without_antecedent(text, pointer, phrase):
    assert (pointer, phrase) in _dangling(text)


def test_demonstrative_in_the_first_sentence():
    text = "Those negotiations broke down on Friday over the price of fuel, and ferry crews walked out at dawn.\n\n"
    report = unspun.check(text + INTRO)
    found = [(f.details["pointer"], f.details["phrase"]) for f in report.findings_of("dangling_reference")]
    assert ("demonstrative", "Those negotiations") in found


@pytest.mark.parametrize(
    "text",
    [
        "Foreign Minister Anna Berg arrived in Oslo on Monday for two days of talks on the port lease.\n\n"
        "The minister said the talks went well.",
        "Anna Berg chaired the meeting.\n\nShe said the harbour would reopen.",
        "Port negotiator Erik Lindqvist arrived on Monday.\n\nThe offer was rejected, negotiator Lindqvist said.",
        "Anna Berg rejected the offer.\n\nErik Lindqvist, her deputy, said more talks were needed.",
        "Fuel prices rose again.\n\n\"We cannot go on paying this much for diesel,\" a ferry captain said.\n\nHe said fares would rise.",
    ],
)
def test_introduced_references_are_not_flagged(text):
    assert _dangling(text) == []


def test_rare_on_real_news():
    """The issue's bar: at most 0.2 per article on average over real articles."""
    pipeline = unspun.default_pipeline()
    real = [r["text"] for r in itertools.islice(corpora.allsides(), 300)]
    real += [r["text"] for r in itertools.islice(corpora.bbc(), 0, 2225, 15)]
    count = sum(len(pipeline.check(t).findings_of("dangling_reference")) for t in real)
    assert count / len(real) <= 0.2
