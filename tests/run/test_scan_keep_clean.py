"""--keep-clean: passing documents' clean text as JSONL, the others apart with reasons."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.run.conftest import read_rows, write_jsonl


def test_keep_clean_from_the_command_line(tmp_path, articles):
    path = write_jsonl(tmp_path / "a.jsonl", articles + [{"id": "empty", "text": ""}])
    out, kept = tmp_path / "out", tmp_path / "clean.jsonl"
    r = subprocess.run(
        [sys.executable, "-m", "unspun", "scan", str(path), "-o", str(out), "--workers", "1",
         "--keep-clean", str(kept), "--pass-threshold", "clean", "--quiet"],
        capture_output=True, timeout=300,
    )
    assert r.returncode == 0, r.stderr.decode()
    rows = {r["id"]: r for r in read_rows(out)}
    kept_lines = [json.loads(line) for line in kept.read_text().splitlines()]
    dropped_lines = [json.loads(line) for line in (tmp_path / "clean.dropped.jsonl").read_text().splitlines()]
    assert len(kept_lines) + len(dropped_lines) == len(rows) == len(articles) + 1
    assert {k["id"] for k in kept_lines} == {i for i, r in rows.items() if r["verdict"] == "clean"}
    assert kept_lines and dropped_lines
    for k in kept_lines:
        assert k["text"] == rows[k["id"]]["clean_text"]
    for d in dropped_lines:
        assert d["reason"]
        if d["id"] == "empty":
            assert d["status"] == "error" and "empty" in d["reason"]
        else:
            assert d["verdict"] != "clean" and "does not pass" in d["reason"]
    summary = json.loads((out / "_summary.json").read_text())
    assert summary["keep_clean"]["kept"] == len(kept_lines)


def test_score_threshold(tmp_path, articles):
    import unspun

    path = write_jsonl(tmp_path / "a.jsonl", articles[:20])
    s = unspun.scan(path, tmp_path / "out", workers=1, keep_clean=tmp_path / "k.jsonl", pass_threshold=0.3)
    rows = read_rows(tmp_path / "out")
    assert s["keep_clean"]["kept"] == sum(r["score"] <= 0.3 for r in rows)


def test_untraced_text_leaves_out_traced_sentences(pipeline, articles):
    from unspun.run.writer import untraced_text

    report = next(r for r in (pipeline.check(a["text"]) for a in articles) if len(r.sentences) > 6)
    data = report.to_dict()
    kept = [s for s in data["sentences"] if not {"metadata", "boilerplate", "injected"} & set(s["flags"])]
    whole = untraced_text(data)
    # Nothing traced: every sentence of the clean text is there, in order, nothing else.
    assert whole.split() == " ".join(data["text"][s["start"]:s["end"]] for s in kept).split()
    assert whole.split() == report.clean_text.split()
    traced = kept[1]
    traced["source"] = {"status": "copied", "similarity": 1.0}
    less = untraced_text(data)
    sentence = data["text"][traced["start"]:traced["end"]].strip()
    assert sentence in whole and sentence not in less
    assert len(less.split()) == len(whole.split()) - len(sentence.split())


def test_drop_traced_needs_sources(tmp_path, articles):
    import pytest

    import unspun

    path = write_jsonl(tmp_path / "a.jsonl", articles[:1])
    with pytest.raises(unspun.UnspunError, match="sources"):
        unspun.scan(path, tmp_path / "out", keep_clean=tmp_path / "k.jsonl", drop_traced=True)
