"""Labelled page-furniture lines, built at run time from the real pages in ../shared/data.

Nothing here is copied into the repository: every call reads the shared data folder and labels
its lines by rule (the results are cached under ``.cache/``, which git ignores).

Two sources, each split by :func:`bench.corpora.split_of` of its page or article id so that
training and testing never share a source page:

- **extraction benchmark** (:func:`extraction_benchmark_lines`): each English page is turned
  into whole-page text (one line per HTML block element, written here with lxml, no trafilatura)
  and each line is compared with the page's ``expected_text``. A line that is an expected line,
  or a long piece of one, is ``body``; a line that shares nearly nothing with it (no word bigram
  in common, for three words or more) is ``furniture``; anything between is dropped. The page
  text is cut to the article and up to :data:`CROP` lines on each side, the part a loose
  extractor leaves. The same cut is rendered a second time with the text of links left out,
  as scrapers that strip anchors leave it ("More articles from" without the author's name);
  each block keeps its label. The lines ``trafilatura.extract`` itself returns are labelled
  like the page lines: the furniture among them is what survives extraction.
- **AllSides** (:func:`allsides_furniture_lines`): paragraphs (split on blank lines) that recur
  verbatim in at least :data:`MIN_RECURRENCE` articles about different stories are
  ``furniture``; paragraphs that occur once are ``body``. See :func:`_mine_allsides` for what is
  dropped as ambiguous.

Both public line functions return ``(doc_id, line_text, label)`` with label ``'furniture'`` or
``'body'``; other tools (the furniture inserter) depend on that shape. :func:`labelled_documents`
keeps the lines of each document in order, with ``None`` for dropped lines, for tools that need a
line's position and neighbours (the boilerplate trainer and evaluation).
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from bench.corpora import REPO, allsides, data_dir, extraction_benchmark, split_of

__all__ = [
    "LabelledDoc",
    "allsides_furniture_lines",
    "extraction_benchmark_lines",
    "labelled_documents",
    "labelled_lines",
    "page_text_lines",
]

# Bump when a labelling rule changes: the cache key includes it.
VERSION = 9
# Whole-page lines kept on each side of the article body (a loose extractor's margin).
CROP = 12
# A paragraph recurring in this many AllSides articles (of different stories) is furniture.
MIN_RECURRENCE = 5
# Recurring paragraphs longer than this are galleries, transcripts or quoted roundups.
MAX_FURNITURE_WORDS = 80
# Every this-many-th AllSides article is scanned to tell list headings from furniture labels.
PROSE_SAMPLE = 5
# A paragraph of at most this many words is short: a heading, a credit, a label.
SHORT_WORDS = 8
# Share of AllSides articles kept as labelled documents (chosen by a hash of the id).
ALLSIDES_SHARE = 0.25

WORD = re.compile(r"\w+(?:['’.]\w+)*")
_QUOTES = "\"'“”‘’«"
_BULLET = re.compile(r"^[-*•·]\s+")

_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
        "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "button",
        "label", "option", "select", "caption",
    }
)
_SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "head", "iframe", "object", "embed",
        "canvas",
    }
)


@dataclass(frozen=True, slots=True)
class LabelledDoc:
    """One document's lines in order; ``labels[i]`` is 'furniture', 'body' or None (dropped)."""

    source: str  # 'extraction-page', 'extraction-nolinks', 'extraction-trafilatura' or 'allsides'
    doc_id: str  # page or article id: the split key
    lines: tuple[str, ...]
    labels: tuple[str | None, ...]

    @property
    def text(self) -> str:
        # Lines never hold a newline, so a document parses back into exactly these lines.
        return "\n\n".join(self.lines)


# --------------------------------------------------------------------------------------------
# Cache


