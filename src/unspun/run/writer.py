"""Rows and shard files: one Parquet file per shard, written whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

#: Finding kinds counted in their own column (the kinds the pipeline can report); a kind
#: not listed still counts in ``findings``.
KINDS = (
    "metadata", "boilerplate", "injected", "quote", "figure", "repeat", "conflict",
    "dangling_reference", "thread",
)
OK, SKIPPED, ERROR = "ok", "skipped", "error"


def schema(reports: bool):
    import pyarrow as pa

    fields = [
        ("input", pa.string()),
        ("record", pa.int64()),
        ("id", pa.string()),
        ("url", pa.string()),
        ("status", pa.string()),
        ("error", pa.string()),
        ("error_reason", pa.string()),
        ("verdict", pa.string()),
        ("score", pa.float64()),
        ("english", pa.bool_()),
        ("chars", pa.int64()),
        ("findings", pa.int32()),
        *[(f"n_{k}", pa.int32()) for k in KINDS],
        ("clean_text", pa.string()),
    ]
    if reports:
        fields.append(("report", pa.string()))
    return pa.schema(fields)


def ok_row(row: dict, report, reports: bool) -> dict:
    counts: dict[str, int] = {}
    for f in report.findings:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    row.update(
        status=OK,
        verdict=report.verdict.label,
        score=round(report.verdict.score, 4),
        english=bool(report.language.get("english")),
        chars=len(report.text),
        findings=len(report.findings),
        clean_text=report.clean_text,
        **{f"n_{k}": counts.get(k, 0) for k in KINDS},
    )
    if reports:
        row["report"] = report.to_json()
    return row


def error_row(row: dict, problem: str, reason: str) -> dict:
    row.update(status=ERROR, error=problem, error_reason=reason)
    return row


def skipped_row(row: dict, why: str, reason: str) -> dict:
    row.update(status=SKIPPED, error=why, error_reason=reason)
    return row


def write_shard(out: Path, sid: str, rows: list[dict[str, Any]], reports: bool) -> Path:
    """Write the rows to a hidden temporary file and rename it into place: a reader (or a
    rerun after a kill) sees the whole shard or none of it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    final = out / f"{sid}.parquet"
    tmp = out / f".{sid}.{os.getpid()}.tmp"
    table = pa.Table.from_pylist(rows, schema=schema(reports))
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, final)
    return final


def clear_partial(out: Path) -> int:
    """Remove the temporary files of shards a killed run left half written."""
    n = 0
    for p in out.glob(".*.tmp"):
        p.unlink(missing_ok=True)
        n += 1
    return n


def done_shards(out: Path) -> set[str]:
    return {p.stem for p in out.glob("*.parquet") if not p.name.startswith((".", "_"))}
