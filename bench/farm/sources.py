"""The real material a farm article is made from, for one split: source articles, teasers,
furniture lines and people's names, all read from ../shared/data at run time.

Every source article id, furniture page id and author's article id passes through
:func:`bench.corpora.split_of`, so that a development article and a held-out article never
share a source.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gzip
import hashlib
import json
import os
import pickle
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from bench import corpora
from unspun.doc import Document, parse

WORD = re.compile(r"\w+(?:['’.]\w+)*")

# AllSides labels that are compilations or AllSides' own pages, not one outlet's article.
EXCLUDED_OUTLETS = frozenset({"The Flip Side", "AllSides", "John Gable, AllSides Founder"})

# Topic families for teasers: a teaser comes from another family than its host.
_FAMILY = {
    "sport": "sport", "sports": "sport",
    "entertainment": "entertainment", "arts_and_entertainment": "entertainment", "food": "entertainment",
    "holidays": "entertainment",
    "tech": "tech", "technology": "tech", "science": "tech",
    "business": "business",
}
TEASER_FAMILIES = ("sport", "entertainment", "tech")

# Marks of page furniture inside a body paragraph: such articles are not used as hosts, and
# such sentences are not taken as body sentences, so that the truth labels stay right.
_FURNITURE_MARKS = (
    "http:", "https:", "www.", "©", "click here", "sign up", "subscribe", "advertisement",
    "story continued below", "read more", "follow us", "toggle caption", "image copyright",
    "getty images", "photo:", "(ap photo", "watch:", "newsletter", "related:", "slideshow", "caption",
    "story highlights",
    # Credit and photo lines the outlets leave in their bodies: furniture, not prose to lift.
    "contributed to this report", "contributed reporting", "enlarge this image", "reporting by",
    "editing by", "this story has been updated", "originally appeared", "originally published",
)
_HANDLE = re.compile(r"@\w")


def _furniture_marked(text: str) -> bool:
    low = text.lower()
    return any(m in low for m in _FURNITURE_MARKS) or bool(_HANDLE.search(text))


# A personal name: two or three capitalised words, or initials ("Clay Curtis", "Mary K. Jones").
_NAME = re.compile(r"^[A-Z][a-z]+(?:[-'][A-Za-z]+)?(?: (?:[A-Z]\.|[A-Z][a-z]+(?:[-'][A-Za-z]+)?)){1,2}$")
# Words the AllSides author field holds that are not names ("Hours Ago", "Associated Press").
_NOT_NAMES = frozenset(
    "Ago Hours Hour Minutes Days Updated Staff News Press Associated Contributor Contributors Editor "
    "Editors Writer Writers Reporter Reporters Times Post Correspondent Team Board Desk Wire Media "
    "Opinion Editorial Service Network Online Digital Report Analysis Investigates Cnn Fox Using Law Enforcement National Security".split()
)
_END = re.compile(r"[.!?][\"'”’)\]]*$")
_START = re.compile(r"^[\"'“‘(]?[A-Z0-9]")


def family(category: str | None) -> str:
    return _FAMILY.get(category or "", "news")


def _norm(text: str) -> str:
    return " ".join(text.split())


@dataclass(slots=True)
class Article:
    """A real article: its record and, once asked for, its parse and usable sentences."""

    id: str
    corpus: str  # 'allsides' or 'bbc'
    title: str
    text: str
    category: str | None
    date: dt.date | None
    outlet: str
    _doc: Document | None = field(default=None, repr=False)
    _usable: list[int] | None = field(default=None, repr=False)
    _host: bool | None = field(default=None, repr=False)

    def sentence(self, i: int) -> str:
        s = self.doc.sentences[i]
        return self.text[s.start : s.end]

    @property
    def doc(self) -> Document:
        if self._doc is None:
            self._doc = parse(self.text, self.id)
        return self._doc


class Pool:
    """Source articles, teaser articles, furniture lines and names of one split."""

    def __init__(self, split: str) -> None:
        if split not in ("dev", "heldout"):
            raise ValueError(f"split must be 'dev' or 'heldout', got {split!r}")
        self.split = split
        self.articles: list[Article] = _load_articles(split)
        self.by_id = {a.id: a for a in self.articles}
        # Dated AllSides articles by topic, sorted by date: the candidates for a stitched mix.
        self._by_topic: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, a in enumerate(self.articles):
            if a.corpus == "allsides" and a.date and a.category:
                self._by_topic[a.category].append((a.date.toordinal(), i))
        for v in self._by_topic.values():
            v.sort()
        self.dated = [i for v in self._by_topic.values() for _, i in v]
        self.dated.sort()
        self.teasers: dict[str, list[int]] = defaultdict(list)
        for i, a in enumerate(self.articles):
            fam = family(a.category)
            self.teasers[fam].append(i)

    # ----------------------------------------------------------------------------------------
    # Real furniture, mined by bench.furniture

    @cached_property
    def _mined(self) -> tuple[set[str], list[list[tuple[str, str]]], list[tuple[str, str]]]:
        """Every AllSides furniture paragraph (normalised, to keep out of bodies); this split's
        runs of furniture lines of one extraction-benchmark page; this split's AllSides ones."""
        from bench import furniture

        allsides_lines = furniture.allsides_furniture_lines()
        recurring = {_norm(t) for _, t, lab in allsides_lines if lab == "furniture"}
        page_runs: list[list[tuple[str, str]]] = []
        # Consecutive furniture lines of one page form a run (a menu, a share bar, a footer).
        current: list[tuple[str, str]] = []
        last_id = None
        for page_id, text, label in furniture.extraction_benchmark_lines():
            if page_id != last_id or label != "furniture":
                if current:
                    page_runs.append(current)
                current = []
                last_id = page_id
            if label == "furniture" and corpora.split_of(page_id) == self.split and _placeable(text):
                current.append((page_id, text))
        if current:
            page_runs.append(current)
        seen: set[str] = set()
        allsides_one: list[tuple[str, str]] = []
        for art_id, text, label in allsides_lines:
            if label == "furniture" and corpora.split_of(art_id) == self.split and text not in seen and _placeable(text):
                seen.add(text)
                allsides_one.append((art_id, text))
        return recurring, page_runs, allsides_one

    @property
    def recurring_furniture(self) -> set[str]:
        return self._mined[0]

    def mined_lines(self, rng: random.Random, max_lines: int = 3) -> list[tuple[str, str, str]]:
        """1 to ``max_lines`` real furniture lines: (doc id, text, origin), from one page or one article."""
        _, page_runs, allsides_one = self._mined
        if rng.random() < 0.5 and page_runs:
            run = rng.choice(page_runs)
            n = min(len(run), rng.randint(1, max_lines))
            at = rng.randrange(len(run) - n + 1)
            return [(d, t, "extraction-benchmark") for d, t in run[at : at + n]]
        d, t = rng.choice(allsides_one)
        return [(d, t, "allsides")]

    # ----------------------------------------------------------------------------------------
    # Names

    @cached_property
    def authors(self) -> list[str]:
        """Personal names from AllSides' author lists, for fake bylines (sorted, deduplicated)."""
        path = corpora.data_dir() / "allsides-news" / "allsides-news.meta.jsonl.gz"
        names: Counter[str] = Counter()
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                if not rec.get("authors") or corpora.split_of(rec["id"]) != self.split:
                    continue
                for name in rec["authors"].split(","):
                    name = name.strip()
                    if _NAME.match(name) and not set(name.split()) & _NOT_NAMES:
                        names[name] += 1
        # A byline seen on two articles or more is a person's, not a scraping accident.
        return sorted(n for n, k in names.items() if k >= 2)

    # ----------------------------------------------------------------------------------------
    # Sentences

    def usable(self, a: Article) -> list[int]:
        """Sentences fit to be lifted into another article: prose, not furniture, not a fragment."""
        if a._usable is None:
            doc = a.doc
            bad_lines = {
                line.index
                for line in doc.lines
                if _norm(doc.line_text(line.index)) in self.recurring_furniture
                or _furniture_marked(doc.line_text(line.index))
            }
            out = []
            for s in doc.sentences:
                if s.line in bad_lines:
                    continue
                text = a.text[s.start : s.end]
                n = len(WORD.findall(text))
                if 6 <= n <= 70 and _END.search(text) and _START.match(text) and not text.isupper():
                    out.append(s.index)
            a._usable = out
        return a._usable

    def is_host(self, a: Article) -> bool:
        """An article that can be used whole (clean, or with something added): no furniture in it."""
        if a._host is None:
            ok = 1000 <= len(a.text) <= 12000 and bool(_START.match(a.text))
            if ok:
                doc = a.doc
                ok = 6 <= len(doc.sentences) <= 60 and len(doc.paragraphs) >= 4 and not any(
                    _norm(doc.line_text(line.index)) in self.recurring_furniture
                    or _furniture_marked(doc.line_text(line.index))
                    for line in doc.lines
                )
                ok = ok and len(self.usable(a)) >= 0.7 * len(doc.sentences)
                # It opens with prose, not a headline, byline or caption left in by the scraper.
                first = doc.line_text(0)
                ok = ok and len(WORD.findall(first)) >= 8 and bool(_END.search(first))
            a._host = ok
        return a._host

    # ----------------------------------------------------------------------------------------
    # Picking

    def host(self, rng: random.Random, slot: float, bbc_share: float = 0.2) -> Article:
        """An article to use whole: the first fit one from point ``slot`` (0..1) of a fixed
        shuffle. The generator spreads its articles' slots evenly, so that one set seldom uses
        a host twice."""
        order = self._host_order["bbc" if rng.random() < bbc_share else "allsides"]
        at = int(slot * len(order))
        for k in range(len(order)):
            a = self.articles[order[(at + k) % len(order)]]
            if self.is_host(a):
                return a
        raise RuntimeError(f"no host article found in split {self.split}")

    @cached_property
    def _host_order(self) -> dict[str, list[int]]:
        out = {}
        for corpus in ("allsides", "bbc"):
            idx = [i for i, a in enumerate(self.articles) if a.corpus == corpus]
            random.Random(f"hosts:{self.split}:{corpus}").shuffle(idx)
            out[corpus] = idx
        return out

    def teaser(self, rng: random.Random, host_family: str, host: Article | None = None) -> tuple[Article, str, list[int]]:
        """An article on another topic, its family and the 1 or 2 first sentences to show."""
        for _ in range(1000):
            # Mostly another story entirely (sport, celebrity, gadgets); now and then other news.
            fam = "news" if rng.random() < 0.15 else rng.choice(TEASER_FAMILIES)
            if fam == host_family and fam != "news":  # news is split by topic and date below
                continue
            a = self.articles[rng.choice(self.teasers[fam])]
            if host is not None and (a.category == host.category or a.id == host.id):
                continue
            if host is not None and a.date and host.date and abs((a.date - host.date).days) < 60:
                continue
            words = WORD.findall(a.title or "")
            if not 3 <= len(words) <= 20 or a.title.endswith("."):
                continue
            first = [i for i in self.usable(a) if i < 4]
            if len(first) < 2 or first[0] != 0:
                continue
            n = rng.choice((1, 2, 2))
            return a, fam, first[:n]
        raise RuntimeError(f"no teaser found in split {self.split}")

    def stitch_sources(self, rng: random.Random, k: int, window_days: int = 3) -> list[Article]:
        """``k`` (at least 2) AllSides articles on one topic within a few days, from different outlets."""
        for _ in range(500):
            seed = self.articles[rng.choice(self.dated)]
            if len(self.usable(seed)) < 5:
                continue
            row = self._by_topic[seed.category]
            day = seed.date.toordinal()
            lo = bisect.bisect_left(row, (day - window_days, -1))
            hi = bisect.bisect_right(row, (day + window_days, len(self.articles)))
            cands = [self.articles[i] for _, i in row[lo:hi] if self.articles[i].id != seed.id]
            rng.shuffle(cands)
            chosen = [seed]
            sentences = {seed.sentence(i) for i in self.usable(seed)}
            for c in cands:
                if len(chosen) >= k:
                    break
                if c.outlet in {x.outlet for x in chosen} or len(self.usable(c)) < 4:
                    continue
                own = {c.sentence(i) for i in self.usable(c)}
                if own & sentences:  # wire copy republished: the same sentences, not another source
                    continue
                chosen.append(c)
                sentences |= own
            if len(chosen) >= 2:
                return chosen
        raise RuntimeError(f"no stitched mix found in split {self.split}")


