"""Precision and recall of the boilerplate step on the held-out split of the labelled lines.

    PYTHONPATH=src:. python -m bench.boilerplate_eval [--split heldout] [--errors 20]

Each held-out document (see ``bench.furniture``) is parsed and run through
:class:`unspun.steps.boilerplate.BoilerplateStep` as the pipeline would run it, with no other
findings; every labelled line is then a true or false positive or a miss. Three counts are
given per source:

- *lines*: every labelled line of a page or article once (a recurring furniture line counts
  once per article; a benchmark line counts once per page, flagged if flagged in any of the
  page's three renderings: page text, link-free page text, trafilatura's output);
- *distinct*: each distinct line text once (its first occurrence);
- *unseen*: only lines whose text is nowhere in the development split, i.e. what the model
  could not have memorised.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass

from bench.furniture import LabelledDoc, labelled_documents
from unspun.doc import parse
from unspun.spans import Findings
from unspun.steps.boilerplate import BoilerplateStep

# The benchmark's three renderings of a page are one source in the summary.
GROUPS = {
    "extraction-page": "extraction benchmark",
    "extraction-nolinks": "extraction benchmark",
    "extraction-trafilatura": "extraction benchmark",
    "allsides": "allsides",
}


@dataclass(frozen=True, slots=True)
class Scored:
    source: str
    doc_id: str
    text: str
    label: str  # 'furniture' or 'body'
    flagged: bool
    score: float


@dataclass(frozen=True, slots=True)
class Metrics:
    lines: int
    furniture: int
    flagged: int
    true_positives: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.flagged if self.flagged else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.furniture if self.furniture else 1.0


def score_documents(step: BoilerplateStep, docs: Iterable[LabelledDoc], timings: list[float] | None = None) -> list[Scored]:
    """Run the step on each document; one row per labelled line. ``timings`` collects
    (seconds, words) of each ``detect`` call when given."""
    rows: list[Scored] = []
    for d in docs:
        doc = parse(d.text, name=d.doc_id)
        if len(doc.lines) != len(d.lines):
            raise ValueError(f"{d.source} {d.doc_id}: parsed {len(doc.lines)} lines, labelled {len(d.lines)}")
        t = time.perf_counter()
        found = list(step.detect(doc, Findings(len(doc.text))))
        if timings is not None:
            timings.append((time.perf_counter() - t, doc.word_count))
        score = {f.details["line"]: f.score for f in found}
        for i, label in enumerate(d.labels):
            if label is not None:
                rows.append(Scored(d.source, d.doc_id, d.lines[i], label, i in score, score.get(i, 0.0)))
    return rows


def metrics(rows: Iterable[Scored]) -> Metrics:
    lines = furniture = flagged = tp = 0
    for r in rows:
        lines += 1
        is_furniture = r.label == "furniture"
        furniture += is_furniture
        flagged += r.flagged
        tp += r.flagged and is_furniture
    return Metrics(lines, furniture, flagged, tp)


def merge(rows: Iterable[Scored], key) -> list[Scored]:
    """One row per ``key(row)``, flagged if any of its rows is: a line counts once, and a false
    positive in any rendering counts against precision."""
    out: dict[object, Scored] = {}
    for r in rows:
        k = key(r)
        if k not in out or (r.flagged and not out[k].flagged):
            out[k] = r
    return list(out.values())


def distinct(rows: Iterable[Scored]) -> list[Scored]:
    return merge(rows, lambda r: r.text)


def breakdown(rows: list[Scored], known: set[str]) -> dict[str, dict[str, Metrics]]:
    """Metrics per source group and per rendering of a source.

    ``lines`` counts each labelled line of a page or article once, as ``bench.furniture``'s
    line lists do (a benchmark line found in the page text, the link-free text and
    trafilatura's output is one line); ``distinct`` each line text once; ``unseen`` the distinct
    texts found nowhere in the development split.
    """
    by: dict[str, list[Scored]] = {"all": rows}
    for r in rows:
        by.setdefault(GROUPS[r.source], []).append(r)
        if GROUPS[r.source] != r.source:
            by.setdefault(r.source, []).append(r)
    out = {}
    for name, group in by.items():
        unique = distinct(group)
        out[name] = {
            "lines": metrics(merge(group, lambda r: (GROUPS[r.source], r.doc_id, r.text))),
            "distinct": metrics(unique),
            "unseen": metrics(r for r in unique if r.text not in known),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="heldout", choices=["heldout", "dev"])
    ap.add_argument("--errors", type=int, default=0, help="print this many false positives and misses")
    args = ap.parse_args(argv)

    step = BoilerplateStep()
    docs = labelled_documents(args.split)
    known = {line for d in labelled_documents("dev") for line in d.lines} if args.split == "heldout" else set()
    timings: list[tuple[float, int]] = []
    rows = score_documents(step, docs, timings)

    print(f"{step.name}, threshold {step.threshold:.3f}, {args.split} split: {len(docs)} documents")
    print(f"{'source':24} {'lines':>7} {'furn.':>6} | {'P':>6} {'R':>6} | distinct {'P':>6} {'R':>6} | unseen {'n':>5} {'P':>6} {'R':>6}")
    for name, m in breakdown(rows, known).items():
        a, d, u = m["lines"], m["distinct"], m["unseen"]
        print(
            f"{name:24} {a.lines:7d} {a.furniture:6d} | {a.precision:6.3f} {a.recall:6.3f} | "
            f"         {d.precision:6.3f} {d.recall:6.3f} |        {u.furniture:5d} {u.precision:6.3f} {u.recall:6.3f}"
        )

    per_doc = [t for t, _ in timings]
    words = sum(w for _, w in timings)
    print(
        f"speed: median {statistics.median(per_doc) * 1e3:.3f} ms per document, "
        f"{sum(per_doc) / max(1, words) * 1e6:.2f} µs per word over {words} words"
    )
    if args.errors:
        fp = [r for r in rows if r.flagged and r.label == "body"]
        fn = [r for r in rows if not r.flagged and r.label == "furniture"]
        for title, errs in (("false positives", fp), ("misses", fn)):
            print(f"\n{title} ({len(errs)}), first {args.errors} distinct:")
            for r in distinct(errs)[: args.errors]:
                print(f"  {r.score:.3f} {r.source:22} {r.text[:110]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
