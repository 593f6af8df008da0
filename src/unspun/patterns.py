"""Regular-expression helpers shared by the steps."""

from __future__ import annotations

import re
from collections.abc import Iterable


def word_trie(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` grouped by shared prefixes.

    Python's engine tries a flat alternation word by word at every position; a prefix tree
    rejects a position on its first character (about twice as fast on news text).
    """
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(tree)
