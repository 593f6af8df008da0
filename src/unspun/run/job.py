"""scan(): a whole corpus through the pipeline, every document accounted for."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

from unspun.errors import InputError, UnspunError
from unspun.run import keep as keep_mod
from unspun.run import summary as summary_mod
from unspun.run import writer
from unspun.run.readers import Reader
from unspun.run.shards import iter_file_shards, iter_shards, load_manifest, shard_id
from unspun.run.worker import Options, open_sources

ENGINES = ("local", "ray")


def scan(
    inputs: str | Path | Sequence[str | Path],
    out: str | Path,
    *,
    workers: int | None = None,
    engine: str = "local",
    sources: str | Path | None = None,
    reports: bool = False,
    ray_address: str | None = None,
    shard_size: int | None = None,
    shard_by_file: bool = False,
    text_field: str | None = None,
    keep_clean: str | Path | None = None,
    pass_threshold: str | float = "suspicious",
    drop_traced: bool = False,
    progress: bool = False,
    console=None,
) -> dict:
    """Analyse every document of the inputs (JSONL or JSONL.gz, Parquet, WARC or WARC.gz, or
    folders of .txt and .html files) into OUT, a folder of Parquet shards with one row per
    document. Shards already in OUT are kept, so a rerun after an interruption finishes the
    job. Returns the summary, which is also written to OUT/_summary.json.

    ``keep_clean``: write the clean text of the documents whose verdict passes
    ``pass_threshold`` (a label, the worst that passes, or the highest score that passes) to
    this JSONL file, and the others, with reasons, beside it (``*.dropped.jsonl``); with
    ``drop_traced`` (needs ``sources``), less the sentences traced to the reference corpus.

    ``shard_by_file``: one shard per input file, read by the worker itself rather than by
    this process, for inputs of many files on a cluster."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    paths = [str(p) for p in inputs]
    if not paths:
        raise UnspunError("scan: no inputs given")
    if engine not in ENGINES:
        raise UnspunError(f"scan: unknown engine {engine!r} (choose {', '.join(ENGINES)})")
    if workers is not None and workers < 1:
        raise UnspunError(f"scan: workers must be at least 1, not {workers}")
    threshold = keep_mod.parse_threshold(pass_threshold)
    if drop_traced and sources is None:
        raise UnspunError("scan: drop_traced needs sources (a provenance index)")
    readers = [Reader(p, text_field) for p in paths]
    where = [os.path.abspath(p) for p in paths]  # the inputs as rows and the summary name them
    seen_paths: dict[str, str] = {}
    for p in paths:
        resolved = str(Path(p).resolve())
        if resolved in seen_paths:
            raise InputError(p, f"given twice (also as {seen_paths[resolved]}): each document must be read once")
        seen_paths[resolved] = p
    # A folder inside another folder input would be walked twice, and its files counted twice.
    for p, resolved in ((p, Path(p).resolve()) for p in paths):
        for other, other_resolved in ((q, Path(q).resolve()) for q in paths if q != p):
            if other_resolved.is_dir() and resolved != other_resolved and resolved.is_relative_to(other_resolved):
                raise InputError(p, f"lies inside the folder input {other}: each document must be read once")
    if sources is not None:
        sources = str(sources)
        open_sources(sources).close()  # fail now, with a clear message, not in every worker
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(str(out), "output exists and is not a folder")
    options = Options(reports=reports, sources=sources, text_field=text_field)
    manifest = load_manifest(
        out, paths, shard_size,
        # A resumed run must trace against the same index, or not at all, as the first one did.
        {"reports": reports, "text_field": text_field, "shard_by_file": shard_by_file,
         "sources": None if sources is None else os.path.abspath(sources)},
    )
    size = manifest["shard_size"]
    writer.clear_partial(out)
    done = writer.done_shards(out)

    # The bar's total costs a first pass over the inputs (cheap for Parquet and folders, a
    # decompression for .gz and WARC), so it is made only when a bar is shown; the summary
    # counts the documents as they are read.
    total = sum(r.count() for r in readers) if progress and not shard_by_file else None
    if workers is None and engine == "local":
        from unspun.run.local import default_workers

        workers = default_workers()
    elif workers is None and ray_address is None:
        from unspun.run.local import default_workers

        workers = default_workers()

    stats = {"documents": 0, "skipped": 0, "shards_done": 0, "shards_skipped": 0}
    bar = _Progress(total, console) if progress else None

    def on_progress(n: int, skipped: bool) -> None:
        if skipped:
            stats["skipped"] += n
            stats["shards_skipped"] += 1
        else:
            stats["documents"] += n
            stats["shards_done"] += 1
        if bar is not None:
            bar.advance(n, skipped)

    counts: dict[str, int] = {}
    items = iter_file_shards(readers, done) if shard_by_file else iter_shards(readers, size, done, counts)
    t0 = time.perf_counter()
    try:
        if engine == "local":
            from unspun.run import local

            local.run(items, out, options, workers, on_progress)
        else:
            from unspun.run import ray_engine

            ray_engine.run(items, out, options, workers, on_progress, address=ray_address)
    finally:
        if bar is not None:
            bar.stop()
    seconds = time.perf_counter() - t0

    tally = summary_mod.tally(out)
    if shard_by_file:
        # Only the workers read the inputs: a file's documents are known once its shard is
        # written, and a file without its shard has not been read through.
        written = writer.done_shards(out)
        missing = [r.path for r in readers if shard_id(r.path, 0) not in written]
        counts = {p: tally["rows_by_input"].get(p, 0) for p in where}
    else:
        missing = []
    result = {
        "out": str(out),
        "inputs": [{"path": p, "documents": counts[p]} for p in where],
        "documents": sum(counts.values()),
        **tally,
        "run": {
            "engine": engine,
            "workers": workers,
            "documents": stats["documents"],
            "shards": stats["shards_done"],
            "shards_skipped": stats["shards_skipped"],
            "seconds": round(seconds, 3),
            "per_s": round(stats["documents"] / seconds, 2) if seconds > 0 else 0.0,
        },
    }
    # Complete: each input's documents have their rows (OUT may also hold other inputs' rows).
    result["complete"] = not missing and all(tally["rows_by_input"].get(p, 0) == counts[p] for p in where)
    if keep_clean is not None:
        result["keep_clean"] = keep_mod.write(out, Path(keep_clean), threshold, drop_traced)
    summary_mod.write(out, result)
    return result


class _Progress:
    """A Rich progress bar over documents, with documents/s and the time left."""

    def __init__(self, total: int | None, console=None) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(
            TextColumn("[bold]scan"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} docs/s"),
            TimeElapsedColumn(),
            TextColumn("{task.fields[left]} left"),
            console=console,
            transient=False,
        )
        self.task = self.progress.add_task("scan", total=total, rate="-", left="-:--:--")
        self.t0 = time.perf_counter()
        self.analysed = 0
        self.done = 0
        self.total = total
        self.progress.start()

    def advance(self, n: int, skipped: bool) -> None:
        # Shards found done count toward the bar but not toward the rate: the time left is
        # then estimated from the documents actually analysed in this run.
        if not skipped:
            self.analysed += n
        elapsed = time.perf_counter() - self.t0
        rate = self.analysed / elapsed if elapsed > 0 else 0.0
        self.done += n
        left = "-:--:--"
        if rate > 0 and self.total is not None:
            secs = int((self.total - self.done) / rate)
            left = f"{secs // 3600}:{secs // 60 % 60:02d}:{secs % 60:02d}"
        self.progress.update(self.task, advance=n, rate=f"{rate:,.1f}", left=left)

    def stop(self) -> None:
        self.progress.stop()
