"""Shared fixtures: one pipeline for the session, real data read from ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

import unspun
from bench import corpora

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def pipeline() -> unspun.Pipeline:
    return unspun.default_pipeline()


@pytest.fixture(scope="session")
def specimen_text() -> str:
    return corpora.specimen()


@pytest.fixture(scope="session")
def specimen(pipeline, specimen_text) -> unspun.Report:
    return pipeline.check(specimen_text, name="content-farm-article.txt")


@pytest.fixture(scope="session")
def example_path() -> Path:
    return REPO / "examples" / "harbour-bridge.txt"
