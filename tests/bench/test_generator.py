"""The farm generator's truth labels are right, and its output is reproducible and split cleanly.

Needs ../shared/data (or UNSPUN_DATA); skipped without it. Run from the repository root:
``PYTHONPATH=src:. python -m pytest tests/bench``.
"""

from __future__ import annotations

import random

import pytest

from bench import corpora

try:
    corpora.data_dir()
except FileNotFoundError:  # pragma: no cover - the shared data is not on every machine
    pytest.skip("shared data folder not found", allow_module_level=True)

from bench.farm.generate import BODY_LABELS, Generator, assemble
from bench.farm.sources import Pool
from bench.farm.spin import Settings, Sub, apply, spin

N = 60  # six runs of the ten-recipe cycle


@pytest.fixture(scope="module")
def pools() -> dict[str, Pool]:
    return {split: Pool(split) for split in ("dev", "heldout")}


@pytest.fixture(scope="module")
def generated(pools) -> dict[str, list[dict]]:
    return {split: Generator(split, seed=7, pool=pool).articles(N) for split, pool in pools.items()}


def _source_text(pool: Pool, t: dict) -> str:
    a = pool.by_id[t["source_id"]]
    return a.title if t["source_field"] == "title" else a.text


def _truths(generated, label=None):
    for split, records in generated.items():
        for r in records:
            for t in r["truth"]:
                if label is None or t["label"] == label:
                    yield split, r, t


def test_every_recipe_is_made(generated):
    kinds = {r["kind"] for records in generated.values() for r in records}
    assert kinds == {"clean", "stitched", "spun", "injected", "furniture", "farm"}
    labels = {t["label"] for _, _, t in _truths(generated)}
    assert labels == {"original", "copied", "spun", "injected", "furniture"}


def test_truth_spans_are_in_order_and_inside_the_text(generated):
    for records in generated.values():
        for r in records:
            last = 0
            for t in r["truth"]:
                assert last <= t["start"] < t["end"] <= len(r["text"])
                assert r["text"][t["start"] : t["end"]].strip() == r["text"][t["start"] : t["end"]]
                last = t["end"]


@pytest.mark.parametrize("label", ["original", "copied", "injected"])
def test_verbatim_sentences_are_found_in_their_source(generated, pools, label):
    seen = 0
    for split, r, t in _truths(generated, label):
        pool = pools[split]
        src = _source_text(pool, t)
        s, e = t["source_span"]
        text = r["text"][t["start"] : t["end"]]
        m = t.get("merged_with")
        if m:  # two sources joined: each part is verbatim in its own source
            assert text.startswith(src[s:e])
            other = pool.by_id[m["source_id"]].text
            ms, me = m["source_span"]
            assert r["text"][m["start"] : m["end"]] == other[ms:me]
            assert m["end"] == t["end"]
        else:
            assert text == src[s:e]
            assert text in src
        assert t["substitutions"] == []
        seen += 1
    assert seen > 20


def test_clean_articles_are_a_real_article_unchanged(generated, pools):
    for split, records in generated.items():
        for r in records:
            if r["kind"] != "clean":
                continue
            (source_id,) = r["sources"]
            src = pools[split].by_id[source_id].text
            assert {t["label"] for t in r["truth"]} == {"original"}
            assert " ".join(r["text"].split()) == " ".join(src.split())


def _apply_recorded(src_text: str, t: dict) -> str:
    s, e = t["source_span"]
    out, pos = [], s
    for sub in sorted(t["substitutions"], key=lambda x: x["src_start"]):
        assert pos <= sub["src_start"] and sub["src_end"] <= e
        assert src_text[sub["src_start"] : sub["src_end"]] == sub["from"]
        out.append(src_text[pos : sub["src_start"]])
        out.append(sub["to"])
        pos = sub["src_end"]
    out.append(src_text[pos:e])
    return "".join(out)


def test_spun_sentences_differ_from_their_source_by_exactly_the_recorded_substitutions(generated, pools):
    seen = 0
    for split, r, t in _truths(generated):
        if not t["substitutions"]:
            continue
        src = _source_text(pools[split], t)
        text = r["text"][t["start"] : t["end"]]
        assert _apply_recorded(src, t) == text
        for sub in t["substitutions"]:
            assert r["text"][sub["start"] : sub["end"]] == sub["to"]
            assert sub["from"] != sub["to"]
        if t["label"] == "spun":
            seen += 1
    assert seen > 50


def test_spun_label_means_changed(generated, pools):
    for split, r, t in _truths(generated, "spun"):
        s, e = t["source_span"]
        assert t["substitutions"]
        assert r["text"][t["start"] : t["end"]] != _source_text(pools[split], t)[s:e]


