"""Patterns for the names of people, shared by the steps that read them.

A name is a run of capitalised words, with titles ("Sen.", "President"), initials and
particles ("de", "van"); a run that ends in the head noun of a place or an organisation
("... Agency", "... Street") names no person.
"""

from __future__ import annotations

from unspun.patterns import word_trie

SP = r"[ \u00a0]+"
CAP = r"[A-Z][\w'’-]*"
INITIALS = r"[A-Z]\.(?:[ ]?[A-Z]\.)*"
TITLE_ABBR = r"(?:Mr|Mrs|Ms|Dr|Rep|Reps|Sen|Sens|Gov|Gen|Lt|Col|Sgt|Capt|Cmdr|Adm|Rev|Prof|Atty|Supt|Insp|Det|St)\."
# Capitalised words that open a sentence or clause and are no part of a name.
LEADING = frozenset(
    "But And Or So Yet Then Now Meanwhile However Still Also In On At As After Before When While If "
    "Since Though Although Because During Later Earlier Last Asked Speaking Writing Today Yesterday "
    "Instead Indeed Moreover Yes No Well Even Only Both Neither Either Why What How Where Who Former "
    "Like Unlike Under Over For From With Without Some Many Most All Several Other Others Each Every Few".split()
)
# Capitalised words that never start a name: pronouns, articles and sentence openers. Leaving
# them out of the tokens spares most of the per-name work.
NOT_NAME_START = (
    r"(?!(?:"
    + word_trie(sorted(LEADING | set("He She They It We I You The A An This That These Those His Her Its Their Our My".split())))
    + r")\b)"
)
NAME = (
    rf"{NOT_NAME_START}(?:{TITLE_ABBR}{SP})?(?:{INITIALS}|{CAP})"
    rf"(?:{SP}(?:{TITLE_ABBR}|{INITIALS}|{CAP}|(?:de|da|del|van|von|der|bin|al|la|le){SP}{CAP}))*"
    rf"(?:,?{SP}(?:Jr|Sr)\.)?"
)

TITLE_WORDS = frozenset(
    "Mr. Mrs. Ms. Miss Dr. Rep. Reps. Sen. Sens. Gov. Gen. Lt. Col. Sgt. Capt. Cmdr. Adm. Rev. Prof. Atty. "
    "President Vice Senator Sen Representative Rep Congressman Congresswoman Governor Secretary Minister "
    "Prime Judge Justice Mayor Chairman Chairwoman Speaker Leader Ambassador Attorney General Officer "
    "Detective Chief Director Commissioner Pope King Queen Prince Princess Lord Lady Sir Dame Premier "
    "Chancellor Master Major Command Lance Cpl. Pfc. Sgt Corporal Private Coach".split()
)
# Head nouns of places and organisations: a run ending in one names no person.
NOT_PEOPLE = frozenset(
    "House Senate Congress Court States State Union Department Ministry Agency Office Party Committee "
    "Council Administration Government Republicans Democrats Republican Democrat Democratic Street "
    "News Times Post Journal Press Association Institute University College School Company Corporation "
    "Inc. Group Center Centre City County Hill Shelter Register Bank Network Service Services Foundation "
    "Fund Board Commission Campaign Airport Park Square Avenue Road Island Islands River Valley Lake "
    "Mountain Beach Church Hospital Museum Club Team League Show Radio Television TV Times Review Monday "
    "Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July "
    "August September October November December Twitter Facebook Google Act Bill Street Korea China "
    "Russia America Europe Africa Asia Iran Iraq Syria Israel Mexico Canada Japan Germany France Britain "
    "India Pakistan Afghanistan Ukraine Turkey Egypt Brazil Australia Spain Italy Poland Greece Cuba "
    "Venezuela Nigeria Kenya Vietnam Taiwan Ireland Scotland Wales England Sweden Norway Netherlands "
    "Kingdom Republic Federation Washington York Capitol Valley Bay Coast Gulf".split()
)


