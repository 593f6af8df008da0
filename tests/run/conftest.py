"""Inputs for the corpus-run tests, built from the real news in ../shared/data."""

from __future__ import annotations

import gzip
import json
import uuid
from pathlib import Path

import pytest

from bench import corpora


def read_rows(out: Path, columns=None) -> list[dict]:
    """Every row of an output folder, shard by shard."""
    import pyarrow.parquet as pq

    rows = []
    for path in sorted(out.glob("*.parquet")):
        if not path.name.startswith((".", "_")):
            rows.extend(pq.read_table(path, columns=columns).to_pylist())
    return rows


def write_jsonl(path: Path, records, compress: bool = False) -> Path:
    opener = gzip.open if compress else open
    with opener(path, "wt", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def _warc_block(headers: dict[str, str], payload: bytes) -> bytes:
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    head += f"Content-Length: {len(payload)}\r\n\r\n"
    return head.encode() + payload + b"\r\n\r\n"


def warc_records(pages: list[tuple[str, bytes, str]]) -> list[bytes]:
    """A warcinfo record, then for each (url, body, content type) a request and a response,
    as a crawler writes them."""
    out = [_warc_block(
        {"WARC-Type": "warcinfo", "WARC-Record-ID": f"<urn:uuid:{uuid.uuid4()}>",
         "WARC-Date": "2024-01-01T00:00:00Z", "Content-Type": "application/warc-fields"},
        b"software: unspun tests\r\n",
    )]
    for url, body, ctype in pages:
        request = f"GET / HTTP/1.1\r\nHost: {url.split('/')[2]}\r\n\r\n".encode()
        out.append(_warc_block(
            {"WARC-Type": "request", "WARC-Record-ID": f"<urn:uuid:{uuid.uuid4()}>",
             "WARC-Date": "2024-01-01T00:00:00Z", "WARC-Target-URI": url,
             "Content-Type": "application/http; msgtype=request"},
            request,
        ))
        http = (
            f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
        )
        out.append(_warc_block(
            {"WARC-Type": "response", "WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}>",
             "WARC-Date": "2024-01-01T00:00:00Z", "WARC-Target-URI": url,
             "Content-Type": "application/http; msgtype=response"},
            http,
        ))
    return out


def write_warc(path: Path, pages, compress: bool) -> Path:
    records = warc_records(pages)
    with open(path, "wb") as f:
        for rec in records:
            # A .warc.gz is one gzip member per record, as crawlers write it.
            f.write(gzip.compress(rec) if compress else rec)
    return path


@pytest.fixture(scope="session")
def articles() -> list[dict]:
    """The first 40 AllSides articles."""
    return list(corpora.allsides(40))


@pytest.fixture(scope="session")
def pages() -> list[dict]:
    """Six English pages of the extraction benchmark, HTML as bytes."""
    out = []
    for rec in corpora.extraction_benchmark("en"):
        out.append(rec)
        if len(out) == 6:
            break
    return out
