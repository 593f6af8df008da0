"""``unspun index DB INPUT...``: build or extend a reference index; ``--stats`` describes one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from unspun.errors import InputError


def register(sub) -> None:
    p = sub.add_parser(
        "index",
        help="build or extend a reference index of real articles, for check --sources",
        description="Add documents to a reference index (a DuckDB file, with its sentences and "
        "postings in DB.segments/ beside it). A document whose id is already there replaces it. "
        "Each batch is committed as it is written, so a stopped run leaves a usable index.",
    )
    p.add_argument("db", help="the index file (created when missing)")
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="JSONL, JSONL.gz or Parquet with id and text (and optionally url, title, "
                   "outlet, date), or a folder of .txt and .html files")
    p.add_argument("--stats", action="store_true", help="print the number of documents and sentences and the size on disk")
    p.add_argument("--workers", type=_positive, metavar="N",
                   help="processes that segment, key and compress the documents while one writes "
                   "(default: one per core; they start past the first 1,000 documents)")
    p.set_defaults(run=run, interrupted="; the batches written before it are kept: run the same command again to "
                   "add the rest (a document already there is replaced, not counted twice)")
    check = sub.choices.get("check")
    if check is not None:
        check.add_argument("--sources", metavar="DB", help="trace each body sentence to a reference index built by unspun index")


def run(args: argparse.Namespace) -> int:
    from unspun.provenance.index import SourceIndex

    try:
        if not args.inputs:
            if not args.stats:
                raise InputError(args.db, "nothing to add: give INPUT files, or --stats")
            with SourceIndex(args.db, read_only=True) as index:
                _print_stats(index.stats())
            return 0
        from unspun.provenance.readers import read_input
        from unspun.run.local import default_workers

        for path in args.inputs:  # fail early on a missing input, before writing anything
            if not Path(path).exists():
                raise InputError(path, "no such file or folder")
        with SourceIndex(args.db) as index:
            added = _add_with_progress(index, args.inputs, read_input, args.workers or default_workers())
            stats = index.stats()
        print(f"added {added:,} documents", file=sys.stderr)
        if args.stats:
            _print_stats(stats)
    except InputError as e:
        print(f"unspun: {e}", file=sys.stderr)
        return 2
    return 0


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return n


def _add_with_progress(index, inputs: list[str], read_input, workers: int) -> int:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TransferSpeedColumn

    total = sum(Path(p).stat().st_size for p in inputs if Path(p).is_file()) or None
    added = 0
    with Progress(
        TextColumn("[bold]indexing[/] {task.fields[name]}"),
        BarColumn(),
        TextColumn("{task.fields[docs]:,} documents"),
        TransferSpeedColumn(),
        TimeElapsedColumn(),
        console=_stderr_console(),
        transient=False,
    ) as progress:
        task = progress.add_task("index", total=total, name="", docs=0)
        for path in inputs:
            progress.update(task, name=Path(path).name)
            compressed = str(path).endswith(".gz") or str(path).endswith(".parquet")
            size = Path(path).stat().st_size if Path(path).is_file() else 0

            def step(n_docs: int, n_bytes: int, _c=compressed) -> None:
                nonlocal added
                added += n_docs
                # Compressed inputs advance by text bytes scaled to the file at the end.
                progress.update(task, advance=0 if _c else n_bytes, docs=added)

            index.add(read_input(path), progress=step, workers=workers)
            if compressed:
                progress.update(task, advance=size)
    return added


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def _print_stats(s: dict) -> None:
    print(f"index       {s['path']}")
    print(f"documents   {s['documents']:,}")
    print(f"sentences   {s['sentences']:,}")
    print(f"postings    {s['postings']:,}")
    print(f"text        {s['text_bytes'] / 1e6:,.1f} MB")
    print(f"on disk     {s['disk_bytes'] / 1e6:,.1f} MB (database {s['database_bytes'] / 1e6:,.1f} MB, "
          f"{s['segments']} segment{'s' if s['segments'] != 1 else ''} {s['segment_bytes'] / 1e6:,.1f} MB)")
