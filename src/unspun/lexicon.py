"""Word statistics: how rare a word is in English, from wordfreq's frequency lists."""

from __future__ import annotations

import math

import wordfreq

# Zipf values (log10 of frequency per billion words) run from about 8 ("the") down to
# about 1 for the rarest listed words. A word's weight is how far it sits below the
# commonest words; unlisted words (names, rare terms) get the largest weight.
_ZIPF_TOP = 7.0
_UNLISTED_ZIPF = 1.5


class Lexicon:
    """Rarity weights for lower-cased words, loaded once and shared by the steps."""

    def __init__(self, language: str = "en", wordlist: str = "best") -> None:
        self.language = language
        self.wordlist = wordlist
        freqs = wordfreq.get_frequency_dict(language, wordlist)
        # Store Zipf values: a float per word, computed once here instead of per lookup.
        self._zipf = {w: math.log10(f) + 9.0 for w, f in freqs.items() if f > 0}

    def zipf(self, word: str) -> float:
        return self._zipf.get(word, _UNLISTED_ZIPF)

    def weight(self, word: str) -> float:
        """0 for the commonest words, rising to about 5.5 for words wordfreq does not list."""
        return max(0.0, _ZIPF_TOP - self._zipf.get(word, _UNLISTED_ZIPF))

    def is_known(self, word: str) -> bool:
        return word in self._zipf
