"""`unspun index` and `unspun check --sources` as a user runs them."""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq

from bench import corpora
from bench.farm.spin import Settings, spin
from unspun.doc import parse
from unspun.schema import validate


def run(*args):
    return subprocess.run([sys.executable, "-m", "unspun", *args], capture_output=True, text=True, timeout=300)


def _write_jsonl(path, docs, gz=False):
    data = "".join(json.dumps(d) + "\n" for d in docs)
    if gz:
        path.write_bytes(gzip.compress(data.encode()))
    else:
        path.write_text(data, encoding="utf-8")


def test_index_from_jsonl_gz_parquet_and_a_folder_then_stats(tmp_path, docs):
    _write_jsonl(tmp_path / "a.jsonl", docs[:20])
    _write_jsonl(tmp_path / "b.jsonl.gz", docs[20:40], gz=True)
    pq.write_table(pa.Table.from_pylist([{"id": d["id"], "text": d["text"], "title": d["title"]} for d in docs[40:50]]),
                   tmp_path / "c.parquet")
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "one.txt").write_text(docs[50]["text"], encoding="utf-8")
    (folder / "two.html").write_text(
        "<html><head><title>Two</title></head><body><article>"
        + "".join(f"<p>{p}</p>" for p in docs[51]["text"].split("\n\n")) + "</article></body></html>", encoding="utf-8")
    db = str(tmp_path / "ref.duckdb")
    r = run("index", db, str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl.gz"), str(tmp_path / "c.parquet"), str(folder))
    assert r.returncode == 0, r.stderr
    assert "added 52 documents" in r.stderr
    r = run("index", db, "--stats")
    assert r.returncode == 0, r.stderr
    assert "documents   52" in r.stdout
    sentences = sum(len(parse(d["text"]).sentences) for d in docs[:51])
    n = int(r.stdout.split("sentences")[1].split()[0].replace(",", ""))
    assert n > sentences  # and the HTML page's
    assert "on disk" in r.stdout
    # Adding the same file again replaces: still 52.
    assert run("index", db, str(tmp_path / "a.jsonl")).returncode == 0
    assert "documents   52" in run("index", db, "--stats").stdout


def test_index_with_worker_processes(tmp_path):
    """Past the first 1,000 documents, --workers 2 hands the rest to two processes: every
    document and sentence arrives, each once."""
    from unspun.doc import sentence_spans

    docs = [{"id": r["id"], "text": r["text"]} for r in corpora.allsides(1100)]
    _write_jsonl(tmp_path / "many.jsonl", docs + docs[:50])  # the first 50 again: replaced, not added
    db = str(tmp_path / "ref.duckdb")
    r = run("index", db, str(tmp_path / "many.jsonl"), "--workers", "2", "--stats")
    assert r.returncode == 0, r.stderr
    assert "documents   1,100" in r.stdout
    n = int(r.stdout.split("sentences")[1].split()[0].replace(",", ""))
    assert n == sum(len(sentence_spans(d["text"])) for d in docs)
    assert run("index", db, str(tmp_path / "many.jsonl"), "--workers", "0").returncode == 2


def test_ctrl_c_stops_index_with_a_line_not_a_traceback(tmp_path, docs):
    """Ctrl-C while the input is still arriving: exit code 130, one line saying what is kept
    and how to go on, and an index that opens."""
    import os
    import signal

    feed = tmp_path / "feed.jsonl"
    os.mkfifo(feed)
    db = tmp_path / "ref.duckdb"
    p = subprocess.Popen([sys.executable, "-m", "unspun", "index", str(db), str(feed)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Opening a pipe for writing waits for its reader: the command is running by then.
        with open(feed, "w", encoding="utf-8") as f:
            f.write("".join(json.dumps(d) + "\n" for d in docs[:5]))
            f.flush()
            p.send_signal(signal.SIGINT)
            _, err = p.communicate(timeout=120)
    finally:
        p.kill()
    assert p.returncode == 130, err
    assert "Traceback" not in err
    assert "unspun index: interrupted; the batches written before it are kept" in err
    r = run("index", str(db), "--stats")
    assert r.returncode == 0, r.stderr


def test_bad_input_names_the_file_and_line(tmp_path, docs):
    db = str(tmp_path / "ref.duckdb")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(docs[0]) + "\n{not json\n", encoding="utf-8")
    r = run("index", db, str(bad))
    assert r.returncode == 2
    assert f"unspun: {bad}:2: not valid JSON" in r.stderr
    no_text = tmp_path / "no_text.jsonl"
    no_text.write_text(json.dumps({"id": "x", "title": "t"}) + "\n", encoding="utf-8")
    r = run("index", db, str(no_text))
    assert r.returncode == 2 and f"{no_text}:1: missing field 'text'" in r.stderr
    no_id = tmp_path / "no_id.parquet"
    pq.write_table(pa.Table.from_pylist([{"text": "Some text."}]), no_id)
    r = run("index", db, str(no_id))
    assert r.returncode == 2 and "missing column 'id'" in r.stderr
    r = run("index", db, str(tmp_path / "absent.jsonl"))
    assert r.returncode == 2 and "absent.jsonl: no such file or folder" in r.stderr
    r = run("index", str(tmp_path / "absent.duckdb"), "--stats")
    assert r.returncode == 2 and "absent.duckdb: no such index" in r.stderr


def test_check_with_sources_fills_each_sentence_and_the_summary(tmp_path, index_path, docs):
    rng = random.Random(3)
    a, b = docs[4], docs[160]
    picked = []
    for doc in (a, b):
        d = parse(doc["text"])
        picked += [doc["text"][s.start : s.end] for s in d.sentences if len(doc["text"][s.start : s.end].split()) >= 8][:4]
    body = [spin(s, rng, Settings(rate=0.2, number_p=0.0))[0] if k % 2 else s for k, s in enumerate(picked)]
    article = tmp_path / "article.txt"
    article.write_text("\n\n".join(body), encoding="utf-8")
    r = run("check", str(article), "--sources", index_path, "--format", "json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    validate(report)
    prov = report["provenance"]
    assert prov["index"] == "ref.duckdb"
    assert prov["body_sentences"] == len(body)
    assert prov["traced_sentences"] >= len(body) - 1
    assert [d["id"] for d in prov["documents"]][:2] in ([a["id"], b["id"]], [b["id"], a["id"]])
    statuses = {s["source"]["status"] for s in report["sentences"] if s["source"]}
    assert statuses == {"copied", "spun"}
    # The terminal and HTML views show the sources.
    r = run("check", str(article), "--sources", index_path)
    assert r.returncode == 0 and "copies from" in r.stdout and a["id"] in r.stdout
    r = run("check", str(article), "--sources", index_path, "--format", "html")
    assert r.returncode == 0 and 'id="h-sources"' in r.stdout and "<del>" in r.stdout


def test_check_without_sources_has_no_provenance(tmp_path, docs):
    article = tmp_path / "a.txt"
    article.write_text(docs[0]["text"], encoding="utf-8")
    report = json.loads(run("check", str(article), "--format", "json").stdout)
    assert report["provenance"] is None
    assert all("source" not in s for s in report["sentences"])


def test_check_with_a_missing_index_fails_clearly(tmp_path, docs):
    article = tmp_path / "a.txt"
    article.write_text(docs[0]["text"], encoding="utf-8")
    r = run("check", str(article), "--sources", str(tmp_path / "nope.duckdb"))
    assert r.returncode == 2
    assert "nope.duckdb: no such index" in r.stderr


def test_specimen_against_unrelated_real_news_gets_no_source(index, pipeline):
    report = pipeline.check(corpora.specimen(), name="specimen", sources=index)
    d = report.to_dict()
    validate(d)
    assert d["provenance"]["traced_sentences"] == 0
    assert d["provenance"]["documents"] == []
    assert all(s["source"] is None for s in d["sentences"])
