"""Readers: each input format streamed as records, one record per document.

A record carries what the worker needs to analyse one document and nothing decoded yet
where decoding can fail: a JSONL line stays bytes until the worker parses it, so that a
broken line becomes an error row of its own instead of stopping the reader. Every reader
streams; none holds a whole input.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from unspun.errors import InputError

#: Fields tried, in order, for the document's text when none is named.
TEXT_FIELDS = ("text", "html", "content", "raw_content")
#: Extensions of the files read from a folder.
FOLDER_SUFFIXES = (".txt", ".html", ".htm")


@dataclass(slots=True)
class Record:
    """One input document. Exactly one of ``line``, ``fields``, ``data`` and ``path`` is
    set, unless ``skip`` says why the record is not analysed."""

    index: int  # position among the input's documents, 0-based: with the input, its stable key
    id: str | None = None
    url: str | None = None
    line: bytes | None = None  # a JSONL line, parsed by the worker
    fields: dict | None = None  # a row already parsed (Parquet)
    data: bytes | None = None  # raw bytes of a page (WARC payload)
    path: str | None = None  # a file to read (folder input)
    skip: str | None = None  # why this document is passed over
    error: str | None = None  # why the input could not be read past this point (an error row)


def input_format(path: str | Path) -> str:
    """jsonl, parquet, warc or folder, from the path (and, for folders, that it is one)."""
    p = Path(path)
    name = p.name.lower()
    if not p.exists():
        raise InputError(str(path), "no such file or folder")
    if p.is_dir():
        return "folder"
    for suffix, fmt in (
        (".jsonl", "jsonl"), (".jsonl.gz", "jsonl"), (".ndjson", "jsonl"), (".ndjson.gz", "jsonl"),
        (".json.gz", "jsonl"), (".parquet", "parquet"), (".warc", "warc"), (".warc.gz", "warc"),
    ):
        if name.endswith(suffix):
            return fmt
    raise InputError(
        str(path), "unknown input format: expected .jsonl, .jsonl.gz, .parquet, .warc, .warc.gz or a folder"
    )


class Reader:
    """One input: ``count()`` its documents (a cheap first pass) and stream ``records()``."""

    def __init__(self, path: str | Path, text_field: str | None = None) -> None:
        self.path = str(path)
        self.format = input_format(path)
        self.text_field = text_field

    def count(self) -> int:
        return sum(1 for _ in self._iter(light=True))

    def records(self) -> Iterator[Record]:
        return self._iter(light=False)

    def _iter(self, light: bool) -> Iterator[Record]:
        # A truncated gzip or a corrupt Parquet footer ends the input: what was read stays, the
        # rest becomes one error row (its index follows the last record read), and the run
        # goes on to the next input.
        index = 0
        try:
            for rec in getattr(self, f"_{self.format}")(light):
                index = rec.index + 1
                yield rec
        except InputError:
            raise
        except (OSError, EOFError, ValueError) as e:
            problem = f"cannot be read past record {index} ({type(e).__name__}: {e})"
            yield Record(index, id=f"{self.path}:{index}", error=problem)

    # -- JSONL ---------------------------------------------------------------------------

    def _jsonl(self, light: bool) -> Iterator[Record]:
        opener = gzip.open if self.path.lower().endswith(".gz") else open
        index = 0
        with opener(self.path, "rb") as f:
            for line in f:
                if not line.strip():
                    continue  # blank lines are not documents
                yield Record(index) if light else Record(index, line=line)
                index += 1

    # -- Parquet -------------------------------------------------------------------------

    def _parquet(self, light: bool) -> Iterator[Record]:
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(self.path)
        if light:
            for i in range(pf.metadata.num_rows):
                yield Record(i)
            return
        names = set(pf.schema_arrow.names)
        text = self.text_field or next((f for f in TEXT_FIELDS if f in names), None)
        if text is None or text not in names:
            raise InputError(self.path, f"no text column (looked for {self.text_field or ', '.join(TEXT_FIELDS)})")
        columns = [c for c in ("id", "url") if c in names] + [text]
        index = 0
        # Batches keep memory to one batch of rows, whatever the file's size.
        for batch in pf.iter_batches(batch_size=512, columns=columns):
            for row in batch.to_pylist():
                yield Record(index, fields=row)
                index += 1

    # -- WARC ----------------------------------------------------------------------------

    def _warc(self, light: bool) -> Iterator[Record]:
        from fastwarc.warc import ArchiveIterator, WarcRecordType

        index = 0
        with open(self.path, "rb") as f:
            # Responses are the documents; requests, metadata and warcinfo records are not.
            for rec in ArchiveIterator(f, record_types=WarcRecordType.response, parse_http=True):
                if light:
                    yield Record(index)
                    index += 1
                    continue
                url = rec.headers.get("WARC-Target-URI")
                rid = rec.headers.get("WARC-Record-ID") or f"{self.path}:{index}"
                ctype = (rec.http_content_type or "").lower() if rec.is_http else ""
                if ctype and "html" not in ctype and not ctype.startswith("text/"):
                    yield Record(index, id=rid, url=url, skip=f"not an HTML or text response ({ctype})")
                else:
                    yield Record(index, id=rid, url=url, data=rec.reader.read())
                index += 1

    # -- folder --------------------------------------------------------------------------

    def _folder(self, light: bool) -> Iterator[Record]:
        root = Path(self.path)
        index = 0
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()  # a stable order, so that record numbers do not move between runs
            for name in sorted(filenames):
                if not name.lower().endswith(FOLDER_SUFFIXES):
                    continue
                full = Path(dirpath) / name
                if light:
                    yield Record(index)
                else:
                    yield Record(index, id=full.relative_to(root).as_posix(), path=str(full))
                index += 1