def _cache(name: str, inputs: Iterable[Path], build: Callable[[], list[LabelledDoc]]) -> list[LabelledDoc]:
    """Build once per version of the rules and of the input files; keep the result in .cache/.

    Plain tuples are stored, not LabelledDoc objects, so that the pickle does not depend on the
    module's import name (``bench.furniture`` or ``__main__``).
    """
    key = hashlib.sha1(str(VERSION).encode())
    for path in inputs:
        st = path.stat()
        key.update(f"{path}:{st.st_size}:{st.st_mtime_ns}".encode())
    path = REPO / ".cache" / "furniture" / f"{name}-{key.hexdigest()[:12]}.pkl"
    if path.exists():
        with path.open("rb") as f:
            return [LabelledDoc(*row) for row in pickle.load(f)]
    docs = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as f:
        pickle.dump([(d.source, d.doc_id, d.lines, d.labels) for d in docs], f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return docs


def _norm(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------------------------
# Extraction benchmark


def page_text_lines(html: bytes, drop_links: bool = False) -> list[str]:
    """Whole-page text: one line per block element, whitespace collapsed, scripts and styles left out.

    With ``drop_links`` the text inside links is left out too, as a scraper that strips anchors
    leaves it ("Other stories by" without the name that was the link).
    """
    return [line for _, line in _page_blocks(html, drop_links)]


def _page_blocks(html: bytes, drop_links: bool) -> list[tuple[int, str]]:
    """(block number, text) of each non-empty block; the numbers do not depend on ``drop_links``."""
    import lxml.html

    root = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(encoding="utf-8"))
    blocks: list[tuple[int, str]] = []
    buf: list[str] = []
    number = 0

    def flush() -> None:
        nonlocal number
        line = _norm("".join(buf))
        if line:
            blocks.append((number, line))
        buf.clear()
        number += 1

    # An explicit stack, not recursion: some pages nest deeper than Python's recursion limit.
    # Each entry: element, closing?, inside a dropped link (so its text and tail are dropped)?
    body = root.find("body")
    stack: list[tuple[object, bool, bool]] = [(body if body is not None else root, False, False)]
    while stack:
        el, closing, in_link = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if closing:
            if tag in _BLOCK_TAGS:
                flush()
            # The tail lies outside the element: a dropped link's own tail is kept.
            if el.tail and not in_link:
                buf.append(el.tail)
            continue
        if tag is None or tag in _SKIP_TAGS:  # comments, processing instructions, scripts
            if el.tail and not in_link:
                buf.append(el.tail)
            continue
        if tag in _BLOCK_TAGS:
            flush()
        inner = in_link or (drop_links and tag == "a")
        if el.text and not inner:
            buf.append(el.text)
        stack.append((el, True, in_link))
        stack.extend((child, False, inner) for child in reversed(el))
    flush()
    return blocks


def _page_titles(html: bytes) -> set[str]:
    """Lower-cased headline and deck of a page (title, h1, og/meta descriptions): metadata, not furniture."""
    import lxml.html

    root = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(encoding="utf-8"))
    found = [el.text_content() for el in root.iter("title", "h1")]
    for meta in root.iter("meta"):
        name = (meta.get("property") or meta.get("name") or "").lower()
        if name in {"og:title", "og:description", "description", "twitter:title", "twitter:description"}:
            found.append(meta.get("content") or "")
    return {_norm(t).lower() for t in found if _norm(t)}


class _Expected:
    """The expected text of one page, indexed for line labelling."""

    def __init__(self, expected: str, titles: set[str]) -> None:
        self.lines = {_norm(_BULLET.sub("", line)).lower() for line in expected.splitlines() if line.strip()}
        self.text = _norm(expected).lower()
        words = WORD.findall(self.text)
        self.bigrams = set(pairwise(words))
        self.titles = titles

    def label(self, line: str) -> str | None:
        low = _norm(_BULLET.sub("", line)).lower()
        words = WORD.findall(low)
        if not words:
            return None
        if low in self.lines:
            return "body"
        # The headline and deck are the metadata step's; a title containing the line (or the
        # line containing the title, as "Headline | Site" does) is left out.
        if any(low in t or (len(t) > 20 and t in low) for t in self.titles):
            return None
        if low in self.text:
            # A long piece of an expected line (split by a <br> or an inline block) is body; a
            # few words that also occur inside the article ("Share", "Photo") are undecidable.
            return "body" if len(words) >= 5 else None
        if len(words) <= 2:
            return "furniture"
        bigrams = list(pairwise(words))
        shared = sum(b in self.bigrams for b in bigrams) / len(bigrams)
        # "Nearly nothing": topical related-story headlines share a bigram or two; drop those.
        return "furniture" if shared <= 0.1 else None


