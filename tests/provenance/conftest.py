"""Real reference documents (AllSides and BBC articles from ../shared/data) in real DuckDB
files under tmp_path."""

from __future__ import annotations

import itertools

import pytest

from bench import corpora

try:
    corpora.data_dir()
except FileNotFoundError:  # pragma: no cover - the shared data is not on every machine
    pytest.skip("shared data folder not found", allow_module_level=True)

from unspun import SourceIndex


@pytest.fixture(scope="session")
def docs() -> list[dict]:
    """150 AllSides and 50 BBC articles: the reference documents of these tests."""
    allsides = [r for r in itertools.islice(corpora.allsides(), 400) if len(r["text"]) > 1500][:150]
    bbc = list(itertools.islice(corpora.bbc(), 50))
    return allsides + bbc


@pytest.fixture(scope="session")
def index_path(tmp_path_factory, docs) -> str:
    path = tmp_path_factory.mktemp("index") / "ref.duckdb"
    with SourceIndex(path) as index:
        index.add(docs, batch=64)
    return str(path)


@pytest.fixture()
def index(index_path):
    with SourceIndex(index_path, read_only=True) as ix:
        yield ix
