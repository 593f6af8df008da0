"""The spinner: rewrites one sentence the way article spinners do, and records every change.

Each change is a :class:`Sub` with its offsets in the source sentence (``src_start``,
``src_end``, which hold ``frm``) and in the spun sentence (``start``, ``end``, which hold
``to``). Applying the subs to the source sentence gives the spun sentence exactly; the
generator's tests check that.

Kinds of change: ``synonym`` (thesaurus swap, some absurd), ``spell_out`` (U.S. -> USA,
Russia -> Russian Federation), ``unit`` ($30 million -> 30 million dollars), ``drop`` (a word
left out), ``punct`` (quote-comma order, dashes, curly quotes), ``number`` (a figure changed)
and ``quote_cut`` (a quote cut off from its speaker).
"""

from __future__ import annotations

import random
import re
from dataclasses import asdict, dataclass

from bench.farm.table import DROPPABLE, PUNCTUATION, SPELL_OUT, SYNONYMS, SYNONYMS_EXACT

WORD = re.compile(r"\w+(?:['’.]\w+)*")
_B = r"(?<![\w'’.-])"  # no word character (or joined punctuation) right before
_E = r"(?![\w'’-])"  # no word character right after


@dataclass(slots=True)
class Sub:
    kind: str
    src_start: int
    src_end: int
    frm: str
    to: str
    start: int = -1  # offsets of ``to`` in the spun sentence (then in the article)
    end: int = -1

    def to_dict(self) -> dict:
        d = asdict(self)
        d["from"] = d.pop("frm")
        return d


@dataclass(slots=True)
class Settings:
    """How hard to spin: ``rate`` is the share of words to touch (0.1 light .. 0.4 heavy)."""

    rate: float = 0.2
    spell_out_p: float = 0.8
    punct_p: float = 0.35
    number_p: float = 0.06
    quote_cut_p: float = 0.0


def _alternation(keys) -> str:
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


