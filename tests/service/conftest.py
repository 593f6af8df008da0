"""Fixtures for the web service: an app on the shared pipeline, a test client, a small-limit app."""

from __future__ import annotations

import warnings

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
