"""Shards: inputs cut into runs of consecutive records with ids that do not change between runs.

A shard's id is its input's key and its first record number, and the shard size is fixed for an
output folder (kept in OUT/_scan.json), so the same record always falls in the same shard: a
rerun finds the shards already written and skips them, and no record is done twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from unspun.errors import InputError
from unspun.run.readers import Reader, Record

#: Records per shard: large enough that per-shard costs (a task, a Parquet file) vanish,
#: small enough that a killed run loses little and two workers share the work evenly.
DEFAULT_SHARD_SIZE = 500
MANIFEST = "_scan.json"


@dataclass(slots=True)
class Shard:
    id: str
    input: str  # the input's absolute path: the same however a rerun spells it
    start: int  # first record number
    # The records, read by the driver; None: the whole input file, read by the worker.
    records: list[Record] | None = field(default_factory=list)


def input_key(path: str) -> str:
    """A readable, collision-safe key for an input: its name and a hash of its full path."""
    resolved = str(Path(path).resolve())
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(path).name)[:40] or "input"
    return f"{stem}-{hashlib.sha1(resolved.encode()).hexdigest()[:8]}"


def shard_id(path: str, start: int) -> str:
    return f"{input_key(path)}-{start:010d}"


def shard_file(out: Path, sid: str) -> Path:
    return out / f"{sid}.parquet"


def iter_shards(
    readers: list[Reader], shard_size: int, done: set[str], seen: dict[str, int] | None = None
) -> Iterator[Shard | tuple[str, int]]:
    """Shards to do, in input order, filled with their records. A shard already written is
    yielded as ``(id, records)`` so that progress can count it, and its records are not kept.
    ``seen`` gets the number of documents read from each input."""
    seen = {} if seen is None else seen
    for reader in readers:
        where = os.path.abspath(reader.path)
        seen[where] = 0
        current: str | None = None
        shard: Shard | None = None
        skipped = 0
        for rec in reader.records():
            seen[where] += 1
            if rec.index % shard_size == 0:
                if current is not None:
                    yield shard if shard is not None else (current, skipped)
                current = shard_id(reader.path, rec.index)
                shard = None if current in done else Shard(current, where, rec.index)
                skipped = 0
            if shard is None:
                skipped += 1
            else:
                shard.records.append(rec)
        if current is not None:
            yield shard if shard is not None else (current, skipped)


def iter_file_shards(readers: list[Reader], done: set[str]) -> Iterator[Shard | tuple[str, int]]:
    """One shard per input file, read by the worker that runs it: for many-file inputs (a
    crawl of WARC files) on a cluster, where the driver must not read every byte."""
    for reader in readers:
        sid = shard_id(reader.path, 0)
        yield (sid, 0) if sid in done else Shard(sid, os.path.abspath(reader.path), 0, records=None)


def load_manifest(out: Path, inputs: list[str], shard_size: int | None, options: dict) -> dict:
    """The output folder's manifest: written on the first run, checked on a rerun, so that a
    resumed run cuts its inputs into the same shards and writes the same columns."""
    path = out / MANIFEST
    keys = [input_key(p) for p in inputs]
    if path.exists():
        manifest = json.loads(path.read_text())
        if shard_size is not None and shard_size != manifest["shard_size"]:
            raise InputError(str(out), f"was written with shard size {manifest['shard_size']}, not {shard_size}")
        for name, value in options.items():
            if manifest.get("options", {}).get(name) != value:
                raise InputError(
                    str(out), f"was written with {name}={manifest.get('options', {}).get(name)!r}, not {value!r}: "
                    "use a new output folder"
                )
        known = {i["key"] for i in manifest["inputs"]}
        new = [{"path": p, "key": k} for p, k in zip(inputs, keys) if k not in known]
        if new:
            manifest["inputs"].extend(new)
            _write_json(path, manifest)
        return manifest
    manifest = {
        "format": "unspun.scan/1",
        "shard_size": shard_size or DEFAULT_SHARD_SIZE,
        "options": options,
        "inputs": [{"path": p, "key": k} for p, k in zip(inputs, keys)],
    }
    out.mkdir(parents=True, exist_ok=True)
    _write_json(path, manifest)
    return manifest


def _write_json(path: Path, data) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    tmp.replace(path)
