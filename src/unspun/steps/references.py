"""Dangling references: words that point back to something the article never introduced.

A writer introduces a person or a thing before pointing back to it: "Foreign Minister Anna
Berg said..." and then "the minister said"; "Erik Lindqvist" and then "Lindqvist". A sentence
copied out of another story keeps its pointers but loses what they pointed to. Five kinds of
pointer are read, each only where its antecedent can be checked cheaply and reliably:

- ``pronoun``: a sentence that opens with "He", "His", "She" or "Her" when the sentences
  before it in the body name no person and use no pronoun for one.
- ``definite``: "the" + a noun for a person's role ("the minister", "the spokesman") when that
  noun was never used before, not even in a title ("Prime Minister").
- ``demonstrative``: "those"/"these" + a noun never used before ("those negotiations").
- ``surname``: a single capitalised name that speaks or is named by a role ("negotiator X
  said", "X said") at its first mention, never given with a first name or a title before.
- ``also``: a person's first mention followed by "also" ("X Y also said"), which presupposes
  that they were mentioned before.

Only body sentences count: lines found to be metadata, furniture or injected text are
skipped, and so is the headline. The rules were kept to those whose rate on real news
(AllSides and BBC) stays low; see docs/stitching.md for the measurements.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from unspun.doc import Document
from unspun.names import NAME, NOT_PEOPLE, TITLE_WORDS
from unspun.patterns import word_trie
from unspun.spans import REMOVED_KINDS, Finding, Findings
from unspun.steps.base import Step, body_sentences

# Nouns for a person's role. "the <noun>" points to someone already introduced.
ROLE_NOUNS = frozenset(
    "minister president premier chancellor senator congressman congresswoman lawmaker governor mayor "
    "secretary spokesman spokeswoman spokesperson negotiator envoy ambassador diplomat adviser advisor "
    "aide chairman chairwoman ceo commissioner prosecutor detective sheriff coach manager captain "
    "striker midfielder defender goalkeeper pope king queen prince princess monarch ayatollah cleric "
    "general admiral colonel commander chief ombudsman regulator treasurer".split()
)
_PLURAL_ROLES = {n + "s" for n in ROLE_NOUNS}
# Nouns after "these"/"those" that point to time or to the reader's world, not to the text.
_DEMONSTRATIVE_FREE = frozenset(
    "days years months weeks times hours minutes kinds sorts types things people ones who which "
    "that two three four five".split()
)
# What may follow a noun that is the head of its phrase: a verb or a relative pronoun.
_VERBISH = r"(?:said|says|told|tells|wrote|[a-z]+ed|[a-z]+s|has|had|was|is|will|would|could|can|did|does|also|who|and|later|then)\b"
_SPEECH = (
    "said says told tells added adds asked asks wrote writes tweeted stated explained noted argued "
    "insisted replied responded warned declared announced claimed"
).split()
_PERSON_PRONOUNS = frozenset("he him his she her himself herself".split())
_SP = r"[ \u00a0]+"

# One pass over the body: the pointers, and the names and pronouns that may be antecedents.
TOKEN = re.compile(
    r"(?<![\w'’.-])(?:"
    rf"(?P<def>[Tt]he{_SP}(?P<role>{word_trie(sorted(ROLE_NOUNS | _PLURAL_ROLES))}))\b(?=[,;:.!?)”\"]|{_SP}{_VERBISH})"
    rf"|(?P<dem>[Tt]hose|[Tt]hese){_SP}(?P<dnoun>[a-z][a-z-]+)\b"
    r"|(?P<pron>[Hh]e|[Hh]is|[Hh]im|[Ss]he|[Hh]er)\b"
    rf"|(?=[A-Z])(?P<name>{NAME})"
    r")"
)
_AFTER_NAME = re.compile(rf"{_SP}(?:(?P<also>also){_SP}[a-z]+|(?P<speech>{word_trie(_SPEECH)})\b)")
# "general" and "chief" are adjectives as often as nouns before a name; regulators name bodies.
_BEFORE_NAME = re.compile(
    rf"(?<![\w'’.-])(?P<role>{word_trie(sorted(ROLE_NOUNS - {'general', 'regulator', 'chief'}))}){_SP}$"
)
_ARTICLE_BEFORE = re.compile(r"(?<![\w'’.-])[Tt]he[ \u00a0]+$")
# A quotation of four words or more: speech, so someone in context is speaking.
_QUOTATION = re.compile(r"[“\"]([^“”\"]*)(?:[”\"]|$)")
# Head words of organisations and groups beside those of the shared list.
_ORG_WORDS = frozenset(
    "Organisation Organization Treaty Nations Forces Force Army Navy Police Agency Ministry Authority "
    "Bureau Institute Reserve Fed Exchange Index Alliance Coalition Movement Front "
    "Assembly Parliament Cabinet Embassy Affairs Security Defense Defence Health Energy Trade".split()
)
_NEXT_WORD = re.compile(rf"{_SP}[a-z][\w'’-]*")

SCORES = {"pronoun": 0.7, "definite": 0.7, "demonstrative": 0.6, "surname": 0.6, "also": 0.6}


class DanglingReferenceStep(Step):
    name = "unspun.dangling.v1"
    produces = "dangling_reference"
    requires = REMOVED_KINDS

    def __init__(self, lookback: int = 2) -> None:
        super().__init__(lookback=lookback)
        self.lookback = lookback

    def detect(self, doc: Document, found: Findings) -> Iterable[Finding]:
        body = body_sentences(doc, found)
        text = doc.text
        out: list[Finding] = []
        first_use: dict[str, int] | None = None  # made when a role noun first needs it
        seen_names: set[str] = set()  # every word of every name so far
        full_names: set[str] = set()  # words of names given with two words or more, or a title
        person_in: list[bool] = []  # per body sentence: does it name or point to a person?
        for k, s in enumerate(body):
            # No person in the sentences just before: a pointer to one has nothing to point to.
            alone = not any(person_in[max(0, k - self.lookback) : k])
            person = _speech_in(text, s.start, s.end)
            for m in TOKEN.finditer(text, s.start, s.end):
                if m.group("def"):
                    role = m.group("role")
                    noun = role[:-1] if role in _PLURAL_ROLES else role
                    if first_use is None:
                        first_use = _first_use(doc, body)
                    unseen = first_use.get(noun, k) >= k and first_use.get(role, k) >= k
                    if unseen and alone and not _in_sentence_before(text, s.start, m.start(), noun):
                        out.append(self._hit("definite", m.start("def"), m.end("def"), text,
                                             f"no {noun} is mentioned before"))
                    person = True
                elif m.group("dem"):
                    noun = m.group("dnoun")
                    stem = noun[:-1]
                    # Only in the first body sentence: later, "those" + noun is mostly bridging.
                    if k == 0 and noun.endswith("s") and noun not in _DEMONSTRATIVE_FREE:
                        out.append(self._hit("demonstrative", m.start("dem"), m.end("dnoun"), text,
                                             f"no {stem} is mentioned before"))
                elif m.group("pron"):
                    word = m.group("pron")
                    if k and alone and m.start() == s.start and word[0].isupper() and word.lower() != "him":
                        end = m.end()
                        if word in ("His", "Her"):  # the possessive with its noun: "His statement"
                            noun = _NEXT_WORD.match(text, end, s.end)
                            end = noun.end() if noun else end
                        out.append(self._hit("pronoun", m.start(), end, text,
                                             "no person is named in the sentences before"))
                    person = True
                else:
                    raw = m.group("name")
                    if raw.isupper() or _after_article(text, s.start, m.start()):
                        continue
                    words = [w.rstrip(".,") for w in raw.replace("\u00a0", " ").split() if w not in TITLE_WORDS]
                    if not words or any(w in NOT_PEOPLE or w in _ORG_WORDS for w in words):
                        continue
                    titled = len(words) < len(raw.split())
                    words[-1] = _bare(words[-1])
                    last = words[-1]
                    first_mention = last not in seen_names
                    after = _AFTER_NAME.match(text, m.end(), s.end)
                    speaks = bool(after and after.group("speech"))
                    role_before = _BEFORE_NAME.search(text, max(s.start, m.start() - 40), m.start())
                    if first_mention and after and after.group("also") and len(words) >= 2:
                        out.append(self._hit("also", m.start(), after.end("also"), text,
                                             f"first mention of {' '.join(words)}, yet \"also\" points to an earlier one"))
                    elif first_mention and len(words) == 1 and not titled and role_before and last not in full_names:
                        out.append(self._hit("surname", role_before.start(), m.end(), text,
                                             f"{last} is never introduced by full name"))
                    if len(words) >= 2 or titled:
                        full_names.update(words)
                    person = person or speaks or titled or len(words) >= 2 or bool(role_before) or last in full_names
                    seen_names.update(words)
            person_in.append(person)
        return out

    def _hit(self, kind: str, start: int, end: int, text: str, missing: str) -> Finding:
        phrase = text[start:end]
        return self.finding(start, end, SCORES[kind], f"\"{phrase}\": {missing}",
                            phrase=phrase, missing=missing, pointer=kind)


def _first_use(doc: Document, body: list) -> dict[str, int]:
    """For each lower-cased word of the body, the number of the first body sentence that uses
    it: a word is known at sentence ``k`` when its first use is before ``k``."""
    sentence_words = doc.sentence_words()
    first: dict[str, int] = {}
    # Latest sentence first, so that each word keeps the earliest sentence.
    for k in range(len(body) - 1, -1, -1):
        first.update(dict.fromkeys(sentence_words[body[k].index], k))
    # "minister's" introduces the minister too.
    for w in [w for w in first if "'" in w or "’" in w]:
        base = w.replace("’", "'").split("'")[0]
        if first.get(base, first[w] + 1) > first[w]:
            first[base] = first[w]
    return first


def _speech_in(text: str, start: int, end: int) -> bool:
    """True when the sentence quotes four words or more: someone in context is speaking."""
    return any(len(q.split()) >= 4 for q in _QUOTATION.findall(text, start, end))


def _bare(word: str) -> str:
    return word.removesuffix("'s").removesuffix("’s")


def _after_article(text: str, lo: int, at: int) -> bool:
    """True for a name after "the" ("the Kremlin"): an institution, not a person."""
    return bool(_ARTICLE_BEFORE.search(text, max(lo, at - 4), at))


def _in_sentence_before(text: str, lo: int, hi: int, noun: str) -> bool:
    return noun in text[lo:hi].lower()
