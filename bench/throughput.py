"""Throughput on one core: unspun's check beside datatrove's quality filters, and the HTML
path beside trafilatura alone.

    python -m bench.throughput [--n 2000] [--cpu 0] [--html-limit N] [--html-repeats 3] [--no-pipeline-mode]

Measured in one process pinned to one core (``os.sched_setaffinity(0, {0})``; ``--cpu``), with
``time.perf_counter``, after a warm-up on a few articles for each tool:

1. unspun, text input: ``pipeline.check(text)`` then ``report.to_dict()`` for each of the
   first N AllSides article bodies (the pipeline is built once; its load time is reported
   apart). ``report.to_json()`` is timed in a separate pass over the same reports.
2. The peer: datatrove's GopherQualityFilter, GopherRepetitionFilter, C4QualityFilter and
   FineWebQualityFilter on datatrove ``Document`` objects, in-process. The headline figure
   calls every filter's ``filter(doc)`` on every article (no short-circuit), so that each
   tool does its whole analysis of every article, as unspun does. A second figure runs the
   four as a datatrove pipeline (each step's ``run`` generator over a list of documents),
   where a document dropped by one filter is not seen by the next: the cost of the stack as
   a data job runs it.
3. The HTML path: the English pages of the extraction benchmark through
   ``pipeline.check(html)`` + ``to_dict()``, beside ``trafilatura.bare_extraction(html,
   with_metadata=True, include_comments=False)`` alone. Both get the same decoded ``str``.
   The two run on each page in turn, in alternating order, with the result caches of
   trafilatura, htmldate and courlan cleared before every call (so that neither inherits
   the other's), over three rounds; a page's time is its fastest round.

The table is printed and written as JSON to bench/out/throughput.json. No article text is
written anywhere.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
WARMUP = 5


def source_fingerprint() -> str:
    """A short hash of unspun's code and data files, to tell which state of the code was measured."""
    import hashlib

    import unspun

    root = Path(unspun.__file__).resolve().parent
    h = hashlib.sha1()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".py", ".json", ".npz", ".gz"}):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def pin_one_core(cpu: int = 0) -> str:
    try:
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {sorted(os.sched_getaffinity(0))}"
    except (AttributeError, OSError) as e:  # not Linux
        return f"not pinned ({e})"


def summary(times: list[float], failed: int = 0, cpu_s: float | None = None) -> dict:
    """Rate and per-item latency from per-item wall seconds; ``cpu_s``, the process CPU time of
    the whole loop, gives a second rate that time slices lost to other processes do not lower."""
    total = sum(times)
    ms = sorted(t * 1000 for t in times)
    p99 = ms[min(len(ms) - 1, int(round(0.99 * (len(ms) - 1))))] if ms else 0.0
    return {
        "items": len(times),
        "failed": failed,
        "seconds": round(total, 3),
        "per_s": round(len(times) / total, 2) if total else None,
        "mean_ms": round(statistics.fmean(ms), 3) if ms else None,
        "median_ms": round(statistics.median(ms), 3) if ms else None,
        "p99_ms": round(p99, 3),
        "max_ms": round(ms[-1], 3) if ms else None,
        "cpu_s": round(cpu_s, 3) if cpu_s is not None else None,
        "cpu_per_s": round(len(times) / cpu_s, 2) if cpu_s else None,
    }


def timed(fn, *args) -> dict:
    """Run one section; add its wall and process CPU seconds (warm-up included). A wall time well
    above the CPU time means another process shared the core, and every rate is too low."""
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args)
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    out["section_wall_s"] = round(wall, 3)
    out["section_cpu_s"] = round(cpu, 3)
    out["section_cpu_share"] = round(cpu / wall, 3) if wall else None
    return out


# --------------------------------------------------------------------------- unspun, text


