"""Figures: parsing of money, counts, percentages, durations and years; repeats and conflicts."""

from __future__ import annotations


import pytest

from bench import corpora
from unspun.doc import parse
from unspun.spans import Findings
from unspun.steps.figures import FigureStep


@pytest.fixture(scope="module")
def step(pipeline) -> FigureStep:
    return FigureStep(pipeline.lexicon)


def _run(pipeline, step, text):
    doc = parse(text)
    found = Findings(len(text))
    for s in pipeline.steps:
        found.extend(s.detect(doc, found))
    return list(step.detect(doc, found))


def _figures(step, text):
    """Figures of invented text, with no earlier step: every sentence is body."""
    out = list(step.detect(parse(text), Findings(len(text))))
    return [(text[f.start : f.end], f.details) for f in out if f.kind == "figure"]


def _one(step, text):
    figs = _figures(step, text)
    assert len(figs) == 1, figs
    return figs[0]


# ---- the specimen -------------------------------------------------------------------


@pytest.fixture(scope="module")
def specimen_findings(pipeline, step, specimen_text):
    return _run(pipeline, step, specimen_text)


def _of(findings, kind):
    return [f for f in findings if f.kind == kind]


def test_specimen_money_is_normalised(specimen_findings, specimen_text):
    money = {specimen_text[f.start : f.end]: f.details for f in _of(specimen_findings, "figure") if f.details["type"] == "money"}
    assert money["$4.7 billion"]["value"] == pytest.approx(4.7e9)
    assert money["$5 billion"]["value"] == pytest.approx(5e9)
    assert {d["unit"] for d in money.values()} == {"USD"}
    assert money["$4.7 billion"]["measures"] == "price tag"
    assert money["$5 billion"]["per"] == "year"
    assert "personnel" in money["$5 billion"]["measures"]


def test_specimen_conflict_on_the_demand(specimen_findings, specimen_text):
    conflicts = _of(specimen_findings, "conflict")
    assert len(conflicts) == 1
    c = conflicts[0]
    assert specimen_text[c.start : c.end] == "$5 billion"
    start, end = c.details["other"]
    assert specimen_text[start:end] == "$4.7 billion"
    assert c.details["values"] == [pytest.approx(4.7e9), pytest.approx(5e9)]
    assert c.step == "unspun.figures.v1" and 0 <= c.score <= 1


def test_specimen_troops_are_a_repeat_not_a_conflict(specimen_findings, specimen_text):
    repeats = _of(specimen_findings, "repeat")
    assert [specimen_text[f.start : f.end] for f in repeats] == ["28,500"]
    r = repeats[0]
    assert specimen_text[r.details["other"][0] : r.details["other"][1]] == "28,500"
    assert r.details["other"][0] < r.start
    assert all("28,500" not in specimen_text[f.start : f.end] for f in _of(specimen_findings, "conflict"))


def test_specimen_counts_and_years(specimen_findings, specimen_text):
    figs = [(specimen_text[f.start : f.end], f.details) for f in _of(specimen_findings, "figure")]
    by_text = {t: d for t, d in figs}
    assert by_text["47"]["type"] == "count" and by_text["47"]["unit"] == "members"
    assert "members of parliament" in by_text["47"]["measures"]
    assert by_text["300"]["type"] == "count" and by_text["300"]["unit"] == "protesters"
    assert by_text["300"]["approx"] == "around"
    assert by_text["1950-53"]["type"] == "year" and by_text["1950-53"]["range"] == [1950, 1953]
    assert by_text["70"]["type"] == "duration" and by_text["70"]["unit"] == "year"
    troops = [d for t, d in figs if t == "28,500"]
    assert len(troops) == 2 and all(d["type"] == "count" and d["unit"] == "personnel" for d in troops)
    assert troops[0]["measures"] == "US military personnel"


# ---- parsing, on invented sentences -------------------------------------------------


