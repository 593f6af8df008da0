"""Loaders for the real news in ../shared/data (never copied into the repository).

The data folder is found from UNSPUN_DATA, or as ``../shared/data`` beside the repository.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    env = os.environ.get("UNSPUN_DATA")
    path = Path(env) if env else REPO.parent / "shared" / "data"
    if not path.is_dir():
        raise FileNotFoundError(f"shared data folder not found at {path} (set UNSPUN_DATA)")
    return path


def split_of(doc_id: str, heldout_share: float = 0.3) -> str:
    """'dev' or 'heldout', fixed by a hash of the id, so that every tool splits alike."""
    h = int.from_bytes(hashlib.sha1(doc_id.encode()).digest()[:4], "big") / 2**32
    return "heldout" if h < heldout_share else "dev"


def _jsonl(path: Path) -> Iterator[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def allsides(limit: int | None = None) -> Iterator[dict]:
    """AllSides articles in file order: id, title, text, category, date, outlet, url."""
    for i, rec in enumerate(_jsonl(data_dir() / "allsides-news" / "allsides-news.jsonl.gz")):
        if limit is not None and i >= limit:
            return
        yield rec


def bbc(skip_duplicates: bool = True) -> Iterator[dict]:
    """BBC News articles; one of each identical pair is skipped unless asked otherwise."""
    root = data_dir() / "bbc-news"
    skip: set[str] = set()
    if skip_duplicates:
        for group in json.loads((root / "duplicates.json").read_text()):
            skip.update(sorted(group)[1:])
    for rec in _jsonl(root / "bbc-news.jsonl"):
        if rec["id"] not in skip:
            yield rec


def extraction_benchmark(language: str | None = "en") -> Iterator[dict]:
    """Extraction benchmark pages: the ground-truth record plus ``html`` (bytes)."""
    root = data_dir() / "article-extraction-benchmark"
    for rec in _jsonl(root / "ground-truth.jsonl"):
        if language is not None and rec.get("language") != language:
            continue
        rec = dict(rec)
        rec["html"] = gzip.decompress((root / rec["html_file"]).read_bytes())
        yield rec


def specimen() -> str:
    """The real content-farm page in ../shared/examples."""
    return (data_dir().parent / "examples" / "content-farm-article.txt").read_text(encoding="utf-8")
