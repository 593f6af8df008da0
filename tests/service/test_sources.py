"""With a reference index (``--sources``), the report carries provenance and the page shows it.
Skipped where this unspun has no ``SourceIndex``."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

import unspun
from unspun.service.app import create_app
from unspun.service.command import open_sources

pytestmark = pytest.mark.skipif(not hasattr(unspun, "SourceIndex"), reason="this unspun has no SourceIndex")


@pytest.fixture(scope="module")
def index_path(tmp_path_factory, example_path):
    """An index holding the example's body as another outlet's story, with one sentence reworded."""
    text = example_path.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if len(p.split()) > 12]
    body = "\n\n".join(paragraphs)
    reworded = body.replace(" voted ", " decided ", 1)
    assert reworded != body
    path = tmp_path_factory.mktemp("index") / "refs.duckdb"
    with unspun.SourceIndex(path) as index:
        index.add([{"id": "ref-1", "text": reworded, "title": "The original story", "url": "https://example.org/1",
                    "outlet": "Wire"}])  # fmt: skip
    return path


def test_health_and_report_with_sources(pipeline, index_path, example_path):
    index = open_sources(str(index_path))
    try:
        with TestClient(create_app(pipeline, sources=index)) as client:
            assert client.get("/api/health").json()["sources"] is True
            r = client.post("/api/check", json={"text": example_path.read_text(encoding="utf-8")})
            assert r.status_code == 200
            report = r.json()
    finally:
        index.close()
    prov = report["provenance"]
    assert prov and prov["traced_sentences"] > 0
    assert [d["id"] for d in prov["documents"]] == ["ref-1"]
    traced = [s["source"] for s in report["sentences"] if s.get("source")]
    assert any(s["status"] == "spun" for s in traced)
    assert any(s["status"] == "copied" for s in traced)


def test_without_sources_provenance_is_absent_or_null(client, example_path):
    report = client.post("/api/check", json={"text": example_path.read_text(encoding="utf-8")}).json()
    assert report.get("provenance") is None


def test_an_unreadable_index_is_a_clear_error(tmp_path):
    bad = tmp_path / "not-an-index.duckdb"
    bad.write_bytes(b"this is not a database")
    with pytest.raises(unspun.InputError) as e:
        open_sources(str(bad))
    assert str(bad) in str(e.value)
