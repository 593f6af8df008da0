"""Kill a real `unspun scan` with SIGKILL midway, run it again: every document exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from bench import corpora
from tests.run.conftest import read_rows, write_jsonl

N, SHARD = 200, 5


def _start(path, out):
    return subprocess.Popen(
        [sys.executable, "-m", "unspun", "scan", str(path), "-o", str(out), "--workers", "1",
         "--shard-size", str(SHARD), "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill reaches the workers too
    )


def test_resume_after_sigkill(tmp_path):
    records = list(corpora.allsides(N))
    path = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out"
    proc = _start(path, out)
    deadline = time.monotonic() + 600
    # Wait for the first shards to be written, watching the folder.
    while len(list(out.glob("*.parquet"))) < 3:
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "no shard written"
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    written = {p.name: p.stat().st_mtime_ns for p in out.glob("*.parquet")}
    assert 3 <= len(written) < N // SHARD, "the run must be cut off midway"

    proc = _start(path, out)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()

    rows = read_rows(out)
    assert [(r["record"], r["id"]) for r in rows] == [(i, rec["id"]) for i, rec in enumerate(records)]
    assert all(r["status"] == "ok" for r in rows)
    # Shards finished before the kill were kept as they were, not done again.
    for name, mtime in written.items():
        assert (out / name).stat().st_mtime_ns == mtime
    assert not list(out.glob(".*.tmp"))
    import json

    summary = json.loads((out / "_summary.json").read_text())
    assert summary["documents"] == summary["rows"] == summary["ok"] == N
    assert summary["run"]["shards_skipped"] == len(written)
    assert summary["run"]["documents"] == N - SHARD * len(written)
