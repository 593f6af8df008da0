"""Word-level alignment of an article's sentence against a reference sentence: what was kept,
substituted, inserted and deleted, which figures changed, and whether it is a copy or a spin."""

from __future__ import annotations

import re
from dataclasses import dataclass
from rapidfuzz.distance import Indel

from unspun.provenance.tokens import count_anchors, tokens


_DIGIT = re.compile(r"\d")


def has_digit(s: str) -> bool:
    return _DIGIT.search(s) is not None


@dataclass(slots=True)
class Alignment:
    status: str  # "copied" or "spun"
    similarity: float
    edits: list[dict]
    numbers: list[dict]
    kept: int  # words kept
    kept_anchors: int  # rare words and figures kept: what a chance resemblance lacks
    ref_words: int  # words of the reference sentence


def align(ref: str, text: str) -> Alignment:
    """Align ``text`` (the article's sentence) against ``ref`` (the reference sentence).

    ``from`` is the reference's wording and ``to`` the article's, each as it stands in its
    text (case and inner punctuation kept). A copy is the same words in the same order,
    whatever the case and punctuation."""
    return align_tokens(ref, tokens(ref), text, tokens(text))


def opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib-style opcodes (equal, replace, delete, insert) turning ``a`` into ``b``, built
    on a longest common subsequence of the two (rapidfuzz's Indel, in C++): between two
    runs of kept words, what was taken out and put in is one replace."""
    ops: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for block in Indel.opcodes(a, b).as_matching_blocks():
        ai, bj, size = block.a, block.b, block.size
        if i < ai or j < bj:
            tag = "replace" if i < ai and j < bj else "delete" if i < ai else "insert"
            ops.append((tag, i, ai, j, bj))
        if size:
            if ops and ops[-1][0] == "equal" and ops[-1][2] == ai and ops[-1][4] == bj:
                last = ops.pop()
                ops.append(("equal", last[1], ai + size, last[3], bj + size))
            else:
                ops.append(("equal", ai, ai + size, bj, bj + size))
        i, j = ai + size, bj + size
    return ops


def kept_words(a: list[str], b: list[str]) -> int:
    """How many words of ``a`` ``b`` keeps in order (their longest common subsequence): the
    ``kept`` of their alignment, for a microsecond, without the alignment."""
    return (len(a) + len(b) - Indel.distance(a, b)) // 2


def similarity_of(kept: int, a_words: int, b_words: int) -> float:
    """An alignment's similarity: the share of the two sentences' words kept."""
    total = a_words + b_words
    return round(2.0 * kept / total, 4) if total else 0.0


def align_tokens(ref: str, ref_tokens: tuple, text: str, text_tokens: tuple) -> Alignment:
    """:func:`align` with both sentences' :func:`~unspun.provenance.tokens.tokens` already
    computed (a trace aligns one sentence against several references)."""
    a_keys, a_spans = ref_tokens
    b_keys, b_spans = text_tokens
    ops = _pair_figures(opcodes(a_keys, b_keys), a_keys, b_keys)
    kept = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal")
    kept_anchors = count_anchors([k for tag, i1, i2, _, _ in ops if tag == "equal" for k in a_keys[i1:i2]])
    similarity = similarity_of(kept, len(a_keys), len(b_keys))
    groups = _merge_figures(ops, a_keys, b_keys)
    edits: list[dict] = []
    numbers: list[dict] = []

    def piece(src: str, spans, i1: int, i2: int) -> str | None:
        return src[spans[i1][0] : spans[i2 - 1][1]] if i2 > i1 else None

    for tag, i1, i2, j1, j2 in groups:
        frm = piece(ref, a_spans, i1, i2)
        to = piece(text, b_spans, j1, j2)
        if tag == "equal":
            edits.append({"op": "keep", "from": frm, "to": to})
        elif tag == "replace":
            edits.append({"op": "sub", "from": frm, "to": to})
            a_nums = [k for k in a_keys[i1:i2] if has_digit(k)]
            b_nums = [k for k in b_keys[j1:j2] if has_digit(k)]
            if a_nums and b_nums and a_nums != b_nums:
                numbers.append({"from": frm, "to": to})
        elif tag == "delete":
            edits.append({"op": "del", "from": frm, "to": None})
        else:
            edits.append({"op": "ins", "from": None, "to": to})
    status = "copied" if a_keys == b_keys else "spun"
    return Alignment(status, similarity, edits, numbers, kept, kept_anchors, len(a_keys))


def _pair_figures(ops: list[tuple], a: list[str], b: list[str]) -> list[tuple]:
    """Where a longest common subsequence can be had two ways, take the one that puts a
    changed figure's two sides in one change. "within 24 hours of his" -> "inside of 12 hrs
    of his" keeps one "of" either way; matched to the first, the figure's old value is in one
    change and its new value in the next ("within 24 hours" -> "inside", then "12 hrs of"
    inserted), and the changed figure is missed. So a short kept run between a change with
    a figure on one side only and an insertion (or deletion) with a figure on the other side
    that ends with the same words is matched to those words instead."""
    ops = list(ops)
    n = 0
    while n + 2 < len(ops):
        x, e, y = ops[n], ops[n + 1], ops[n + 2]
        k = e[2] - e[1]
        if x[0] != "equal" and e[0] == "equal" and k <= 2:
            x_a, x_b = _has_figure(a[x[1] : x[2]]), _has_figure(b[x[3] : x[4]])
            if y[0] == "insert" and x_a and not x_b and _has_figure(b[y[3] : y[4] - k]) \
                    and y[4] - y[3] > k and b[y[4] - k : y[4]] == a[e[1] : e[2]]:
                ops[n : n + 3] = [("replace", x[1], x[2], x[3], y[4] - k), ("equal", e[1], e[2], y[4] - k, y[4])]
                continue
            if y[0] == "delete" and x_b and not x_a and _has_figure(a[y[1] : y[2] - k]) \
                    and y[2] - y[1] > k and a[y[2] - k : y[2]] == b[e[3] : e[4]]:
                ops[n : n + 3] = [("replace", x[1], y[2] - k, x[3], x[4]), ("equal", y[2] - k, y[2], e[3], e[4])]
                continue
        n += 1
    return ops


def _has_figure(keys: list[str]) -> bool:
    return any(has_digit(k) for k in keys)


_UNIT_WORDS = frozenset(
    "$ £ € % percent per cent dollars dollar pounds pound euros euro million billion trillion bn m".split()
)
_MULTIPLIERS = frozenset("million billion trillion bn m".split())


def _figure_part(k: str) -> bool:
    return has_digit(k) or k in _MULTIPLIERS


def _merge_figures(ops, a_keys: list[str], b_keys: list[str]) -> list[tuple]:
    """Opcodes with the rewrites of one figure made one substitution: "$30 million" ->
    "30 million dollars" aligns as a deleted "$", a kept "30 million" and an inserted
    "dollars"; "5%" -> "5 percent" as a kept "5" and "%" -> "percent". A change made only of
    unit and currency words takes in the figure kept beside it, and changes that then touch
    are joined. Equal-length substitutions of several words are split word by word, since
    spinners swap words one at a time."""
    ops = [list(o) + [False] for o in ops]  # the last field: a figure's rewrite
    for n, op in enumerate(ops):
        if op[0] == "equal":
            continue
        words = a_keys[op[1] : op[2]] + b_keys[op[3] : op[4]]
        if not words or not all(w in _UNIT_WORDS for w in words):
            continue
        left = ops[n - 1] if n else None
        if left is not None and left[0] == "equal":
            take = 0
            while take < 2 and left[2] - take > left[1] and _figure_part(a_keys[left[2] - take - 1]):
                take += 1
            if take:
                left[2] -= take
                left[4] -= take
                op[1] -= take
                op[3] -= take
                op[5] = True
        right = ops[n + 1] if n + 1 < len(ops) else None
        if right is not None and right[0] == "equal":
            take = 0
            while take < 2 and right[1] + take < right[2] and _figure_part(a_keys[right[1] + take]):
                take += 1
            if take:
                right[1] += take
                right[3] += take
                op[2] += take
                op[4] += take
                op[5] = True
        if op[5]:
            op[0] = "replace"
    merged: list[list] = []
    for op in ops:
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if merged and op[0] != "equal" and merged[-1][0] != "equal" and (op[5] or merged[-1][5]):
            last = merged[-1]
            merged[-1] = ["replace", last[1], op[2], last[3], op[4], True]
        else:
            merged.append(op)
    out: list[tuple] = []
    for op in merged:
        if op[0] == "replace" and not op[5] and op[2] - op[1] == op[4] - op[3] > 1:
            for k in range(op[2] - op[1]):
                out.append(("replace", op[1] + k, op[1] + k + 1, op[3] + k, op[3] + k + 1))
        elif op[0] == "replace" and not op[5] and op[2] - op[1] + op[4] - op[3] > 2:
            out.extend(_split_swaps(op[1], op[2], op[3], op[4], a_keys, b_keys))
        else:
            out.append(tuple(op[:5]))
    return out


#: Longest changed stretch, in words a side, that is split into single swaps.
_SPLIT_MAX = 12
_UNPAIRED = 0.8  # the cost of a word inserted or deleted, against a word swapped for another


def _likeness(x: str, y: str) -> float:
    """How plausibly ``y`` replaced ``x``: a figure for a figure, words of one stem
    ("official", "officer") or one inflection ("asked", "requested") are likelier swaps
    than any two words; a figure for a word is the unlikeliest."""
    x_digit, y_digit = has_digit(x), has_digit(y)
    if x_digit or y_digit:
        return 0.6 if x_digit and y_digit else -1.0
    if x[:4] == y[:4] and min(len(x), len(y)) >= 4:
        return 0.5
    if len(x) > 3 and len(y) > 3 and x[-2:] == y[-2:]:
        return 0.3
    return 0.0


def _split_swaps(i1: int, i2: int, j1: int, j2: int, a_keys: list[str], b_keys: list[str]) -> list[tuple]:
    """A stretch of changed words, of unequal lengths on the two sides, as single-word swaps
    with the words left over inserted or deleted: spinners change one word or phrase at a
    time, so "official, who also asked" -> "officer, that as well requested certainly" is
    official -> officer, who -> that, also -> as (+ well), asked -> requested (+ certainly).
    The pairing is the cheapest in order (a dynamic programme over the two sides), where a
    word left unpaired costs more than a swap, and words of one stem or ending pair first."""
    n, m = i2 - i1, j2 - j1
    if n == 0 or m == 0 or n > _SPLIT_MAX or m > _SPLIT_MAX:
        return [("replace" if n and m else ("delete" if n else "insert"), i1, i2, j1, j2)]
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = cost[i][j]
            if here == inf:
                continue
            if i < n and j < m:
                c = here + 1.0 - _likeness(a_keys[i1 + i], b_keys[j1 + j])
                if c < cost[i + 1][j + 1]:
                    cost[i + 1][j + 1], move[i + 1][j + 1] = c, 1
            if i < n and here + _UNPAIRED + 1.0 < cost[i + 1][j]:
                cost[i + 1][j], move[i + 1][j] = here + _UNPAIRED + 1.0, 2
            if j < m and here + _UNPAIRED < cost[i][j + 1]:
                cost[i][j + 1], move[i][j + 1] = here + _UNPAIRED, 3
    pieces: list[tuple] = []
    i, j = n, m
    while i or j:
        step = move[i][j]
        if step == 1:
            i, j = i - 1, j - 1
            pieces.append(("replace", i1 + i, i1 + i + 1, j1 + j, j1 + j + 1))
        elif step == 2:
            i -= 1
            pieces.append(("delete", i1 + i, i1 + i + 1, j1 + j, j1 + j))
        else:
            j -= 1
            pieces.append(("insert", i1 + i, i1 + i, j1 + j, j1 + j + 1))
    pieces.reverse()
    return pieces
