"""Text normalisation and word tokens: the one place both cleaning and
signing agree on what a "word" is.

Normalisation folds the differences syndication introduces and that carry no
meaning: Unicode compatibility forms (NFKC), curly vs straight quotes,
apostrophes inside words, dashes, case and whitespace.

>>> tokens("China’s “hard tech” — AI")
['chinas', 'hard', 'tech', 'ai']
>>> tokens("China's 'hard tech\\" - AI") == tokens("China’s “hard tech” — AI")
True
"""

from __future__ import annotations

import unicodedata

import regex

_APOSTROPHES = regex.compile(r"(?<=\w)['’‘`´ʼ](?=\w)")
_WORD = regex.compile(r"[\p{L}\p{N}]+")


def normalize(text: str) -> str:
    """NFKC, case-folded, with in-word apostrophes removed.

    >>> normalize("ＡＩ Isn’t")
    'ai isnt'
    """
    text = unicodedata.normalize("NFKC", text)
    text = _APOSTROPHES.sub("", text)
    return text.casefold()


def tokens(text: str) -> list[str]:
    """Normalised word tokens (letters and digits; punctuation dropped)."""
    return _WORD.findall(normalize(text))


def word_count(text: str) -> int:
    """Number of word tokens, without normalising (fast).

    >>> word_count("It is 2025 — isn't it?")
    6
    """
    return len(_WORD.findall(text))
