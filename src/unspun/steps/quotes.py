"""Direct quotations and who says them.

Each paragraph is read by one compiled regex pass that yields, in order, its quotations
(straight or curly marks, or an opening mark left open to the end of the paragraph, as news
does when a quotation runs on into the next paragraph), its speech verbs ("said", "told",
"tweeted"...), "according to", the pronouns he/she/they and the runs of capitalised words that
may name people. Subjects are then read off the tokens beside each verb: the name or pronoun
just before it ("Lindqvist said"), a name before an appositive ("Erik Lindqvist, the chief
negotiator, said"), a group's noun phrase ("the group said", "North Korean diplomats said"), or,
right after a quotation, the name after the verb ('..." said Sen. Ted Cruz').

A quotation takes its speaker from the nearest cue in its own sentence; else from the subject
of its sentence when it is introduced by "saying"/"adding"; else from the sentence before or
after it in its paragraph; else, when it opens its paragraph, from the speech the paragraph
before ended on. "he"/"she" is resolved to the last person named in subject position before
it; "they" is left unresolved, which costs recall but few wrong speakers. A single surname is
replaced by the full name given earlier ("Lindqvist" -> "Erik Lindqvist").

Short quoted phrases (scare quotes, titles) are kept apart from speech: they are reported with
``kind_of_quote="phrase"`` and no speaker, and only speech is attributed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from unspun.doc import Document
from unspun.names import (
    CAP as _CAP,
    INITIALS as _INITIALS,
    LEADING as _LEADING,
    NAME as _NAME,
    NOT_PEOPLE as _NOT_PEOPLE,
    SP as _SP,
    TITLE_WORDS as _TITLE_WORDS,
)
from unspun.patterns import word_trie
from unspun.spans import REMOVED_KINDS, Finding, Findings
from unspun.steps.base import Step

_SPEECH_VERBS = (
    "said says say told tells added adds asked asks wrote writes tweeted tweets posted stated states "
    "explained explains noted notes continued argued argues insisted insists recalled recalls replied "
    "replies responded warned warns declared declares announced claimed claims acknowledged admitted "
    "testified urged complained suggested cautioned concluded observed remarked quipped joked shouted "
    "yelled predicted conceded countered recounted reiterated added"
).split()
# Verbs that may come before their subject right after a quotation: '..." said Smith'.
_INVERTED = frozenset(
    "said says added asked wrote tweeted continued explained noted argued insisted replied responded "
    "warned declared recalled stated countered conceded observed remarked quipped recounted".split()
)
_PRONOUN_OPENING = re.compile(r"[“\"]?(He|She)\b")
_PARTICIPLE = re.compile(r"\b(?:saying|adding|telling|writing|noting|asking|declaring|tweeting|explaining|arguing|warning)\b")

# One pass per paragraph. Every alternative but the quotation starts at a word start (the
# lookbehind fails at once inside a word), which makes the pass about three times faster.
TOKEN = re.compile(
    r"(?P<q>[“\"][^“”\"]*(?:[”\"]|$))"
    r"|(?<![\w'’.-])(?:"
    rf"(?P<v>{word_trie(sorted(set(_SPEECH_VERBS)))})\b"
    rf"|(?P<acc>[Aa]ccording{_SP}to)\b"
    r"|(?P<p>[Hh]e|[Ss]he|[Tt]hey)\b"
    rf"|(?=[A-Z])(?P<n>{_NAME}))"
)

# Words a group's noun phrase never runs through ("the deal after the minister said").
_STOP = (
    r"(?!(?:the|a|an|and|or|but|of|to|in|on|at|for|with|after|before|that|which|who|whom|as|by|from|"
    r"than|when|while|if|is|was|are|were|be|been|has|have|had|will|would|not|it|this|he|she|they|we|"
    r"i|you|also|then|said|says)\b)"
)
_DET = r"(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir|[Oo]ur|[Tt]his|[Tt]hat|[Tt]hese|[Tt]hose|[Oo]ne|[Aa]nother|[Ss]ome|[Mm]any|[Ss]everal)"
_GROUP = (
    rf"{_DET}{_SP}(?:{_STOP}[\w'’.-]+{_SP}){{0,3}}{_STOP}[a-z][\w'’-]*\b"
    rf"|(?:{_CAP}{_SP})*(?:{_STOP}[a-z][a-z-]*[a-rt-z]s|police|staff)\b"
)
# A group just before a verb, and just after an inverted verb.
# Patterns used with pos/endpos: "^" would only match at the real start of the text, so none is
# used; match() anchors at pos by itself and "$" at endpos.
_GROUP_BEFORE = re.compile(rf"(?<![\w'’.-])({_GROUP}){_SP}(?:[a-z]+ly{_SP}|also{_SP})?$")
_GROUP_AFTER = re.compile(rf"{_SP}({_GROUP})")
_APPOSITIVE = re.compile(r"^,[^,;“”\"]{2,90},\s*(?:[a-z]+ly\s+|also\s+)?$")
_OF_PLACE = re.compile(r"\s+(?:of|from)\s+")
_PLACE_PREPOSITION = re.compile(r"\s(?:of|from|in|at|for)\s")
_BETWEEN = re.compile(r"[\s\w'’.,-]*")
_FOLLOWED_BY_VERB = re.compile(r"\s(?:had|has|was|is|will|would|[a-z]+ed|[a-z]+s)\b")
_ADJACENT = re.compile(r"\s*(?:[a-z]+ly\s+|also\s+|later\s+|then\s+|has\s+|had\s+|have\s+|would\s+|once\s+)?$")

def _parts(raw: str) -> list[str]:
    """The words of a name without leading function words, titles and all-capitals tags."""
    words = [w for w in raw.replace("\u00a0", " ").split() if not (len(w) > 2 and w.isupper() and "." not in w)]
    while len(words) > 1 and (words[0] in _LEADING or words[0] in _TITLE_WORDS):
        words.pop(0)
    return words


def _possessive(raw: str) -> bool:
    return raw.endswith(("'s", "’s", "s'", "s’"))


def _person_like(raw: str) -> bool:
    parts = _parts(raw)
    return bool(parts) and parts[0] not in _LEADING and not _possessive(raw) and len(parts) <= 4 and not any(
        p in _NOT_PEOPLE for p in parts
    )


class QuoteStep(Step):
    """Finds direct quotations and the person or group the text says speaks them.

    ``min_speech_words``: a quotation with fewer words is speech only when it reads as a whole
    utterance (capitalised, closed by ``.``, ``!`` or ``?``, or by a comma before "he said");
    otherwise it is a quoted phrase. ``max_title_words``: a quotation of at most this many words,
    capitalised throughout and without closing punctuation, is a title.
    """

    name = "unspun.quotes.v1"
    produces = "quote"
    requires = REMOVED_KINDS

    def __init__(self, *, min_speech_words: int = 4, max_title_words: int = 8) -> None:
        super().__init__(min_speech_words=min_speech_words, max_title_words=max_title_words)
        self.min_speech_words = min_speech_words
        self.max_title_words = max_title_words

    def _kind(self, inner: str, followed_by_cue: bool) -> str:
        words = inner.split()
        if not words:
            return "phrase"
        stripped = inner.rstrip()
        first_capital = words[0][:1].isupper() or words[0][:1] in "'‘"
        if len(words) < self.min_speech_words:
            if first_capital and (stripped.endswith((".", "!", "?", "…")) or (stripped.endswith(",") and followed_by_cue)):
                return "speech"
            return "phrase"
        if len(words) <= self.max_title_words and first_capital and not stripped.endswith((".", "!", "?", ",", ":", ";")):
            long_words = [w for w in words if len(w) > 3]
            if long_words and all(w[:1].isupper() for w in long_words):
                return "phrase"
        return "speech"

    def detect(self, doc: Document, found: Findings) -> Iterable[Finding]:
        text = doc.text
        excluded = sorted((f.start, f.end) for f in found.of(*REMOVED_KINDS))
        ex_starts = [s for s, _ in excluded]
        sent_starts = [s.start for s in doc.sentences]

        def excluded_at(pos: int) -> bool:
            i = bisect_right(ex_starts, pos) - 1
            return i >= 0 and excluded[i][0] <= pos < excluded[i][1]

        def sentence_of(pos: int) -> int:
            return max(0, bisect_right(sent_starts, pos) - 1)

        # Nothing after the last quotation mark can speak for a quotation: stop there.
        last_mark = max(text.rfind('"'), text.rfind("“"))
        if last_mark < 0:
            return
        state = _State()
        state.sentence_starts = sent_starts
        prev_para_speech: dict | None = None
        for para in doc.paragraphs:
            if para.start > last_mark:
                break
            if excluded_at(para.start) and excluded_at(para.end - 1):
                prev_para_speech = None
                continue
            i = bisect_right(ex_starts, para.end)
            touched = any(e > para.start for _, e in excluded[max(0, i - 3) : i])
            tokens = [(m.lastgroup, m.start(), m.end()) for m in TOKEN.finditer(text, para.start, para.end)]
            if touched:
                tokens = [t for t in tokens if not excluded_at(t[1])]
            quotes, cues = self._read(text, tokens, state, sentence_of)
            last_speech = None
            for qs, qe in quotes:
                closed = qe - qs >= 2 and text[qe - 1] in "”\""
                inner = text[qs + 1 : qe - 1] if closed else text[qs + 1 : qe]
                followed_by_cue = any(0 <= c["start"] - qe <= 4 for c in cues) or bool(
                    re.match(r"\s*(?:he|she|they)\s", text[qe : qe + 6])
                )
                if self._kind(inner, followed_by_cue) == "phrase":
                    yield self.finding(
                        qs, qe, 0.5, "quoted phrase (a scare quote, title or short phrase), not speech",
                        speaker=None, speaker_span=None, attribution=None, kind_of_quote="phrase", found_in=None,
                    )
                    continue
                best, found_in = self._attribute(text, para, qs, qe, cues, state, sentence_of, prev_para_speech)
                if best is None:
                    yield self.finding(
                        qs, qe, 0.6, "unattributed quotation: no one in the text says it",
                        speaker=None, speaker_span=None, attribution=None, kind_of_quote="speech", found_in=None,
                    )
                    continue
                last_speech = best
                score = (0.9 if found_in == "same sentence" else 0.75) - (0.1 if best["pronoun"] else 0.0)
                yield self.finding(
                    qs, qe, score, f'quotation attributed to {best["speaker"]} ("{best["cue"]}")',
                    speaker=best["speaker"], speaker_span=list(best["span"]), attribution=best["cue"],
                    kind_of_quote="speech", found_in=found_in,
                )
            # What the next paragraph may continue: the speaker of this paragraph's last speech
            # quotation, or a cue that ends it ('Boehner said:').
            if last_speech is not None:
                prev_para_speech = last_speech
            elif cues and text[para.end - 1] == ":" and cues[-1]["end"] >= para.end - 40:
                prev_para_speech = cues[-1]
            else:
                prev_para_speech = None

    # -- reading a paragraph's tokens --------------------------------------------------------

    def _read(self, text, tokens, state: _State, sentence_of):
        """Quotations and speech cues of one paragraph; records the people it names."""
        quotes: list[tuple[int, int]] = []
        cues: list[dict] = []
        for i, (kind, s, e) in enumerate(tokens):
            if kind == "q":
                quotes.append((s, e))
                continue
            if kind == "n":
                raw = text[s:e]
                # A lone capitalised word counts only as a surname already given in full:
                # most are places, months and sentence openers.
                if (" " in raw or raw in state.full_names) and state.judge(raw):
                    start = state.sentence_starts[sentence_of(s)] if state.sentence_starts else 0
                    state.mention(raw, s, e, self._subject_position(text, s, e, start))
                continue
            if kind == "p":
                state.vote(text[s:e].lower(), s)
                continue
            cue = self._cue(text, tokens, i, state)
            if cue is not None:
                cues.append(cue)
                if cue["named"]:
                    state.subjects.append((cue["span"][0], cue["speaker"], cue["span"]))
        return quotes, cues

    @staticmethod
    def _subject_position(text: str, pos: int, end: int, sent_start: int) -> bool:
        """Whether the name at ``pos`` reads as a subject: it opens its sentence (after at most
        an opening phrase closed by a comma), or a verb or an appositive follows it."""
        if _FOLLOWED_BY_VERB.match(text, end, end + 16):
            return True
        head = text[sent_start:pos].strip(" “\"'‘")
        if not head or head.endswith(","):
            return True
        words = head.split()
        return len(words) <= 2 and all(w in _LEADING for w in words)

    def _cue(self, text, tokens, i, state: _State) -> dict | None:
        kind, s, e = tokens[i]
        prev = tokens[i - 1] if i else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        verb = text[s:e]
        if kind == "acc":
            if nxt and nxt[0] == "n" and not text[e : nxt[1]].strip():
                return self._named(text, nxt[1], nxt[2], s, "according to", state)
            g = _GROUP_AFTER.match(text, e, min(len(text), e + 60))
            if g:
                return self._group(g.group(1), g.start(1), s, "according to")
            return None
        # Subject before the verb: a name or pronoun beside it, or a name before an appositive.
        if prev and prev[0] in ("n", "p") and _ADJACENT.match(text, prev[2], s) and not _possessive(text[prev[1] : prev[2]]):
            if prev[0] == "p":
                return self._pronoun(text, prev[1], prev[2], s, e, state)
            return self._named(text, prev[1], prev[2], s, _cue_words(text, s), state)
        for j in range(i - 1, max(-1, i - 6), -1):
            tk = tokens[j]
            if tk[0] == "q" or s - tk[2] > 92:
                break
            if tk[0] == "n" and _APPOSITIVE.match(text[tk[2] : s]) and not _possessive(text[tk[1] : tk[2]]):
                # "Sandy Levin of Michigan, the top Democrat, said": the person comes before "of".
                if j and tokens[j - 1][0] == "n" and _OF_PLACE.fullmatch(text, tokens[j - 1][2], tk[1]):
                    tk = tokens[j - 1]
                cue = self._named(text, tk[1], tk[2], s, _cue_words(text, s), state)
                if cue is not None:
                    return cue
        window_start = max(prev[2] if prev and prev[0] == "q" else 0, s - 60)
        g = _GROUP_BEFORE.search(text, window_start, s)
        if g:
            return self._group(g.group(1), g.start(1), s, _cue_words(text, s))
        # Verb first, right after a quotation or a comma: '..." said Sen. Ted Cruz'.
        before = text[max(0, s - 3) : s].rstrip()
        if verb in _INVERTED and before.endswith((",", "”", '"', "—")):
            for j in range(i + 1, min(len(tokens), i + 3)):
                tk = tokens[j]
                if tk[0] != "n" or tk[1] - e > 45 or not _BETWEEN.fullmatch(text, e, tk[1]):
                    break
                if _PLACE_PREPOSITION.search(text, e, tk[1]):
                    break  # 'said the senator from Vermont': a place, not the speaker
                # A comma between the verb and a name ends the speaker ('said the woman, who
                # The Times...'), unless it follows a possessive ("Harvard's president, Drew Faust").
                if "," in text[e : tk[1]] and (j == i + 1 or not _possessive(text[tokens[j - 1][1] : tokens[j - 1][2]])):
                    break
                if not _possessive(text[tk[1] : tk[2]]):
                    cue = self._named(text, tk[1], tk[2], s, verb, state)
                    if cue is not None:
                        return cue
            g = _GROUP_AFTER.match(text, e, min(len(text), e + 60))
            if g:
                return self._group(g.group(1), g.start(1), s, verb)
        return None

    @staticmethod
    def _named(text, ns, ne, cue_start, cue, state: _State) -> dict | None:
        raw = text[ns:ne]
        parts = _parts(raw)
        if not parts or parts[0] in _LEADING or all(re.fullmatch(_INITIALS, p) for p in parts):
            return None
        name, span = state.resolve(raw, ns, ne)
        # The subject of a speech verb is taken for a person even when named by surname alone.
        person = _person_like(raw)
        return {"start": min(ns, cue_start), "end": max(ne, cue_start), "speaker": name, "span": span,
                "cue": cue, "pronoun": False, "named": person, "kind": "name"}

    @staticmethod
    def _group(phrase: str, gs: int, cue_start: int, cue: str) -> dict:
        return {"start": min(gs, cue_start), "end": max(gs + len(phrase), cue_start), "speaker": phrase,
                "span": (gs, gs + len(phrase)), "cue": cue, "pronoun": False, "named": False, "kind": "group"}

    @staticmethod
    def _pronoun(text, ps, pe, cue_start, cue_end, state: _State) -> dict | None:
        if text[ps:pe].lower() == "they":
            return None  # a plural pronoun names no one we can resolve with any confidence
        who = state.last_subject(ps, text[ps:pe].lower())
        if who is None:
            return None
        name, span = who
        return {"start": ps, "end": cue_end, "speaker": name, "span": span, "cue": _cue_words(text, cue_start),
                "pronoun": True, "named": False, "kind": "pronoun"}

    # -- choosing a speaker -------------------------------------------------------------------

    @staticmethod
    def _attribute(text, para, qs, qe, cues, state: _State, sentence_of, prev_para_speech):
        s_first, s_last = sentence_of(qs), sentence_of(max(qs, qe - 1))
        first_sentence = sentence_of(para.start)
        best, best_rank = None, None
        for c in cues:
            cs = sentence_of(c["start"])
            if s_first <= cs <= s_last:
                gap = qs - c["end"] if c["end"] <= qs else c["start"] - qe
                if gap < -1:
                    continue
                rank = (c["cue"] == "according to", abs(gap))  # a speech verb before a source
                if best_rank is None or rank < best_rank:
                    best, best_rank = c, rank
        if best is not None:
            return best, "same sentence"
        # "..., saying: '...'": the subject of the sentence speaks.
        sent_start = max(para.start, state.sentence_starts[s_first]) if state.sentence_starts else para.start
        if _PARTICIPLE.search(text, max(sent_start, qs - 60), qs):
            opener = _PRONOUN_OPENING.match(text, sent_start)
            who = state.last_subject(sent_start, opener.group(1).lower()) if opener else state.sentence_subject(sent_start, qs)
            if who is not None:
                name, span = who
                return {"speaker": name, "span": span, "cue": "saying", "pronoun": False}, "same sentence"
        before = [c for c in cues if c["end"] <= qs and first_sentence <= sentence_of(c["start"]) == s_first - 1]
        if before:
            before.sort(key=lambda c: (c["cue"] != "according to", c["end"]))
            return before[-1], "previous sentence"
        after = [c for c in cues if c["start"] >= qe and sentence_of(c["start"]) == s_last + 1]
        if after:
            after.sort(key=lambda c: (c["cue"] == "according to", c["start"]))
            return after[0], "next sentence"
        if prev_para_speech is not None and not text[para.start : qs].strip():
            return prev_para_speech, "previous paragraph"
        return None, None


class _State:
    """The people an article has named so far: full names by surname, and who was the subject."""

    def __init__(self) -> None:
        self.sentence_starts: list[int] = []
        self.gender: dict[str, dict[str, int]] = {}
        self._judged: dict[str, list[str]] = {}
        self._parts: dict[str, list[str]] = {}
        self.full_names: dict[str, str] = {}
        self.subjects: list[tuple[int, str, tuple[int, int]]] = []  # people in subject position
        self.people: list[tuple[int, str, tuple[int, int]]] = []  # every person named

    def resolve(self, raw: str, start: int, end: int) -> tuple[str, tuple[int, int]]:
        parts = self._parts.get(raw)
        if parts is None:
            parts = self._parts[raw] = _parts(raw)
        lead = raw.find(parts[0]) if parts else 0
        has_title = raw.split()[0] in _TITLE_WORDS if raw.split() else False
        name = " ".join(parts)
        known = self.full_names.get(parts[-1]) if parts else None
        if known and len(known.split()) > len(parts):
            name = known
        elif has_title and len(parts) == 1:
            name = raw.split()[0] + " " + name
            lead = 0
        return name, (start + lead, end)

    def judge(self, raw: str) -> list[str]:
        """The words of a name that may be a person's, else []; each spelling is judged once,
        since names recur through an article."""
        parts = self._judged.get(raw)
        if parts is None:
            parts = self._judged[raw] = _parts(raw) if _person_like(raw) else []
        return parts

    def mention(self, raw: str, start: int, end: int, subject: bool) -> None:
        parts = self.judge(raw)
        if not parts:
            return
        titled = raw.split()[0] in _TITLE_WORDS
        if len(parts) >= 2:
            # The first full name given for a surname stands: a story introduces its main
            # people first, and a later namesake ("Melania Trump") must not take their place.
            self.full_names.setdefault(parts[-1], " ".join(parts))
        if len(parts) >= 2 or titled or parts[-1] in self.full_names:
            name, span = self.resolve(raw, start, end)
            self.people.append((start, name, span))
            if subject:
                self.subjects.append((start, name, span))

    def vote(self, pronoun: str, pos: int) -> None:
        """A pronoun that follows a subject counts towards that subject's gender."""
        if pronoun == "they":
            return
        who = self.last_subject(pos)
        if who is not None:
            key = who[0].split()[-1]
            votes = self.gender.setdefault(key, {"he": 0, "she": 0})
            votes[pronoun] += 1

    def _gender_clash(self, name: str, pronoun: str | None) -> bool:
        if pronoun not in ("he", "she"):
            return False
        first = name.split()[0]
        if first in ("Mr.", "Mr"):
            return pronoun == "she"
        if first in ("Mrs.", "Ms.", "Miss", "Mrs", "Ms"):
            return pronoun == "he"
        votes = self.gender.get(name.split()[-1])
        other = "she" if pronoun == "he" else "he"
        return bool(votes) and votes[other] > votes[pronoun]

    def last_subject(self, before: int, pronoun: str | None = None):
        for pool in (self.subjects, self.people):
            for pos, name, span in reversed(pool):  # appended in reading order
                if pos < before and not self._gender_clash(name, pronoun):
                    return name, span
        return None

    def sentence_subject(self, sent_start: int, before: int):
        for pos, name, span in self.subjects:
            if sent_start <= pos < before:
                return name, span
        for pos, name, span in self.people:
            if sent_start <= pos < before:
                return name, span
        return None


_CUE_STOP = re.compile(r"[,.;:“”\"—(]|\bthat\b")


def _cue_words(text: str, verb_start: int) -> str:
    """The speech verb and the few words after it that say how: 'said at a press briefing'."""
    rest = text[verb_start : verb_start + 60]
    stop = _CUE_STOP.search(rest)
    if stop:
        rest = rest[: stop.start()]
    words = rest.split()
    out = words[:1]
    for w in words[1:5]:
        if w[:1].isupper():  # the object of "told" is a name, not how it was said
            break
        out.append(w)
    return " ".join(out)
