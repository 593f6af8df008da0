"""Reference documents from files: JSONL (optionally gzipped), Parquet, or a folder of .txt
and .html pages. Records stream one at a time; a bad record stops the run with an error that
names the file and the line (or row), since an index silently missing documents would trace
wrongly."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

from unspun.errors import InputError

FIELDS = ("id", "text", "url", "title", "outlet", "date")


def _record(obj, where: str) -> dict:
    if not isinstance(obj, dict):
        raise InputError(where, f"expected a JSON object, got {type(obj).__name__}")
    rid = obj.get("id")
    if rid is None or (isinstance(rid, str) and not rid.strip()):
        raise InputError(where, "missing field 'id'")
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError(where, "missing field 'text'" if text is None else "field 'text' is not a string")
    return {k: (str(obj[k]) if k != "text" and obj.get(k) is not None else obj.get(k)) for k in FIELDS}


def read_jsonl(path: Path) -> Iterator[dict]:
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    raise InputError(f"{path}:{n}", f"not valid JSON ({e.msg})") from None
                yield _record(obj, f"{path}:{n}")
    except (OSError, EOFError, UnicodeDecodeError) as e:
        raise InputError(str(path), f"cannot be read ({e})") from None


def read_parquet(path: Path) -> Iterator[dict]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as e:  # pyarrow raises several error types for a bad file
        raise InputError(str(path), f"not a readable Parquet file ({e})") from None
    names = set(pf.schema_arrow.names)
    for need in ("id", "text"):
        if need not in names:
            raise InputError(str(path), f"missing column '{need}'")
    columns = [c for c in FIELDS if c in names]
    row = 0
    for batch in pf.iter_batches(batch_size=1000, columns=columns):
        for obj in batch.to_pylist():
            row += 1
            yield _record(obj, f"{path}: row {row}")


def read_folder(path: Path) -> Iterator[dict]:
    """Each .txt, .html or .htm file is a document; its id is its path inside the folder."""
    from unspun.source import read_path

    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".txt", ".html", ".htm"))
    for p in files:
        src = read_path(p)
        title = src.html_metadata.get("title") if src.html_metadata else None
        yield {"id": p.relative_to(path).as_posix(), "text": src.text, "url": None, "title": title,
               "outlet": None, "date": src.html_metadata.get("date") if src.html_metadata else None}


def read_input(path: str | Path) -> Iterator[dict]:
    p = Path(path)
    if not p.exists():
        raise InputError(str(path), "no such file or folder")
    if p.is_dir():
        return read_folder(p)
    name = p.name.lower()
    if name.endswith((".jsonl", ".jsonl.gz", ".json.gz", ".ndjson", ".json")):
        return read_jsonl(p)
    if name.endswith((".parquet", ".pq")):
        return read_parquet(p)
    raise InputError(str(path), "unknown input type (expected .jsonl, .jsonl.gz, .parquet or a folder)")
