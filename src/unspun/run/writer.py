"""Rows and shard files: one Parquet file per shard, written whole or not at all."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

#: Finding kinds counted in their own column (the kinds the pipeline can report); a kind
#: not listed still counts in ``findings``.
KINDS = (
    "metadata", "boilerplate", "injected", "quote", "figure", "repeat", "conflict",
    "dangling_reference", "thread", "stitch",
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
        # With a provenance index: sentences traced to it, and the clean text without them.
        ("traced", pa.int32()),
        ("untraced_text", pa.string()),
    ]
    if reports:
        fields.append(("report", pa.string()))
    return pa.schema(fields)


def untraced_text(report: dict) -> str:
    """The clean text less the sentences traced to the reference corpus: the sentences kept
    in the clean text whose ``source`` is empty, joined by a space within a paragraph and by
    a blank line between paragraphs."""
    from unspun.report import REMOVED_KINDS

    removed = set(REMOVED_KINDS)
    text = report["text"]
    paragraphs: list[list[str]] = []
    last = None
    for s in report["sentences"]:
        if removed.intersection(s["flags"]) or s.get("source"):
            continue
        if s.get("paragraph") != last or not paragraphs:
            paragraphs.append([])
            last = s.get("paragraph")
        paragraphs[-1].append(text[s["start"] : s["end"]].strip())
    return "\n\n".join(" ".join(p) for p in paragraphs)


def ok_row(row: dict, report, reports: bool, traced: bool = False) -> dict:
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
    if traced or reports:
        data = report.to_dict()
        if traced:
            row["traced"] = sum(1 for s in data["sentences"] if s.get("source"))
            row["untraced_text"] = untraced_text(data)
        if reports:
            row["report"] = json.dumps(data, ensure_ascii=False)
    return row


def error_row(row: dict, problem: str, reason: str) -> dict:
    row.update(status=ERROR, error=problem, error_reason=reason)
    return row


def skipped_row(row: dict, why: str, reason: str) -> dict:
    row.update(status=SKIPPED, error=why, error_reason=reason)
    return row


def write_shard(out: Path, sid: str, rows, reports: bool, batch: int = 256) -> int:
    """Write the rows (any iterable) to a hidden temporary file, a row group of ``batch`` rows
    at a time, and rename it into place when complete: a reader, or a rerun after a kill,
    sees the whole shard or none of it, and a shard read from a whole file by its worker
    never holds more than one batch of rows. Returns the number of rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    final = out / f"{sid}.parquet"
    tmp = out / f".{sid}.{os.getpid()}.tmp"
    sch = schema(reports)
    n = 0
    try:
        with pq.ParquetWriter(tmp, sch, compression="zstd") as w:
            chunk: list[dict[str, Any]] = []
            for row in rows:
                chunk.append(row)
                if len(chunk) >= batch:
                    w.write_table(pa.Table.from_pylist(chunk, schema=sch))
                    n += len(chunk)
                    chunk = []
            if chunk or n == 0:
                w.write_table(pa.Table.from_pylist(chunk, schema=sch))
                n += len(chunk)
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return n


def clear_partial(out: Path) -> int:
    """Remove the temporary files of shards a killed run left half written."""
    n = 0
    for p in out.glob(".*.tmp"):
        p.unlink(missing_ok=True)
        n += 1
    return n


def done_shards(out: Path) -> set[str]:
    return {p.stem for p in out.glob("*.parquet") if not p.name.startswith((".", "_"))}