def build_pipeline():
    """unspun.Pipeline(), or, while the boilerplate step (or its model) is not there yet, the
    other default steps."""
    import unspun

    t0 = time.perf_counter()
    try:
        pipeline = unspun.Pipeline()
        which = "unspun.Pipeline() (default steps)"
    except (ImportError, FileNotFoundError) as e:
        # Only the boilerplate step's absence (no module yet, or no trained model yet) is
        # tolerated; any other failure is a real error.
        if "boilerplate" not in (getattr(e, "name", None) or str(e)):
            raise
        pipeline = None
        absent = str(e)
    if pipeline is None:
        # The boilerplate step is being written: run the current default steps without it.
        # A stand-in module lets default_steps() build the others exactly as it does; the
        # stand-in step is then dropped and the module removed again.
        import types

        from unspun import pipeline as pipeline_mod
        from unspun.lexicon import Lexicon
        from unspun.steps.base import Step

        class _Absent(Step):
            name = "absent.boilerplate"
            produces = "boilerplate"

            def detect(self, doc, found):
                return ()

        stub = types.ModuleType("unspun.steps.boilerplate")
        stub.BoilerplateStep = _Absent
        t0 = time.perf_counter()
        sys.modules[stub.__name__] = stub
        try:
            lexicon = Lexicon()
            steps = [s for s in pipeline_mod.default_steps(lexicon) if not isinstance(s, _Absent)]
        finally:
            del sys.modules[stub.__name__]
        pipeline = unspun.Pipeline(steps=steps, lexicon=lexicon)
        names = ", ".join(type(s).__name__ for s in steps)
        which = f"Pipeline(steps=[{names}]): the default steps less BoilerplateStep ({absent})"
    load_s = time.perf_counter() - t0
    return pipeline, which, load_s


def bench_unspun_text(pipeline, texts: list[str]) -> dict:
    from unspun.errors import InputError

    for text in texts[:WARMUP]:
        pipeline.check(text).to_dict()
    gc.collect()
    check_t: list[float] = []
    total_t: list[float] = []
    reports = []
    failed = 0
    clock = time.perf_counter
    c0 = time.process_time()
    for i, text in enumerate(texts):
        t0 = clock()
        try:
            report = pipeline.check(text, name=str(i))
        except InputError:
            failed += 1
            continue
        t1 = clock()
        report.to_dict()
        t2 = clock()
        check_t.append(t1 - t0)
        total_t.append(t2 - t0)
        reports.append(report)
    text_cpu = time.process_time() - c0
    json_t: list[float] = []
    c0 = time.process_time()
    for report in reports:
        t0 = clock()
        report.to_json()
        json_t.append(clock() - t0)
    json_cpu = time.process_time() - c0
    labels: dict[str, int] = {}
    for r in reports:
        labels[r.verdict.label] = labels.get(r.verdict.label, 0) + 1
    return {
        "check_plus_to_dict": summary(total_t, failed, text_cpu),
        "check_only": summary(check_t, failed),
        "to_json": summary(json_t, 0, json_cpu),
        "verdicts": labels,
    }


# --------------------------------------------------------------------------- datatrove


def datatrove_filters():
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
    )

    return [GopherQualityFilter(), GopherRepetitionFilter(), C4QualityFilter(), FineWebQualityFilter()]


def _dt_docs(texts: list[str]):
    from datatrove.data import Document

    return [Document(text=t, id=str(i)) for i, t in enumerate(texts)]


def bench_datatrove_filter_calls(texts: list[str]) -> dict:
    """Every filter's filter(doc) on every document: the whole analysis of each article."""
    filters = datatrove_filters()
    warm = _dt_docs(texts[:WARMUP])
    t0 = time.perf_counter()
    for f in filters:  # the first call loads spaCy's blank English tokenizer
        f.filter(warm[0])
    load_s = time.perf_counter() - t0
    for doc in warm:
        for f in filters:
            f.filter(doc)
    docs = _dt_docs(texts)
    gc.collect()
    times: list[float] = []
    per_filter = {type(f).__name__: 0.0 for f in filters}
    kept_all = 0
    clock = time.perf_counter
    c0 = time.process_time()
    for doc in docs:
        t0 = clock()
        keep = True
        for f in filters:
            s = clock()
            res = f.filter(doc)
            per_filter[type(f).__name__] += clock() - s
            keep = keep and (res[0] if isinstance(res, tuple) else bool(res))
        times.append(clock() - t0)
        kept_all += keep
    out = summary(times, 0, time.process_time() - c0)
    out["first_call_load_s"] = round(load_s, 3)
    out["kept_by_all_four"] = kept_all
    out["seconds_by_filter"] = {k: round(v, 3) for k, v in per_filter.items()}
    return out


def bench_datatrove_pipeline(texts: list[str]) -> dict:
    """The four as a datatrove pipeline over a list: a dropped document skips later filters."""
    filters = datatrove_filters()
    for f in filters:  # warm: tokenizer load and first calls
        list(f.run(iter(_dt_docs(texts[:WARMUP]))))
    filters = datatrove_filters()
    for f in filters:
        f.filter(_dt_docs(texts[:1])[0])
    docs = _dt_docs(texts)
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    stream = iter(docs)
    for f in filters:
        stream = f.run(stream)
    kept = sum(1 for _ in stream)
    seconds, cpu_s = time.perf_counter() - t0, time.process_time() - c0
    return {
        "items": len(docs),
        "seconds": round(seconds, 3),
        "per_s": round(len(docs) / seconds, 2),
        "mean_ms": round(1000 * seconds / len(docs), 3),
        "cpu_s": round(cpu_s, 3),
        "cpu_per_s": round(len(docs) / cpu_s, 2),
        "kept": kept,
    }


