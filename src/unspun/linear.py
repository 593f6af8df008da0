"""A logistic model over hashed binary features, the kind the lede and join models are: one
weight per bucket in a ``.npz`` file shipped with the package, each item's present buckets
scaled to unit length."""

from __future__ import annotations

from importlib import resources

import numpy as np


class HashedLinear:
    def __init__(self, weights: np.ndarray, bias: float) -> None:
        self.weights = np.asarray(weights, dtype=np.float64)
        self.bias = float(bias)

    @classmethod
    def from_package(cls, name: str):
        """The model in ``unspun/<name>`` (``weights`` and ``bias`` arrays)."""
        with resources.files("unspun").joinpath(name).open("rb") as fh:
            data = np.load(fh)
            return cls(data["weights"], float(data["bias"]))

    def probabilities(self, row: np.ndarray, col: np.ndarray, n: int) -> np.ndarray:
        """For items ``0..n-1`` with the distinct (item, bucket) pairs ``row``, ``col``: the
        probability of the positive class."""
        total = np.bincount(row, weights=self.weights[col], minlength=n)
        size = np.bincount(row, minlength=n)
        z = self.bias + total / np.sqrt(np.maximum(size, 1))
        return 1.0 / (1.0 + np.exp(-z))
