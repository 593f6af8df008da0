"""Sentence segmenters on real news: boundary accuracy on a hand-labelled gold set, and speed.

Run from the repository root::

    python -m bench.segmenters              # accuracy table + speed over 1,000 AllSides articles
    python -m bench.segmenters --errors     # also list every wrong boundary, with its context
    python -m bench.segmenters --articles 200 --repeat 1   # quicker

The gold set, ``tests/data/sentence-gold.jsonl``, holds no article text: each line names a
paragraph (corpus, article id, index in ``text.split("\\n\\n")``) and the character offsets,
within that paragraph, where each sentence ends (just after its final punctuation and any
closing quote or bracket). The paragraphs are rebuilt here from ``../shared/data`` through
``bench.corpora``. The boundaries were labelled by hand, not with any of these segmenters;
docs/segmentation.md describes the conventions.

Scoring. Only boundaries *inside* a paragraph count: the end of the paragraph is a boundary
that every segmenter gets for free. A predicted end matches a gold end when both point at the
same place once trailing whitespace is dropped and a free-standing ellipsis ("...", "…",
". . .") between two sentences is skipped (whether it closes one sentence or opens the next is
a matter of convention). A split between a full stop and its closing quote does not match.
"F1, in-quote optional" scores again with every boundary that falls inside a quotation left
out on both sides, for segmenters (sentencex, pysbd) that by design keep a quoted passage of
several sentences whole.

Speed is the time to turn each paragraph of an article into sentence end offsets (what
``unspun.doc`` needs), in ms per article: the fastest of ``--repeat`` runs over the first
``--articles`` AllSides articles, timed with ``time.perf_counter``, with the CPU time of that
run beside it. The "raw call" column is the library's own plain call (a list of strings, a
Doc, ...) without turning it into offsets.

NLTK's punkt is left out: it needs a data download (punkt / punkt_tab), and unspun may not
download anything at run time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.corpora import REPO, allsides, bbc

GOLD = REPO / "tests" / "data" / "sentence-gold.jsonl"

Ends = Callable[[str], list[int]]


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


# --- the candidates -------------------------------------------------------------------------
# Each maker returns (ends, raw): ``ends(paragraph)`` gives the sentence end offsets within the
# paragraph; ``raw(paragraph)`` is the library's plain call, for the second speed column.


def make_sentencex() -> tuple[Ends, Callable]:
    import sentencex

    def ends(text: str) -> list[int]:
        # The pieces keep their whitespace and join back to the text, so the ends are running
        # lengths (cheaper than get_sentence_boundaries, which builds a dict per sentence).
        out, pos = [], 0
        for piece in sentencex.segment("en", text):
            pos += len(piece)
            out.append(_rstrip_end(text, 0, pos))
        if pos != len(text):
            raise ValueError("sentencex pieces do not join back to the text")
        return out

    return ends, lambda text: sentencex.segment("en", text)


def make_blingfire() -> tuple[Ends, Callable]:
    import blingfire

    def ends(text: str) -> list[int]:
        # text_to_sentences_and_offsets maps UTF-8 offsets back in a Python loop over every
        # byte (four times the cost of the segmentation itself); finding each sentence in the
        # text is cheaper, and the slow call is kept for text that blingfire has rewritten.
        out, cursor = [], 0
        for sentence in blingfire.text_to_sentences(text).split("\n"):
            at = text.find(sentence, cursor)
            if at < 0:
                return [e for _, e in blingfire.text_to_sentences_and_offsets(text)[1]]
            cursor = at + len(sentence)
            out.append(cursor)
        return out

    return ends, blingfire.text_to_sentences


def make_pysbd() -> tuple[Ends, Callable]:
    import pysbd

    spans = pysbd.Segmenter(language="en", clean=False, char_span=True)
    plain = pysbd.Segmenter(language="en", clean=False)

    def ends(text: str) -> list[int]:
        return [_rstrip_end(text, s.start, s.end) for s in spans.segment(text)]

    return ends, plain.segment


def make_syntok() -> tuple[Ends, Callable]:
    from syntok import segmenter

    def ends(text: str) -> list[int]:
        out = []
        for paragraph in segmenter.analyze(text):
            for sentence in paragraph:
                last = sentence[-1]
                out.append(last.offset + len(last.value))
        return out

    def raw(text: str) -> list:
        return [list(p) for p in segmenter.process(text)]

    return ends, raw


def make_spacy() -> tuple[Ends, Callable]:
    import spacy

    nlp = spacy.blank("en")  # tokenizer only: no model, nothing downloaded
    nlp.add_pipe("sentencizer")

    def ends(text: str) -> list[int]:
        return [s.end_char for s in nlp(text).sents]

    return ends, nlp


CANDIDATES: dict[str, Callable[[], tuple[Ends, Callable]]] = {
    "sentencex": make_sentencex,
    "blingfire": make_blingfire,
    "syntok": make_syntok,
    "pysbd": make_pysbd,
    "spacy sentencizer": make_spacy,
}


# --- the gold set ---------------------------------------------------------------------------


@dataclass
class GoldParagraph:
    corpus: str
    id: str
    paragraph: int
    text: str
    ends: list[int]


def load_gold(path: Path = GOLD) -> list[GoldParagraph]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = {(r["corpus"], r["id"]) for r in rows}
    texts: dict[tuple[str, str], str] = {}
    sources = {"allsides": allsides, "bbc": bbc}
    for corpus in sorted({c for c, _ in wanted}):
        left = {i for c, i in wanted if c == corpus}
        for rec in sources[corpus]():
            if rec["id"] in left:
                texts[(corpus, rec["id"])] = rec["text"]
                left.discard(rec["id"])
                if not left:
                    break
    gold = []
    for r in rows:
        key = (r["corpus"], r["id"])
        if key not in texts:
            raise KeyError(f"gold paragraph {key} not found in the shared data")
        text = texts[key].split("\n\n")[r["paragraph"]]
        if r["ends"][-1] > len(text):
            raise ValueError(f"gold ends of {key} run past its paragraph: has the data changed?")
        gold.append(GoldParagraph(r["corpus"], r["id"], r["paragraph"], text, r["ends"]))
    return gold


# --- scoring --------------------------------------------------------------------------------

_SKIP_ELLIPSIS = re.compile(r"\s*(?:(?:\.\s?){3,}|…|\.\.)(?=\s|$)")


def canonical(text: str, offset: int) -> int:
    """Where the next sentence starts: past whitespace and any free-standing ellipsis."""
    offset = _rstrip_end(text, 0, offset)
    pos = offset
    while True:
        m = _SKIP_ELLIPSIS.match(text, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def internal(text: str, ends: list[int]) -> set[int]:
    last = canonical(text, len(text))
    return {c for c in (canonical(text, e) for e in ends) if 0 < c < last}


_CLOSERS = "\"'”’)]»"
_ABBREV = re.compile(
    r"(?:[A-Za-z]\.){2,}|[A-Z]\.|(?:Mr|Mrs|Ms|Dr|Sr|Jr|St|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Rev|Prof|No|Co|Corp|Inc|Ltd"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|etc|vs|[A-Za-z]+\.[A-Za-z]+)\.",
)


def inside_quotation(text: str, offset: int) -> bool:
    """Whether ``offset`` lies inside a quotation (curly quotes, or straight ones told apart
    by what precedes them); an unclosed quotation stays open to the end of the paragraph."""
    depth = 0
    for i in range(offset):
        ch = text[i]
        if ch == "“":
            depth = 1
        elif ch == "”":
            depth = 0
        elif ch == '"':
            depth = 1 if i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-" else 0
    return depth > 0


def kind(text: str, offset: int) -> str:
    """What sits just before a boundary: the class of a wrong split or of a missed one."""
    before = text[:offset].rstrip()
    token = before.rsplit(None, 1)[-1] if before else ""
    core = token.rstrip(_CLOSERS)
    if core.endswith(("...", "…", "..")):
        return "ellipsis"
    if not token.strip(_CLOSERS + "“‘«"):  # only quote marks: a split after an opening quote
        return "quote/bracket"
    if core != token and core[-1] in ".?!":  # ." ?” !' .) and the like
        return "quote/bracket"
    if re.search(r"\d\.\d*$", core):
        return "number"
    bare = core.lstrip("(\"'“‘[")
    if _ABBREV.fullmatch(bare) or re.fullmatch(r"[A-Z][A-Za-z]{0,3}\.", bare):
        return "abbreviation"
    if core[-1:] not in ".?!":
        return "no punctuation"
    return "other"


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    exact: int = 0
    paragraphs: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _boundary_position(text: str, canon: int) -> int:
    """An offset to show for a canonical boundary (the end of the text before it)."""
    return _rstrip_end(text, 0, canon)


def evaluate(
    ends: Ends, gold: list[GoldParagraph]
) -> tuple[Score, dict[str, Score], Score, Counter, Counter, list]:
    """Micro-averaged scores: overall, per corpus, and with boundaries inside quotations optional."""
    total, by_corpus, lenient = Score(), {}, Score()
    fp_kinds: Counter = Counter()
    fn_kinds: Counter = Counter()
    errors = []
    for g in gold:
        want = internal(g.text, g.ends)
        got = internal(g.text, ends(g.text))
        for s in (total, by_corpus.setdefault(g.corpus, Score())):
            s.tp += len(want & got)
            s.fp += len(got - want)
            s.fn += len(want - got)
            s.exact += want == got
            s.paragraphs += 1
        optional = {c for c in want | got if inside_quotation(g.text, _boundary_position(g.text, c))}
        lenient.tp += len((want & got) - optional)
        lenient.fp += len(got - want - optional)
        lenient.fn += len(want - got - optional)
        lenient.exact += want - optional == got - optional
        lenient.paragraphs += 1
        for what, wrong, kinds in (("split", got - want, fp_kinds), ("missed", want - got, fn_kinds)):
            for c in sorted(wrong):
                at = _boundary_position(g.text, c)
                k = "in quotation" if c in optional else kind(g.text, at)
                kinds[k] += 1
                errors.append((what, k, g, at))
    return total, by_corpus, lenient, fp_kinds, fn_kinds, errors


# --- speed ----------------------------------------------------------------------------------


def load_articles(n: int) -> list[list[str]]:
    return [[p for p in rec["text"].split("\n\n") if p.strip()] for rec in allsides(n)]


def time_per_article(fn: Callable, articles: list[list[str]], repeat: int) -> tuple[float, float]:
    """(wall, cpu) ms per article for the fastest of ``repeat`` runs over ``articles``.

    Wall time is ``time.perf_counter``; CPU time (``time.process_time``) is shown beside it
    because other work on a shared machine inflates wall time more than CPU time. Runs stop
    once 20 s have been spent, so the slowest candidates are timed only once or twice.
    """
    for paras in articles[:20]:  # warm up: lazy imports, caches
        for p in paras:
            fn(p)
    best = (float("inf"), float("inf"))
    spent = 0.0
    for _ in range(repeat):
        c0 = time.process_time()
        t0 = time.perf_counter()
        for paras in articles:
            for p in paras:
                fn(p)
        wall = time.perf_counter() - t0
        cpu = time.process_time() - c0
        best = min(best, (wall, cpu))
        spent += wall
        if spent > 20:
            break
    return best[0] * 1000 / len(articles), best[1] * 1000 / len(articles)


# --- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000, help="AllSides articles to time (default 1000)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per segmenter; the fastest is shown")
    ap.add_argument("--no-speed", action="store_true", help="accuracy only")
    ap.add_argument("--errors", action="store_true", help="print every wrong boundary with its context")
    ap.add_argument("--only", action="append", choices=list(CANDIDATES), help="run only this candidate (repeatable)")
    args = ap.parse_args(argv)

    names = args.only or list(CANDIDATES)
    gold = load_gold()
    n_gold = sum(len(internal(g.text, g.ends)) for g in gold)
    corpora = Counter(g.corpus for g in gold)
    print(
        f"gold: {len(gold)} paragraphs ({', '.join(f'{v} {k}' for k, v in sorted(corpora.items()))}), "
        f"{n_gold} sentence boundaries inside paragraphs"
    )
    articles = [] if args.no_speed else load_articles(args.articles)
    if articles:
        n_paras = sum(len(a) for a in articles)
        n_chars = sum(len(p) for a in articles for p in a)
        print(
            f"speed: {len(articles)} AllSides articles, {n_paras} paragraphs, "
            f"{n_chars / len(articles):.0f} chars/article; fastest of up to {args.repeat} runs; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
    print()

    rows, details = [], []
    for name in names:
        ends, raw = CANDIDATES[name]()
        score, by_corpus, lenient, fp_kinds, fn_kinds, errors = evaluate(ends, gold)
        nan = (float("nan"), float("nan"))
        ms = time_per_article(ends, articles, args.repeat) if articles else nan
        ms_raw = time_per_article(raw, articles, args.repeat) if articles else nan
        rows.append((name, score, by_corpus, lenient, ms, ms_raw))
        details.append((name, fp_kinds, fn_kinds, errors))

    header = (
        "| segmenter | precision | recall | F1 | F1 AllSides | F1 BBC | F1, in-quote optional "
        "| paragraphs all right | wrong splits | missed | ms/article | CPU ms/article | ms/article, raw call |"
    )
    print(header)
    print("|---|" + "---:|" * (header.count("|") - 2))
    for name, s, by, lenient, ms, ms_raw in rows:
        f_as = by.get("allsides", Score()).f1
        f_bbc = by.get("bbc", Score()).f1
        print(
            f"| {name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {f_as:.3f} | {f_bbc:.3f} "
            f"| {lenient.f1:.3f} | {s.exact}/{s.paragraphs} | {s.fp} | {s.fn} "
            f"| {ms[0]:.3f} | {ms[1]:.3f} | {ms_raw[0]:.3f} |"
        )

    print(
        "\nwrong boundaries (wrong splits / missed boundaries): inside a quotation, "
        "else by what precedes them\n"
    )
    kinds = ["in quotation", "abbreviation", "quote/bracket", "ellipsis", "number", "other", "no punctuation"]
    print("| segmenter | " + " | ".join(kinds) + " |")
    print("|---|" + "---:|" * len(kinds))
    for name, fp_kinds, fn_kinds, _ in details:
        print(f"| {name} | " + " | ".join(f"{fp_kinds[k]} / {fn_kinds[k]}" for k in kinds) + " |")

    if args.errors:
        for name, _, _, errors in details:
            print(f"\n== {name}: {len(errors)} wrong boundaries")
            for what, k, g, at in errors:
                ctx = (g.text[max(0, at - 40) : at] + " ‖ " + g.text[at : at + 30]).replace("\n", " ")
                print(f"  {what:6} {k:14} {g.corpus}:{g.id}:{g.paragraph}@{at}  …{ctx}…")
    return 0


if __name__ == "__main__":
    sys.exit(main())
