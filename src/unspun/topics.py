"""Topic vectors for words: a small latent semantic space learned from real news.

Built by scripts/build_topic_vectors.py and shipped as data. A passage's topic vector is the
sum of its words' vectors (the injected step sums them in bulk); the cosine between two
passages says whether they are on one story even when they share no word.
"""

from __future__ import annotations

import math
from importlib import resources

import numpy as np


class TopicSpace:
    name = "unspun.topics.v1"

    def __init__(self) -> None:
        with resources.files("unspun").joinpath("data/topics-v1.npz").open("rb") as f:
            data = np.load(f, allow_pickle=False)
            words = data["words"]
            # The first SVD component is the direction all news shares; without it the cosine
            # says "same story" rather than "also news".
            self.vectors = data["vectors"].astype(np.float32)[:, 1:] * float(data["scale"])
        self.index = {w: i for i, w in enumerate(words.tolist())}
        self.dims = self.vectors.shape[1]

    @staticmethod
    def cosine(a: np.ndarray, b: np.ndarray) -> float:
        na = float(np.dot(a, a))
        nb = float(np.dot(b, b))
        if na == 0.0 or nb == 0.0:
            return 0.0
        return float(np.dot(a, b)) / math.sqrt(na * nb)