# --------------------------------------------------------------------------- HTML


def _decode(html: bytes) -> str:
    try:
        return html.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(html).best()
        return str(best) if best is not None else html.decode("utf-8", "replace")


def _clear_result_caches() -> int:
    """Clear the functools caches of trafilatura and the libraries it calls."""
    cleared = 0
    for name, mod in list(sys.modules.items()):
        if mod is None or not name.startswith(("trafilatura", "htmldate", "courlan", "justext")):
            continue
        for obj in list(vars(mod).values()):
            if callable(obj) and hasattr(obj, "cache_clear") and getattr(obj, "__module__", "") == name:
                obj.cache_clear()
                cleared += 1
    return cleared


def bench_html(pipeline, pages: list[str], repeats: int = 3) -> dict:
    """Both tools on each page in turn (the order alternating from page to page), the result
    caches cleared before every call, ``repeats`` rounds; each page's time is its fastest
    round, so that a stall of the machine in one round does not count against one tool."""
    import trafilatura

    from unspun.errors import InputError

    def run_trafilatura(html: str) -> bool:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
        return doc is not None and bool(doc.text)

    def run_unspun(html: str) -> bool:
        try:
            pipeline.check(html).to_dict()
            return True
        except InputError:
            return False

    tools = {"trafilatura": run_trafilatura, "unspun": run_unspun}
    for html in pages[:3]:
        for fn in tools.values():
            fn(html)

    best = {name: [float("inf")] * len(pages) for name in tools}
    failed = {name: 0 for name in tools}
    cpu = {name: 0.0 for name in tools}
    clock, cpu_clock = time.perf_counter, time.process_time
    gc.collect()
    for round_ in range(repeats):
        for p, html in enumerate(pages):
            order = list(tools) if (p + round_) % 2 == 0 else list(reversed(tools))
            for name in order:
                _clear_result_caches()
                c0 = cpu_clock()
                t0 = clock()
                ok = tools[name](html)
                t = clock() - t0
                cpu[name] += cpu_clock() - c0
                best[name][p] = min(best[name][p], t)
                if round_ == 0:
                    failed[name] += not ok
    out = {name: summary(best[name], failed[name], cpu[name] / repeats) for name in tools}
    out["repeats"] = repeats
    out["method"] = "interleaved per page, order alternating, caches cleared before each call; fastest of the rounds per page"
    return out


# --------------------------------------------------------------------------- main


def ratio(a, b):
    return round(a / b, 2) if a and b else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="AllSides articles (default 2000)")
    ap.add_argument("--html-limit", type=int, default=None, help="at most this many benchmark pages")
    ap.add_argument("--no-pipeline-mode", action="store_true", help="skip the datatrove pipeline-mode pass")
    ap.add_argument("--skip-html", action="store_true")
    ap.add_argument("--cpu", type=int, default=0, help="the core to pin to (default 0)")
    ap.add_argument("--html-repeats", type=int, default=3, help="rounds over the HTML pages (default 3)")
    args = ap.parse_args(argv)

    pinned = pin_one_core(args.cpu)
    load_before = os.getloadavg()
    print(f"# one core: {pinned}", flush=True)

    from bench.corpora import allsides, extraction_benchmark

    texts = [rec["text"] for rec in allsides(args.n)]
    print(f"# {len(texts)} AllSides articles, mean {statistics.fmean(len(t) for t in texts):.0f} chars", flush=True)

    t0 = time.perf_counter()
    import unspun  # noqa: F401

    import_s = time.perf_counter() - t0
    pipeline, which, load_s = build_pipeline()
    print(f"# unspun pipeline: {which}; import {import_s:.3f}s, build {load_s:.3f}s", flush=True)

    result: dict = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "affinity": pinned,
        },
        "articles": len(texts),
        "unspun_pipeline": which,
        "unspun_source_sha1": source_fingerprint(),
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "unspun_import_s": round(import_s, 3),
        "unspun_load_s": round(load_s, 3),
    }

    print("# unspun check on text ...", flush=True)
    result["unspun_text"] = timed(bench_unspun_text, pipeline, texts)
    print("# datatrove filters, filter(doc) on every document ...", flush=True)
    result["datatrove_filter_calls"] = timed(bench_datatrove_filter_calls, texts)
    if not args.no_pipeline_mode:
        print("# datatrove filters as a pipeline ...", flush=True)
        result["datatrove_pipeline"] = timed(bench_datatrove_pipeline, texts)

    if not args.skip_html:
        pages = [_decode(rec["html"]) for rec in extraction_benchmark("en")]
        if args.html_limit:
            pages = pages[: args.html_limit]
        print(f"# HTML: {len(pages)} English benchmark pages ...", flush=True)
        result["html_pages"] = len(pages)
        result["html"] = timed(bench_html, pipeline, pages, args.html_repeats)

    u = result["unspun_text"]["check_plus_to_dict"]
    d = result["datatrove_filter_calls"]
    result["ratio_unspun_over_datatrove"] = ratio(u["per_s"], d["per_s"])
    if "datatrove_pipeline" in result:
        result["ratio_unspun_over_datatrove_pipeline"] = ratio(u["per_s"], result["datatrove_pipeline"]["per_s"])
    if "html" in result:
        result["ratio_html_unspun_over_trafilatura"] = ratio(
            result["html"]["unspun"]["per_s"], result["html"]["trafilatura"]["per_s"]
        )

    result["machine"]["loadavg_before_after"] = [round(load_before[0], 2), round(os.getloadavg()[0], 2)]
    print_table(result)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "throughput.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwritten: {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 0