def _extraction_docs() -> list[LabelledDoc]:
    import trafilatura

    docs: list[LabelledDoc] = []
    for rec in extraction_benchmark():
        expected = _Expected(rec["expected_text"], _page_titles(rec["html"]))
        blocks = _page_blocks(rec["html"], drop_links=False)
        lines = [line for _, line in blocks]
        labels = [expected.label(line) for line in lines]
        body = [i for i, lab in enumerate(labels) if lab == "body"]
        if body:
            lo, hi = max(0, body[0] - CROP), min(len(lines), body[-1] + CROP + 1)
            docs.append(LabelledDoc("extraction-page", rec["id"], tuple(lines[lo:hi]), tuple(labels[lo:hi])))
            docs.append(_without_links(rec, blocks[lo:hi], labels[lo:hi]))
        # Comments are off: reader comments are prose, neither article nor furniture.
        extracted = trafilatura.extract(rec["html"], include_comments=False) or ""
        t_lines = [_norm(line) for line in extracted.splitlines() if line.strip()]
        if t_lines:
            docs.append(
                LabelledDoc(
                    "extraction-trafilatura",
                    rec["id"],
                    tuple(t_lines),
                    tuple(expected.label(line) for line in t_lines),
                )
            )
    return docs


def _without_links(rec: dict, blocks: list[tuple[int, str]], labels: list[str | None]) -> LabelledDoc:
    """The same cropped page as a scraper that drops link text would leave it.

    Each block keeps the label of its full text: furniture stays furniture ("More articles from"
    once the author's linked name is gone); body stays body if most of its words remain.
    """
    label_of = {number: (line, label) for (number, line), label in zip(blocks, labels)}
    lines, out = [], []
    for number, line in _page_blocks(rec["html"], drop_links=True):
        if number not in label_of:
            continue
        full, label = label_of[number]
        if label == "body" and len(WORD.findall(line)) * 2 < len(WORD.findall(full)):
            label = None
        lines.append(line)
        out.append(label)
    return LabelledDoc("extraction-nolinks", rec["id"], tuple(lines), tuple(out))


def _extraction_inputs() -> list[Path]:
    return [data_dir() / "article-extraction-benchmark" / "ground-truth.jsonl"]


def extraction_benchmark_docs() -> list[LabelledDoc]:
    """Labelled documents of the English extraction-benchmark pages, three per page: the cropped
    page text, the same without link text, and trafilatura's output."""
    return _cache("extraction", _extraction_inputs(), _extraction_docs)


def extraction_benchmark_lines() -> list[tuple[str, str, str]]:
    """``(page_id, line_text, label)`` for every labelled line of the English benchmark pages.

    Lines come from the page's whole text (cropped around the article), the same text without
    the text of its links, and trafilatura's output; a line found in several is listed once per
    page. Label is 'furniture' or 'body'.
    """
    out: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for doc in extraction_benchmark_docs():
        for line, label in zip(doc.lines, doc.labels):
            if label is not None and (doc.doc_id, line) not in seen:
                seen.add((doc.doc_id, line))
                out.append((doc.doc_id, line, label))
    return out


# --------------------------------------------------------------------------------------------
# AllSides


def _sentence_like(text: str, words: list[str]) -> bool:
    """Prose: a long line that starts like a sentence, ends like one and holds no address or mark."""
    return (
        len(words) >= 12
        and text[0].isupper()
        and text[-1] in ".!?\"”’)"
        and not any(mark in text for mark in ("@", "http", "www.", ".com", ".org", "©", "|"))
    )


