"""The farm scorer's arithmetic, on hand-made records and predictions (no data, no pipeline)."""

from __future__ import annotations

from types import SimpleNamespace

from bench.farm import score

INFO = {
    "steps": [
        {"name": "m", "produces": "metadata"},
        {"name": "b", "produces": "boilerplate"},
        {"name": "i", "produces": "injected"},
    ]
}


def _t(start, end, label, **kw):
    base = {"start": start, "end": end, "label": label, "source_id": None, "substitutions": [], "number_changes": []}
    base.update(kw)
    return base


def _records():
    farm = {
        "id": "a",
        "kind": "farm",
        "kinds": ["stitched", "spun", "injected", "furniture"],
        "truth": [
            _t(0, 10, "furniture", role="title", position="head", origin="title"),
            _t(12, 40, "spun", source_id="s1", substitutions=[{"kind": "synonym", "from": "said", "to": "mentioned"}],
               number_changes=[{"from": "5", "to": "6", "start": 20, "end": 21}]),
            _t(42, 60, "copied", source_id="s2"),
            _t(62, 80, "injected", source_id="t"),
            _t(82, 90, "furniture", role="footer", position="end", origin="template:discuss"),
        ],
    }
    clean = {"id": "b", "kind": "clean", "kinds": ["clean"], "truth": [_t(0, 50, "original", source_id="s3")]}
    return [farm, clean]


def test_half_coverage_rule():
    findings = [("boilerplate", 0, 4, 1.0), ("boilerplate", 4, 5, 1.0), ("injected", 0, 3, 1.0)]
    assert score.covering_kinds(findings, 0, 10) == {"boilerplate"}
    assert score.covering_kinds(findings, 0, 6) == {"boilerplate", "injected"}


def test_rows_and_false_alarms():
    preds = [
        {"id": "a", "verdict": "polluted", "sentences": None,
         "findings": [("metadata", 0, 10, 0.9), ("injected", 62, 80, 0.9), ("injected", 42, 60, 0.6)]},
        {"id": "b", "verdict": "suspicious", "sentences": None, "findings": [("boilerplate", 0, 30, 0.7)]},
    ]
    r = score.score(_records(), preds, INFO)
    bp = r["sentence"]["boilerplate"]  # the head title is left out of this row
    assert (bp["tp"], bp["fp"], bp["fn"]) == (0, 1, 1)
    inj = r["sentence"]["injected"]
    assert (inj["tp"], inj["fp"], inj["fn"], inj["precision"]) == (1, 1, 0, 0.5)
    meta = r["sentence"]["metadata (head lines)"]
    assert (meta["tp"], meta["fp"], meta["fn"]) == (1, 0, 0)
    assert r["sentence"]["dangling_reference"] is None
    assert r["article"]["stitched"] is None
    assert r["article"]["clean_false_alarm"] == {"value": 1.0, "num": 1, "den": 1}
    assert r["article"]["clean_false_alarm_by_kind"]["boilerplate"]["value"] == 1.0
    assert r["provenance"] is None


def test_provenance_is_read_once_sentences_carry_a_source():
    src = SimpleNamespace(id="s1", substitutions=[{"from": "said", "to": "mentioned"}], number_changes=[1])
    sentences = [
        (12, 40, score._source_of(SimpleNamespace(source=src))),
        (42, 60, score._source_of(SimpleNamespace(source={"id": "wrong"}))),
    ]
    preds = [
        {"id": "a", "verdict": "polluted", "findings": [], "sentences": sentences},
        {"id": "b", "verdict": "clean", "findings": [], "sentences": []},
    ]
    p = score.score(_records(), preds, INFO)["provenance"]
    assert p["spun_traced"]["value"] == 1.0
    assert p["copied_traced"]["value"] == 0.0
    assert p["substitutions_recovered"]["value"] == 1.0
    assert p["numbers_flagged"]["value"] == 1.0
    assert score._source_of(SimpleNamespace(source="s9")) == {"id": "s9"}
    assert score._source_of(SimpleNamespace()) is None


def test_table_prints_na_rows():
    preds = [
        {"id": "a", "verdict": "clean", "findings": [], "sentences": None},
        {"id": "b", "verdict": "clean", "findings": [], "sentences": None},
    ]
    r = score.score(_records(), preds, dict(INFO, ms_per_article=1.0))
    r["run"] = dict(INFO, ms_per_article=1.0)
    text = score.table(r)
    assert "dangling_reference" in text and "n/a" in text
