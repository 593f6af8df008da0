"""A battery every step passes: spans in range, text unchanged, deterministic, config round-trip."""

from __future__ import annotations

import pytest

import unspun
from bench import corpora
from unspun.doc import parse
from unspun.spans import Findings


def _texts():
    yield corpora.specimen()
    for rec in corpora.bbc():
        if rec["id"].endswith("-001"):
            yield rec["text"]
    yield from (rec["text"] for rec in corpora.allsides(5))


STEPS = [s.name for s in unspun.default_pipeline().steps]


def _run(step, text, prior):
    doc = parse(text)
    found = Findings(len(text))
    for s in prior:
        found.extend(s.detect(doc, found))
    return doc, list(step.detect(doc, found))


@pytest.mark.parametrize("name", STEPS)
def test_step_battery(name):
    pipeline = unspun.default_pipeline()
    i = [s.name for s in pipeline.steps].index(name)
    step, prior = pipeline.steps[i], pipeline.steps[:i]
    assert name.startswith("unspun.") and name.rsplit(".", 1)[1].startswith("v")
    clone = type(step)(*_positional(step), **step.config())
    assert clone.config() == step.config()
    for text in _texts():
        original = str(text)
        doc, first = _run(step, text, prior)
        _, second = _run(step, text, prior)
        assert doc.text == original
        assert [f.to_dict() for f in first] == [f.to_dict() for f in second]
        for f in first:
            assert f.kind in step.kinds()
            assert f.step == step.name
            assert 0 <= f.start < f.end <= len(text)
            assert 0.0 <= f.score <= 1.0
            assert f.reason and "\n" not in f.reason


def _positional(step):
    # Steps that take shared resources get them positionally; pass the same objects back.
    from unspun.steps.figures import FigureStep
    from unspun.steps.injected import InjectedStep
    from unspun.steps.threads import ThreadStep

    if isinstance(step, InjectedStep):
        return (step.lexicon, step.topics)
    if isinstance(step, ThreadStep):
        return (step.lexicon,)
    if isinstance(step, FigureStep):
        return (step.lexicon,)
    return ()


def test_findings_refuse_spans_outside_the_document():
    found = Findings(10)
    with pytest.raises(ValueError, match="outside the document"):
        found.add(unspun.spans.Finding("injected", 5, 11, 0.9, "x", "unspun.test.v1"))


def test_pipeline_refuses_steps_out_of_order():
    pipeline = unspun.default_pipeline()
    with pytest.raises(ValueError, match="runs before"):
        unspun.Pipeline(list(reversed(pipeline.steps)), pipeline.lexicon)


def test_reports_do_not_depend_on_the_string_hash_seed(tmp_path):
    """Corpus runs spread articles over processes, each with its own hash seed: every score
    must come out the same in all of them."""
    import json
    import os
    import subprocess
    import sys

    ids = {"2CNIdcOX6RI054Ar"}
    texts = [r["text"] for r in corpora.allsides() if r["id"] in ids]
    texts += [corpora.specimen()] + [r["text"] for r in corpora.allsides(20)]
    src = tmp_path / "texts.json"
    src.write_text(json.dumps(texts))
    code = (
        "import json, sys, unspun; p = unspun.Pipeline(); "
        "print(json.dumps([p.check(t).to_dict()['findings'] for t in json.load(open(sys.argv[1]))]))"
    )
    outs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        run = subprocess.run([sys.executable, "-c", code, str(src)], env=env, capture_output=True, text=True, check=True)
        outs.append(json.loads(run.stdout))
    assert outs[0] == outs[1]
