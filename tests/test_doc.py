"""The parsed article: spans into an unedited text."""

from __future__ import annotations

import itertools

import pytest

from bench import corpora
from unspun.doc import WORD, parse, sentence_spans

TEXTS = {
    "blank-line paragraphs": "Title here\n\nBy Jo Bloggs\nMay 1, 2020\n\nFirst sentence. Second one.\n\nThird.",
    "line paragraphs": "One line. Two.\nAnother line.\nLast line",
    "crlf and spaces": "  Leading space.  \r\n\r\n  Indented line. And more.  ",
    "no final newline": "Just one sentence",
}


@pytest.mark.parametrize("name", TEXTS)
def test_spans_cover_the_words_and_keep_the_text(name):
    text = TEXTS[name]
    doc = parse(text)
    assert doc.text is text
    for unit in (*doc.lines, *doc.paragraphs, *doc.sentences):
        assert 0 <= unit.start < unit.end <= len(text)
        assert text[unit.start : unit.end] == text[unit.start : unit.end].strip()
    # Every non-space character is in exactly one sentence.
    covered = [0] * len(text)
    for s in doc.sentences:
        for i in range(s.start, s.end):
            covered[i] += 1
    for i, c in enumerate(text):
        assert covered[i] == (0 if c.isspace() and covered[i] == 0 else covered[i])
        if not c.isspace():
            assert covered[i] == 1, (i, c)


def test_paragraphs_follow_blank_lines_or_lines():
    doc = parse(TEXTS["blank-line paragraphs"])
    assert [len(doc.paragraph_lines(p.index)) for p in doc.paragraphs] == [1, 2, 1, 1]
    doc = parse(TEXTS["line paragraphs"])
    assert len(doc.paragraphs) == 3


def test_sentences_respect_abbreviations_and_quotes():
    text = 'Rep. Jane Roe met the U.S. envoy on Monday. "We are done," she said. Then she left.'
    doc = parse(text)
    assert [doc.sentence_text(i) for i in range(len(doc.sentences))] == [
        "Rep. Jane Roe met the U.S. envoy on Monday.",
        '"We are done," she said.',
        "Then she left.",
    ]


def test_words_are_lower_cased_once_per_line():
    doc = parse("The U.S. Senate didn't vote.\nSecond line")
    assert doc.line_words[0] == ["the", "u.s", "senate", "didn't", "vote"]
    assert doc.line_words[1] == ["second", "line"]


def test_real_articles_parse_with_spans_in_range():
    for rec in corpora.allsides(200):
        doc = parse(rec["text"])
        assert doc.sentences
        assert all(0 <= s.start < s.end <= len(rec["text"]) for s in doc.sentences)
        assert doc.english_share > 0.1


# A sentence boundary inside a word ("left.She"), lower-casing that changes a word's length
# ("İ") or depends on its neighbours (final sigma), and abbreviations.
WORD_CASES = [
    "He left.She stayed. Then more.",
    "ΣΟΦΙΑ ΣΟΦΟΣ είπε. Next one.",
    "İstanbul is big. Yes it is.\nThe U.S.A. is big.  Next one here.",
    "One line only",
]


@pytest.mark.parametrize("text", WORD_CASES)
def test_sentence_words_are_each_sentences_own_words(text):
    """The shared word pass gives each sentence exactly the words of its own lower-cased text,
    and each line those of its own; the word numbers give the same words back."""
    doc = parse(text)
    assert doc.sentence_words() == [WORD.findall(doc.sentence_text(i).lower()) for i in range(len(doc.sentences))]
    assert doc.line_words == [WORD.findall(doc.line_text(i).lower()) for i in range(len(doc.lines))]
    words = list(doc.vocabulary())
    assert len(words) == len(set(words))
    for lists, (ids, bounds) in ((doc.sentence_words(), doc.sentence_word_ids()), (doc.line_words, doc.line_word_ids())):
        assert [[words[j] for j in ids[bounds[i] : bounds[i + 1]]] for i in range(len(lists))] == lists


SPAN_CASES = [
    *TEXTS.values(),
    *WORD_CASES,
    "",
    "\n\n  \n",
    "Tabs\tinside. And\u2028a line separator.\r\nA form\x0cfeed. End",
    'Rep. Jane Roe met the U.S. envoy on Monday. "We are done," she said. Then she left.',
]


@pytest.mark.parametrize("text", SPAN_CASES)
def test_sentence_spans_are_the_parse_sentences(text):
    assert sentence_spans(text) == [(s.start, s.end) for s in parse(text).sentences]


def test_sentence_spans_are_the_parse_sentences_on_real_articles():
    """The sentence-only segmentation shares parse's rules: the same spans, article by article."""
    n = 0
    for rec in itertools.chain(corpora.allsides(300), itertools.islice(corpora.bbc(), 100)):
        text = rec["text"]
        assert sentence_spans(text) == [(s.start, s.end) for s in parse(text).sentences], rec["id"]
        n += 1
    assert n == 400


def test_sentence_spans_find_pieces_the_segmenter_changed(monkeypatch):
    """Pieces that do not put together to the line (white space dropped) are looked for in it."""
    import unspun.doc as doc_module

    real = doc_module.sentencex.segment
    monkeypatch.setattr(doc_module.sentencex, "segment", lambda lang, text: [p.strip() for p in real(lang, text)])
    text = "First one here.   Second one, there.\n\nThird.  Fourth!"
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["First one here.", "Second one, there.", "Third.", "Fourth!"]
    assert spans == [(s.start, s.end) for s in parse(text).sentences]
