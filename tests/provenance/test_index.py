"""The index file: counts, replacement by id, read-only use from several processes, errors,
and what a stopped run leaves."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from unspun import InputError, SourceIndex
from unspun.doc import parse

REPO = Path(__file__).resolve().parents[2]


def _first_sentence(text: str) -> str:
    d = parse(text)
    return next(text[s.start : s.end] for s in d.sentences if len(text[s.start : s.end].split()) >= 8)


def test_stats_count_documents_and_sentences(index, docs):
    s = index.stats()
    assert s["documents"] == len(docs)
    assert s["sentences"] == sum(len(parse(d["text"]).sentences) for d in docs)
    assert s["postings"] > s["sentences"]
    assert s["disk_bytes"] > 0
    assert len(index) == len(docs)


def test_same_id_replaces_and_nothing_is_counted_twice(tmp_path, docs):
    path = tmp_path / "r.duckdb"
    a, b = docs[0], docs[1]
    with SourceIndex(path) as index:
        index.add(docs[:10], batch=4)
        before = index.stats()
        # docs[0]'s id now carries docs[1]'s text, twice in one batch and again in the next.
        index.add([dict(b, id=a["id"]), dict(b, id=a["id"])], batch=4)
        index.add([dict(b, id=a["id"], title="second")])
        after = index.stats()
        assert after["documents"] == before["documents"] == 10
        assert after["sentences"] == before["sentences"] - len(parse(a["text"]).sentences) + len(parse(b["text"]).sentences)
        [old] = index.trace(_first_sentence(a["text"]))
        assert old is None or old["document"]["id"] != a["id"]
        [new] = index.trace(_first_sentence(b["text"]))
        assert new["document"]["id"] in (a["id"], b["id"])
        traced = index.trace(_first_sentence(b["text"]), exclude={b["id"]})[0]
        assert traced["document"] == {"id": a["id"], "url": b["url"], "title": "second", "outlet": b["outlet"]}


def test_read_only_from_several_processes_at_once(index_path, docs):
    sentence = _first_sentence(docs[7]["text"])
    code = textwrap.dedent(f"""
        import json, sys
        from unspun import SourceIndex
        with SourceIndex({index_path!r}, read_only=True) as ix:
            print(json.dumps(ix.trace(sys.argv[1])[0]["document"]["id"]))
    """)
    procs = [subprocess.Popen([sys.executable, "-c", code, sentence], stdout=subprocess.PIPE, text=True)
             for _ in range(3)]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0]
    assert [json.loads(o) for o in outs] == [docs[7]["id"]] * 3


def test_errors_name_the_input(tmp_path):
    with pytest.raises(InputError, match="no such index"):
        SourceIndex(tmp_path / "missing.duckdb", read_only=True)
    with SourceIndex(tmp_path / "x.duckdb") as index:
        with pytest.raises(InputError, match="has no text"):
            index.add([{"id": "a"}])
        with pytest.raises(InputError, match="has no id"):
            index.add([{"text": "A sentence."}])
    not_index = tmp_path / "other.duckdb"
    import duckdb

    duckdb.connect(str(not_index)).close()
    with pytest.raises(InputError, match="not an unspun index"):
        SourceIndex(not_index, read_only=True)
    # Another program's database is not written into either.
    con = duckdb.connect(str(not_index))
    con.execute("CREATE TABLE documents (title VARCHAR)")
    con.close()
    with pytest.raises(InputError, match="not an unspun index"):
        SourceIndex(not_index)


def test_an_index_of_another_layout_is_refused_not_misread(tmp_path):
    path = tmp_path / "old.duckdb"
    with SourceIndex(path) as index:
        index._con.execute("UPDATE meta SET value = '1' WHERE name = 'schema'")
    for read_only in (True, False):
        with pytest.raises(InputError, match="layout 1.*build it again") as e:
            SourceIndex(path, read_only=read_only)
        assert str(path) in str(e.value)


def test_a_stopped_run_leaves_the_batches_written_before_it(tmp_path, docs):
    """The writer is killed (SIGKILL, no clean-up) while its second batch is being read; the
    index then holds the first batch, whole, and can be opened, traced and extended."""
    path = tmp_path / "stopped.duckdb"
    feed = tmp_path / "docs.jsonl"
    feed.write_text("".join(json.dumps(d) + "\n" for d in docs[:30]), encoding="utf-8")
    code = textwrap.dedent(f"""
        import json, sys
        from unspun import SourceIndex

        def records():
            for n, line in enumerate(open({str(feed)!r}, encoding="utf-8")):
                if n == 15:  # the first batch (10) is committed; the second is half read
                    print("stop me", flush=True)
                    sys.stdin.readline()  # blocks until killed
                yield json.loads(line)

        with SourceIndex({str(path)!r}) as ix:
            ix.add(records(), batch=10)
    """)
    p = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "stop me"
    os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=60)
    assert p.returncode == -signal.SIGKILL
    with SourceIndex(path) as index:
        s = index.stats()
        assert s["documents"] == 10
        assert s["sentences"] == sum(len(parse(d["text"]).sentences) for d in docs[:10])
        assert index.trace(_first_sentence(docs[3]["text"]))[0]["document"]["id"] == docs[3]["id"]
        assert index.trace(_first_sentence(docs[12]["text"]))[0] is None
        index.add(docs[10:30])
        assert index.stats()["documents"] == 30
        assert index.trace(_first_sentence(docs[12]["text"]))[0]["document"]["id"] == docs[12]["id"]
