"""Bad documents become error rows with their reason, and the run goes on."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import unspun
from tests.run.conftest import read_rows, write_jsonl


def test_bad_documents_become_error_rows(tmp_path, articles):
    good = articles[:3]
    path = tmp_path / "mixed.jsonl"
    with open(path, "wb") as f:
        f.write(json.dumps(good[0]).encode() + b"\n")
        f.write(b'{"id": "broken-json", "text": "no closing brace"\n')
        f.write(b'{"id": "bad-utf8", "text": "caf\xe9 \xff\xfe news"}\n')
        f.write(json.dumps({"id": "empty", "text": "   \n  "}).encode() + b"\n")
        f.write(json.dumps({"id": "binary", "text": "\x00\x01\x02" * 200}).encode() + b"\n")
        f.write(json.dumps({"id": "no-text", "title": "a title only"}).encode() + b"\n")
        f.write(json.dumps(good[1]).encode() + b"\n")
        f.write(b"\n")  # a blank line is not a document
        f.write(json.dumps({"id": "huge", "text": "word " * 10_000_000}).encode() + b"\n")  # 50 MB
        f.write(json.dumps(good[2]).encode() + b"\n")
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "image.html").write_bytes(bytes(range(256)) * 40)
    (folder / "latin1.txt").write_bytes("Caf\xe9 owners in the town said the new rules would hurt trade.".encode("cp1252"))
    (folder / "blank.txt").write_bytes(b"")
    summary = unspun.scan([str(path), str(folder)], tmp_path / "out", workers=1, shard_size=3)
    rows = {r["id"]: r for r in read_rows(tmp_path / "out")}

    assert summary["documents"] == summary["rows"] == 9 + 3
    for a in good:
        assert rows[a["id"]]["status"] == "ok"
    expect = {
        "broken-json": "bad_record", "bad-utf8": "encoding", "empty": "empty", "binary": "binary",
        "no-text": "bad_record", "huge": "too_large", "image.html": "binary", "blank.txt": "empty",
    }
    # An unparsable record has no id of its own: it is named by its place in the input.
    rows["broken-json"] = rows.pop(f"{path}:1")
    rows["bad-utf8"] = rows.pop(f"{path}:2")
    for ident, reason in expect.items():
        row = rows[ident]
        assert row["status"] == "error", (ident, row)
        assert row["error_reason"] == reason, (ident, row["error"])
        assert row["error"]
        assert row["verdict"] is None and row["clean_text"] is None
    assert "over the limit" in rows["huge"]["error"]
    # A page in a legacy encoding is decoded, not refused.
    assert rows["latin1.txt"]["status"] == "ok"
    assert "Café" in rows["latin1.txt"]["clean_text"]
    assert summary["errors"] == 8
    assert summary["errors_by_reason"] == {"bad_record": 2, "empty": 2, "binary": 2, "encoding": 1, "too_large": 1}


def test_reports_column_holds_valid_reports(tmp_path, articles):
    from unspun.schema import validate

    path = write_jsonl(tmp_path / "a.jsonl", articles[:2])
    unspun.scan(path, tmp_path / "out", workers=1, reports=True)
    rows = read_rows(tmp_path / "out")
    for row in rows:
        report = json.loads(row["report"])
        validate(report)
        assert report["clean_text"] == row["clean_text"]
        assert report["verdict"]["label"] == row["verdict"]


def test_options_of_an_output_folder_are_kept(tmp_path, articles):
    path = write_jsonl(tmp_path / "a.jsonl", articles[:2])
    unspun.scan(path, tmp_path / "out", workers=1)
    with pytest.raises(unspun.InputError, match="reports"):
        unspun.scan(path, tmp_path / "out", workers=1, reports=True)


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "unspun", "scan", *args], capture_output=True, timeout=300)


def test_cli_bad_input_names_it(tmp_path):
    r = _cli(str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "out"))
    assert r.returncode == 2
    assert f"unspun: {tmp_path / 'missing.jsonl'}: no such file" in r.stderr.decode()
    odd = tmp_path / "data.csv"
    odd.write_text("a,b\n")
    r = _cli(str(odd), "-o", str(tmp_path / "out"))
    assert r.returncode == 2
    assert "unknown input format" in r.stderr.decode()


@pytest.mark.skipif(hasattr(unspun, "SourceIndex"), reason="the provenance index is installed")
def test_sources_unavailable_is_a_clear_error(tmp_path, articles):
    path = write_jsonl(tmp_path / "a.jsonl", articles[:1])
    r = _cli(str(path), "-o", str(tmp_path / "out"), "--sources", str(tmp_path / "index.duckdb"))
    assert r.returncode == 2
    assert "provenance index" in r.stderr.decode() and "not available" in r.stderr.decode()


@pytest.mark.skipif(not hasattr(unspun, "SourceIndex"), reason="needs the provenance index (unspun.SourceIndex)")
def test_sources_trace_copied_sentences(tmp_path, articles):
    db = tmp_path / "index.duckdb"
    with unspun.SourceIndex(str(db)) as index:
        index.add({"id": a["id"], "text": a["text"], "url": a["url"]} for a in articles[:5])
    path = write_jsonl(tmp_path / "a.jsonl", articles[:5] + articles[5:8])
    summary = unspun.scan(
        path, tmp_path / "out", workers=2, sources=str(db), reports=True,
        keep_clean=tmp_path / "kept.jsonl", pass_threshold="stitched", drop_traced=True,
    )
    assert summary["ok"] == 8
    rows = read_rows(tmp_path / "out")
    for row in rows[:5]:
        report = json.loads(row["report"])
        assert report["provenance"]["traced_sentences"] > 0
        assert row["traced"] == report["provenance"]["traced_sentences"]
    for row in rows[5:]:
        assert row["traced"] == json.loads(row["report"])["provenance"]["traced_sentences"]
    kept = {k["id"]: k for k in map(json.loads, (tmp_path / "kept.jsonl").read_text().splitlines())}
    for row in rows[:5]:
        assert len(kept[row["id"]]["text"]) < len(row["clean_text"])


def test_an_input_given_twice_is_refused(tmp_path, articles):
    path = write_jsonl(tmp_path / "a.jsonl", articles[:1])
    with pytest.raises(unspun.InputError, match="given twice"):
        unspun.scan([path, tmp_path / "." / "a.jsonl"], tmp_path / "out")


def test_a_truncated_input_keeps_what_was_read_and_the_run_goes_on(tmp_path, articles):
    whole = write_jsonl(tmp_path / "whole.jsonl.gz", articles[:6], compress=True)
    data = whole.read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) * 2 // 3])  # the gzip stream stops partway
    good = write_jsonl(tmp_path / "good.jsonl", articles[6:9])
    summary = unspun.scan([str(cut), str(good)], tmp_path / "out", workers=1, shard_size=4)
    rows = read_rows(tmp_path / "out")
    by_input = {}
    for r in rows:
        by_input.setdefault(r["input"].rsplit("/", 1)[-1], []).append(r)
    assert [r["status"] for r in by_input["good.jsonl"]] == ["ok"] * 3
    cut_rows = sorted(by_input["cut.jsonl.gz"], key=lambda r: r["record"])
    assert cut_rows[-1]["status"] == "error" and cut_rows[-1]["error_reason"] == "unreadable"
    assert "cannot be read past record" in cut_rows[-1]["error"]
    assert all(r["status"] == "ok" for r in cut_rows[:-1])
    assert len({(r["input"], r["record"]) for r in rows}) == len(rows) == summary["rows"]


def test_a_folder_inside_another_input_is_refused(tmp_path):
    inner = tmp_path / "pages" / "more"
    inner.mkdir(parents=True)
    (inner / "a.txt").write_text("The harbour bridge reopened on Monday after three weeks of repairs to its deck.")
    with pytest.raises(unspun.InputError, match="inside the folder input"):
        unspun.scan([str(tmp_path / "pages"), str(inner)], tmp_path / "out", workers=1)
