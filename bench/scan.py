"""Corpus runs end to end: `unspun scan` over AllSides on 1 and 2 workers, local and Ray,
beside datatrove's LocalPipelineExecutor with the Gopher, C4 and FineWeb filters.

    python -m bench.scan [--limit N] [--datatrove-limit M] [--skip-ray] [--skip-datatrove]

The AllSides articles (all 37,554 unless --limit) are written once as two JSONL.gz files,
half each, so that both tools get the same input and two datatrove tasks get a file each.
Each configuration then runs as its own process, from start to exit, into a fresh output
folder:

1. ``unspun scan`` with the local engine, --workers 1 and --workers 2;
2. ``unspun scan --engine ray --workers 2`` (a local Ray started by the run);
3. datatrove: JsonlReader -> GopherQualityFilter -> GopherRepetitionFilter -> C4QualityFilter
   -> FineWebQualityFilter -> JsonlWriter, LocalPipelineExecutor(tasks=2, workers=2). The four
   filters run at about a tenth of unspun's speed, so datatrove reads the first M/2
   documents of each file (--datatrove-limit M, default 4000); its rate is per document all
   the same.

Figures: documents/s over the wall time of the whole process (start-up, pipeline load, Ray
start and the count pass included) and over the scan loop alone (from the summary); the
scaling efficiency from 1 to 2 workers (rate at 2 / (2 x rate at 1)); the Ray overhead (1 -
Ray's rate / the local rate at 2 workers); peak memory, sampled from /proc every 0.2 s over
the whole process tree (the sum, and the largest single process); CPU seconds of the tree,
and the load average before and after each run, since other work on the machine lowers
every rate. Written to bench/out/scan.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


# ------------------------------------------------------------------------ process-tree memory


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples the summed RSS of a process and all its descendants, and their CPU time: the
    last value seen for each process, summed, so that processes the measured one does not
    wait for (Ray's workers and daemons, datatrove's forkserver tasks) count too; a process's
    last 0.2 s before it exits may be missed."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_sum = self.peak_one = 0
        self.ticks: dict[int, int] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            tree = _children()
            todo, pids = [self.pid], []
            while todo:
                p = todo.pop()
                pids.append(p)
                todo.extend(tree.get(p, []))
            sizes = [_rss_kib(p) for p in pids]
            for p in pids:
                self.ticks[p] = max(self.ticks.get(p, 0), _cpu_ticks(p))
            self.peak_sum = max(self.peak_sum, sum(sizes))
            self.peak_one = max(self.peak_one, max(sizes, default=0))
            self.stop.wait(self.every)


def measure(cmd: list[str], label: str) -> dict:
    print(f"# {label}: {' '.join(cmd[2:] if cmd[0] == sys.executable else cmd)}", flush=True)
    load0 = os.getloadavg()[0]
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    mem = TreeMemory(proc.pid)
    mem.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    mem.stop.set()
    mem.join()
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{label} failed ({proc.returncode}):\n{err.decode()[-3000:]}")
    waited = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    sampled = sum(mem.ticks.values()) / os.sysconf("SC_CLK_TCK")
    cpu = max(waited, sampled)
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),  # the larger of the waited-for children's rusage and the /proc samples
        "cpu_s_waited": round(waited, 2),
        "cpu_s_sampled": round(sampled, 2),
        "peak_rss_tree_mib": round(mem.peak_sum / 1024, 1),
        "peak_rss_largest_process_mib": round(mem.peak_one / 1024, 1),
        "loadavg_before_after": [round(load0, 2), round(os.getloadavg()[0], 2)],
        "stdout_tail": out.decode()[-500:],
    }


# ------------------------------------------------------------------------ the runs


def prepare(limit: int | None, folder: Path) -> tuple[list[Path], int]:
    from bench.corpora import allsides

    records = list(allsides(limit))  # ~250 MB of text for all; written out once
    half = (len(records) + 1) // 2
    paths = []
    for i, part in enumerate((records[:half], records[half:])):
        path = folder / f"allsides-part{i}.jsonl.gz"
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as f:
            for rec in part:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        paths.append(path)
    return paths, len(records)


def run_unspun(inputs: list[Path], out: Path, workers: int, engine: str) -> dict:
    cmd = [sys.executable, "-m", "unspun", "scan", *map(str, inputs), "-o", str(out),
           "--workers", str(workers), "--engine", engine, "--quiet"]
    result = measure(cmd, f"unspun {engine} x{workers}")
    summary = json.loads((out / "_summary.json").read_text())
    docs = summary["documents"]
    result.update(
        documents=docs,
        ok=summary["ok"],
        errors=summary["errors"],
        verdicts=summary["verdicts"],
        complete=summary["complete"],
        per_s_end_to_end=round(docs / result["wall_s"], 2),
        per_s_scan_loop=summary["run"]["per_s"],
        scan_loop_s=summary["run"]["seconds"],
        cpu_share_of_workers=round(result["cpu_s"] / (result["wall_s"] * workers), 3),
        per_cpu_s=round(docs / result["cpu_s"], 2) if result["cpu_s"] else None,
    )
    return result


def datatrove_child(folder: str, out: str, per_task: int) -> None:
    """Runs inside its own process: the datatrove pipeline."""
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
    )
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(folder, limit=per_task, glob_pattern="*.jsonl.gz"),
            GopherQualityFilter(),
            GopherRepetitionFilter(),
            C4QualityFilter(),
            FineWebQualityFilter(),
            JsonlWriter(f"{out}/kept"),
        ],
        tasks=2,
        workers=2,
        logging_dir=f"{out}/logs",
    ).run()


def run_datatrove(folder: Path, out: Path, limit: int) -> dict:
    per_task = limit // 2
    cmd = [sys.executable, "-m", "bench.scan", "--datatrove-child", str(folder), str(out), str(per_task)]
    result = measure(cmd, "datatrove x2")
    kept = 0
    for p in (out / "kept").glob("*.jsonl.gz"):
        with gzip.open(p, "rt") as f:
            kept += sum(1 for _ in f)
    docs = 2 * per_task
    result.update(
        documents=docs,
        kept=kept,
        per_s_end_to_end=round(docs / result["wall_s"], 2),
        cpu_share_of_workers=round(result["cpu_s"] / (result["wall_s"] * 2), 3),
        per_cpu_s=round(docs / result["cpu_s"], 2) if result["cpu_s"] else None,
    )
    return result


def ratio(a, b):
    return round(a / b, 3) if a and b else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, help="AllSides articles (default: all 37,554)")
    ap.add_argument("--datatrove-limit", type=int, default=4000, help="documents for datatrove (default 4000)")
    ap.add_argument("--skip-ray", action="store_true")
    ap.add_argument("--skip-datatrove", action="store_true")
    ap.add_argument("--datatrove-child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.datatrove_child:
        folder, out, per_task = args.datatrove_child
        datatrove_child(folder, out, int(per_task))
        return 0

    work = Path(tempfile.mkdtemp(prefix="unspun-bench-scan-"))
    try:
        inputs, n = prepare(args.limit, work)
        print(f"# {n} AllSides articles in {len(inputs)} JSONL.gz files; {os.cpu_count()} CPUs; "
              f"load average {os.getloadavg()}", flush=True)
        result: dict = {
            "when": time.strftime("%Y-%m-%d %H:%M:%S"),
            "articles": n,
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
        }
        result["local_1"] = run_unspun(inputs, work / "out-l1", 1, "local")
        result["local_2"] = run_unspun(inputs, work / "out-l2", 2, "local")
        if not args.skip_ray:
            result["ray_2"] = run_unspun(inputs, work / "out-r2", 2, "ray")
        if not args.skip_datatrove:
            result["datatrove_2"] = run_datatrove(work, work / "out-dt", min(args.datatrove_limit, n))

        l1, l2 = result["local_1"], result["local_2"]
        result["scaling_efficiency_1_to_2"] = {
            k: ratio(l2[k], 2 * l1[k]) for k in ("per_s_end_to_end", "per_s_scan_loop")
        }
        # Documents per CPU-second at 2 workers against 1: the work parallel running adds,
        # which other processes on the cores do not change.
        result["cpu_efficiency_1_to_2"] = ratio(l2["per_cpu_s"], l1["per_cpu_s"])
        if "ray_2" in result:
            r2 = result["ray_2"]
            result["ray_overhead"] = {k: round(1 - r2[k] / l2[k], 3) for k in ("per_s_end_to_end", "per_s_scan_loop")}
            result["same_rows_ray_local"] = _same_rows(work / "out-l2", work / "out-r2")
        if "datatrove_2" in result:
            dt = result["datatrove_2"]
            result["ratio_unspun_over_datatrove"] = ratio(l2["per_s_end_to_end"], dt["per_s_end_to_end"])
            result["ratio_unspun_over_datatrove_per_cpu_s"] = ratio(l2["per_cpu_s"], dt["per_cpu_s"])
        print_table(result)
        OUT.mkdir(parents=True, exist_ok=True)
        name = "scan.json" if args.limit is None else f"scan-{args.limit}.json"
        (OUT / name).write_text(json.dumps(result, indent=2) + "\n")
        print(f"\nwritten: bench/out/{name}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _same_rows(a: Path, b: Path) -> dict:
    """Rows that differ between two output folders, and the columns they differ in."""
    import pyarrow.parquet as pq

    differ, columns = 0, set()
    for path in sorted(a.glob("*.parquet")):
        for x, y in zip(pq.read_table(path).to_pylist(), pq.read_table(b / path.name).to_pylist()):
            if x != y:
                differ += 1
                columns.update(k for k in x if x[k] != y[k])
    same_files = len(list(a.glob("*.parquet"))) == len(list(b.glob("*.parquet")))
    return {"same_files": same_files, "rows_differing": differ, "columns": sorted(columns)}


def print_table(r: dict) -> None:
    print()
    head = (f"{'':28} {'docs':>6} {'wall s':>7} {'docs/s':>7} {'loop/s':>7} {'docs/CPU-s':>10} {'CPU share':>9} "
            f"{'peak MiB':>8} {'largest':>7} {'load':>12}")
    print(head)
    print("-" * len(head))
    for key, label in (("local_1", "unspun local, 1 worker"), ("local_2", "unspun local, 2 workers"),
                       ("ray_2", "unspun ray, 2 workers"), ("datatrove_2", "datatrove 4 filters, 2 tasks")):
        if key not in r:
            continue
        s = r[key]
        loop = s.get("per_s_scan_loop")
        cpu_rate = s.get("per_cpu_s")
        print(f"{label:28} {s['documents']:6d} {s['wall_s']:7.1f} {s['per_s_end_to_end']:7.1f} "
              f"{(f'{loop:7.1f}' if loop else '      -')} {(f'{cpu_rate:10.1f}' if cpu_rate else '         -')} "
              f"{s['cpu_share_of_workers']:9.2f} {s['peak_rss_tree_mib']:8.0f} "
              f"{s['peak_rss_largest_process_mib']:7.0f} {str(s['loadavg_before_after']):>12}")
    print("(docs/s: over the whole process's wall time; loop/s: over the scan loop alone; docs/CPU-s: over")
    print(" the CPU time of the whole process tree, Ray's daemons and datatrove's tasks included);")
    print(" CPU share: CPU seconds / (wall seconds x workers), under 1.0 when other work shared the cores)")
    print()
    print(f"scaling efficiency 1 -> 2 workers: {r['scaling_efficiency_1_to_2']} (goal >= 0.9); "
          f"in docs per CPU-second: {r['cpu_efficiency_1_to_2']}")
    if "ray_overhead" in r:
        print(f"Ray overhead against local at 2 workers: {r['ray_overhead']} (goal <= 0.15); "
              f"rows: {r['same_rows_ray_local']}")
    if "ratio_unspun_over_datatrove" in r:
        print(f"unspun / datatrove docs/s, end to end, 2 workers each: {r['ratio_unspun_over_datatrove']}x (goal >= 50x); "
              f"per CPU-second: {r['ratio_unspun_over_datatrove_per_cpu_s']}x")


if __name__ == "__main__":
    sys.exit(main())
