"""The parsed article: its text held once, and lines, paragraphs, sentences and words as spans.

Every step reads the same :class:`Document`; it is built once per article by
:func:`parse`, with a single word pass per line, so that no step tokenises again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import chain, count

import numpy as np
import sentencex

# Words for statistics: letters and digits, keeping inner apostrophes and dots
# ("don't", "u.s") together as wordfreq does.
WORD = re.compile(r"\w+(?:['’.]\w+)*")

# The commonest English function words. Their share of an article's words tells
# English text from text in another language at no extra cost.
_ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to a in that is was for on it with as he be by at from his an "
    "are have has not but this they said had which or were their been its who "
    "would will i we you she her there more after about when than also into".split()
)


@dataclass(frozen=True, slots=True)
class Line:
    """A non-blank line, without its surrounding whitespace."""

    index: int
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    index: int
    start: int
    end: int
    first_line: int
    last_line: int  # inclusive


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    line: int
    paragraph: int


@dataclass(slots=True)
class Document:
    text: str
    lines: list[Line]
    paragraphs: list[Paragraph]
    sentences: list[Sentence]
    # Lower-cased words of each line, in order: the one word pass every step shares.
    line_words: list[list[str]]
    # Lower-cased words of each sentence, from the same word pass as ``line_words``.
    sentence_word_lists: list[list[str]] = field(default_factory=list)
    # True when some sentence boundary falls inside a word, so that a sentence holds a word
    # (a piece of one) that no line holds.
    split_words: bool = False
    name: str = "<text>"
    # True when paragraphs are blocks between blank lines; False when each line is one.
    blank_line_paragraphs: bool = True
    # What the input said about itself (the HTML's title, author and date), for steps to use.
    hints: dict = field(default_factory=dict)
    _cache: dict = field(default_factory=dict, repr=False)

    def line_text(self, i: int) -> str:
        line = self.lines[i]
        return self.text[line.start : line.end]

    def sentence_text(self, i: int) -> str:
        s = self.sentences[i]
        return self.text[s.start : s.end]

    def paragraph_lines(self, p: int) -> range:
        para = self.paragraphs[p]
        return range(para.first_line, para.last_line + 1)

    def sentences_of_line(self, i: int) -> list[Sentence]:
        by_line = self._cache.get("sentences_by_line")
        if by_line is None:
            by_line = [[] for _ in self.lines]
            for s in self.sentences:
                by_line[s.line].append(s)
            self._cache["sentences_by_line"] = by_line
        return by_line[i]

    def sentence_words(self) -> list[list[str]]:
        """Lower-cased words of each sentence, shared by the steps that read sentence by sentence."""
        return self.sentence_word_lists

    def vocabulary(self) -> dict[str, int]:
        """Each distinct lower-cased word of the text, numbered in order of first appearance,
        so that a step looks a word up in its own tables once per document, not once per use."""
        vocab = self._cache.get("vocabulary")
        if vocab is None:
            words = chain.from_iterable(self.line_words)
            if self.split_words:
                words = chain(words, chain.from_iterable(self.sentence_word_lists))
            distinct = dict.fromkeys(words)
            vocab = dict(zip(distinct, count()))
            self._cache["vocabulary"] = vocab
        return vocab

    def sentence_word_ids(self) -> tuple[np.ndarray, np.ndarray]:
        """The words of every sentence as numbers in :meth:`vocabulary`, end to end, and where
        each sentence's run starts (one more entry than sentences): sentence ``i`` holds
        ``ids[bounds[i]:bounds[i + 1]]``."""
        return self._word_ids("sentence_word_ids", self.sentence_word_lists)

    def line_word_ids(self) -> tuple[np.ndarray, np.ndarray]:
        """The words of every line as numbers in :meth:`vocabulary`, as :meth:`sentence_word_ids`."""
        return self._word_ids("line_word_ids", self.line_words)

    def _word_ids(self, name: str, words: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        out = self._cache.get(name)
        if out is None:
            vocab = self.vocabulary()
            sizes = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
            bounds = np.zeros(len(words) + 1, dtype=np.int64)
            np.cumsum(sizes, out=bounds[1:])
            ids = np.fromiter(map(vocab.__getitem__, chain.from_iterable(words)), dtype=np.int64, count=int(bounds[-1]))
            out = (ids, bounds)
            self._cache[name] = out
        return out

    @property
    def word_count(self) -> int:
        return sum(len(w) for w in self.line_words)

    @property
    def english_share(self) -> float:
        """Share of words that are common English function words (about 0.4 in English news)."""
        total = self.word_count
        if not total:
            return 0.0
        is_function_word = _ENGLISH_FUNCTION_WORDS.__contains__
        hits = sum(sum(map(is_function_word, words)) for words in self.line_words)
        return hits / total


def _split_lines(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, blank_before) for each non-blank line, whitespace trimmed."""
    out = []
    blank_before = False
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + len(raw) - len(raw.lstrip())
            out.append((start, start + len(stripped), blank_before))
            blank_before = False
        else:
            blank_before = True
        pos += len(raw) + 1
    return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each sentence of ``text``: the spans of ``parse(text).sentences``,
    without the lines, paragraphs and words that :func:`parse` also builds."""
    spans: list[tuple[int, int]] = []
    for start, end, _ in _split_lines(text):
        spans += _line_sentences(text, start, end)
    return spans


def parse(text: str, name: str = "<text>", hints: dict | None = None) -> Document:
    """Segment ``text`` into lines, paragraphs, sentences and words.

    Paragraphs are blocks separated by blank lines. Text that uses no blank line at
    all (as HTML extraction gives) has one paragraph per line.
    """
    raw_lines = _split_lines(text)
    uses_blank_lines = any(blank for _, _, blank in raw_lines[1:])

    lines: list[Line] = []
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    line_words: list[list[str]] = []
    sentence_words: list[list[str]] = []
    split = False
    para_start = 0
    for i, (start, end, blank_before) in enumerate(raw_lines):
        if i and (blank_before or not uses_blank_lines):
            _close_paragraph(paragraphs, lines, para_start, i - 1)
            para_start = i
        line = Line(i, start, end, len(paragraphs))
        lines.append(line)
        first = len(sentences)
        _segment_line(text, line, sentences)
        words, whole = _words(text, line, sentences[first:], sentence_words)
        line_words.append(words)
        split = split or not whole
    if raw_lines:
        _close_paragraph(paragraphs, lines, para_start, len(raw_lines) - 1)
    return Document(
        text, lines, paragraphs, sentences, line_words, sentence_words, split, name, uses_blank_lines, dict(hints or {})
    )


def _words(text: str, line: Line, line_sentences: list[Sentence], sentence_words: list[list[str]]) -> tuple[list[str], bool]:
    """The words of a line, and (appended to ``sentence_words``) those of each of its sentences,
    from one regex pass over the lower-cased line.

    A sentence's words are those of its own text: where lower-casing maps each character to one
    character without looking at its neighbours (all but a few scripts' letters), a slice of
    the lower-cased line is the lower-cased sentence. Where sentences are parted by whitespace,
    which no word holds, the line's words are the sentences' words in turn; the flag returned
    says whether that is known to hold.
    """
    line_text = text[line.start : line.end]
    lower = line_text.lower()
    if len(lower) != len(line_text) or "\u03a3" in line_text:  # length-changing or final-sigma rules
        for s in line_sentences:
            sentence_words.append(WORD.findall(text[s.start : s.end].lower()))
        return WORD.findall(lower), False
    if len(line_sentences) == 1 and line_sentences[0].start == line.start and line_sentences[0].end == line.end:
        words = WORD.findall(lower)
        sentence_words.append(words)
        return words, True
    base = line.start
    # The sentences cover the line, parted by whitespace only: then no word runs across two.
    parted = bool(line_sentences) and line_sentences[0].start == base and line_sentences[-1].end == line.end
    previous_end = None
    words = []
    for s in line_sentences:
        own = WORD.findall(lower, s.start - base, s.end - base)
        sentence_words.append(own)
        words.extend(own)
        if previous_end is not None and parted:
            gap = lower[previous_end - base : s.start - base]
            parted = bool(gap) and gap.isspace()
        previous_end = s.end
    return (words, True) if parted else (WORD.findall(lower), False)


def _close_paragraph(paragraphs: list[Paragraph], lines: list[Line], first: int, last: int) -> None:
    paragraphs.append(Paragraph(len(paragraphs), lines[first].start, lines[last].end, first, last))


def _segment_line(text: str, line: Line, sentences: list[Sentence]) -> None:
    """Sentences of one line, as :class:`Sentence` spans into ``text``."""
    for start, end in _line_sentences(text, line.start, line.end):
        sentences.append(Sentence(len(sentences), start, end, line.index, line.paragraph))


def _line_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of the line ``text[start:end]`` (trimmed of whitespace), as spans into
    ``text``: the segmentation that :func:`parse` and :func:`sentence_spans` share.

    sentencex returns the pieces in order, whitespace kept: each piece, trimmed, is a
    sentence. When the pieces put together are the line, as they are in practice, each one's
    place follows from the lengths of those before it; otherwise each is looked for in turn.
    """
    line_text = text if start == 0 and end == len(text) else text[start:end]
    pieces = sentencex.segment("en", line_text)
    if len(pieces) == 1 and pieces[0] == line_text:  # one sentence, the line itself
        return [(start, end)]
    out = []
    if "".join(pieces) == line_text:
        pos = start
        for piece in pieces:
            stripped = piece.strip()
            if stripped:
                at = pos + len(piece) - len(piece.lstrip())
                out.append((at, at + len(stripped)))
            pos += len(piece)
        return out
    cursor = 0
    for piece in pieces:
        stripped = piece.strip()
        if not stripped:
            continue
        at = line_text.find(stripped, cursor)
        if at < 0:  # the segmenter normalised something: fall back to the whole remainder
            at = cursor
            stripped = line_text[cursor:].strip()
            if not stripped:
                break
        out.append((start + at, start + at + len(stripped)))
        cursor = at + len(stripped)
        if cursor >= len(line_text):
            break
    return out
