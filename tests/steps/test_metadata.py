"""Head lines that are a title, a byline or a dateline."""

from __future__ import annotations

import pytest

from unspun.doc import parse
from unspun.spans import Findings
from unspun.steps.metadata import MetadataStep

BODY = "\n\nThe council met on Tuesday and agreed the budget after a long debate about roads and schools."


@pytest.mark.parametrize(
    "head, expected",
    [
        ("Council agrees budget after long debate\n\nBy Sam Okafor\n12 March 2024", ["title", "author", "date"]),
        ("Council agrees budget\n\nPublished: 2024-03-12 / Politics | By Sam Okafor", ["title", "date"]),
        ("Council agrees budget\n\nAnna-Marie de Vries and Tom Li\nUpdated 3:45 PM EST, Tue March 12, 2024", ["title", "author", "date"]),
    ],
)
def test_head_lines(head, expected):
    text = head + BODY
    doc = parse(text)
    fields = [f.details["field"] for f in MetadataStep().detect(doc, Findings(len(text)))]
    assert fields == expected


def test_body_sentence_is_not_metadata():
    text = "The council met on Tuesday and agreed the budget after a long debate.\n\nIt was late."
    doc = parse(text)
    assert list(MetadataStep().detect(doc, Findings(len(text)))) == []


def test_html_title_is_found_in_the_text():
    text = "Council Agrees Budget!\nThe council met on Tuesday and agreed the budget after a long debate."
    doc = parse(text, hints={"title": "Council agrees budget"})
    found = list(MetadataStep().detect(doc, Findings(len(text))))
    assert [f.details["field"] for f in found] == ["title"]