def test_changed_numbers_are_recorded():
    rng = random.Random(3)
    sentence = "The company paid $4.7 billion to 28,500 workers in 47 states last year."
    changed = 0
    for _ in range(50):
        text, subs = spin(sentence, rng, Settings(rate=0.1, number_p=1.0))
        numbers = [s for s in subs if s.kind == "number"]
        assert len(numbers) <= 1
        if numbers:
            changed += 1
            n = numbers[0]
            assert sentence[n.src_start : n.src_end] == n.frm != n.to
            assert text[n.start : n.end] == n.to
    assert changed >= 40


def test_changed_numbers_appear_in_the_truth(generated):
    # Rare by design (a few in a hundred spun sentences): the test above forces them.
    for _, r, t in _truths(generated):
        numbers = [s for s in t["substitutions"] if s["kind"] == "number"]
        assert [(c["from"], c["to"], c["start"], c["end"]) for c in t["number_changes"]] == [
            (s["from"], s["to"], s["start"], s["end"]) for s in numbers
        ]
        for c in t["number_changes"]:
            assert r["text"][c["start"] : c["end"]] == c["to"]


def test_spinner_rates_touch_more_words_when_heavier():
    sentence = (
        "Many people said today that the new law will help small businesses and reduce costs "
        "for families across the country, according to a statement from officials."
    )
    light = heavy = 0
    for k in range(20):
        light += len(spin(sentence, random.Random(k), Settings(rate=0.1, punct_p=0, number_p=0))[1])
        heavy += len(spin(sentence, random.Random(k), Settings(rate=0.4, punct_p=0, number_p=0))[1])
    assert heavy > 2 * light


def test_spinner_spells_out_country_names():
    text, subs = spin("Russia and NATO met the U.S. envoy.", random.Random(0), Settings(rate=0.0, spell_out_p=1.0))
    assert "Russian Federation" in text and "North Atlantic Treaty" in text
    assert {s.kind for s in subs} == {"spell_out"}
    assert apply("Russia and NATO met the U.S. envoy.", [Sub(s.kind, s.src_start, s.src_end, s.frm, s.to) for s in subs])[0] == text


def test_reproducible_with_a_seed(pools):
    a = Generator("heldout", seed=11, pool=pools["heldout"]).articles(12)
    b = Generator("heldout", seed=11, pool=Pool("heldout")).articles(12)
    assert a == b
    c = Generator("heldout", seed=12, pool=pools["heldout"]).articles(12)
    assert [r["text"] for r in a] != [r["text"] for r in c]
    # Article i does not depend on how many are made.
    assert Generator("heldout", seed=11, pool=pools["heldout"]).article(7) == a[7]


def _ids(records: list[dict]) -> set[str]:
    out = set()
    for r in records:
        out.update(r["sources"])
        for t in r["truth"]:
            if t["source_id"]:
                out.add(t["source_id"])
            if t.get("merged_with"):
                out.add(t["merged_with"]["source_id"])
    return out


def test_dev_and_heldout_share_no_source(generated, pools):
    dev, held = _ids(generated["dev"]), _ids(generated["heldout"])
    assert dev and held and not dev & held
    for split, records in generated.items():
        assert all(corpora.split_of(i) == split for i in _ids(records))
    for split, pool in pools.items():
        assert all(corpora.split_of(a.id) == split for a in pool.articles)


def test_furniture_comes_from_real_pages_and_the_template(generated):
    origins = {t.get("origin", "").split(":")[0] for _, _, t in _truths(generated, "furniture")}
    assert {"template", "extraction-benchmark", "allsides", "title"} <= origins
    positions = {t.get("position") for _, _, t in _truths(generated, "furniture")}
    assert positions == {"head", "middle", "end"}


def test_injected_teaser_is_its_own_block_of_single_lines(generated):
    for records in generated.values():
        for r in records:
            inj = [t for t in r["truth"] if t["label"] == "injected"]
            if not inj:
                continue
            text = r["text"]
            # Grouped by block: consecutive injected entries joined by single line breaks.
            groups, current = [], [inj[0]]
            for a, b in zip(inj, inj[1:]):
                if text[a["end"] : b["start"]] == "\n":
                    current.append(b)
                else:
                    groups.append(current)
                    current = [b]
            groups.append(current)
            for g in groups:
                assert 1 <= len(g) <= 3
                assert text[g[0]["start"] - 2 : g[0]["start"]] == "\n\n"
                assert text[g[-1]["end"] : g[-1]["end"] + 2] == "\n\n"


def test_body_sentences_have_a_dangling_flag(generated):
    for _, r, t in _truths(generated):
        if t["label"] in BODY_LABELS:
            assert isinstance(t["dangling"], bool)
            if r["kind"] == "clean":
                assert not t["dangling"]


def test_assemble_offsets():
    from bench.farm.generate import Entry, _line

    text, truth = assemble([[_line(Entry("A b.", "copied"), Entry("C d.", "copied"))], [_line(Entry("X", "furniture"))]])
    assert text == "A b. C d.\n\nX"
    assert [(t["start"], t["end"]) for t in truth] == [(0, 4), (5, 9), (11, 12)]