def _load_articles(split: str) -> list[Article]:
    """The split's AllSides and BBC articles, kept in .cache/farm/ (git-ignored) after the first
    read: decompressing and decoding the AllSides file takes several seconds."""
    inputs = [
        corpora.data_dir() / "allsides-news" / "allsides-news.jsonl.gz",
        corpora.data_dir() / "bbc-news" / "bbc-news.jsonl",
        corpora.data_dir() / "bbc-news" / "duplicates.json",
    ]
    key = hashlib.sha1(f"{_CACHE_VERSION}:{split}".encode())
    for path in inputs:
        st = path.stat()
        key.update(f"{path}:{st.st_size}:{st.st_mtime_ns}".encode())
    path = corpora.REPO / ".cache" / "farm" / f"articles-{split}-{key.hexdigest()[:12]}.pkl"
    if path.exists():
        with path.open("rb") as f:
            rows = pickle.load(f)
    else:
        rows = []
        for rec in corpora.allsides():
            if rec["outlet"] not in EXCLUDED_OUTLETS and corpora.split_of(rec["id"]) == split:
                rows.append(_row(rec, "allsides"))
        for rec in corpora.bbc():
            if corpora.split_of(rec["id"]) == split:
                rows.append(_row(rec, "bbc"))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(rows, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    return [Article(*row) for row in rows]


_CACHE_VERSION = 1


def _row(rec: dict, corpus: str) -> tuple:
    """The fields an :class:`Article` is built from, as plain values (for the cache)."""
    return (
        rec["id"],
        corpus,
        (rec.get("title") or "").strip(),
        rec["text"],
        rec.get("category"),
        dt.date.fromisoformat(rec["date"]) if rec.get("date") else None,
        rec.get("outlet") or "",
    )


def _placeable(text: str) -> bool:
    return 0 < len(text) <= 200 and "\n" not in text and bool(WORD.search(text))
