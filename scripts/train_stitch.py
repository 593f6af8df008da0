"""Fit the stitched-article model (src/unspun/data/stitch-v1.json).

Positives: farm-benchmark articles of the dev split whose body comes from two sources or
more. Negatives: the dev split's single-source farm articles, and real AllSides and BBC
articles of the dev split as they are. The features are the thread step's signals; the
threshold is the lowest probability that keeps false alarms on the real articles and on the
single-source farm articles under ``--budget`` each.

    python scripts/train_stitch.py [--farm 600] [--real 2000] [--budget 0.015]
"""

from __future__ import annotations

import argparse
import json
import sys
from itertools import islice
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpora import allsides, bbc, split_of  # noqa: E402
from bench.farm.generate import load_or_generate  # noqa: E402
from unspun.errors import InputError  # noqa: E402
from unspun.pipeline import Pipeline, default_steps  # noqa: E402
from unspun.steps.threads import FEATURES, ThreadStep  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "src" / "unspun" / "data" / "stitch-v1.json"


def signals(pipe: Pipeline, text: str) -> list[float] | None:
    try:
        report = pipe.check(text)
    except InputError:
        return None
    hit = report.findings_of("stitch")
    if not hit:
        return None
    s = hit[0].details["signals"]
    return [s[f] for f in FEATURES]


def fit_nonnegative(X: np.ndarray, y: np.ndarray, l2: float = 1.0) -> tuple[np.ndarray, float]:
    """Logistic regression, classes balanced, with every weight at least 0: each signal may only
    add evidence of stitching, never take it away, so that a quirk of the training set cannot
    teach the model that, say, disagreeing figures mean an article is whole."""
    from scipy.optimize import minimize

    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = (X - mu) / sd
    cw = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1]
        z = Z @ w + b
        p = 1 / (1 + np.exp(-z))
        ll = cw * (np.logaddexp(0, z) - y * z)
        g = cw * (p - y)
        return ll.mean() + l2 * (w @ w) / len(y), np.append(Z.T @ g / len(y) + 2 * l2 * w / len(y), g.mean())

    bounds = [(0, None)] * Z.shape[1] + [(None, None)]
    theta = minimize(loss, np.zeros(Z.shape[1] + 1), jac=True, bounds=bounds, method="L-BFGS-B").x
    w = theta[:-1] / sd
    return w, float(theta[-1] - (theta[:-1] * mu / sd).sum())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--farm", type=int, default=600)
    ap.add_argument("--real", type=int, default=2000)
    ap.add_argument("--budget", type=float, default=0.015)
    ap.add_argument("--dump", help="also save the signals to this .npz file")
    args = ap.parse_args()
    pipe = Pipeline()
    steps = [s for s in default_steps(pipe.lexicon) if not isinstance(s, ThreadStep)]
    pipe = Pipeline(steps + [ThreadStep(pipe.lexicon, threshold=0.0)], lexicon=pipe.lexicon)

    X, y, group = [], [], []  # group: 0 farm single-source, 1 farm stitched, 2 real
    for rec in load_or_generate("dev", args.farm, 1):
        x = signals(pipe, rec["text"])
        if x is not None:
            stitched = "stitched" in rec["kinds"]
            X.append(x), y.append(int(stitched)), group.append(int(stitched))
    real = [r for r in islice(allsides(), args.real * 3) if split_of(r["id"]) == "dev"][: args.real]
    real += [r for r in bbc() if split_of(r["id"]) == "dev"]
    for rec in real:
        x = signals(pipe, rec["text"])
        if x is not None:
            X.append(x), y.append(0), group.append(2)
    X, y, group = np.array(X), np.array(y), np.array(group)
    if args.dump:
        np.savez(args.dump, X=X, y=y, group=group)
    print(f"{(group == 1).sum()} stitched, {(group == 0).sum()} single-source farm, {(group == 2).sum()} real")

    w, b = fit_nonnegative(X, y)
    p = 1 / (1 + np.exp(-(X @ w + b)))
    # The lowest threshold under the budget on both kinds of negatives.
    threshold = max(float(np.quantile(p[group == g], 1 - args.budget)) for g in (0, 2))
    threshold = round(threshold + 1e-4, 4)
    for g, name in ((1, "stitched found"), (0, "single-source flagged"), (2, "real flagged")):
        print(f"{name}: {np.mean(p[group == g] >= threshold):.4f}")
    for f, wf in zip(FEATURES, w):
        print(f"  {f:<14} {wf:+.3f}")
    OUT.write_text(json.dumps({
        "model": "logistic regression with non-negative weights over the thread step's signals (scripts/train_stitch.py)",
        "weights": {f: round(float(wf), 5) for f, wf in zip(FEATURES, w)},
        "bias": round(b, 5),
        "threshold": threshold,
        "trained_on": {"stitched": int((group == 1).sum()), "single_source": int((group == 0).sum()),
                       "real": int((group == 2).sum()), "false_alarm_budget": args.budget},
    }, indent=1) + "\n")
    print(f"wrote {OUT}, threshold {threshold}")


if __name__ == "__main__":
    main()
