"""keys_of takes shortcuts past the token regex; its keys must be the regex's, word for word."""

from __future__ import annotations

import pytest

from unspun.doc import parse
from unspun.provenance.tokens import TOKEN, keys_of, tokens


def _regex_keys(text: str) -> list[str]:
    return TOKEN.findall(text.lower().replace("’", "'"))


@pytest.mark.parametrize("text", [
    "The U.S. economy grew 3.5% in 2023, to $1,200.50 billion.",
    "\"Don't,\" she said; (it's) the 'end'... really?!",
    "Prices: £5-£10, €3.2bn, 45%+ and 1.2.3.4 or 1,, 2.. a.b. _under_score_",
    "Well-known—and well–liked… #tag @name x/y a&b",
    "İstanbul ÇAĞ straße ŒUVRE 3rd 2nd-largest 10am a.m. p.m",
    "“Quoted” ‘single’ «guillemets» [brackets] {braces} <angle>",
    "",
    "   \n\t ",
    "—",
])
def test_keys_are_the_regex_keys_on_awkward_text(text):
    assert keys_of(text) == _regex_keys(text)
    assert tokens(text, keys_of(text)) == tokens(text)


def test_keys_are_the_regex_keys_on_real_sentences(docs):
    n = 0
    for d in docs:
        for s in parse(d["text"]).sentences:
            sentence = d["text"][s.start : s.end]
            assert keys_of(sentence) == _regex_keys(sentence), sentence
            # Spans found from the keys are the regex's spans.
            assert tokens(sentence, keys_of(sentence)) == tokens(sentence), sentence
            n += 1
    assert n > 5000


def test_tokens_spans_cover_their_keys():
    text = "The U.S. said “yes” to $30 million."
    keys, spans = tokens(text)
    assert keys == keys_of(text)
    assert [text[a:b] for a, b in spans] == ["The", "U.S.", "said", "yes", "to", "$", "30", "million"]
    assert tokens(text, keys) == (keys, spans)


def test_tokens_from_keys_that_are_not_the_texts():
    """Keys that cannot be found in order in the text are not trusted: the regex decides."""
    text = "The cat sat."
    assert tokens(text, ["the", "dog"]) == tokens(text)


def test_retrieval_keys_the_same_for_new_and_seen_words():
    """Words met for the first time in a batch (worked out there) give the keys they give once
    known, and a batch gives each sentence the keys it gets alone."""
    import numpy as np

    from unspun.provenance.tokens import retrieval_keys, retrieval_keys_batch

    fresh = ["zqxjkvw", "plorbtastic", "vrenthal", "2131997", "quonzer"]  # unlikely to be seen before
    sentences = [["the", *fresh, "of", "zqxjkvw", "the"], [], ["one", "plain", "sentence"], fresh[::-1]]
    first = retrieval_keys_batch(sentences)
    again = retrieval_keys_batch(sentences)
    assert len(first[0]) > 0
    assert np.array_equal(first[0], again[0]) and np.array_equal(first[1], again[1])
    for i, words in enumerate(sentences):
        assert sorted(first[0][first[1] == i].tolist()) == sorted(retrieval_keys(words))
