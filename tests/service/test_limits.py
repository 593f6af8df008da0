"""The time limit: an analysis that runs over it is answered 504, one that cannot start 503.

The pipeline here blocks on an event until the test releases it, so the outcome does not
depend on how fast the machine is."""

from __future__ import annotations

import asyncio
import threading

import pytest
from fastapi.testclient import TestClient

from unspun.service.app import create_app
from unspun.service.runner import Busy, Runner, TimedOut
from unspun.source import from_string


class BlockingPipeline:
    def __init__(self, real):
        self.real = real
        self.release = threading.Event()
        self.calls = 0

    def check(self, source, name="<text>"):
        self.calls += 1
        self.release.wait(30)
        return self.real.check(source, name=name)


@pytest.fixture
def blocking(pipeline):
    p = BlockingPipeline(pipeline)
    yield p
    p.release.set()


def test_over_the_time_limit_is_504_and_a_queued_request_503(blocking):
    runner = Runner(blocking, time_limit=0.5)
    source = from_string("The council met on Monday. It agreed the budget.")

    async def both():
        return await asyncio.gather(runner.check(source), runner.check(source), return_exceptions=True)

    first, second = asyncio.run(both())
    assert isinstance(first, TimedOut) and "limit of 0.5 s" in str(first)
    assert isinstance(second, Busy) and "could not start" in str(second)
    blocking.release.set()
    runner.close()
    # The queued request was cancelled before it started, not run late.
    assert blocking.calls == 1


def test_too_many_waiting_is_busy(blocking):
    runner = Runner(blocking, time_limit=0.5, max_waiting=1)
    source = from_string("The council met on Monday. It agreed the budget.")

    async def both():
        return await asyncio.gather(runner.check(source), runner.check(source), return_exceptions=True)

    first, second = asyncio.run(both())
    assert isinstance(first, TimedOut)
    assert isinstance(second, Busy) and "already waiting" in str(second)
    runner.close()


def test_api_answers_504_with_a_message(blocking):
    with TestClient(create_app(blocking, time_limit=0.5)) as c:
        r = c.post("/api/check", json={"text": "The council met on Monday. It agreed the budget."})
        assert r.status_code == 504
        assert "longer than the limit" in r.json()["detail"]
        blocking.release.set()
