"""unspun as a datatrove pipeline step, run by datatrove's own executor."""

from __future__ import annotations

import gzip
import json

import pytest

pytest.importorskip("datatrove")

from tests.run.conftest import write_jsonl  # noqa: E402


def test_step_in_a_local_pipeline_executor(tmp_path, articles, pipeline):
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from unspun.run.datatrove import UnspunFilter

    docs = articles[:20] + [{"id": "empty", "text": "  "}]
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "part.jsonl", docs)
    executor = LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(tmp_path / "in")),
            UnspunFilter(pass_threshold="clean", clean_text=True,
                         exclusion_writer=JsonlWriter(str(tmp_path / "dropped"))),
            JsonlWriter(str(tmp_path / "kept")),
        ],
        tasks=1,
        logging_dir=str(tmp_path / "logs"),
    )
    executor.run()

    def read(folder):
        out = []
        for p in sorted((tmp_path / folder).glob("*.jsonl.gz")):
            with gzip.open(p, "rt") as f:
                out.extend(json.loads(line) for line in f)
        return out

    kept, dropped = read("kept"), read("dropped")
    assert len(kept) + len(dropped) == len(docs)
    by_id = {a["id"]: a for a in articles}
    for doc in kept:
        report = pipeline.check(by_id[doc["id"]]["text"])
        assert doc["metadata"]["unspun_verdict"] == report.verdict.label == "clean"
        assert doc["text"] == report.clean_text
    assert any(d["metadata"].get("unspun_verdict") == "polluted" for d in dropped)
    empty = next(d for d in dropped if d["id"] == "empty")
    assert "empty" in empty["metadata"]["unspun_error"]
    for doc in kept + dropped:
        if "unspun_verdict" in doc["metadata"]:
            injected = doc["metadata"]["unspun_injected"]
            assert injected == len(pipeline.check(by_id[doc["id"]]["text"]).findings_of("injected"))


def test_step_keeps_everything_without_drop(articles):
    from datatrove.data import Document

    from unspun.run.datatrove import UnspunFilter

    step = UnspunFilter(drop=False)
    docs = [Document(text=a["text"], id=a["id"]) for a in articles[:10]]
    out = list(step.run(iter(docs)))
    assert [d.id for d in out] == [a["id"] for a in articles[:10]]
    assert all(d.metadata["unspun_verdict"] in {"clean", "suspicious", "polluted", "stitched"} for d in out)
