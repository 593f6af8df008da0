"""The page and its assets are served by the app, and nothing in them points outside it."""

from __future__ import annotations

import re

import pytest

from unspun.service.app import STATIC

ASSETS = ["/static/app.js", "/static/app.css"]
EXTERNAL = re.compile(r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}""", re.I)


def test_page_is_served_with_a_strict_policy(client):
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    for asset in ASSETS:
        assert f'"{asset}"' in r.text


@pytest.mark.parametrize("asset, ctype", [("/static/app.js", "javascript"), ("/static/app.css", "text/css")])
def test_assets_are_served(client, asset, ctype):
    r = client.get(asset)
    assert r.status_code == 200
    assert ctype in r.headers["content-type"]
    assert len(r.text) > 1000


def test_page_says_the_server_never_fetches_urls(client):
    assert "never fetches URLs" in client.get("/").text


@pytest.mark.parametrize("name", sorted(p.name for p in STATIC.iterdir()))
def test_no_external_urls_or_fonts(name):
    text = (STATIC / name).read_text(encoding="utf-8")
    # The JS tests a URL's scheme with a pattern; no literal outside address appears anywhere.
    assert not EXTERNAL.findall(text), EXTERNAL.findall(text)
    assert "@font-face" not in text and "@import" not in text


def test_the_script_never_writes_markup():
    js = (STATIC / "app.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in js, sink


def test_unknown_paths_are_404(client):
    assert client.get("/static/nope.js").status_code == 404
    assert client.get("/static/../app.py").status_code == 404
