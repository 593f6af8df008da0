"""`unspun scan`: the command line over unspun.scan()."""

from __future__ import annotations

import argparse
import sys


def register(sub) -> None:
    p = sub.add_parser(
        "scan",
        help="analyse a whole corpus into a folder of Parquet shards, one row per document",
        description="Analyse every document of the inputs into OUT, a folder of Parquet shards with one "
        "row per document. Rerun with the same OUT to resume: finished shards are kept.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="JSONL or JSONL.gz, Parquet, WARC or WARC.gz, or a folder of .txt/.html files")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="the output folder (created, or resumed)")
    p.add_argument("--workers", type=int, metavar="N", help="worker processes (default: one per core)")
    p.add_argument("--engine", choices=("local", "ray"), default="local", help="local: a process pool (default); ray: Ray tasks")
    p.add_argument("--ray-address", metavar="A", help="join this Ray cluster (with --engine ray)")
    p.add_argument("--reports", action="store_true", help="add the full report JSON as a column")
    p.add_argument("--sources", metavar="DB", help="trace sentences to this provenance index (opened read-only)")
    p.add_argument("--text-field", metavar="NAME", help="the field holding the text in JSONL and Parquet (default: text, html, content or raw_content)")
    p.add_argument("--shard-size", type=int, metavar="N", help="records per shard (default 500; fixed for an output folder)")
    p.add_argument("--shard-by-file", action="store_true", help="one shard per input file, read by its worker (for many files on a cluster)")
    p.add_argument("--keep-clean", metavar="OUT_JSONL", help="write the clean text of the documents that pass to this JSONL file, and the dropped ones beside it")
    p.add_argument("--pass-threshold", default="suspicious", metavar="T", help="the worst verdict label that passes (default: suspicious), or the highest score that passes (0-1)")
    p.add_argument("--drop-traced", action="store_true", help="with --keep-clean and --sources: leave out the sentences traced to the reference corpus")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary table")
    p.set_defaults(run=run, interrupted="; the shards finished are kept: run the same command again to resume")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from unspun.errors import UnspunError
    from unspun.run import scan
    from unspun.run import summary as summary_mod

    if args.ray_address and args.engine != "ray":
        print("unspun: --ray-address needs --engine ray", file=sys.stderr)
        return 2
    console = Console(stderr=True)
    try:
        result = scan(
            args.inputs,
            args.output,
            workers=args.workers,
            engine=args.engine,
            sources=args.sources,
            reports=args.reports,
            ray_address=args.ray_address,
            shard_size=args.shard_size,
            shard_by_file=args.shard_by_file,
            text_field=args.text_field,
            keep_clean=args.keep_clean,
            pass_threshold=args.pass_threshold,
            drop_traced=args.drop_traced,
            progress=not args.quiet,
            console=console,
        )
    except (UnspunError, ValueError) as e:
        print(f"unspun: {e}", file=sys.stderr)
        return 2
    if not args.quiet:
        summary_mod.render(result, console)
        if "keep_clean" in result:
            k = result["keep_clean"]
            console.print(f"kept {k['kept']:,} documents in {k['kept_path']}; dropped {k['dropped']:,} to {k['dropped_path']}")
    return 0 if result["complete"] else 1
