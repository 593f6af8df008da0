"""The summary of an output folder, tallied from the shard files themselves, so that it is
right after any number of interrupted and resumed runs."""

from __future__ import annotations

import json
from pathlib import Path

SUMMARY = "_summary.json"


def tally(out: Path) -> dict:
    """Rows, statuses, errors by reason and verdicts over every shard file in OUT. Reads
    only the small columns, one file at a time."""
    import pyarrow.parquet as pq

    rows = ok = skipped = errors = 0
    by_reason: dict[str, int] = {}
    verdicts: dict[str, int] = {}
    shards = 0
    by_input: dict[str, int] = {}
    for path in sorted(out.glob("*.parquet")):
        if path.name.startswith((".", "_")):
            continue
        shards += 1
        t = pq.read_table(path, columns=["input", "status", "error_reason", "verdict"]).to_pydict()
        for inp, status, reason, verdict in zip(t["input"], t["status"], t["error_reason"], t["verdict"]):
            rows += 1
            by_input[inp] = by_input.get(inp, 0) + 1
            if status == "ok":
                ok += 1
                verdicts[verdict] = verdicts.get(verdict, 0) + 1
            elif status == "error":
                errors += 1
                by_reason[reason] = by_reason.get(reason, 0) + 1
            else:
                skipped += 1
                by_reason[reason] = by_reason.get(reason, 0) + 1
    return {
        "shards": shards,
        "rows": rows,
        "ok": ok,
        "skipped": skipped,
        "errors": errors,
        "errors_by_reason": dict(sorted(by_reason.items(), key=lambda kv: -kv[1])),
        "verdicts": dict(sorted(verdicts.items(), key=lambda kv: -kv[1])),
        "rows_by_input": by_input,
    }


def write(out: Path, summary: dict) -> Path:
    path = out / SUMMARY
    tmp = out / f".{SUMMARY}.tmp"
    tmp.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path


def render(summary: dict, console) -> None:
    """The summary as a short table on the console."""
    from rich.table import Table

    t = Table(title=f"unspun scan: {summary['out']}", show_header=False, box=None)
    t.add_column(style="bold")
    t.add_column(justify="right")
    t.add_row("documents in", f"{summary['documents']:,}")
    t.add_row("ok", f"{summary['ok']:,}")
    t.add_row("skipped", f"{summary['skipped']:,}")
    t.add_row("errors", f"{summary['errors']:,}")
    for reason, n in summary["errors_by_reason"].items():
        t.add_row(f"  {reason}", f"{n:,}")
    for label, n in summary["verdicts"].items():
        t.add_row(f"verdict {label}", f"{n:,}")
    run = summary.get("run", {})
    if run:
        t.add_row(
            "this run",
            f"{run['documents']:,} documents in {run['seconds']:.1f} s ({run['per_s']:.1f}/s), "
            f"{run['shards_skipped']} shards already done",
        )
    if not summary.get("complete", True):
        t.add_row("[red]incomplete[/red]", "some documents have no row yet: run again to finish")
    console.print(t)
