"""What both views of a report share: reading the report dict defensively, numbering the
findings, cutting the text into paragraphs and pieces with the findings that cover them.

Pure Python, no Rich and no HTML, so that the terminal and the web views lay out a report
the same way. The report dict is untrusted (it holds scraped web text and may come from an
older or newer unspun), so every field is read with a default and unknown fields are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from unspun.report import ARTICLE_KINDS

# Control characters (terminal escapes, NUL...), bidi overrides that could reorder what is
# shown, and lone surrogates (which cannot be encoded). Each is replaced by one character,
# so offsets into the text stay valid.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def safe(text: Any) -> str:
    """The text with unsafe characters replaced one for one by U+FFFD."""
    return _UNSAFE.sub("\ufffd", text if isinstance(text, str) else str(text))


@dataclass(frozen=True, slots=True)
class Mark:
    """One finding as shown: its display number (1-based, in reading order) and its span
    clamped to the text."""

    number: int
    id: Any
    kind: str
    start: int
    end: int
    score: float | None
    reason: str
    step: str
    details: Mapping[str, Any]
    placed: bool = True  # False when its offsets do not fit the text: listed, not marked
    whole: bool = False  # True for a finding about a stretch of the body (a thread): listed, not marked

    @property
    def tag(self) -> str:
        return f"[{self.number}]"

    def score_text(self) -> str:
        return "" if self.score is None else f"{self.score:.2f}"

    def note(self) -> str:
        """``[1] injected 0.93 — off-topic: ...``"""
        head = " ".join(p for p in (self.tag, self.kind, self.score_text()) if p)
        return f"{head} — {self.reason}" if self.reason else head


@dataclass(slots=True)
class Block:
    """A paragraph of the text, with the findings that touch it."""

    index: int
    start: int
    end: int
    marks: list[Mark] = field(default_factory=list)  # every finding that touches it
    notes: list[Mark] = field(default_factory=list)  # the findings that first appear in it


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of a paragraph covered by the same findings (``active``, outermost first),
    followed by the markers of the findings whose part in this paragraph ends there."""

    start: int
    end: int
    active: tuple[Mark, ...]
    ending: tuple[Mark, ...]


@dataclass(slots=True)
class Layout:
    text: str
    label: str
    score: float | None
    reasons: list[tuple[str, str, list[Mark]]]  # (code, message, findings it points to)
    source: dict[str, str]
    english: bool | None
    english_share: float | None
    metadata: list[tuple[str, str]]  # (field, value) for title, author, date, in that order
    marks: list[Mark]
    blocks: list[Block]
    orphans: list[Mark]  # findings that touch no paragraph, or whose offsets do not fit the text
    clean_text: str | None
    threads: tuple[int, int]  # (how many story threads, how many switches between them)
    schema: str
    version: str

    touched: dict[int, int] = field(default_factory=dict)  # finding number -> paragraphs it touches

    def spans_of(self, mark: Mark) -> int:
        """How many paragraphs a finding touches."""
        return self.touched.get(mark.number, 0)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        value = float(value)
    except OverflowError:
        return None
    return value if value == value and abs(value) != float("inf") else None  # not NaN or infinite


def _int(value: Any) -> int | None:
    return None if isinstance(value, bool) or not isinstance(value, int) else value


def _offset(value: Any, length: int) -> int | None:
    value = _int(value)
    return None if value is None else min(max(value, 0), length)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def layout(report: Mapping[str, Any]) -> Layout:
    """Read a report dict (schema ``unspun.report/1``) into what the views show."""
    if not isinstance(report, Mapping):
        raise TypeError(f"render: expected a report dict (Report.to_dict()), got {type(report).__name__}")
    text = report.get("text")
    if not isinstance(text, str):
        raise ValueError(
            f"render: the report dict has no 'text' string (got {type(text).__name__}); "
            f"expected schema unspun.report/1, got {report.get('schema')!r}"
        )
    text = safe(text)
    n = len(text)

    marks = _marks(report.get("findings"), n)
    by_id = {}
    for m in marks:
        by_id.setdefault(_key(m.id), m)

    verdict = _mapping(report.get("verdict"))
    reasons = []
    for r in _list(verdict.get("reasons")):
        r = _mapping(r)
        refs = [by_id[_key(i)] for i in _list(r.get("findings")) if _key(i) in by_id]
        reasons.append((safe(r.get("code") or ""), safe(r.get("message") or r.get("code") or ""), refs))

    source = _mapping(report.get("source"))
    language = _mapping(report.get("language"))
    english = language.get("english")
    meta = _mapping(report.get("metadata"))
    metadata = []
    for name in ("title", "author", "date"):
        value = _mapping(meta.get(name)).get("value")
        if value not in (None, ""):
            metadata.append((name, safe(value)))

    blocks = _blocks(report.get("paragraphs"), text)
    orphans = []
    touched_count = {}
    for m in marks:
        touched = [b for b in blocks if m.placed and not m.whole and _touches(m, b)]
        if not touched:
            orphans.append(m)
            continue
        if m.start == m.end:
            touched = touched[:1]  # a point between two paragraphs is marked once
        touched_count[m.number] = len(touched)
        touched[0].notes.append(m)
        for b in touched:
            b.marks.append(m)

    clean = report.get("clean_text")
    return Layout(
        text=text,
        label=safe(verdict.get("label") or "unknown"),
        score=_number(verdict.get("score")),
        reasons=reasons,
        source={k: safe(v) for k, v in source.items() if isinstance(v, (str, int, float))},
        english=english if isinstance(english, bool) else None,
        english_share=_number(language.get("english_share")),
        metadata=metadata,
        marks=marks,
        blocks=blocks,
        orphans=orphans,
        clean_text=safe(clean) if isinstance(clean, str) else None,
        threads=_thread_counts(report.get("threads")),
        schema=safe(report.get("schema") or ""),
        version=safe(report.get("unspun_version") or ""),
        touched=touched_count,
    )


