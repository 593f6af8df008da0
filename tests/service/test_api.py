"""The HTTP API: good requests give the report, bad ones a 4xx that says what is wrong."""

from __future__ import annotations

import json
import re

import pytest

from unspun.report import SCHEMA
from unspun.schema import validate


def _labels(report):
    return {f["kind"] for f in report["findings"]}


def test_health(client):
    r = client.get("/api/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["schema"] == SCHEMA and body["sources"] is False


def test_check_text_returns_a_valid_report(client, example_path):
    text = example_path.read_text(encoding="utf-8")
    r = client.post("/api/check", json={"text": text, "name": "harbour-bridge.txt"})
    assert r.status_code == 200
    report = r.json()
    validate(report)
    assert report["schema"] == SCHEMA
    assert report["source"]["name"] == "harbour-bridge.txt"
    assert report["text"] == text
    assert "injected" in _labels(report)
    assert report["verdict"]["label"] == "polluted"


def test_check_text_matches_the_library(client, pipeline, example_path):
    text = example_path.read_text(encoding="utf-8")
    served = client.post("/api/check", json={"text": text}).json()
    direct = json.loads(pipeline.check(text).to_json())
    assert served == direct


def test_check_html(client, example_path):
    paragraphs = example_path.read_text(encoding="utf-8").split("\n\n")
    page = "<!doctype html><html><head><title>Bridge</title></head><body><article>"
    page += "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>"
    r = client.post("/api/check", json={"html": page})
    assert r.status_code == 200
    report = r.json()
    validate(report)
    assert report["source"]["format"] == "html"
    assert "<p>" not in report["text"] and "harbour" in report["text"]


def test_check_html_fragment_is_read_as_html(client):
    fragment = "<p>The council met on Monday to discuss the budget for the coming year.</p>"
    r = client.post("/api/check", json={"html": fragment})
    assert r.status_code == 200
    report = r.json()
    assert report["source"]["format"] == "html"
    assert "<p>" not in report["text"]


def test_upload_text_file(client, example_path):
    with example_path.open("rb") as f:
        r = client.post("/api/check", files={"file": ("harbour-bridge.txt", f, "text/plain")})
    assert r.status_code == 200
    report = r.json()
    validate(report)
    assert report["source"]["name"] == "harbour-bridge.txt"
    assert "injected" in _labels(report)


def test_upload_html_file(client, example_path):
    page = "<html><body>" + "".join(
        f"<p>{p}</p>" for p in example_path.read_text(encoding="utf-8").split("\n\n")
    ) + "</body></html>"
    r = client.post("/api/check", files={"file": ("page.html", page.encode(), "text/html")})
    assert r.status_code == 200
    assert r.json()["source"] == {**r.json()["source"], "name": "page.html", "format": "html"}


def _detail(r):
    return r.json()["detail"]


@pytest.mark.parametrize(
    "payload, loc, words",
    [
        ({"text": "a", "html": "<p>b</p>"}, ["body"], "both"),
        ({}, ["body"], "neither"),
        ({"txt": "hello"}, ["body", "txt"], "not permitted"),
        ({"text": 12}, ["body", "text"], "string"),
        ({"html": ["<p>"]}, ["body", "html"], "string"),
        ({"text": "hello", "name": {"a": 1}}, ["body", "name"], "string"),
        ({"url": "https://example.org/story"}, ["body"], "never fetches URLs"),
    ],
)
def test_wrong_fields_are_422_naming_the_field(client, payload, loc, words):
    r = client.post("/api/check", json=payload)
    assert r.status_code == 422
    errors = _detail(r)
    assert any(e["loc"] == loc and words in e["msg"] for e in errors), errors


def test_exactly_one_error_names_both_fields(client):
    r = client.post("/api/check", json={"text": "a", "html": "b"})
    msg = _detail(r)[0]["msg"]
    assert "'text'" in msg and "'html'" in msg


def test_json_that_is_not_an_object(client):
    r = client.post("/api/check", json=["text"])
    assert r.status_code == 422


def test_malformed_json_is_422(client):
    r = client.post("/api/check", content=b'{"text": "abc', headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert _detail(r)[0]["type"] == "json_invalid"


def test_long_input_is_not_echoed_in_errors(client):
    r = client.post("/api/check", json={"text": "word " * 1000, "extra": 1})
    assert r.status_code == 422
    assert len(r.content) < 1000


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_empty_text_is_400(client, text):
    r = client.post("/api/check", json={"text": text})
    assert r.status_code == 400
    assert "empty" in _detail(r)


def test_binary_upload_is_400(client):
    r = client.post("/api/check", files={"file": ("blob.bin", b"\x00\x01\x02" * 200, "application/octet-stream")})
    assert r.status_code == 400
    assert _detail(r).startswith("blob.bin: binary")


def test_empty_upload_is_400(client):
    r = client.post("/api/check", files={"file": ("empty.txt", b"", "text/plain")})
    assert r.status_code == 400
    assert "empty" in _detail(r)


def test_upload_without_file_field_is_422(client):
    r = client.post("/api/check", files={"document": ("a.txt", b"hello there", "text/plain")})
    assert r.status_code == 422
    assert _detail(r)[0]["loc"] == ["body", "file"]


def test_other_content_type_is_415(client):
    r = client.post("/api/check", content=b"hello", headers={"content-type": "text/plain"})
    assert r.status_code == 415
    assert "application/json" in _detail(r)


def test_get_on_check_is_405(client):
    assert client.get("/api/check").status_code == 405


def test_too_large_by_content_length_is_413(small_client):
    r = small_client.post("/api/check", json={"text": "x" * 5000})
    assert r.status_code == 413
    assert "over the limit of 2,000 bytes" in _detail(r)


def test_too_large_streamed_without_length_is_413(small_client):
    sent = []

    def chunks():
        for _ in range(50):
            sent.append(1)
            yield b" " * 100

    r = small_client.post("/api/check", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert "over the limit of 2,000 bytes" in _detail(r)


def test_too_large_upload_is_413(small_client):
    r = small_client.post("/api/check", files={"file": ("big.txt", b"word " * 2000, "text/plain")})
    assert r.status_code == 413


def test_under_the_limit_passes(small_client):
    r = small_client.post("/api/check", json={"text": "The council met on Monday. It agreed the budget."})
    assert r.status_code == 200


def test_input_over_the_library_limit_is_413(client):
    from unspun.source import MAX_INPUT_BYTES

    r = client.post("/api/check", files={"file": ("big.txt", b"a" * (MAX_INPUT_BYTES + 1), "text/plain")})
    assert r.status_code == 413
    assert "big.txt" in _detail(r)


def test_docs_are_served_without_a_cdn(client):
    r = client.get("/docs")
    assert r.status_code == 200
    urls = re.findall(r"""(?:src|href)=['"]?([^'" >]+)""", r.text) + re.findall(r"url: '([^']+)'", r.text)
    assert urls, r.text
    assert not [u for u in urls if re.match(r"(?:https?:)?//", u)], urls
    for u in re.findall(r"""(?:src|href)=['"]?([^'" >]+)""", r.text):
        assert client.get(u).status_code == 200, u
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/api/check"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(body)
    assert "/docs" not in spec["paths"] and "/" not in spec["paths"]


def test_json_text_over_the_library_limit_is_413(client):
    from unspun.source import MAX_INPUT_BYTES

    r = client.post("/api/check", json={"text": "a" * (MAX_INPUT_BYTES + 1), "name": "huge"})
    assert r.status_code == 413
    assert _detail(r).startswith("huge: input is 5,000,001 bytes")


def test_a_failing_pipeline_is_a_500_without_internals(pipeline):
    from fastapi.testclient import TestClient

    from unspun.service.app import create_app

    class Broken:
        def check(self, source, name="<text>"):
            raise RuntimeError("secret internals")

    with TestClient(create_app(Broken())) as c:
        r = c.post("/api/check", json={"text": "The council met on Monday.", "name": "a.txt"})
    assert r.status_code == 500
    assert _detail(r) == "a.txt: internal error while analysing the input"


def test_openapi_refs_all_resolve(client):
    spec = client.get("/openapi.json").json()
    refs = set(re.findall(r'"\$ref": ?"([^"]+)"', json.dumps(spec)))
    assert "#/components/schemas/CheckRequest" in refs and "#/components/schemas/Report" in refs
    for ref in refs:
        node = spec
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        assert isinstance(node, dict), ref
    check_body = spec["components"]["schemas"]["CheckRequest"]
    assert set(check_body["properties"]) == {"text", "html", "name"}


def test_schema_route_is_the_report_schema(client):
    from unspun.schema import report_schema

    assert client.get("/api/schema").json() == report_schema()
