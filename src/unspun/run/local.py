"""The local engine: a pool of worker processes, one per core unless told otherwise.

Shards are submitted as the readers produce them, with at most two per worker waiting, so
that memory holds a few shards' records whatever the size of the input.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

from unspun.run.shards import Shard
from unspun.run.worker import Options, run_shard


#: Workers run with one fixed string-hash seed, so that a document gets the same row whichever
#: worker, engine or run analyses it: with randomised hashing, the iteration order of sets
#: of words can change the last digits of a score from one process to the next.
HASH_SEED = "0"


@contextmanager
def fixed_hash_seed():
    """Spawned workers inherit the environment at the moment they start."""
    before = os.environ.get("PYTHONHASHSEED")
    os.environ["PYTHONHASHSEED"] = HASH_SEED
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PYTHONHASHSEED", None)
        else:
            os.environ["PYTHONHASHSEED"] = before


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run(
    items: Iterable[Shard | tuple[str, int]],
    out: Path,
    options: Options,
    workers: int,
    progress: Callable[[int, bool], None],
) -> None:
    # spawn, not fork: the parent runs a progress thread, and forking a threaded process
    # can copy a held lock into the child.
    ctx = multiprocessing.get_context("spawn")
    with fixed_hash_seed(), ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        pending: dict[Future, Shard] = {}

        def drain(until: int) -> None:
            while len(pending) > until:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    pending.pop(fut)
                    # A failure of the shard function itself (not of a document) stops the run.
                    progress(fut.result()["documents"], False)

        try:
            for item in items:
                if isinstance(item, tuple):
                    progress(item[1], True)
                    continue
                drain(2 * workers - 1)
                pending[pool.submit(run_shard, item, str(out), options)] = item
            drain(0)
        except BaseException:
            for fut in pending:
                fut.cancel()
            raise