def _key(value: Any) -> Any:
    # JSON ids are ints, but a dict that went through other hands may hold "3" or 3.0.
    try:
        return int(value)
    except (TypeError, ValueError):
        return str(value)




def _thread_counts(threads: Any) -> tuple[int, int]:
    t = _mapping(threads)
    return (_int(t.get("count")) or 0, len(_list(t.get("switches"))))


def _marks(findings: Any, n: int) -> list[Mark]:
    """The findings in reading order (an enclosing finding before what it holds), then those
    whose offsets do not fit the text: they are still listed, never dropped."""
    placed, unplaced = [], []
    for i, f in enumerate(_list(findings)):
        f = _mapping(f)
        start, end = _int(f.get("start")), _int(f.get("end"))
        if start is None or end is None or not 0 <= start <= end <= n:
            unplaced.append((i, f))
        else:
            placed.append((start, -end, i, f))
    placed.sort(key=lambda t: t[:3])
    ordered = [(start, -neg_end, i, f) for start, neg_end, i, f in placed]
    ordered += [(None, None, i, f) for i, f in unplaced]
    out = []
    for number, (start, end, i, f) in enumerate(ordered, 1):
        out.append(
            Mark(
                number=number,
                id=f.get("id", i),
                kind=safe(f.get("kind") or "finding"),
                start=start if start is not None else 0,
                end=end if end is not None else 0,
                score=_number(f.get("score")),
                reason=safe(f.get("reason") or ""),
                step=safe(f.get("step") or ""),
                details=_mapping(f.get("details")),
                placed=start is not None,
                whole=f.get("kind") in ARTICLE_KINDS,
            )
        )
    return out


def _blocks(paragraphs: Any, text: str) -> list[Block]:
    n = len(text)
    spans = []
    for p in _list(paragraphs):
        p = _mapping(p)
        start, end = _offset(p.get("start"), n), _offset(p.get("end"), n)
        if start is not None and end is not None and start < end:
            spans.append((start, end))
    spans.sort()
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if kept and start < kept[-1][1]:
            start = kept[-1][1]  # overlapping paragraphs: show each character once
        if start < end:
            kept.append((start, end))
    if not kept and text.strip():
        # No usable paragraphs (a hand-made or damaged report): split on blank lines.
        pos = 0
        for m in [*_BLANK_LINE.finditer(text), None]:
            stop = m.start() if m else n
            if text[pos:stop].strip():
                kept.append((pos, stop))
            pos = m.end() if m else n
    return [Block(i, s, e) for i, (s, e) in enumerate(kept)]


def _touches(m: Mark, b: Block) -> bool:
    if m.start == m.end:
        return b.start <= m.start <= b.end
    return m.start < b.end and m.end > b.start


def pieces(block: Block) -> Iterator[Piece]:
    """Cut a paragraph at every start and end of the findings in it."""
    cuts = {block.start, block.end}
    for m in block.marks:
        cuts.add(min(max(m.start, block.start), block.end))
        cuts.add(min(max(m.end, block.start), block.end))
    cuts_sorted = sorted(cuts)
    # A finding's part in this paragraph ends at min(end, paragraph end); its marker goes there.
    ends: dict[int, list[Mark]] = {}
    for m in block.marks:
        ends.setdefault(min(m.end, block.end), []).append(m)
    if block.start in ends:  # zero-length findings at the very start
        yield Piece(block.start, block.start, (), tuple(ends[block.start]))
    for a, b in zip(cuts_sorted, cuts_sorted[1:]):
        active = tuple(m for m in block.marks if m.start < b and m.end > a)
        yield Piece(a, b, active, tuple(sorted(ends.get(b, ()), key=lambda m: -m.number)))


def excerpt(text: str, mark: Mark, limit: int = 100) -> str:
    """The finding's text on one line, shortened in the middle if long."""
    s = " ".join(text[mark.start : mark.end].split())
    if len(s) <= limit:
        return s
    half = (limit - 3) // 2
    return f"{s[:half].rstrip()} … {s[-half:].lstrip()}"
