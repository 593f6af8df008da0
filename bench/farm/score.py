"""Run unspun on the farm articles and score its findings against the recorded truth.

    python -m bench.farm.score --split heldout            # 1000 held-out articles, seed 1
    python -m bench.farm.score --n 200 --json out.json    # a slice, and the table as JSON
    python -m bench.farm.score --index ref.duckdb         # provenance against a reference index

The articles are generated first when no file made by the current generator exists.
docs/benchmark.md explains each row.

Sentence level: a truth sentence counts as found by a kind when findings of that kind cover
at least half of it. Article level: the verdict against what the article is made of.
Provenance rows read ``report.sentences[i].source``. By default each article is traced to the
real articles it was made from; with ``--index`` (built by ``unspun index``, e.g. of all of
AllSides and BBC) to the whole index, less the real articles whose text the farm article shows
as its own, injected or furniture text, and their republications: those rows then count
false sources.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from bench.farm.generate import load_or_generate

SCHEMA = "unspun.bench.farm.score/1"
HEAD_ROLES = ("title", "byline", "dateline", "header")
# Finding kinds that would mark a changed figure, whichever name the step ends up with.
NUMBER_KINDS = ("number_change", "changed_number", "figure_changed", "number")


# ------------------------------------------------------------------------------------------------
# Running unspun


def build_pipeline(quiet: bool = False):
    """The default pipeline. While one of its steps cannot be built yet (the steps are still
    being written), the steps that can, so that the table still has the rows they make; the
    output names the steps that ran."""
    from unspun import Pipeline

    try:
        return Pipeline()
    except (ImportError, OSError, TypeError) as e:
        if not quiet:
            print(f"note: the default pipeline cannot be built ({type(e).__name__}: {e}); "
                  "running the steps that can be", file=sys.stderr)
    from unspun.lexicon import Lexicon

    lexicon = Lexicon()
    steps = []
    for build in (_metadata_step, _boilerplate_step, lambda: _injected_step(lexicon)):
        try:
            steps.append(build())
        except (ImportError, OSError, TypeError):
            continue
    return Pipeline(steps=steps, lexicon=lexicon)


def _metadata_step():
    from unspun.steps.metadata import MetadataStep

    return MetadataStep()


def _boilerplate_step():
    from unspun.steps.boilerplate import BoilerplateStep

    return BoilerplateStep()


def _injected_step(lexicon):
    from unspun.steps.injected import InjectedStep

    try:
        from unspun.topics import TopicSpace
    except ImportError:
        return InjectedStep(lexicon)
    return InjectedStep(lexicon, TopicSpace())


_pipeline = None
_use_sources = False
_index = None


def _init(use_sources: bool, index_path: str | None = None) -> None:
    global _pipeline, _use_sources, _index
    _pipeline = build_pipeline(quiet=True)
    _use_sources = use_sources
    # Every run sets the index anew: a run without one must not trace against the index of a
    # run before it in the same process.
    if _index is not None:
        _index.close()
    _index = None
    if index_path:
        from unspun import SourceIndex

        _index = SourceIndex(index_path, read_only=True)


def _source_of(unit) -> dict | None:
    """A sentence's traced source as {id, substitutions, number_changes, text}, whatever shape
    it comes in (unspun's report shape: document.id, edits, numbers, match.text)."""
    src = getattr(unit, "source", None)
    if src is None:
        return None
    if isinstance(src, str):
        return {"id": src}
    get = src.get if isinstance(src, dict) else (lambda k, d=None: getattr(src, k, d))
    subs = get("substitutions") or [e for e in (get("edits") or []) if e.get("op") == "sub"]
    pairs = []
    for s in subs:
        f = s.get("from") if isinstance(s, dict) else getattr(s, "frm", None) or getattr(s, "from_", None)
        t = s.get("to") if isinstance(s, dict) else getattr(s, "to", None)
        if f is not None and t is not None:
            pairs.append([f, t])
    document = get("document") or {}
    numbers = get("numbers") or []
    return {
        "id": get("id") or get("source_id") or get("doc_id") or document.get("id"),
        "substitutions": pairs,
        "number_changes": len(get("number_changes") or numbers),
        "numbers": None if get("numbers") is None else [[n["from"], n["to"]] for n in numbers if isinstance(n, dict)],
        "text": (get("match") or {}).get("text"),
        "edits": [[e.get("op"), e.get("from"), e.get("to")] for e in (get("edits") or []) if isinstance(e, dict)],
    }


def _check(item: tuple[str, str, list[dict] | None]) -> dict:
    """One article through the pipeline; only what scoring needs comes back (cheap to pickle)."""
    art_id, text, sources = item
    if _index is not None:
        # The articles the farm's own, injected and furniture text came from are left out:
        # the index then holds no source for that text, so a source given to it is false.
        from unspun.provenance.attach import Excluding

        report = _pipeline.check(text, name=art_id, sources=Excluding(_index, sources or ()))
    elif _use_sources and sources is not None:
        report = _pipeline.check(text, name=art_id, sources=sources)
    else:
        report = _pipeline.check(text, name=art_id)
    return {
        "id": art_id,
        "verdict": report.verdict.label,
        "findings": [(f.kind, f.start, f.end, round(float(f.score), 4)) for f in report.findings],
        "sentences": [(u.start, u.end, _source_of(u)) for u in report.sentences]
        if any(hasattr(u, "source") for u in report.sentences[:1])
        else None,
    }


def _accepts_sources(pipeline) -> bool:
    try:
        return "sources" in inspect.signature(pipeline.check).parameters
    except (TypeError, ValueError):
        return False


def run(records: list[dict], jobs: int = 1, use_sources: bool | None = None,
        index: str | None = None) -> tuple[list[dict], dict]:
    """Every article through unspun, in batches over ``jobs`` processes; predictions and run info.
    With ``index`` (a reference index file), each article is traced against it, less its host."""
    probe = build_pipeline()
    steps = [{"name": s.name, "produces": s.produces, "kinds": list(s.kinds())} for s in probe.steps]
    accepts = _accepts_sources(probe)
    use_sources = accepts if use_sources is None else (use_sources and accepts)
    if index:
        own = {r["id"]: _source_ids(r, unsourced=True) - _source_ids(r, unsourced=False) for r in records}
        copies = republished(index, set().union(*own.values())) if own else {}
        sources_of = {}
        for r in records:
            left_out = own[r["id"]].union(*(copies.get(i, ()) for i in own[r["id"]]))
            # An article that is also the source of a copied or spun sentence stays.
            sources_of[r["id"]] = sorted(left_out - _source_ids(r, unsourced=False))
    else:
        sources_of = _source_texts(records) if use_sources else {}
    items = [(r["id"], r["text"], sources_of.get(r["id"])) for r in records]
    t0 = time.perf_counter()
    if jobs <= 1:
        _init(use_sources, index)
        preds = [_check(it) for it in items]
    else:
        import multiprocessing as mp

        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        with ctx.Pool(jobs, initializer=_init, initargs=(use_sources, index)) as pool:
            preds = list(pool.imap(_check, items, chunksize=max(1, min(32, len(items) // (jobs * 4) or 1))))
    seconds = time.perf_counter() - t0
    info = {
        "steps": steps,
        "sources_given": "index" if index else use_sources,
        "index": index,
        "jobs": jobs,
        "seconds": round(seconds, 2),
        "ms_per_article": round(1000 * seconds / max(1, len(records)), 1),
    }
    return preds, info


def _source_reader(records: list[dict]):
    """Reads a source sentence's text from the split's pool (built once)."""
    from bench.farm.sources import Pool

    pools: dict[str, Pool] = {}

    def read(doc_id: str, span) -> str | None:
        for split in {r["split"] for r in records}:
            pool = pools.get(split) or pools.setdefault(split, Pool(split))
            a = pool.by_id.get(doc_id)
            if a is not None:
                return a.text[span[0] : span[1]]
        return None

    return read


def _hosts(record: dict) -> set[str]:
    """The article a farm article was built on: the source of its 'original' sentences."""
    return {t["source_id"] for t in record["truth"] if t["label"] == "original" and t["source_id"]}


#: Labels whose text should have no source: the farm's own text, the injected teaser, the furniture.
UNSOURCED = ("original", "injected", "furniture")


def _source_ids(record: dict, unsourced: bool) -> set[str]:
    """The real articles the text of an article's UNSOURCED labels came from (``unsourced``),
    or those of its other labels (copied and spun). With an index, the first are left out
    (with their republications) for the rows "given a source" to count false sources."""
    return {t["source_id"] for t in record["truth"]
            if (t["label"] in UNSOURCED) == unsourced and t["source_id"]}


def republished(index_path: str, ids: set[str], min_shared: int = 1) -> dict[str, set[str]]:
    """For each of ``ids``, the other indexed documents that hold at least ``min_shared`` of
    its sentences word for word (wire copy republished under another outlet's name; the generator
    takes one shared sentence as the mark of it too, see Pool.stitch_sources), found by
    exact sentence hashes over the index's own sentences, independently of tracing."""
    import duckdb
    import pyarrow as pa

    from unspun import SourceIndex

    with SourceIndex(index_path, read_only=True) as index:
        ids_, texts = [], []
        for did, _, text in index.sentence_texts():
            if len(text) >= 40:
                ids_.append(did)
                texts.append(text)
    con = duckdb.connect()
    try:
        con.register("sentences", pa.table({"id": ids_, "text": texts}))
        con.register("wanted", pa.table({"id": sorted(ids)}))
        rows = con.execute(
            """
            WITH sh AS (
                SELECT id, hash(lower(trim(regexp_replace(text, '[^A-Za-z0-9]+', ' ', 'g')))) AS h
                FROM sentences),
            mine AS (SELECT DISTINCT sh.id, sh.h FROM sh JOIN wanted USING (id))
            SELECT mine.id, sh.id, count(DISTINCT mine.h)
            FROM mine JOIN sh USING (h)
            WHERE sh.id <> mine.id
            GROUP BY 1, 2 HAVING count(DISTINCT mine.h) >= ?
            """,
            [min_shared],
        ).fetchall()
    finally:
        con.close()
    out: dict[str, set[str]] = {}
    for mine, other, _ in rows:
        out.setdefault(mine, set()).add(other)
    return out


def _source_texts(records: list[dict]) -> dict[str, list[dict]]:
    """For ``--sources``: the real articles each farm article was made from (body and teaser)."""
    from bench.farm.sources import Pool

    pools: dict[str, Pool] = {}
    out: dict[str, list[dict]] = {}
    for r in records:
        pool = pools.get(r["split"]) or pools.setdefault(r["split"], Pool(r["split"]))
        hosts = _hosts(r)
        ids = sorted({t["source_id"] for t in r["truth"]
                      if t["label"] != "furniture" and t["source_id"] and t["source_id"] not in hosts})
        out[r["id"]] = [
            {"id": i, "title": pool.by_id[i].title, "text": pool.by_id[i].text} for i in ids if i in pool.by_id
        ]
    return out


# ------------------------------------------------------------------------------------------------
# Scoring


def covering_kinds(findings, start: int, end: int) -> set[str]:
    """Kinds whose findings, together, cover at least half of [start, end)."""
    by_kind: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for kind, fs, fe, _ in findings:
        if fe > start and fs < end:
            by_kind[kind].append((max(fs, start), min(fe, end)))
    out = set()
    for kind, spans in by_kind.items():
        covered, reach = 0, start
        for s, e in sorted(spans):
            s = max(s, reach)
            if e > s:
                covered += e - s
                reach = e
        if covered * 2 >= end - start:
            out.add(kind)
    return out


class PRF:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, truth: bool, pred: bool) -> None:
        if truth and pred:
            self.tp += 1
        elif pred:
            self.fp += 1
        elif truth:
            self.fn += 1

    def to_dict(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
        return {"precision": _r(p), "recall": _r(r), "f1": _r(f), "tp": self.tp, "fp": self.fp, "fn": self.fn, "support": self.tp + self.fn}


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _share(num: int, den: int) -> dict:
    return {"value": _r(num / den) if den else None, "num": num, "den": den}


def score(records: list[dict], preds: list[dict], info: dict, source_text=None) -> dict:
    produced = {k for s in info["steps"] for k in s.get("kinds", [s["produces"]])}
    has = {
        "boilerplate": "boilerplate" in produced,
        "metadata": "metadata" in produced,
        "injected": "injected" in produced,
        "dangling_reference": "dangling_reference" in produced,
        "stitched": any("stitch" in k for k in produced),
    }
    rows = {
        "boilerplate": PRF(),  # furniture outside the head's title/byline/dateline lines
        "boilerplate+metadata": PRF(),  # all furniture, either kind counting
        "metadata (head lines)": PRF(),  # the head's title, byline, dateline and header lines
        "injected": PRF(),
        "dangling_reference": PRF(),
    }
    confusion: dict[str, Counter] = defaultdict(Counter)
    by_role: dict[str, Counter] = defaultdict(Counter)  # furniture found, by what it is
    stitched = PRF()
    clean_arts = clean_flagged = 0
    clean_kind_articles: Counter = Counter()
    clean_sentences = 0
    clean_kind_sentences: Counter = Counter()
    detected: dict[str, list[int]] = {"injected": [0, 0], "furniture": [0, 0], "spun": [0, 0]}
    prov = {"copied": [0, 0], "spun": [0, 0], "subs": [0, 0], "subs_exact": [0, 0], "numbers": [0, 0],
            "copied_same": [0, 0], "spun_same": [0, 0], "original": [0, 0], "injected": [0, 0], "furniture": [0, 0],
            "original_not_verbatim": [0, 0], "injected_not_verbatim": [0, 0], "furniture_not_verbatim": [0, 0]}
    prov_seen = False

    for rec, pred in zip(records, preds):
        if rec["id"] != pred["id"]:
            raise ValueError(f"prediction {pred['id']} does not belong to article {rec['id']}")
        findings = pred["findings"]
        is_clean = rec["kind"] == "clean"
        for t in rec["truth"]:
            kinds = covering_kinds(findings, t["start"], t["end"])
            label = t["label"]
            # The title repeated further down is metadata too: it is the title.
            head_meta = label == "furniture" and (
                (t.get("position") == "head" and t.get("role") in HEAD_ROLES) or t.get("role") == "title_repeat"
            )
            if label == "furniture":
                origin = t.get("origin", "").split(":")[0]
                role = f"{t['role']} ({origin})" if t.get("role") == "page" else t.get("role", "?")
                c = by_role[role]
                c["n"] += 1
                c["boilerplate"] += "boilerplate" in kinds
                c["metadata"] += "metadata" in kinds
                c["either"] += bool(kinds & {"boilerplate", "metadata"})
                c["injected"] += "injected" in kinds
            for k in kinds:
                confusion[label][k] += 1
            confusion[label]["(none)"] += not kinds
            confusion[label]["(all)"] += 1
            if not head_meta:
                rows["boilerplate"].add(label == "furniture", "boilerplate" in kinds)
            rows["boilerplate+metadata"].add(label == "furniture", bool(kinds & {"boilerplate", "metadata"}))
            rows["metadata (head lines)"].add(head_meta, "metadata" in kinds)
            rows["injected"].add(label == "injected", "injected" in kinds)
            # A dangling reference is a phrase inside its sentence: any overlap counts.
            points = any(k == "dangling_reference" and fe > t["start"] and fs < t["end"] for k, fs, fe, _ in findings)
            rows["dangling_reference"].add(bool(t.get("dangling")), points)
            if is_clean:
                clean_sentences += 1
                for k in kinds:
                    clean_kind_sentences[k] += 1
        # Article level
        truth_stitched = "stitched" in rec["kinds"]
        stitched.add(truth_stitched, pred["verdict"] == "stitched")
        if is_clean:
            clean_arts += 1
            clean_flagged += pred["verdict"] != "clean"
            for k in {f[0] for f in findings}:
                clean_kind_articles[k] += 1
        for k in detected:
            if k in rec["kinds"]:
                detected[k][1] += 1
                detected[k][0] += pred["verdict"] != "clean"
        # Provenance, once report sentences carry a source
        if pred["sentences"] is not None:
            prov_seen = True
            _provenance(rec, pred, prov, source_text)

    # A row is n/a until a step of the pipeline produces one of its kinds.
    needs = {
        "boilerplate": ("boilerplate",),
        "boilerplate+metadata": ("boilerplate", "metadata"),
        "metadata (head lines)": ("metadata",),
        "injected": ("injected",),
        "dangling_reference": ("dangling_reference",),
    }
    sentence = {name: (prf.to_dict() if any(has[k] for k in needs[name]) else None) for name, prf in rows.items()}
    article = {
        "stitched": stitched.to_dict() if has["stitched"] else None,
        "clean_false_alarm": _share(clean_flagged, clean_arts),
        "clean_false_alarm_by_kind": {k: _share(v, clean_arts) for k, v in sorted(clean_kind_articles.items())},
        "clean_sentences_flagged_by_kind": {k: _share(v, clean_sentences) for k, v in sorted(clean_kind_sentences.items())},
        "not_clean_when": {k: _share(a, b) for k, (a, b) in detected.items()},
    }
    provenance = (
        {
            "copied_traced": _share(*prov["copied"]),
            "spun_traced": _share(*prov["spun"]),
            "substitutions_recovered": _share(*prov["subs"]),
            "substitutions_recovered_exact": _share(*prov["subs_exact"]),
            "numbers_flagged": _share(*prov["numbers"]),
            "copied_traced_or_same_sentence": _share(*prov["copied_same"]),
            "spun_traced_or_same_sentence": _share(*prov["spun_same"]),
            "original_given_source": _share(*prov["original"]),
            "injected_given_source": _share(*prov["injected"]),
            "furniture_given_source": _share(*prov["furniture"]),
            "original_given_source_not_verbatim": _share(*prov["original_not_verbatim"]),
            "injected_given_source_not_verbatim": _share(*prov["injected_not_verbatim"]),
            "furniture_given_source_not_verbatim": _share(*prov["furniture_not_verbatim"]),
        }
        if prov_seen
        else None
    )
    # Changed numbers can be flagged by a finding even before sentences carry sources.
    if provenance is None and any(k in produced for k in NUMBER_KINDS):
        num = den = 0
        for rec, pred in zip(records, preds):
            for t in rec["truth"]:
                for c in t["number_changes"]:
                    den += 1
                    num += bool(covering_kinds(pred["findings"], c["start"], c["end"]) & set(NUMBER_KINDS))
        provenance = {"numbers_flagged": _share(num, den)}
    labels = Counter(t["label"] for r in records for t in r["truth"])
    return {
        "schema": SCHEMA,
        "articles": len(records),
        "kinds": dict(sorted(Counter(r["kind"] for r in records).items())),
        "sentences": dict(sorted(labels.items())),
        "run": info,
        "sentence": sentence,
        "article": article,
        "provenance": provenance,
        "confusion": {lab: dict(sorted(c.items())) for lab, c in sorted(confusion.items())},
        "furniture_by_role": {
            role: {"n": c["n"], **{k: _r(c[k] / c["n"]) for k in ("boilerplate", "metadata", "either", "injected")}}
            for role, c in sorted(by_role.items(), key=lambda kv: -kv[1]["n"])
        },
    }


def _norm_piece(text: str | None) -> str:
    """A substitution's side as compared: lower case, without the sentence's final stop or a
    comma that the side happens to take in."""
    return (text or "").lower().strip(" .,;:")


def _pairs(src: dict | None, exact: bool = False) -> set[tuple[str, str]]:
    """The from -> to pairs a traced source states. ``exact``: its substitutions as they are.
    Otherwise also the same changes written with a kept word beside them, or with changes
    that touch joined: the spinner's record writes "would" -> "would certainly" for the
    insertion of "certainly" after "would", "a number of" -> "a variety of" for "number" ->
    "variety" between "a" and "of", and "According to" -> "Based on" for two swaps side by
    side; each is the same change."""
    if not src:
        return set()
    out = {(_norm_piece(f), _norm_piece(t)) for f, t in src.get("substitutions", [])}
    if exact:
        return out
    edits = src.get("edits") or []
    n = len(edits)

    def side(e, k):  # the from (k=1) or to (k=2) text of an edit, "" when there is none
        return e[k] or ""

    def kept_word(e, last: bool) -> str:
        words = (e[2] or "").split()
        return (words[-1] if last else words[0]) if words else ""

    for i in range(n):
        if edits[i][0] == "keep":
            continue
        j = i
        while True:  # edits i..j, changes side by side
            frm = " ".join(x for x in (side(edits[k], 1) for k in range(i, j + 1)) if x)
            to = " ".join(x for x in (side(edits[k], 2) for k in range(i, j + 1)) if x)
            left = kept_word(edits[i - 1], True) if i and edits[i - 1][0] == "keep" else ""
            right = kept_word(edits[j + 1], False) if j + 1 < n and edits[j + 1][0] == "keep" else ""
            for lw in {"", left}:
                for rw in {"", right}:
                    f = " ".join(x for x in (lw, frm, rw) if x)
                    t = " ".join(x for x in (lw, to, rw) if x)
                    if f and t:
                        out.add((_norm_piece(f), _norm_piece(t)))
            if j + 1 < n and edits[j + 1][0] != "keep" and j - i < 3:
                j += 1
            else:
                break
    return out


def _words(text: str | None) -> tuple[str, ...]:
    import re

    return tuple(re.findall(r"\w+", (text or "").lower()))


def _provenance(rec: dict, pred: dict, prov: dict, source_text=None) -> None:
    """``source_text(id, span)``, when given, reads a truth sentence's source text: a sentence
    traced to another document holding the very same sentence (wire copy republished by
    several outlets) then counts in the ``*_same`` rows."""
    units = pred["sentences"]
    for t in rec["truth"]:
        over = [u for u in units if min(u[1], t["end"]) - max(u[0], t["start"]) > 0]
        best = max(over, key=lambda u: min(u[1], t["end"]) - max(u[0], t["start"]), default=None)
        src = best[2] if best else None
        if t["label"] in ("original", "injected", "furniture"):
            prov[t["label"]][1] += 1
            prov[t["label"]][0] += src is not None
            # A sentence that stands, word for word, in another indexed document (wire copy
            # republished by several outlets) is rightly given that document.
            verbatim = src is not None and _words(src.get("text")) == _words(rec["text"][t["start"] : t["end"]])
            prov[t["label"] + "_not_verbatim"][1] += 1
            prov[t["label"] + "_not_verbatim"][0] += src is not None and not verbatim
            continue
        key = "copied" if t["label"] == "copied" else "spun"
        right = bool(src and src.get("id") == t["source_id"])
        prov[key][1] += 1
        prov[key][0] += right
        same = right
        if not same and src and source_text is not None and t.get("source_span"):
            ref = source_text(t["source_id"], t["source_span"])
            same = ref is not None and _words(ref) == _words(src.get("text"))
        prov[key + "_same"][1] += 1
        prov[key + "_same"][0] += same
        if t["label"] == "spun":
            found, exact = _pairs(src), _pairs(src, exact=True)
            for s in t["substitutions"]:
                if s["kind"] in ("synonym", "spell_out", "unit"):
                    pair = (_norm_piece(s["from"]), _norm_piece(s["to"]))
                    prov["subs"][1] += 1
                    prov["subs"][0] += pair in found
                    prov["subs_exact"][1] += 1
                    prov["subs_exact"][0] += pair in exact
        for c in t["number_changes"]:
            prov["numbers"][1] += 1
            flagged = bool(covering_kinds(pred["findings"], c["start"], c["end"]) & set(NUMBER_KINDS))
            pairs = (src or {}).get("numbers")
            if pairs is not None:  # the changed figure itself, from and to, is listed
                hit = any(c["from"] in f and c["to"] in to for f, to in pairs)
            else:
                hit = bool(src and src.get("number_changes"))
            prov["numbers"][0] += flagged or hit


# ------------------------------------------------------------------------------------------------
# The table


def _fmt(x) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def table(result: dict) -> str:
    out = []
    run = result["run"]
    out.append(
        f"farm benchmark: {result['articles']} articles ("
        + ", ".join(f"{k} {v}" for k, v in result["kinds"].items())
        + f"); steps: {', '.join(s['name'] for s in run['steps'])}; {run['ms_per_article']} ms/article"
    )
    out.append("")
    out.append(f"{'sentence level':<26}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}{'fp':>7}")
    for name, row in result["sentence"].items():
        if row is None:
            out.append(f"{name:<26}{'n/a':>10}{'n/a':>10}{'n/a':>10}{'':>9}{'':>7}")
        else:
            out.append(
                f"{name:<26}{_fmt(row['precision']):>10}{_fmt(row['recall']):>10}{_fmt(row['f1']):>10}"
                f"{row['support']:>9}{row['fp']:>7}"
            )
    out.append("")
    a = result["article"]
    out.append("article level")
    s = a["stitched"]
    out.append(
        f"  {'stitched verdict':<44}"
        + ("precision n/a  recall n/a" if s is None else f"precision {_fmt(s['precision'])}  recall {_fmt(s['recall'])}")
    )
    fa = a["clean_false_alarm"]
    out.append(f"  {'clean articles not judged clean':<44}{_fmt(fa['value'])}  ({fa['num']}/{fa['den']})")
    for k, v in a["clean_false_alarm_by_kind"].items():
        out.append(f"  {'  clean articles with ' + k + ' findings':<44}{_fmt(v['value'])}  ({v['num']}/{v['den']})")
    for k, v in a["clean_sentences_flagged_by_kind"].items():
        out.append(f"  {'  clean sentences flagged ' + k:<44}{_fmt(v['value'])}  ({v['num']}/{v['den']})")
    for k, v in a["not_clean_when"].items():
        out.append(f"  {'not judged clean, with ' + k + ' in it':<44}{_fmt(v['value'])}  ({v['num']}/{v['den']})")
    out.append("")
    out.append("provenance")
    p = result["provenance"] or {}
    for key, name in (
        ("copied_traced", "copied sentences traced to their source"),
        ("spun_traced", "spun sentences traced to their source"),
        ("substitutions_recovered", "substitutions recovered"),
        ("substitutions_recovered_exact", "  as one substitution, word for word"),
        ("numbers_flagged", "changed numbers flagged"),
        ("copied_traced_or_same_sentence", "copied: right doc, or one with the same sentence"),
        ("spun_traced_or_same_sentence", "spun: right doc, or one with the same sentence"),
        ("original_given_source", "original sentences given a source"),
        ("injected_given_source", "injected sentences given a source"),
        ("furniture_given_source", "furniture given a source"),
        ("original_given_source_not_verbatim", "  original: source lacks the sentence"),
        ("injected_given_source_not_verbatim", "  injected: source lacks the sentence"),
        ("furniture_given_source_not_verbatim", "  furniture: source lacks the sentence"),
    ):
        v = p.get(key)
        out.append(f"  {name:<44}" + ("n/a" if v is None else f"{_fmt(v['value'])}  ({v['num']}/{v['den']})"))
    out.append("")
    out.append("furniture found, by what it is (share covered)")
    out.append(f"  {'role':<34}{'n':>6}{'boilerplate':>13}{'metadata':>10}{'either':>8}{'injected':>10}")
    for role, c in result["furniture_by_role"].items():
        out.append(f"  {role:<34}{c['n']:>6}{c['boilerplate']:>13.3f}{c['metadata']:>10.3f}{c['either']:>8.3f}{c['injected']:>10.3f}")
    out.append("")
    kinds = sorted({k for c in result["confusion"].values() for k in c} - {"(all)", "(none)"}) + ["(none)"]
    out.append("share of each truth label covered by each finding kind")
    out.append(f"  {'label':<12}{'n':>7}" + "".join(f"{k:>13}" for k in kinds))
    for lab, c in result["confusion"].items():
        n = c["(all)"]
        out.append(f"  {lab:<12}{n:>7}" + "".join(f"{c.get(k, 0) / n:>13.3f}" for k in kinds))
    return "\n".join(out)


def evaluate(split: str = "heldout", n: int = 1000, seed: int = 1, jobs: int | None = None, use_sources: bool | None = None,
             quiet: bool = False, index: str | None = None) -> dict:
    records = load_or_generate(split, n, seed, quiet=quiet)
    if jobs is None:
        jobs = 1 if len(records) < 300 else min(8, os.cpu_count() or 1)
    preds, info = run(records, jobs=jobs, use_sources=use_sources, index=index)
    result = score(records, preds, info, _source_reader(records))
    result.update({"split": split, "seed": seed, "fingerprint": records[0]["fingerprint"] if records else None})
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.farm.score", description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("dev", "heldout"), default="heldout")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, help="worker processes (default: 1 under 300 articles, else up to 8)")
    ap.add_argument("--sources", action=argparse.BooleanOptionalAction, default=None,
                    help="give unspun the source articles (default: when Pipeline.check accepts them)")
    ap.add_argument("--index", help="trace against this reference index (unspun index DB ...), each "
                    "article less its own host article; default: each article's own source articles")
    ap.add_argument("--json", type=Path, help="also write the table as JSON here")
    args = ap.parse_args(argv)
    result = evaluate(args.split, args.n, args.seed, args.jobs, args.sources, index=args.index)
    print(table(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"\nJSON written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
