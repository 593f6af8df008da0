"""The Ray engine: the same shard function as Ray tasks, on a local Ray or a cluster.

Each Ray worker process keeps its pipeline between tasks (the shard function builds it once
per process), and at most two shards per CPU are in flight, so the driver's memory stays
bounded as with the local engine. On a cluster, OUT must be a folder every node can write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from unspun.errors import UnspunError
from unspun.run.shards import Shard
from unspun.run.worker import Options, run_shard


def _ray():
    try:
        import ray
    except ImportError:
        raise UnspunError("the ray engine needs Ray: pip install 'unspun[ray]'") from None
    return ray


def run(
    items: Iterable[Shard | tuple[str, int]],
    out: Path,
    options: Options,
    workers: int | None,
    progress: Callable[[int, bool], None],
    address: str | None = None,
) -> None:
    from unspun.run.local import HASH_SEED

    ray = _ray()
    started = False
    # The same hash seed as the local workers', so both engines give the same rows.
    runtime_env = {"env_vars": {"PYTHONHASHSEED": HASH_SEED}}
    if not ray.is_initialized():
        if address:
            ray.init(address=address, log_to_driver=False, runtime_env=runtime_env)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, runtime_env=runtime_env)
        started = True
    try:
        slots = max(1, int(ray.available_resources().get("CPU", workers or 1)))
        task = ray.remote(num_cpus=1, max_retries=2)(run_shard)
        out_s = str(Path(out).resolve())
        pending: dict = {}

        def drain(until: int) -> None:
            while len(pending) > until:
                ready, _ = ray.wait(list(pending), num_returns=1)
                for ref in ready:
                    pending.pop(ref)
                    progress(ray.get(ref)["documents"], False)

        for item in items:
            if isinstance(item, tuple):
                progress(item[1], True)
                continue
            drain(2 * slots - 1)
            pending[task.remote(item, out_s, options)] = item.id
        drain(0)
    finally:
        if started:
            ray.shutdown()
