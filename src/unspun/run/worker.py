"""The shard function: analyse every record of a shard and write the shard's Parquet file.

The same function runs in the local process pool and in Ray tasks. Each worker process builds
its pipeline (and opens the provenance index) once, on its first shard, and reuses it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unspun.errors import InputError
from unspun.run import writer
from unspun.run.readers import TEXT_FIELDS, Record
from unspun.run.shards import Shard
from unspun.source import MAX_INPUT_BYTES


#: JSONL lines longer than this are refused without parsing (the text limit itself is
#: MAX_INPUT_BYTES, checked once parsed).
MAX_RECORD_BYTES = 20 * MAX_INPUT_BYTES


@dataclass(frozen=True, slots=True)
class Options:
    reports: bool = False
    sources: str | None = None
    text_field: str | None = None


_state: dict[str, Any] = {}


def _pipeline(options: Options):
    """The worker's pipeline and index, built on first use. Built here rather than passed in:
    a pipeline with its word statistics is large to send, and cheap to build once per process."""
    if "pipeline" not in _state:
        from unspun import Pipeline

        _state["pipeline"] = Pipeline()
    if options.sources and _state.get("sources_path") != options.sources:
        if _state.get("sources") is not None:
            _state["sources"].close()
        _state["sources"] = open_sources(options.sources)
        _state["sources_path"] = options.sources
    return _state["pipeline"], (_state.get("sources") if options.sources else None)


def open_sources(path: str):
    """The provenance index, read-only: many workers open the same file at once."""
    import unspun

    index_cls = getattr(unspun, "SourceIndex", None)
    if index_cls is None:
        raise InputError(path, "--sources: the provenance index (unspun.SourceIndex) is not available in this installation")
    if not Path(path).exists():
        raise InputError(path, "--sources: no such index file")
    return index_cls(path, read_only=True)


def run_shard(shard: Shard, out: str, options: Options) -> dict:
    """Analyse the shard's records and write OUT/<shard id>.parquet; return the shard's tallies.
    A shard without records stands for its whole input file, which the worker reads itself."""
    pipeline, sources = _pipeline(options)
    if shard.records is None:
        from unspun.run.readers import Reader

        records = Reader(shard.input, options.text_field).records()
    else:
        records = shard.records
    rows = (analyse(rec, shard.input, pipeline, sources, options) for rec in records)
    n = writer.write_shard(Path(out), shard.id, rows, options.reports)
    return {"id": shard.id, "documents": n, "pid": os.getpid()}


def reason_of(problem: str) -> str:
    """A short, fixed name for an error, to count errors by reason in the summary."""
    p = problem.lower()
    for key, reason in (
        ("empty", "empty"),
        ("binary", "binary"),
        ("over the limit", "too_large"),
        ("decoded", "encoding"),
        ("utf-8", "encoding"),
        ("json", "bad_record"),
        ("no text", "bad_record"),
        ("html could not", "html"),
        ("cannot be read", "unreadable"),
        ("not an html", "not_html"),
    ):
        if key in p:
            return reason
    return "other"


def analyse(rec: Record, input_path: str, pipeline, sources, options: Options) -> dict:
    """One row: the document's verdict, counts and clean text, or its error. Never raises for
    one document: whatever goes wrong with it is recorded on its row and the run goes on."""
    # A document without an id of its own (or whose record cannot be parsed) is named by its
    # place in the input, which is unique and stable.
    name = rec.id or f"{input_path}:{rec.index}"
    row: dict[str, Any] = {"input": input_path, "record": rec.index, "id": name, "url": rec.url}
    if rec.skip is not None:
        return writer.skipped_row(row, rec.skip, reason_of(rec.skip))
    if rec.error is not None:
        return writer.error_row(row, rec.error, reason_of(rec.error))
    try:
        source = _source(rec, row, name, options)
        name = row["id"]
        if sources is not None:
            report = pipeline.check(source, name=name, sources=sources)
        else:
            report = pipeline.check(source, name=name)
    except InputError as e:
        return writer.error_row(row, e.problem, reason_of(e.problem))
    except Exception as e:  # a fault on one document must not stop a corpus run
        return writer.error_row(row, f"internal error: {type(e).__name__}: {e}", "internal")
    return writer.ok_row(row, report, options.reports, traced=sources is not None)


def _source(rec: Record, row: dict, name: str, options: Options):
    from unspun.source import from_bytes, from_string

    if rec.path is not None:
        try:
            with open(rec.path, "rb") as f:
                data = f.read(MAX_INPUT_BYTES + 1)  # no more than needed to know it is too large
        except OSError as e:
            raise InputError(name, f"cannot be read ({e.strerror or e})") from None
        return from_bytes(data, name)
    if rec.data is not None:
        return from_bytes(rec.data, name)
    fields = rec.fields
    if rec.line is not None:
        # Parsed up to a generous size, so that an oversized document is reported under its
        # own id; a line past this is refused unparsed.
        if len(rec.line) > MAX_RECORD_BYTES:
            raise InputError(name, f"record is {len(rec.line):,} bytes, over the limit of {MAX_INPUT_BYTES:,}")
        try:
            fields = json.loads(rec.line)
        except UnicodeDecodeError:
            raise InputError(name, "record is not valid UTF-8") from None
        except ValueError as e:
            raise InputError(name, f"record is not valid JSON ({e})") from None
        if not isinstance(fields, dict):
            raise InputError(name, f"record is not a JSON object but a {type(fields).__name__}")
    assert fields is not None
    if fields.get("id") is not None:
        row["id"] = str(fields["id"])
        name = row["id"]
    if isinstance(fields.get("url"), str):
        row["url"] = fields["url"]
    field = options.text_field or next((f for f in TEXT_FIELDS if f in fields), None)
    value = fields.get(field) if field else None
    if value is None:
        raise InputError(name, f"no text field (looked for {options.text_field or ', '.join(TEXT_FIELDS)})")
    if isinstance(value, bytes):
        return from_bytes(value, name)
    if not isinstance(value, str):
        raise InputError(name, f"no text: field {field!r} holds a {type(value).__name__}")
    if len(value) > MAX_INPUT_BYTES:  # refused before encoding a copy of it
        raise InputError(name, f"input is {len(value):,} characters, over the limit of {MAX_INPUT_BYTES:,} bytes")
    return from_string(value, name)
