"""The Ray engine (a real local Ray with 2 CPUs) writes the same rows as the local engine."""

from __future__ import annotations

import pytest

import unspun
from tests.run.conftest import read_rows, write_jsonl

ray = pytest.importorskip("ray")


def test_ray_gives_the_same_rows_as_local(tmp_path, articles):
    path = write_jsonl(tmp_path / "in.jsonl", articles[:16] + [{"id": "empty", "text": ""}] + articles[16:24])
    local = unspun.scan(path, tmp_path / "local", workers=2, shard_size=5)
    remote = unspun.scan(path, tmp_path / "ray", engine="ray", workers=2, shard_size=5)
    assert not ray.is_initialized()  # the engine shuts down the Ray it started
    a, b = read_rows(tmp_path / "local"), read_rows(tmp_path / "ray")
    assert len(a) == 25
    assert a == b
    for key in ("documents", "rows", "ok", "errors", "errors_by_reason", "verdicts", "shards"):
        assert local[key] == remote[key]
    assert remote["run"]["engine"] == "ray"