def _clean_table(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    return {k: tuple(o for o in opts if o != k) for k, opts in table.items() if any(o != k for o in opts)}


_SYN = _clean_table(SYNONYMS)
_SYN_EXACT = _clean_table(SYNONYMS_EXACT)
_SPELL = _clean_table(SPELL_OUT)
_SYN_RE = re.compile(_B + "(?:" + _alternation(_SYN) + ")" + _E, re.I)
_SYN_EXACT_RE = re.compile(_B + "(?:" + _alternation(_SYN_EXACT) + ")" + _E)
# Abbreviations ending in a dot may end the sentence too: then the dot stays.
_SPELL_RE = re.compile(r"(?<![\w.'’-])(?:" + _alternation(_SPELL) + r")(?![\w'’-])(?!\.\w)")
_DROP_RE = re.compile(r" (?:" + _alternation(DROPPABLE) + r")" + _E)
_PUNCT_RE = re.compile(_alternation(PUNCTUATION))
_UNIT_RE = re.compile(
    r"(?P<cur>[$£€])(?P<num>\d[\d,]*(?:\.\d+)?)(?:\s?(?P<mult>million|billion|trillion|bn|m)\b)?"
    r"|(?P<pnum>\d+(?:\.\d+)?)(?P<pct>%| percent\b| per cent\b)"
)
_CURRENCY = {"$": "dollars", "£": "pounds", "€": "euros"}
_MULT = {"m": "million", "bn": "billion"}
_NUMBER_RE = re.compile(r"(?<![\w.,$£€])\d{1,3}(?:,\d{3})+(?![\w,]|\.\d)|(?<![\w.,])\d+(?:\.\d+)?(?![\w]|[.,]\d)")
# "Quote," he said.  ->  "Quote".   (the speaker cut off)
_QUOTE_TAIL = re.compile(r'(?P<cut>,(?P<q>[”"]))\s+[^“”"]{2,80}?\b(?:said|says|told|added|according)\b[^“”"]{0,80}\.$')


def _at_start(sentence: str, pos: int) -> bool:
    return not sentence[:pos].strip(" \"'“‘(")


def _case_like(src: str, to: str) -> str:
    if src[:1].isupper() and to[:1].islower():
        return to[:1].upper() + to[1:]
    return to


def _words(s: str) -> int:
    return len(WORD.findall(s))


def _synonym_candidates(sentence: str) -> list[Sub]:
    out = []
    for m in _SYN_RE.finditer(sentence):
        src = m.group()
        key = src.lower()
        if key not in _SYN:
            continue
        # Lower-case text, or a capitalised first word; a capital elsewhere is a name.
        if src != key and not (src == key[:1].upper() + key[1:] and _at_start(sentence, m.start())):
            continue
        out.append(Sub("synonym", m.start(), m.end(), src, ""))
    for m in _SYN_EXACT_RE.finditer(sentence):
        out.append(Sub("synonym", m.start(), m.end(), m.group(), ""))
    return out


def _unit_candidates(sentence: str, rng: random.Random) -> list[Sub]:
    out = []
    for m in _UNIT_RE.finditer(sentence):
        if m.group("cur"):
            mult = m.group("mult")
            words = [m.group("num")]
            if mult:
                words.append(_MULT.get(mult, mult))
            words.append(_CURRENCY[m.group("cur")])
            to = " ".join(words)
        else:
            pct = m.group("pct")
            to = m.group("pnum") + (rng.choice((" percent", " per cent")) if pct == "%" else "%")
        out.append(Sub("unit", m.start(), m.end(), m.group(), to))
    return out


def _changed_number(src: str, rng: random.Random) -> str | None:
    digits = src.replace(",", "")
    if "." in digits:
        whole, frac = digits.split(".")
        last = int(frac[-1])
        new_last = rng.choice([d for d in range(10) if d != last])
        return whole + "." + frac[:-1] + str(new_last)
    n = int(digits)
    if 1900 <= n <= 2099 and "," not in src:
        return None  # a year: farms change amounts, not dates
    if n < 10:
        choices = [m for m in (n - 2, n - 1, n + 1, n + 2) if m > 0 and m != n]
        m = rng.choice(choices)
    else:
        factor = rng.choice((0.5, 0.8, 0.9, 1.1, 1.2, 1.5, 2.0))
        magnitude = 10 ** max(0, len(str(n)) - 2)
        m = max(1, round(n * factor / magnitude) * magnitude)
        if m == n:
            m = n + magnitude
    return f"{m:,}" if "," in src else str(m)


def spin(sentence: str, rng: random.Random, settings: Settings) -> tuple[str, list[Sub]]:
    """The spun sentence and its subs (offsets relative to the sentence). No subs: unchanged."""
    if sentence.isupper():
        return sentence, []
    chosen: list[Sub] = []
    taken: list[tuple[int, int]] = []

    def free(s: Sub) -> bool:
        return all(s.src_end <= a or s.src_start >= b for a, b in taken)

    def take(s: Sub) -> None:
        chosen.append(s)
        taken.append((s.src_start, s.src_end))

    # A quote cut off from its speaker: the tail goes, whatever the rate.
    if settings.quote_cut_p and rng.random() < settings.quote_cut_p:
        m = _QUOTE_TAIL.search(sentence)
        if m and m.start() > 20:
            take(Sub("quote_cut", m.start(), len(sentence), sentence[m.start() :], m.group("q") + "."))

    # Spelled-out names: farms apply them almost everywhere, whatever the rate.
    for m in _SPELL_RE.finditer(sentence):
        src = m.group()
        s = Sub("spell_out", m.start(), m.end(), src, rng.choice(_SPELL[src]))
        # "in the U.S." ends the sentence with the abbreviation's dot: keep a full stop.
        if src.endswith(".") and not sentence[m.end() :].strip(" \"”’')"):
            s.to += "."
        if s.to != src and free(s) and rng.random() < settings.spell_out_p:
            take(s)

    # Thesaurus swaps, unit rewrites and dropped words, until the rate is reached.
    n_words = max(1, _words(sentence))
    target = max(1, round(settings.rate * n_words))
    touched = sum(_words(s.frm) for s in chosen)
    pool = _synonym_candidates(sentence) + _unit_candidates(sentence, rng)
    pool += [Sub("drop", m.start(), m.end(), m.group(), "") for m in _DROP_RE.finditer(sentence)]
    # Dropped words are rarer than swaps: they sort later.
    keyed = sorted(((rng.random() * (4.0 if s.kind == "drop" else 1.0), i) for i, s in enumerate(pool)))
    for _, i in keyed:
        if touched >= target:
            break
        s = pool[i]
        if not free(s):
            continue
        if s.kind == "synonym":
            options = _SYN.get(s.frm.lower()) or _SYN_EXACT.get(s.frm)
            s.to = _case_like(s.frm, rng.choice(options))
        if s.to == s.frm:
            continue
        take(s)
        touched += max(1, _words(s.frm))

    # Punctuation: a few changes per sentence, not counted in the rate.
    for m in _PUNCT_RE.finditer(sentence):
        s = Sub("punct", m.start(), m.end(), m.group(), rng.choice(PUNCTUATION[m.group()]))
        if free(s) and rng.random() < settings.punct_p:
            take(s)

    # Now and then a figure changed.
    if settings.number_p and rng.random() < settings.number_p:
        nums = [m for m in _NUMBER_RE.finditer(sentence)]
        rng.shuffle(nums)
        for m in nums:
            new = _changed_number(m.group(), rng)
            s = Sub("number", m.start(), m.end(), m.group(), new or "")
            if new and new != m.group() and free(s):
                take(s)
                break

    return apply(sentence, chosen)


def apply(sentence: str, subs: list[Sub]) -> tuple[str, list[Sub]]:
    """Apply non-overlapping subs (source offsets) and fill in their offsets in the result."""
    subs = sorted(subs, key=lambda s: s.src_start)
    out: list[str] = []
    pos = 0
    length = 0
    for s in subs:
        if s.src_start < pos or sentence[s.src_start : s.src_end] != s.frm:
            raise ValueError(f"sub {s} does not fit the sentence {sentence!r}")
        out.append(sentence[pos : s.src_start])
        length += s.src_start - pos
        s.start = length
        out.append(s.to)
        length += len(s.to)
        s.end = length
        pos = s.src_end
    out.append(sentence[pos:])
    return "".join(out), subs