def _common_in_prose(candidates: set[str], count: Counter[str], articles: list[list[str]]) -> set[str]:
    """Short candidates that occur inside longer paragraphs more often than they stand alone.

    "Rhode Island", "Senate" or "Hillary Clinton" recur as list headings, but they are words of
    the news; "Story Continued Below" or "Advertisement" almost never appear inside prose. The
    match is case-sensitive on whole words, over every PROSE_SAMPLE-th article.
    """
    short: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for p in candidates:
        words = tuple(WORD.findall(p))
        if 1 <= len(words) <= 4:
            short[words[0]].add(words)
    inside: Counter[tuple[str, ...]] = Counter()
    for paras in articles[::PROSE_SAMPLE]:
        for p in paras:
            words = WORD.findall(p)
            if len(words) < 6:
                continue
            # From the second word on: a label opening a longer paragraph ("CLOSE Video
            # title", "Read More Headline") is the same furniture with its particulars.
            for i, w in enumerate(words[1:], 1):
                for cand in short.get(w, ()):
                    if tuple(words[i : i + len(cand)]) == cand:
                        inside[cand] += 1
    return {
        p
        for p in candidates
        if (words := tuple(WORD.findall(p))) and 1 <= len(words) <= 4
        and inside[words] * PROSE_SAMPLE > count[p]
    }


_LABEL = re.compile(r"^\W*(?:\w+\W+){0,4}?\w+\s*:")


def _templates(furniture: set[str]) -> set[tuple[str, ...]]:
    """Openings and endings shared by several furniture paragraphs: a label before a colon
    ("Photo:", "READ MORE:"), the first two or three words, the last two or three words
    ("... contributed to this report")."""
    count: Counter[tuple[str, ...]] = Counter()
    for p in furniture:
        for key in _frame(p):
            count[key] += 1
    return {k for k, n in count.items() if n >= (2 if k[0] == ":" else 3)}


def _frame(p: str) -> list[tuple[str, ...]]:
    """The keys of a paragraph's opening and ending, each tagged by its kind."""
    words = WORD.findall(p.lower())
    out = [("^",) + tuple(words[:n]) for n in (2, 3) if len(words) > n]
    out += [("$",) + tuple(words[-n:]) for n in (2, 3) if len(words) > n]
    label = _LABEL.match(p)
    if label:
        out.append((":",) + tuple(WORD.findall(label.group(0).lower())))
    return out


def _template_of(p: str, templates: set[tuple[str, ...]]) -> bool:
    """A once-seen paragraph that fills in a furniture template ("Photo: <name>/AP")."""
    words = WORD.findall(p)
    if len(words) > 30:
        return False
    return any(key in templates for key in _frame(p))


def _in_share(doc_id: str, share: float) -> bool:
    # A second hash, salted so that the sample is independent of the dev/heldout split.
    h = int.from_bytes(hashlib.sha1(b"furniture-sample:" + doc_id.encode()).digest()[:4], "big")
    return h / 2**32 < share