@pytest.mark.parametrize(
    "text, figure, value, unit",
    [
        ("The council paid $3.2 billion for the new bridge.", "$3.2 billion", 3.2e9, "USD"),
        ("The council paid 30 million dollars for the bridge.", "30 million dollars", 3e7, "USD"),
        ("The club spent £2.4m on a young striker.", "£2.4m", 2.4e6, "GBP"),
        ("Fans raised 2.4 million pounds in a week.", "2.4 million pounds", 2.4e6, "GBP"),
        ("The firm made $1.2bn in profit.", "$1.2bn", 1.2e9, "USD"),
        ("A ticket costs €45 at the door.", "€45", 45.0, "EUR"),
        ("The town set aside €300,000 for repairs.", "€300,000", 3e5, "EUR"),
    ],
)
def test_money_currencies_and_multipliers(step, text, figure, value, unit):
    got, d = _one(step, text)
    assert got == figure
    assert d["type"] == "money" and d["value"] == pytest.approx(value) and d["unit"] == unit


@pytest.mark.parametrize(
    "text, figure, value, unit",
    [
        ("Turnout was 64.5% in the town.", "64.5%", 64.5, "%"),
        ("Unemployment stood at 5 per cent in May.", "5 per cent", 5.0, "%"),
        ("Support for the plan reached 12 percent in the poll.", "12 percent", 12.0, "%"),
        ("The party gained 3 percentage points in the poll.", "3 percentage points", 3.0, "percentage point"),
    ],
)
def test_percentages(step, text, figure, value, unit):
    got, d = _one(step, text)
    assert (got, d["type"], d["value"], d["unit"]) == (figure, "percent", pytest.approx(value), unit)


def test_percentage_of_what(step):
    _, d = _one(step, "Nearly 40% of voters stayed at home.")
    assert d["measures"] == "voters" and d["approx"] == "nearly"


@pytest.mark.parametrize(
    "text, figure, kind, rng",
    [
        ("Growth of 2-3% is expected by the bank.", "2-3%", "percent", [2, 3]),
        ("Between 10 and 20 people were hurt in the crash.", "10 and 20", "count", [10, 20]),
        ("The bridge was built in 1932-35 by a local firm.", "1932-35", "year", [1932, 1935]),
        ("The 2019-20 season ended early.", "2019-20", "year", [2019, 2020]),
    ],
)
def test_ranges(step, text, figure, kind, rng):
    got, d = _one(step, text)
    assert (got, d["type"], d["range"]) == (figure, kind, rng)


@pytest.mark.parametrize(
    "text, per",
    [
        ("The town pays €300,000 a year for cleaning its streets.", "year"),
        ("The club earns $2m each year from its shop.", "year"),
        ("The mine produces £5bn annually for the state.", "year"),
        ("The clinic treats 400 patients a day in winter.", "day"),
        ("The club spent £2.4m on a young striker.", None),
    ],
)
def test_rates(step, text, per):
    _, d = _one(step, text)
    assert d["per"] == per


@pytest.mark.parametrize(
    "text, approx",
    [
        ("Around 300 protesters gathered in the square.", "around"),
        ("About 300 protesters gathered in the square.", "about"),
        ("Nearly 300 protesters gathered in the square.", "nearly"),
        ("More than 300 protesters gathered in the square.", "more than"),
        ("Some 300 protesters gathered in the square.", "some"),
        ("The 300 protesters gathered in the square.", None),
    ],
)
def test_approximations(step, text, approx):
    got, d = _one(step, text)
    assert got == "300" and d["type"] == "count" and d["unit"] == "protesters" and d["approx"] == approx


@pytest.mark.parametrize(
    "text, figure, kind, value, unit",
    [
        ("The strike lasted eleven weeks.", "eleven", "duration", 11, "week"),
        ("The alliance has lasted for 70 years.", "70", "duration", 70, "year"),
        ("Prices fell sharply in 2019.", "2019", "year", 2019, None),
        ("A dozen ministers resigned.", "A dozen", "count", 12, "ministers"),
        ("Twenty-five teachers signed the letter.", "Twenty-five", "count", 25, "teachers"),
        ("The vote saw 650 MPs elected.", "650", "count", 650, "mps"),
        ("The storm cut power to 2.3 million homes.", "2.3 million", "count", 2.3e6, "homes"),
    ],
)
def test_counts_durations_years(step, text, figure, kind, value, unit):
    got, d = _one(step, text)
    assert (got, d["type"], d["value"], d["unit"]) == (figure, kind, pytest.approx(value), unit)


@pytest.mark.parametrize(
    "text",
    [
        "The match began on 12 March at 10:30.",
        "She finished 3rd in the 5km race.",
        "The 1990s were kind to the band.",
        "He was 45 years old at the time.",
        "No one came to the meeting.",
    ],
)
def test_not_figures(step, text):
    assert _figures(step, text) == []


