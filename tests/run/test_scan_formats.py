"""Every input format through `scan`, checked row by row against the pipeline run directly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import unspun
from unspun.source import from_bytes
from tests.run.conftest import read_rows, write_jsonl, write_warc


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, articles, pages):
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = tmp_path_factory.mktemp("inputs")
    inputs = {
        "jsonl": write_jsonl(root / "a.jsonl", articles[0:10]),
        "jsonl.gz": write_jsonl(root / "b.jsonl.gz", articles[10:20], compress=True),
    }
    table = pa.Table.from_pylist([{k: a[k] for k in ("id", "title", "text", "url")} for a in articles[20:30]])
    pq.write_table(table, root / "c.parquet", row_group_size=3)  # rows cross row groups and shards
    inputs["parquet"] = root / "c.parquet"
    html = [(p["url"], p["html"], "text/html; charset=utf-8") for p in pages]
    image = ("https://example.org/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "image/png")
    inputs["warc"] = write_warc(root / "d.warc", html[:3] + [image], compress=False)
    inputs["warc.gz"] = write_warc(root / "e.warc.gz", html[3:6], compress=True)
    folder = root / "f"
    (folder / "sub").mkdir(parents=True)
    for i, a in enumerate(articles[30:33]):
        (folder / f"{i}.txt").write_text(a["text"], encoding="utf-8")
    (folder / "sub" / "page.html").write_bytes(pages[0]["html"])
    (folder / "notes.md").write_text("not an input file")
    inputs["folder"] = folder
    out = root / "out"
    summary = unspun.scan([str(p) for p in inputs.values()], out, workers=1, shard_size=4)
    rows = read_rows(out)
    by_input = {fmt: [r for r in rows if r["input"] == str(path)] for fmt, path in inputs.items()}
    return {"inputs": inputs, "summary": summary, "rows": rows, "by_input": by_input, "out": out}


def _check_articles(rows, articles, pipeline):
    assert [r["record"] for r in rows] == list(range(len(articles)))
    assert [r["id"] for r in rows] == [a["id"] for a in articles]
    for row, a in zip(rows, articles):
        assert row["status"] == "ok", row["error"]
        report = pipeline.check(a["text"])
        assert row["url"] == a["url"]
        assert (row["verdict"], row["score"]) == (report.verdict.label, round(report.verdict.score, 4))
        assert row["clean_text"] == report.clean_text
        assert row["findings"] == len(report.findings)
        assert row["n_injected"] == len(report.findings_of("injected"))


@pytest.mark.parametrize("fmt,lo,hi", [("jsonl", 0, 10), ("jsonl.gz", 10, 20), ("parquet", 20, 30)])
def test_records_formats(corpus, articles, pipeline, fmt, lo, hi):
    _check_articles(corpus["by_input"][fmt], articles[lo:hi], pipeline)


def _check_pages(rows, pages, pipeline):
    for row, page in zip(rows, pages):
        assert row["url"] == page["url"]
        assert row["id"].startswith("<urn:uuid:")
        assert row["status"] == "ok", row["error"]
        assert row["clean_text"] == pipeline.check(from_bytes(page["html"], "page")).clean_text
        assert len(row["clean_text"]) > 200


def test_warc_html_responses_extracted(corpus, pages, pipeline):
    rows = corpus["by_input"]["warc"]
    # Three pages and one image: requests and the warcinfo record are not documents.
    assert len(rows) == 4
    _check_pages(rows[:3], pages[:3], pipeline)
    assert rows[3]["status"] == "skipped"
    assert rows[3]["error_reason"] == "not_html"
    assert "image/png" in rows[3]["error"]


def test_gzipped_warc(corpus, pages, pipeline):
    rows = corpus["by_input"]["warc.gz"]
    assert len(rows) == 3
    _check_pages(rows, pages[3:6], pipeline)


def test_folder_of_text_and_html(corpus, articles, pages, pipeline):
    rows = corpus["by_input"]["folder"]
    assert [r["id"] for r in rows] == ["0.txt", "1.txt", "2.txt", "sub/page.html"]
    for row, a in zip(rows, articles[30:33]):
        assert row["status"] == "ok"
        assert row["clean_text"] == pipeline.check(a["text"]).clean_text
    assert rows[3]["clean_text"] == pipeline.check(from_bytes(pages[0]["html"], "p")).clean_text


def test_counts_add_up(corpus):
    s, rows = corpus["summary"], corpus["rows"]
    assert s["documents"] == len(rows) == 10 + 10 + 10 + 4 + 3 + 4
    assert s["rows"] == s["ok"] + s["skipped"] + s["errors"] == s["documents"]
    assert sum(s["verdicts"].values()) == s["ok"] == sum(r["status"] == "ok" for r in rows)
    assert sum(s["errors_by_reason"].values()) == s["errors"] + s["skipped"]
    for fmt, path in corpus["inputs"].items():
        entry = next(i for i in s["inputs"] if i["path"] == str(path))
        assert entry["documents"] == len(corpus["by_input"][fmt])
    keys = [(r["input"], r["record"]) for r in rows]
    assert len(set(keys)) == len(keys)
    assert s["complete"] is True
    # Shards of four records: ceil(n / 4) per input.
    assert s["shards"] == sum(-(-len(v) // 4) for v in corpus["by_input"].values())
    assert json.loads((corpus["out"] / "_summary.json").read_text()) == s


def test_rerun_skips_finished_shards(corpus):
    out: Path = corpus["out"]
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.parquet")}
    s = unspun.scan([str(p) for p in corpus["inputs"].values()], out, workers=1)
    assert s["run"]["documents"] == 0
    assert s["run"]["shards_skipped"] == len(before)
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.parquet")} == before
    assert s["rows"] == s["documents"]


def test_whole_file_shards_read_by_workers_give_the_same_rows(corpus, tmp_path):
    inputs = [str(p) for p in corpus["inputs"].values()]
    s = unspun.scan(inputs, tmp_path / "by-file", workers=2, shard_by_file=True)
    assert s["shards"] == len(inputs)
    assert s["complete"] and s["documents"] == s["rows"] == corpus["summary"]["documents"]
    key = lambda r: (r["input"], r["record"])  # noqa: E731
    assert sorted(read_rows(tmp_path / "by-file"), key=key) == sorted(corpus["rows"], key=key)
    assert [i["documents"] for i in s["inputs"]] == [i["documents"] for i in corpus["summary"]["inputs"]]
