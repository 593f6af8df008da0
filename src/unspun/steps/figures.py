"""Figures: money, counts, percentages, durations and years, and figures that disagree.

Each sentence of the body that holds a digit or a number word is read by one compiled
regular expression, which finds the number with what is glued to it (a currency sign, a
range, a multiplier such as "billion" or "m", a percent sign). The words around the match
then say what the number is: a currency word ("dollars") makes money, a time unit a
duration, a plural noun a count, and a bare four-digit number from 1700 to 2100 a year.

Two figures of the same type and unit in one article are then compared. Equal values for
the same thing are a ``repeat``; values that differ by more than rounding, in sentences that
share their rare words, are a ``conflict``. Numbers that differ are mostly different things
(last year's and this year's, the police's and the organisers'), so a conflict needs close
values, no sign of change over time in either sentence, and strong shared context; the
limits were set on real articles (see docs/figures.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from unspun.doc import WORD, Document
from unspun.lexicon import Lexicon
from unspun.patterns import word_trie
from unspun.spans import REMOVED_KINDS, Finding, Findings
from unspun.steps.base import Step

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000}
_MULTIPLIERS = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9,
    "trillion": 1e12, "tn": 1e12,
}  # fmt: skip


_NUMBER_WORDS = word_trie(list(_UNITS) + list(_SCALES))

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# "One" alone is a pronoun more often than a count ("one of the"); it counts only in a
# compound ("twenty-one") or before a multiplier ("one million").
_WORDNUM = (
    rf"(?:a\s+dozen|(?:{_NUMBER_WORDS})(?:(?:\s+and\s+|[\s-]+)(?:{_NUMBER_WORDS}))*)"
)
_CURRENCY_SIGNS = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR", "usd": "USD", "gbp": "GBP", "eur": "EUR", "¥": "JPY"}
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "pound": "GBP", "pounds": "GBP", "sterling": "GBP",
    "euro": "EUR", "euros": "EUR", "yen": "JPY", "yuan": "CNY", "rupees": "INR", "rupee": "INR",
}  # fmt: skip

# One pass per sentence: the number with its currency sign, range, multiplier and percent.
# The leading lookahead lets the engine skip most positions at once (3x faster).
_MULT = r"(?:\s?(?P<mult>(?i:trillion|billion|million|thousand|bn|tn|mn|m|k|b))(?!\w))?"
_PCT = r"(?:\s?(?P<pct>%|(?i:per\s?cent|percent|percentage\s+points?)\b))?"
_FIGURE = re.compile(
    rf"""
    (?=[\d$£€¥UGE])(?<![\w.,/:\-–$£€])
    (?:(?P<cur>US\$|\$|£|€|¥|(?:USD|GBP|EUR)\s?)\s?)?
    (?P<num>{_DIGITS})
    (?:(?P<rng>\s?[-–—]\s?|\s+to\s+|\s+and\s+)(?:US\$|\$|£|€)?(?P<num2>{_DIGITS}))?
    {_MULT}{_PCT}
    """,
    re.VERBOSE,
)
# Spelled-out numbers, read only in lines that hold a number word.
_FIGURE_WORDS = re.compile(rf"(?=[aAzZoOtTfFsSeEnNhH])(?<![\w-])(?P<num>(?i:{_WORDNUM}))(?!\w){_MULT}{_PCT}")
# Cheap tests for a line worth reading: a digit, or a number word among its words.
_DIGIT = re.compile(r"\d")
_NUMBER_WORD_SET = frozenset(_UNITS) | frozenset(_SCALES) | {"dozen"}

_WORDS_AFTER = re.compile(r"[ \t]*(?:-[ \t]*)?([A-Za-z][\w'’]*(?:-[A-Za-z]+)*)")
_APPROX = re.compile(
    r"(?:\b(around|about|approximately|roughly|nearly|almost|some|over|under|more\s+than|less\s+than|"
    r"fewer\s+than|at\s+least|up\s+to|at\s+most|close\s+to|an\s+estimated|estimated|upwards\s+of|"
    r"as\s+many\s+as|as\s+much\s+as|just\s+over|just\s+under|below|above|almost)\s+)$",
    re.IGNORECASE,
)
_PER = re.compile(
    r"[ \t]*,?[ \t]*(?:(?:a|an|per|each|every)\s+(year|month|week|day|hour|annum)\b|(annually|yearly|monthly|weekly|daily)\b)",
    re.IGNORECASE,
)
_PER_WORDS = {"annum": "year", "annually": "year", "yearly": "year", "monthly": "month", "weekly": "week", "daily": "day"}
_DURATION = {
    "second": "second", "seconds": "second", "minute": "minute", "minutes": "minute", "hour": "hour",
    "hours": "hour", "day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
    "months": "month", "year": "year", "years": "year", "decade": "decade", "decades": "decade",
    "century": "century", "centuries": "century",
}  # fmt: skip
_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# Words that end a noun phrase: function words, common verbs and adverbs.
_STOP = frozenset(
    """a an the of in on at to for from by with as and or but nor so yet that which who whom whose
    this these those it its their his her our your my is are was were be been being has have had
    do does did will would shall should can could may might must not no than then there here
    also only just still even more most less least very too about around over under after before
    since until while when where why how if into onto upon out up down off per each every all
    some any many much few several other another such said says say told according including
    against between during across through toward towards within without along among
    last next first second third new old same own year years ago earlier later now
    i we you he she they them him us me
    were’s who’s it’s""".split()
)
_IRREGULAR_PLURALS = frozenset(
    "people personnel children men women police staff cattle sheep fish deer crew mice geese "
    "feet teeth data media aircraft offspring militia infantry livestock clergy faculty youth "
    "folk poultry".split()
)
# Signs that two figures belong to different times or states: a change, a comparison, a plan.
_CHANGE = re.compile(
    r"\b(?:ris(?:e|es|ing)|rose|fell|fall(?:s|ing)?|increas\w*|decreas\w*|grew|grow\w*|drop\w*|jump\w*|"
    r"doubl\w*|tripl\w*|halv\w*|cut|cuts|up\s+from|down\s+from|compared|previous\w*|earlier|initial\w*|"
    r"original\w*|revis\w*|last\s+year|this\s+year|next\s+year|a\s+year\s+ago|from\s+\S+\s+to|"
    r"estimat\w*|forecast\w*|expect\w*|project\w*|target\w*|plan\w*|budget\w*|so\s+far|total\w*|"
    r"alone|including|average\w*|median|record|brings?|bringing|another|additional|extra|further|"
    r"than|between|rang\w*|respectively|share|combined|overall|whole|now|then|since|until|"
    r"bids?|offer\w*|latest|improved|sweeten\w*|valu\w*|worth|"
    r"would|could|might|if|lower|higher|more|less|fewer|quarter|half)\b",
    re.IGNORECASE,
)
_MIN_CONTEXT_WEIGHT = 1.5
_PREFIX = 5
_FIGURE_SCORE = {"money": 0.95, "percent": 0.95, "year": 0.9, "duration": 0.85, "count": 0.8}


@dataclass(slots=True)
class Figure:
    """One figure: where its number words are, what it is, and the sentence it is in."""

    start: int
    end: int
    type: str
    value: float
    unit: str | None
    measures: str | None
    approx: str | None
    per: str | None
    range: tuple[float, float] | None
    precision: float  # the place of the last significant digit as written (1000 for "41,000")
    rounded: bool  # plain digits ending in zeros, which may be a rounding ("41,000", "300")
    thing: str | None  # the noun phrase right after it, lower-cased ("price tag", "american personnel")
    sentence: int

    def details(self) -> dict:
        return {
            "type": self.type,
            "value": self.value,
            "unit": self.unit,
            "measures": self.measures,
            "approx": self.approx,
            "per": self.per,
            "range": list(self.range) if self.range else None,
        }


def _words_value(text: str) -> float | None:
    """The value of spelled-out numbers up to the thousands ("twenty-five", "two hundred")."""
    words = re.split(r"[\s-]+", text.lower())
    if words[:2] == ["a", "dozen"]:
        return 12.0
    total = current = 0
    seen = False
    for w in words:
        if w == "and":
            continue
        if w in _UNITS:
            current += _UNITS[w]
            seen = True
        elif w in _SCALES:
            current = max(current, 1) * _SCALES[w]
            if w == "thousand":
                total += current
                current = 0
            seen = True
        else:
            return None
    return float(total + current) if seen else None


def _digits_value(text: str) -> tuple[float, float]:
    """The value and the place of its last significant digit ("41,200" -> 41200, 100)."""
    plain = text.replace(",", "")
    value = float(plain)
    if "." in plain:
        return value, 10.0 ** -len(plain.split(".")[1])
    stripped = plain.rstrip("0")
    return value, 10.0 ** (len(plain) - len(stripped)) if stripped else 1.0


def _is_plural(word: str) -> bool:
    lower = word.lower()
    if lower in _IRREGULAR_PLURALS:
        return True
    if word.isupper() or lower in _STOP or lower in _DURATION or lower in _MONTHS:
        return False
    if len(word) >= 3 and word.endswith("s") and word[:-1].isupper():
        return True  # "MPs", "NGOs"
    return len(lower) > 3 and lower.endswith("s") and not lower.endswith(("ss", "us", "is", "'s", "’s"))


class FigureStep(Step):
    """Finds the figures of the body and the pairs that repeat or contradict each other.

    Two figures are compared when they have the same type and unit (currency, or the counted
    noun) and compatible rates. They are a ``repeat`` when equal and their sentences share at
    least ``min_repeat_context`` of their rare-word weight (counts with a value below
    ``min_repeat_value`` are too common to say anything). They are a ``conflict`` when
    their values differ by more than rounding and by a ratio of at least ``min_ratio`` (values
    far apart are nearly always different things), neither sentence speaks of a change, a
    comparison or a total, and the sentences share at least ``min_conflict_context`` of the
    rarer sentence's rare-word weight. Articles with more than ``max_same_unit`` figures of the
    same type and unit are not checked for conflicts: a table of numbers in prose.
    """

    name = "unspun.figures.v1"
    produces = "figure"
    also_produces = ("repeat", "conflict")
    requires = REMOVED_KINDS

    def __init__(
        self,
        lexicon: Lexicon,
        *,
        min_ratio: float = 0.85,
        rounding: float = 0.02,
        min_conflict_context: float = 0.15,
        min_repeat_context: float = 0.1,
        min_repeat_value: float = 10.0,
        min_conflict_count: float = 10.0,
        max_same_unit: int = 4,
        conflict_types: tuple[str, ...] = ("money", "count"),
    ) -> None:
        super().__init__(
            min_ratio=min_ratio,
            rounding=rounding,
            min_conflict_context=min_conflict_context,
            min_repeat_context=min_repeat_context,
            min_repeat_value=min_repeat_value,
            min_conflict_count=min_conflict_count,
            max_same_unit=max_same_unit,
            conflict_types=conflict_types,
        )
        self.lexicon = lexicon
        self.min_ratio = min_ratio
        self.rounding = rounding
        self.min_conflict_context = min_conflict_context
        self.min_repeat_context = min_repeat_context
        self.min_repeat_value = min_repeat_value
        self.min_conflict_count = min_conflict_count
        self.max_same_unit = max_same_unit
        self.conflict_types = tuple(conflict_types)

    # ---- reading figures -------------------------------------------------------------

    def body_sentences(self, doc: Document, found: Findings) -> list[int]:
        """Sentences outside metadata, boilerplate and injected spans."""
        excluded = sorted((f.start, f.end) for f in found.of(*REMOVED_KINDS))
        out = []
        j = 0
        for s in doc.sentences:
            while j < len(excluded) and excluded[j][1] <= s.start:
                j += 1
            if j < len(excluded) and excluded[j][0] <= s.start and s.end <= excluded[j][1]:
                continue
            out.append(s.index)
        return out

    def figures(self, doc: Document, found: Findings) -> list[Figure]:
        text = doc.text
        out: list[Figure] = []
        body = set(self.body_sentences(doc, found))
        line_words = doc.line_words
        has_digit = _DIGIT.search
        no_number_word = _NUMBER_WORD_SET.isdisjoint
        for line in doc.lines:
            # Lines without a digit or a number word are passed over; most are.
            digits = has_digit(text, line.start, line.end) is not None
            words = not no_number_word(line_words[line.index])
            if not digits and not words:
                continue
            for s in doc.sentences_of_line(line.index):
                if s.index not in body:
                    continue
                sentence = text[s.start : s.end]
                matches = list(_FIGURE.finditer(sentence)) if digits else []
                if words:
                    matches.extend(_FIGURE_WORDS.finditer(sentence))
                    matches.sort(key=lambda m: m.start())
                for m in matches:
                    fig = self._read(sentence, m, s.start, s.index)
                    if fig is not None:
                        out.append(fig)
        return out

    def _read(self, sentence: str, m: re.Match, offset: int, index: int) -> Figure | None:
        g = m.groupdict()
        num, num2, cur, mult, pct = g["num"], g.get("num2"), g.get("cur"), g["mult"], g["pct"]
        end = m.end()
        after = sentence[end : end + 3]
        # Glued to letters or to other figures: ordinals, times, codes, dates ("19th", "3pm",
        # "10:30", "12/05"), decades ("1990s").
        if after[:1].isalpha() or (after[:1] in ":/" and after[1:2].isdigit()):
            return None
        if after[:1] == "-" and not after[1:2].isalpha():
            return None
        digits = num[0].isdigit()
        if digits:
            value, precision = _digits_value(num)
        else:
            value = _words_value(num)
            precision = 1.0
            if value is None or (value == 1 and not mult):
                return None
        before = sentence[max(0, m.start() - 25) : m.start()]
        prev_word = before.rstrip().rsplit(None, 1)[-1].lower().strip(",") if before.strip() else ""
        if prev_word in _MONTHS and digits and value <= 31:
            return None
        following = self._next_words(sentence, end, 8)
        next_word = following[0][0].lower() if following else ""
        if next_word in _MONTHS or next_word in ("am", "pm", "a.m", "p.m", "gmt", "bst", "et"):
            return None

        scale = _MULTIPLIERS.get(mult.lower(), 1.0) if mult else 1.0
        if mult and mult.lower() in ("m", "b", "k", "mn") and not cur and next_word not in _CURRENCY_WORDS:
            # "5m" is metres and "5k" a race unless money or a count follows.
            if mult.lower() != "m" or not following or not _is_plural(following[0][0]):
                return None
        rng = None
        if num2 is not None:
            joiner = m["rng"].strip().lower()
            if joiner in ("and", "to") and not re.search(r"\b(?:between|from)\s+\S*$", before, re.IGNORECASE):
                return None  # "3 and 4" outside "between": two figures, not a range
            second, _ = _digits_value(num2)
            if digits and len(num2) < len(num.replace(",", "").split(".")[0]) and "." not in num:
                # "1950-53": the second year keeps the first's century.
                head = num.replace(",", "")
                second = float(head[: len(head) - len(num2)] + num2)
            rng = (value * scale, second * scale)

        approx_m = _APPROX.search(before)
        approx = re.sub(r"\s+", " ", approx_m.group(1).lower()) if approx_m else None
        value *= scale
        precision *= scale
        start, stop = offset + m.start(), offset + end
        unit = measures = per = thing = None

        if pct:
            kind = "percent"
            unit = "percentage point" if "point" in pct.lower() else "%"
            measures = self._of_phrase(following)
        elif cur or next_word in _CURRENCY_WORDS:
            kind = "money"
            if cur:
                unit = _CURRENCY_SIGNS.get(cur.strip().lower(), "USD")
            else:
                unit = _CURRENCY_WORDS[next_word]
                following = following[1:]
                stop = offset + self._word_end(sentence, end, 1)
            measures, per, thing = self._money_measures(sentence, stop - offset, before)
        elif next_word in _DURATION:
            if len(following) > 1 and following[1][0].lower() == "old" or "-old" in following[0][0].lower():
                return None  # an age, not a span of time
            kind, unit = "duration", _DURATION[next_word]
            if next_word.startswith("year") and len(following) > 1 and following[1][0].lower() == "ago":
                measures = "ago"
        elif (
            digits
            and not mult
            and "," not in num
            and "." not in num
            and len(num) == 4
            and 1700 <= value <= 2100
            and not (following and _is_plural(following[0][0]) and prev_word not in ("in", "since", "of", "by", "until", "from", "the"))
        ):
            kind, unit = "year", None
            if rng and not 0 < rng[1] - rng[0] < 100:
                rng = None
        else:
            head = self._count_noun(following)
            if head is None:
                return None
            kind = "count"
            unit, measures = head
            thing = measures.lower()
            if value < 2 and not mult:
                return None
        if kind != "year" and rng is not None and not digits:
            rng = None
        if kind == "count" or kind == "percent":
            pm = _PER.match(sentence, self._phrase_end(sentence, end, following, measures))
            if pm:
                per = _PER_WORDS.get((pm.group(1) or pm.group(2)).lower(), (pm.group(1) or "").lower() or None)
        rounded = digits and not mult and precision >= 10
        return Figure(start, stop, kind, value, unit, measures, approx, per, rng, precision, rounded, thing, index)

    @staticmethod
    def _next_words(sentence: str, pos: int, n: int) -> list[tuple[str, int]]:
        """Up to ``n`` words after ``pos`` with their end offsets, stopping at punctuation."""
        out = []
        while len(out) < n:
            wm = _WORDS_AFTER.match(sentence, pos)
            if not wm:
                break
            out.append((wm.group(1), wm.end()))
            pos = wm.end()
        return out

    @staticmethod
    def _word_end(sentence: str, pos: int, n: int) -> int:
        for _ in range(n):
            wm = _WORDS_AFTER.match(sentence, pos)
            if not wm:
                break
            pos = wm.end()
        return pos

    @staticmethod
    def _phrase_end(sentence: str, end: int, following, measures) -> int:
        if measures and following:
            n = len(measures.split())
            return following[min(n, len(following)) - 1][1]
        return end

    @staticmethod
    def _count_noun(following: list[tuple[str, int]]) -> tuple[str, str] | None:
        """(head noun, noun phrase) of the words after a count: modifiers up to the first
        plural noun within four words, with an "of" phrase ("members of parliament")."""
        for k, (word, _) in enumerate(following[:4]):
            lower = word.lower()
            if word.islower() and lower in _STOP and lower not in _IRREGULAR_PLURALS:
                return None
            if _is_plural(word):
                phrase = [w for w, _ in following[: k + 1]]
                rest = following[k + 1 :]
                if len(rest) >= 2 and rest[0][0].lower() == "of" and rest[1][0].lower() not in _STOP:
                    phrase += [rest[0][0], rest[1][0]]
                return lower, " ".join(phrase)
            if word.islower() and lower.endswith(("ed", "ing", "ly")) and k:
                return None  # a verb or adverb before any noun
        return None

    @staticmethod
    def _of_phrase(following: list[tuple[str, int]]) -> str | None:
        if len(following) >= 2 and following[0][0].lower() == "of":
            words = []
            for w, _ in following[1:5]:
                if words and (w.lower() in _STOP or (w.islower() and w.endswith(("ed", "ing")))):
                    break
                words.append(w)
            return " ".join(words) if words else None
        return None

    def _money_measures(self, sentence: str, pos: int, before: str) -> tuple[str | None, str | None, str | None]:
        """What a sum pays for: the noun after it ("price tag"), a rate, and a "for" phrase;
        and that noun alone."""
        parts = []
        noun = []
        following = self._next_words(sentence, pos, 4)
        if len(following) >= 2 and following[0][0] == "in" and following[1][0].islower() and following[1][0] not in _STOP:
            following = following[1:]  # "$45 million in settlements"
        for word, wend in following[:3]:
            lower = word.lower()
            if lower in _STOP or lower.endswith(("ed", "ly")) or not word.islower():
                break
            noun.append(word)
            pos = wend
        if noun:
            parts.append(" ".join(noun))
        per = None
        pm = _PER.match(sentence, pos)
        if pm:
            per = _PER_WORDS.get((pm.group(1) or pm.group(2)).lower(), (pm.group(1) or "").lower())
            parts.append(pm.group(0).strip(" ,"))
            pos = pm.end()
        fm = re.compile(r"\s+(?:for|on|to\s+pay\s+for|to\s+cover)\s+(?:[^,;:.()\"“”]|(?<=\d)[,.](?=\d)){3,80}").match(sentence, pos)
        if fm:
            clause = re.split(r"\s+(?:and|but|which|that|who|while|because|after|before|when)\s+", fm.group(0).strip())[0]
            parts.append(" ".join(clause.split()[:9]))
        if not noun:
            bm = re.search(r"\b([a-z]+)\s+(?:of|worth|at|totalling|totaling)\s+(?:\w+\s+){0,2}$", before)
            if bm and bm.group(1) not in _STOP:
                parts.insert(0, bm.group(1))
        return (" ".join(parts) or None), per, (" ".join(noun).lower() or None)

    # ---- comparing figures -----------------------------------------------------------

    def _context(self, doc: Document, i: int) -> dict[str, float]:
        """The sentence's rare words by prefix, with their rarity weights."""
        weight = self.lexicon.weight
        out: dict[str, float] = {}
        for w in WORD.findall(doc.sentence_text(i).lower()):
            if len(w) < 3 or w[0].isdigit() or w in _UNITS or w in _MULTIPLIERS:
                continue
            wt = weight(w)
            if wt >= _MIN_CONTEXT_WEIGHT:
                key = w[:_PREFIX]
                if wt > out.get(key, 0.0):
                    out[key] = wt
        return out

    @staticmethod
    def _overlap(a: dict[str, float], b: dict[str, float]) -> tuple[float, list[str]]:
        shared = [k for k in a if k in b]
        mass = min(sum(a.values()), sum(b.values()))
        if not mass:
            return 0.0, []
        return sum(min(a[k], b[k]) for k in shared) / mass, sorted(shared, key=lambda k: -a[k])

    @staticmethod
    def _differ(a: str, b: str) -> bool:
        """Noun phrases of one head whose modifiers both say something and share nothing
        ("senior appearances" and "league appearances"); a bare head differs from nothing."""
        ma, mb = set(a.split()[:-1]), set(b.split()[:-1])
        return bool(ma and mb and not ma & mb)

    @staticmethod
    def _interval(f: Figure) -> tuple[float, float]:
        """The values a figure allows: its value as written, widened by its approximation."""
        v = f.value
        if f.approx in ("more than", "over", "at least", "upwards of", "just over", "above"):
            return v, float("inf")
        if f.approx in ("less than", "fewer than", "under", "up to", "at most", "just under", "below", "as many as", "as much as"):
            return 0.0, v
        if f.approx in ("nearly", "almost", "close to"):
            return v * 0.8, v
        if f.approx:
            return v * 0.8, v * 1.25
        return v, v

    def _agree(self, a: Figure, b: Figure) -> bool:
        """Equal as written, or one the other rounded to where its last significant digit
        sits among trailing zeros ("41,000" and "41,200")."""
        lo_a, hi_a = self._interval(a)
        lo_b, hi_b = self._interval(b)
        if lo_a <= hi_b and lo_b <= hi_a:
            return True
        if abs(a.value - b.value) <= self.rounding * max(a.value, b.value):
            return True
        coarse, fine = (a, b) if a.precision >= b.precision else (b, a)
        # Digits given with a multiplier word ("5 billion") are taken as written: a writer
        # who knew 4.7 would have said so. Plain digits ending in zeros may be rounded.
        if coarse.rounded and coarse.precision > fine.precision:
            return abs(round(fine.value / coarse.precision) * coarse.precision - coarse.value) < 1e-6 * max(1.0, coarse.value)
        return False

    def compare(self, doc: Document, figs: list[Figure]) -> tuple[list[tuple], list[tuple]]:
        """(repeats, conflicts): lists of (first, second, overlap, shared words)."""
        groups: dict[tuple, list[Figure]] = {}
        for f in figs:
            if f.type in ("money", "count", "percent", "duration") and f.range is None:
                groups.setdefault((f.type, f.unit), []).append(f)
        contexts: dict[int, dict[str, float]] = {}
        change: dict[int, bool] = {}
        repeats, conflicts = [], []

        def context(i: int) -> dict[str, float]:
            if i not in contexts:
                contexts[i] = self._context(doc, i)
            return contexts[i]

        def changes(i: int) -> bool:
            if i not in change:
                change[i] = bool(_CHANGE.search(doc.sentence_text(i)))
            return change[i]

        for (kind, _), group in groups.items():
            if len(group) < 2:
                continue
            check_conflicts = kind in self.conflict_types and len(group) <= self.max_same_unit
            repeated: set[int] = set()
            conflicted: set[int] = set()
            for j, b in enumerate(group):
                for a in group[:j]:
                    if a.sentence == b.sentence or (a.per and b.per and a.per != b.per):
                        continue
                    if a.value == b.value and a.per == b.per:
                        # Small numbers and bare durations ("two years") recur without meaning.
                        if id(b) in repeated or kind == "duration" or a.value < self.min_repeat_value:
                            continue
                        overlap, shared = self._overlap(context(a.sentence), context(b.sentence))
                        if overlap >= self.min_repeat_context or (kind == "count" and a.measures == b.measures):
                            repeats.append((a, b, overlap, shared))
                            repeated.add(id(b))
                        continue
                    if not check_conflicts or id(b) in conflicted or self._agree(a, b):
                        continue
                    if min(a.value, b.value) < self.min_ratio * max(a.value, b.value):
                        continue
                    if kind == "count" and min(a.value, b.value) < self.min_conflict_count:
                        continue  # small counts of the same noun are mostly different groups
                    if a.thing and b.thing and a.thing != b.thing and (kind == "money" or self._differ(a.thing, b.thing)):
                        continue  # "$40 million severance package", "$45 million in settlements"
                    if a.approx or b.approx or changes(a.sentence) or changes(b.sentence):
                        continue
                    overlap, shared = self._overlap(context(a.sentence), context(b.sentence))
                    if overlap >= self.min_conflict_context:
                        conflicts.append((a, b, overlap, shared))
                        conflicted.add(id(b))
        return repeats, conflicts

    # ---- findings --------------------------------------------------------------------

    def detect(self, doc: Document, found: Findings) -> Iterable[Finding]:
        figs = self.figures(doc, found)
        text = doc.text
        for f in figs:
            what = f" of {f.measures}" if f.measures else ""
            yield self.finding(
                f.start,
                f.end,
                _FIGURE_SCORE[f.type],
                f"{f.type}: {text[f.start:f.end]!r} = {f.value:g}{' ' + f.unit if f.unit else ''}{what}",
                **f.details(),
            )
        if len(figs) < 2:
            return
        repeats, conflicts = self.compare(doc, figs)
        for a, b, overlap, shared in repeats:
            yield Finding(
                "repeat",
                b.start,
                b.end,
                round(min(1.0, 0.5 + overlap), 4),
                f"repeat: {text[b.start:b.end]!r} states again the {a.type} given at {a.start}",
                self.name,
                {"other": [a.start, a.end], "type": b.type, "value": b.value, "unit": b.unit,
                 "measures": [a.measures, b.measures], "overlap": round(overlap, 4), "shared": shared[:8]},
            )  # fmt: skip
        for a, b, overlap, shared in conflicts:
            closeness = min(a.value, b.value) / max(a.value, b.value)
            yield Finding(
                "conflict",
                b.start,
                b.end,
                round(min(1.0, 0.4 + overlap + 0.3 * closeness), 4),
                f"conflict: {text[b.start:b.end]!r} ({b.value:g}) disagrees with {text[a.start:a.end]!r} "
                f"({a.value:g}) for the same {b.type} in {b.unit or 'the same unit'}",
                self.name,
                {"other": [a.start, a.end], "type": b.type, "unit": b.unit, "values": [a.value, b.value],
                 "measures": [a.measures, b.measures], "per": [a.per, b.per], "overlap": round(overlap, 4),
                 "shared": shared[:8],
                 "why": f"same {b.type} in {b.unit}, values within {closeness:.0%} of each other, "
                        f"sentences share {overlap:.0%} of their rare-word weight ({', '.join(shared[:5])})"},
            )  # fmt: skip