# ---- repeats and conflicts, on invented text ----------------------------------------

_TOWN = (
    "Harbourton council approved a $12 million grant for the lighthouse restoration on Monday.\n\n"
    "The mayor praised the volunteers who campaigned for years.\n\n"
    "Critics of the lighthouse restoration say the ${second} grant from Harbourton council is too large."
)


def _kinds(step, text):
    return [(f.kind, text[f.start : f.end]) for f in step.detect(parse(text), Findings(len(text))) if f.kind != "figure"]


def test_invented_conflict(step):
    text = _TOWN.replace("${second}", "$14 million")
    assert _kinds(step, text) == [("conflict", "$14 million")]


def test_invented_repeat(step):
    text = _TOWN.replace("${second}", "$12 million")
    assert _kinds(step, text) == [("repeat", "$12 million")]


@pytest.mark.parametrize(
    "second",
    [
        "$12.1 million",  # within rounding
        "$6 million",  # far apart: another sum
        "roughly $13 million",  # an approximation
    ],
)
def test_invented_no_conflict(step, second):
    text = _TOWN.replace("${second}", second)
    assert ("conflict" not in [k for k, _ in _kinds(step, text)])


def test_change_is_not_a_conflict(step):
    text = _TOWN.replace("the ${second} grant from Harbourton council is too large", "the grant rose to $14 million from Harbourton council")
    assert _kinds(step, text) == []


def test_rounded_count_is_not_a_conflict(step):
    text = (
        "Harbourton lighthouse drew 28,500 visitors to the headland festival.\n\n"
        "Organisers of the headland festival at Harbourton lighthouse counted 28,000 visitors."
    )
    assert _kinds(step, text) == []


# ---- real articles ------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(pipeline, step):
    """Per corpus: articles, articles with a conflict, with a repeat."""
    out = {}
    for name, records in (("allsides", corpora.allsides(2000)), ("bbc", corpora.bbc())):
        counts = {"articles": 0, "conflict": 0, "repeat": 0}
        for rec in records:
            text = rec["text"]
            if not text.strip():
                continue
            doc = parse(text)
            found = Findings(len(text))
            for s in pipeline.steps:
                found.extend(s.detect(doc, found))
            findings = list(step.detect(doc, found))
            kinds = {f.kind for f in findings}
            counts["articles"] += 1
            counts["conflict"] += "conflict" in kinds
            counts["repeat"] += "repeat" in kinds
            for f in findings:
                assert 0 <= f.start < f.end <= len(text)
        out[name] = counts
    return out


def test_conflicts_are_rare_in_real_articles(real):
    total = sum(real[c]["articles"] for c in ("allsides", "bbc"))
    conflicts = sum(real[c]["conflict"] for c in ("allsides", "bbc"))
    for c in ("allsides", "bbc"):
        print(f"{c}: conflicts in {real[c]['conflict'] / real[c]['articles']:.2%} of {real[c]['articles']} articles")
    print(f"all: conflicts in {conflicts / total:.2%} of {total} articles")
    assert real["allsides"]["articles"] == 2000
    assert conflicts / total <= 0.01


def test_repeats_are_found_in_real_articles(real):
    for c in ("allsides", "bbc"):
        share = real[c]["repeat"] / real[c]["articles"]
        print(f"{c}: repeats in {share:.2%} of {real[c]['articles']} articles")
        # News restates its key numbers; a step that never saw a repeat would be broken.
        assert 0.01 <= share <= 0.5


# ---- the common battery ---------------------------------------------------------------


def test_offsets_in_range_and_deterministic(pipeline, step, specimen_text):
    texts = [specimen_text] + [r["text"] for r in corpora.allsides(50)]
    for text in texts:
        first = [f.to_dict() for f in _run(pipeline, step, text)]
        second = [f.to_dict() for f in _run(pipeline, step, text)]
        assert first == second
        for f in first:
            assert 0 <= f["start"] < f["end"] <= len(text)
            assert 0.0 <= f["score"] <= 1.0
            assert f["reason"] and "\n" not in f["reason"]
            assert f["kind"] in ("figure", "repeat", "conflict") and f["step"] == step.name


def test_config_round_trip(step):
    clone = FigureStep(step.lexicon, **step.config())
    assert clone.config() == step.config()
    assert step.config()["min_ratio"] == 0.85
