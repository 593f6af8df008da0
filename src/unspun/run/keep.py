"""Keep-clean: the clean text of the documents that pass, as JSONL for training-data
pipelines, and the dropped ones in a file of their own with the reason for each."""

from __future__ import annotations

import json
import os
from pathlib import Path

#: Verdict labels from best to worst; a label threshold passes it and every better label.
LABEL_ORDER = ("clean", "suspicious", "polluted", "stitched")


def parse_threshold(value: str | float) -> str | float:
    """A label (the worst verdict that passes) or a number (the highest score that passes)."""
    if isinstance(value, (int, float)):
        return float(value)
    if value in LABEL_ORDER:
        return value
    try:
        score = float(value)
    except ValueError:
        raise ValueError(f"pass threshold {value!r}: give a verdict label ({', '.join(LABEL_ORDER)}) or a score 0-1") from None
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"pass threshold {value!r}: a score must lie in 0-1")
    return score


def passes(label: str, score: float, threshold: str | float) -> bool:
    if isinstance(threshold, str):
        rank = LABEL_ORDER.index(label) if label in LABEL_ORDER else len(LABEL_ORDER)
        return rank <= LABEL_ORDER.index(threshold)
    return score <= threshold


def dropped_path(kept: Path) -> Path:
    name = kept.name
    stem = name[: -len(".jsonl")] if name.endswith(".jsonl") else name
    return kept.with_name(f"{stem}.dropped.jsonl")


def write(out: Path, kept_path: Path, threshold: str | float, drop_traced: bool = False) -> dict:
    """Go through OUT's shard files in order, a file at a time; both outputs are written to
    temporary names and renamed when complete. ``drop_traced``: write the text less the
    sentences traced to the reference corpus (a run with a provenance index)."""
    import pyarrow.parquet as pq

    dropped_file = dropped_path(kept_path)
    kept_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_kept = kept_path.with_name(f".{kept_path.name}.{os.getpid()}.tmp")
    tmp_dropped = dropped_file.with_name(f".{dropped_file.name}.{os.getpid()}.tmp")
    kept = dropped = 0
    columns = ["input", "record", "id", "url", "status", "error", "verdict", "score", "clean_text", "untraced_text"]
    try:
        with open(tmp_kept, "w", encoding="utf-8") as fk, open(tmp_dropped, "w", encoding="utf-8") as fd:
            for path in sorted(out.glob("*.parquet")):
                if path.name.startswith((".", "_")):
                    continue
                t = pq.read_table(path, columns=columns).to_pylist()
                for r in t:
                    ident = {"id": r["id"], "url": r["url"], "input": r["input"], "record": r["record"]}
                    if r["status"] == "ok" and passes(r["verdict"], r["score"], threshold):
                        text = r["clean_text"]
                        if drop_traced:
                            if r["untraced_text"] is None:
                                raise ValueError(f"{path}: no traced sentences recorded: drop_traced needs a run with sources")
                            text = r["untraced_text"]
                        fk.write(json.dumps({**ident, "text": text, "verdict": r["verdict"]}, ensure_ascii=False) + "\n")
                        kept += 1
                    else:
                        if r["status"] == "ok":
                            reason = f"verdict {r['verdict']} (score {r['score']:.2f}) does not pass {threshold}"
                        else:
                            reason = f"{r['status']}: {r['error']}"
                        fd.write(json.dumps({**ident, "status": r["status"], "verdict": r["verdict"], "reason": reason}, ensure_ascii=False) + "\n")
                        dropped += 1
    except BaseException:
        # Nothing half-written is left behind, under either name.
        tmp_kept.unlink(missing_ok=True)
        tmp_dropped.unlink(missing_ok=True)
        raise
    tmp_kept.replace(kept_path)
    tmp_dropped.replace(dropped_file)
    return {"kept": kept, "dropped": dropped, "kept_path": str(kept_path), "dropped_path": str(dropped_file), "threshold": threshold}
