"""Runs the pipeline for the web service: one analysis at a time, each within a time limit.
An analysis here includes reading the input (decoding, HTML extraction), which is real work
too and so stays off the event loop and under the limit.

The pipeline's steps keep caches that are not safe to share between threads, and the work is
CPU-bound Python, so threads would not run it faster anyway: analyses go through one worker
thread in turn (run more server processes for more throughput). A request that waits too long
for its turn is answered 503 and its analysis never starts; one whose analysis runs over the
limit is answered 504 (the analysis finishes in the background, since a thread cannot be
stopped, and the next request waits for it).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from unspun.pipeline import Pipeline
from unspun.report import Report
from unspun.source import Source


class Busy(Exception):
    """The analysis could not start within the time limit, or too many requests are waiting."""


class TimedOut(Exception):
    """The analysis started but did not finish within the time limit."""


class Runner:
    def __init__(self, pipeline: Pipeline, sources: Any = None, *, time_limit: float = 30.0,
                 max_waiting: int = 32) -> None:  # fmt: skip
        self.pipeline = pipeline
        self.sources = sources
        self.time_limit = time_limit
        self.max_waiting = max_waiting
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="unspun-check")
        self._waiting = 0
        self._lock = threading.Lock()

    def _check(self, read: Callable[[], Source], started: threading.Event) -> Report:
        started.set()
        source = read()
        if self.sources is not None:
            return self.pipeline.check(source, name=source.name, sources=self.sources)
        return self.pipeline.check(source, name=source.name)

    async def check(self, read: Callable[[], Source] | Source) -> Report:
        """The report of the input that ``read()`` gives (or of a Source as it is)."""
        if isinstance(read, Source):
            read = (lambda source=read: source)
        with self._lock:
            if self._waiting >= self.max_waiting:
                raise Busy(f"{self._waiting} requests are already waiting; try again later")
            self._waiting += 1
        started = threading.Event()
        try:
            future = self._executor.submit(self._check, read, started)
            try:
                # Cancelling the wrapped future cancels a job that has not started yet.
                return await asyncio.wait_for(asyncio.wrap_future(future), self.time_limit)
            except TimeoutError:
                if started.is_set():
                    raise TimedOut(f"the analysis took longer than the limit of {self.time_limit:g} s") from None
                raise Busy(
                    f"the analysis could not start within the limit of {self.time_limit:g} s "
                    "(the server is busy with other requests)"
                ) from None
        finally:
            with self._lock:
                self._waiting -= 1

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