def print_table(r: dict) -> None:
    rows = []
    ut = r["unspun_text"]
    n = r["articles"]
    rows.append((f"unspun check + to_dict (text, {n} AllSides)", ut["check_plus_to_dict"]))
    rows.append(("  of which check alone", ut["check_only"]))
    rows.append(("unspun report.to_json (separate pass)", ut["to_json"]))
    rows.append(("datatrove 4 filters, filter(doc) on every doc", r["datatrove_filter_calls"]))
    if "datatrove_pipeline" in r:
        rows.append(("datatrove 4 filters as pipeline (drops skip)", r["datatrove_pipeline"]))
    if "html" in r:
        rows.append((f"unspun check + to_dict (HTML, {r['html_pages']} pages)", r["html"]["unspun"]))
        rows.append(("trafilatura.bare_extraction alone (HTML)", r["html"]["trafilatura"]))

    def cell(v, fmt):
        return format(v, fmt) if isinstance(v, (int, float)) else "-"

    print()
    print(f"unspun pipeline: {r['unspun_pipeline']} (source {r['unspun_source_sha1']}, {r['when']})")
    print(f"unspun import {r['unspun_import_s']:.3f} s, Pipeline() build {r['unspun_load_s']:.3f} s; {r['machine']['affinity']}")
    print()
    head = f"{'':48} {'items/s':>9} {'mean ms':>9} {'p99 ms':>9} {'failed':>6} {'CPU-s rate':>10}"
    print(head)
    print("-" * len(head))
    for label, s in rows:
        print(
            f"{label:48} {cell(s.get('per_s'), '9.1f')} {cell(s.get('mean_ms'), '9.3f')}"
            f" {cell(s.get('p99_ms'), '9.3f')} {cell(s.get('failed'), '6d')} {cell(s.get('cpu_per_s'), '10.1f')}"
        )
    print("(items/s and latencies: wall clock, time.perf_counter; CPU-s rate: items per second of")
    print(" process CPU time over the same loop, which a core shared by time slices does not lower)")
    print()
    print(f"ratio unspun / datatrove (every filter on every doc): {r['ratio_unspun_over_datatrove']}x")
    if "ratio_unspun_over_datatrove_pipeline" in r:
        print(f"ratio unspun / datatrove (pipeline, drops skip later filters): {r['ratio_unspun_over_datatrove_pipeline']}x")
    if "ratio_html_unspun_over_trafilatura" in r:
        print(f"ratio HTML unspun / trafilatura alone: {r['ratio_html_unspun_over_trafilatura']}x")
    d = r["datatrove_filter_calls"]
    print(f"datatrove seconds by filter: {d['seconds_by_filter']} (spaCy load {d['first_call_load_s']} s)")
    shares = {k: r[k].get("section_cpu_share") for k in ("unspun_text", "datatrove_filter_calls", "datatrove_pipeline", "html") if k in r}
    print(f"CPU share of wall time by section (1.0 = the core was ours alone): {shares}")
    print(f"load average before/after: {r['machine']['loadavg_before_after']}")
    if any(v is not None and v < 0.9 for v in shares.values()):
        print("WARNING: another process shared the core during this run; rates are understated.")


if __name__ == "__main__":
    sys.exit(main())