def _mine_allsides(share: float) -> list[LabelledDoc]:
    """Label AllSides paragraphs by how often they recur across articles about different stories.

    A paragraph is furniture when it occurs in at least MIN_RECURRENCE articles whose longest
    paragraphs all differ (so the articles are different stories, not copies of one wire story)
    and it is not one of these, which are dropped as ambiguous:
    - longer than MAX_FURNITURE_WORDS words (embedded galleries, transcripts);
    - opening with a quotation mark (quotes republished in opinion roundups);
    - prose: twelve words or more shaped like a sentence with no address or copyright mark
      (gallery captions, author bios; see :func:`_sentence_like`);
    - questions ("What are the details?": an outlet's recurring subheading) and three words or
      fewer ending like a sentence ("No.");
    - up to four words that occur more often inside prose than on their own (state names and
      politicians' names used as list headings; see :func:`_common_in_prose`).
    A paragraph that occurs once is body, unless it is short (30 words at most) and opens or
    ends like several furniture paragraphs do (the same label before a colon, as "Photo:" or
    "READ MORE:", the same first or last two or three words, as "... contributed to this
    report."): a template such as a photo credit or a "read more" line with its particulars
    filled in, which is dropped. Paragraphs occurring 2 to 4 times
    are dropped.
    """
    articles: list[tuple[str, list[str]]] = []
    count: Counter[str] = Counter()
    holders: dict[str, list[int]] = defaultdict(list)
    longest: list[int] = []
    for rec in allsides():
        paras = [_norm(p) for p in rec["text"].split("\n\n") if p.strip()]
        idx = len(articles)
        articles.append((rec["id"], paras))
        longest.append(hash(max(paras, key=len)) if paras else 0)
        for p in set(paras):
            count[p] += 1
            holders[p].append(idx)

    furniture: set[str] = set()
    for p, n in count.items():
        if n < MIN_RECURRENCE:
            continue
        if len({longest[a] for a in holders[p]}) < MIN_RECURRENCE:
            continue  # the same story copied, not furniture
        words = WORD.findall(p.lower())
        if not words or len(words) > MAX_FURNITURE_WORDS or p[0] in _QUOTES:
            continue
        if _sentence_like(p, words) or p[-1] == "?" or (len(words) <= 3 and p[-1] in ".!"):
            continue
        furniture.add(p)
    furniture -= _common_in_prose(furniture, count, [paras for _, paras in articles])

    templates = _templates(furniture)

    def label(p: str, outside: bool) -> str | None:
        if p in furniture:
            return "furniture"
        if count[p] != 1:
            return None
        if _template_of(p, templates):
            return None
        if outside and len(WORD.findall(p)) <= SHORT_WORDS:
            return None
        return "body"

    docs = []
    for art_id, paras in articles:
        if not paras or not _in_share(art_id, share):
            continue
        long_paras = [i for i, p in enumerate(paras) if len(WORD.findall(p)) > SHORT_WORDS]
        first, last = (long_paras[0], long_paras[-1]) if long_paras else (len(paras), -1)
        labels = tuple(label(p, not first <= i <= last) for i, p in enumerate(paras))
        docs.append(LabelledDoc("allsides", art_id, tuple(paras), labels))
    return docs


def allsides_docs(share: float = ALLSIDES_SHARE) -> list[LabelledDoc]:
    """Labelled AllSides articles: a hashed sample of ``share`` of them, mined against the whole corpus."""
    inputs = [data_dir() / "allsides-news" / "allsides-news.jsonl.gz"]
    return _cache(f"allsides-{share:g}", inputs, lambda: _mine_allsides(share))


def allsides_furniture_lines(share: float = ALLSIDES_SHARE) -> list[tuple[str, str, str]]:
    """``(article_id, line_text, label)`` for the labelled paragraphs of a sample of AllSides articles.

    'furniture': a paragraph recurring verbatim in several articles about different stories;
    'body': a paragraph that occurs once in the whole corpus. Ambiguous paragraphs are left out.
    """
    return [
        (doc.doc_id, line, label)
        for doc in allsides_docs(share)
        for line, label in zip(doc.lines, doc.labels)
        if label is not None
    ]


# --------------------------------------------------------------------------------------------
# Both sources


def labelled_documents(split: str | None = None) -> list[LabelledDoc]:
    """Labelled documents of both sources, all or those of one split ('dev' or 'heldout')."""
    if split not in (None, "dev", "heldout"):
        raise ValueError(f"split must be 'dev', 'heldout' or None, got {split!r}")
    docs = extraction_benchmark_docs() + allsides_docs()
    return [d for d in docs if split is None or split_of(d.doc_id) == split]


def labelled_lines(split: str | None = None) -> list[tuple[str, str, str, str]]:
    """``(source, doc_id, line_text, label)`` of both sources, split by ``split_of(doc_id)``.

    ``source`` is 'extraction-benchmark' or 'allsides'. A benchmark line found both in the page
    text and in trafilatura's output is listed once.
    """
    if split not in (None, "dev", "heldout"):
        raise ValueError(f"split must be 'dev', 'heldout' or None, got {split!r}")
    keep = (lambda doc_id: True) if split is None else (lambda doc_id: split_of(doc_id) == split)
    out = [("extraction-benchmark", d, t, lab) for d, t, lab in extraction_benchmark_lines() if keep(d)]
    out += [("allsides", d, t, lab) for d, t, lab in allsides_furniture_lines() if keep(d)]
    return out


if __name__ == "__main__":
    for split in ("dev", "heldout"):
        counts = Counter((src, lab) for src, _, _, lab in labelled_lines(split))
        print(split, dict(sorted(counts.items())))
