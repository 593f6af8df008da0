"""Head lines that are a title, a byline or a dateline: metadata, kept out of the body."""

from __future__ import annotations

import re
from collections.abc import Iterable

from unspun.doc import Document
from unspun.spans import Finding, Findings
from unspun.steps.base import Step

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"  # November 19, 2019
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}\b"  # 19 November 2019
    r"|\b\d{4}-\d{2}-\d{2}\b"  # 2019-11-19
    r"|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"  # 11/19/2019
    r"|\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}T)?\b.*\b\d{4}\b",  # 3:45 PM EST ... 2019
    re.I,
)
_DATE_WORDS = re.compile(r"^(?:published|updated|posted|last updated|modified|first published)\b", re.I)
_BY = re.compile(r"^(?:by|written by|words by|reporting by|posted by)\s+\S", re.I)
# A name word: capitalised, letters with inner apostrophes, hyphens or a dot (initials).
_NAME_WORD = re.compile(r"^(?:[A-Z][a-z]*\.?|[A-Z][a-zA-Z'’-]+)$")
_NAME_JOINERS = {"and", "de", "van", "von", "der", "la", "le", "da", "di", "bin", "al", "&"}

# Only the first lines of an article can be its head.
_HEAD_LINES = 8


def _is_name_line(text: str, words: list[str]) -> bool:
    tokens = text.replace(",", " , ").split()
    if not 2 <= len(tokens) <= 8 or text.endswith((".", "?", "!", ":")):
        return False
    names = 0
    for tok in tokens:
        if tok == ",":
            continue
        if tok.lower() in _NAME_JOINERS:
            continue
        if not _NAME_WORD.match(tok):
            return False
        names += 1
    return 2 <= names <= 6 and len(words) <= 8


_SMALL_WORDS = frozenset("a an and as at but by for from in into of on or the to with vs via is are be".split())


def _is_title_line(text: str, words: list[str]) -> bool:
    """A headline: short, no closing full stop, not a bracketed credit, and either very short
    or in title case (most words capitalised)."""
    if not 3 <= len(words) <= 20 or text.endswith((".", ",", ";", ":", '"', "”", ")")) or text.startswith("("):
        return False
    if len(words) <= 12:
        return True
    tokens = [t for t in text.split() if t.lower() not in _SMALL_WORDS]
    capitalised = sum(1 for t in tokens if t[:1].isupper() or t[:1].isdigit())
    return capitalised >= 0.6 * max(1, len(tokens))


def _norm(s: str) -> str:
    return " ".join(re.findall(r"\w+", s.lower()))


class MetadataStep(Step):
    """Title, byline and dateline at the head of the text, and the HTML's own metadata values."""

    name = "unspun.metadata.v1"
    produces = "metadata"

    def detect(self, doc: Document, found: Findings) -> Iterable[Finding]:
        html_metadata = doc.hints
        head = doc.lines[:_HEAD_LINES]
        claimed: set[int] = set()
        title_norm = _norm(html_metadata.get("title") or "")
        for line in head:
            text = doc.line_text(line.index)
            words = doc.line_words[line.index]
            if len(words) > 40:
                break  # a body paragraph: the head is over
            field = self._classify(line.index, text, words, title_norm, claimed)
            if field is None:
                # Short lines that are not sentences (furniture, a kicker) may stand between
                # the title and the byline; the head ends at the first sentence of the body.
                if len(words) > 12 or text.endswith((".", "?", "!", '"', "”")):
                    break
                continue
            claimed.add(line.index)
            score, reason = field
            yield self.finding(line.start, line.end, score, reason[1], field=reason[0], value=text)
            if reason[0] == "title":
                title_norm = title_norm or _norm(text)
        # The title repeated further down, as farm templates and some pages do. Only lines
        # of about the title's length are compared, to keep this off the hot path.
        if title_norm:
            size = len(title_norm)
            for line in doc.lines[_HEAD_LINES:]:
                if abs(line.end - line.start - size) <= 8 and line.index not in claimed:
                    text = doc.line_text(line.index)
                    if _norm(text) == title_norm:
                        yield self.finding(line.start, line.end, 0.9, "the title, repeated in the body", field="title", value=text)

    def _classify(self, i: int, text: str, words: list[str], title_norm: str, claimed: set[int]):
        if title_norm and _norm(text) == title_norm:
            return 0.99, ("title", "the page title, repeated at the head of the text")
        if _DATE_WORDS.match(text) or (_DATE.search(text) and len(words) <= 14):
            if _BY.search(text) or "|" in text or " by " in text.lower():
                return 0.95, ("date", "a dateline with a byline: when and by whom, not article text")
            return 0.95, ("date", "a dateline: the publication date, not article text")
        if _BY.match(text) and len(words) <= 12:
            return 0.95, ("author", "a byline: the author's name, not article text")
        if i > 0 and _is_name_line(text, words):
            return 0.85, ("author", "a byline: a name alone on a line at the head of the article")
        if i == 0 and not title_norm and _is_title_line(text, words):
            return 0.9, ("title", "the headline at the head of the text")
        return None
