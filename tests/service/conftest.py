"""Fixtures for the web service: an app on the shared pipeline, a test client, a small-limit app."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

# Starlette's test client warns that it will move to another HTTP client; not ours to fix.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from fastapi.testclient import TestClient  # noqa: E402

from unspun.service.app import create_app  # noqa: E402


@pytest.fixture(scope="session")
def client(pipeline) -> TestClient:
    with TestClient(create_app(pipeline)) as c:
        yield c


@pytest.fixture(scope="session")
def small_client(pipeline) -> TestClient:
    """An app that takes at most 2,000 bytes a request."""
    with TestClient(create_app(pipeline, max_request_bytes=2000)) as c:
        yield c


#: Screenshots the browser tests saved, listed at the end of the run so they can be found.
SCREENSHOTS: list[str] = []


@pytest.fixture(scope="session")
def shot(tmp_path_factory):
    """``shot(page, name)`` saves a full-page screenshot under $UNSPUN_ARTIFACTS (default: a
    tmp_path of the run)."""
    out = Path(os.environ.get("UNSPUN_ARTIFACTS") or tmp_path_factory.mktemp("screens"))
    out.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = out / name
        page.screenshot(path=str(path), full_page=True)
        SCREENSHOTS.append(str(path))
        return path

    return save


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOTS:
        terminalreporter.write_sep("-", "screenshots of the page")
        for path in SCREENSHOTS:
            terminalreporter.write_line(path)
