"""`unspun check` as a user runs it: formats, output files, standard input and bad input."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest

from bench import corpora
from unspun.schema import validate
from unspun.source import MAX_INPUT_BYTES


def run(*args, stdin: bytes | None = None):
    return subprocess.run(
        [sys.executable, "-m", "unspun", *args], input=stdin, capture_output=True, timeout=120
    )


def test_terminal_report_shows_verdict_and_reasons(example_path):
    r = run("check", str(example_path))
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert "polluted" in out.lower()
    assert "off-topic" in out
    assert "Millbrook" in out


def test_json_report_validates(example_path):
    r = run("check", str(example_path), "--format", "json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    validate(report)
    assert report["schema"] == "unspun.report/1"
    kinds = {f["kind"] for f in report["findings"]}
    assert {"metadata", "boilerplate", "injected"} <= kinds
    assert "Lola Vance" not in report["clean_text"]
    assert "Share this article" not in report["clean_text"]


def test_html_report_to_file(example_path, tmp_path):
    out = tmp_path / "report.html"
    r = run("check", str(example_path), "--format", "html", "-o", str(out))
    assert r.returncode == 0, r.stderr
    page = out.read_text()
    assert page.lstrip().lower().startswith("<!doctype html")
    assert "off-topic" in page
    assert r.stdout == b""


def test_standard_input(example_path):
    r = run("check", "-", "--format", "json", stdin=example_path.read_bytes())
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["source"]["name"] == "<stdin>"


def test_html_recognised_by_content_not_name(tmp_path):
    page = next(corpora.extraction_benchmark())
    path = tmp_path / "page.bin"
    path.write_bytes(page["html"])
    r = run("check", str(path), "--format", "json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["source"]["format"] == "html"
    assert report["metadata"]["title"] is not None
    assert "<div" not in report["text"]


@pytest.mark.parametrize(
    "make, problem",
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: _write(d / "bin.txt", gzip.compress(b"x" * 1000)), "binary"),
        (lambda d: _write(d / "empty.txt", b"  \n\n "), "empty"),
        (lambda d: _write(d / "empty.html", b"<html><body><script>var a=1;</script></body></html>"), "empty"),
        (lambda d: _write(d / "big.txt", b"word " * (MAX_INPUT_BYTES // 5 + 10)), "over the limit"),
    ],
)
def test_bad_input_one_line_exit_2(tmp_path, make, problem):
    path = make(tmp_path)
    r = run("check", str(path))
    assert r.returncode == 2
    err = r.stderr.decode().strip()
    assert len(err.splitlines()) == 1, err
    assert str(path) in err
    assert problem in err
    assert r.stdout == b""


def test_unreadable_file(tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = _write(tmp_path / "locked.txt", b"text")
    path.chmod(0)
    r = run("check", str(path))
    assert r.returncode == 2 and b"permission denied" in r.stderr


def test_other_language_is_said(tmp_path):
    text = (
        "Le conseil municipal a voté mardi une enveloppe de deux millions d'euros pour réparer le pont.\n\n"
        "Les travaux commenceront en juin et dureront onze semaines, selon la mairie.\n\n"
        "Les commerçants du port craignent une perte de clientèle pendant la saison touristique.\n\n"
        "Une passerelle provisoire permettra aux piétons de traverser le port pendant les travaux.\n"
    )
    path = _write(tmp_path / "fr.txt", text.encode())
    r = run("check", str(path), "--format", "json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["language"]["english"] is False
    assert any(reason["code"] == "not_english" for reason in report["verdict"]["reasons"])


def _write(path, data: bytes):
    path.write_bytes(data)
    return path
