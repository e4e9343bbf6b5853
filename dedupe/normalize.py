"""Text normalisation and word tokens: the one place both cleaning and
signing agree on what a "word" is.

Normalisation folds the differences syndication introduces and that carry no
meaning: Unicode compatibility forms (NFKC), curly vs straight quotes,
apostrophes inside words, dashes, case and whitespace.

>>> tokens("China’s “hard tech” — AI")
['chinas', 'hard', 'tech', 'ai']
>>> tokens("China's 'hard tech\\" - AI") == tokens("China’s “hard tech” — AI")
True

A word is a maximal run of letters and digits (``[\\p{L}\\p{N}]+``) of the
normalised text. :mod:`dedupe.wordhash` turns these same patterns into
tables over code points for the compiled signer, and is tested against
:func:`tokens` word for word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import numpy as np
import regex

from .asciiscan import byte_table, without_typography
from .codepoints import char_table, count_runs, utf32

_APOSTROPHE_CHARS = "'’‘`´ʼ"
_APOSTROPHES = regex.compile(rf"(?<=\w)[{_APOSTROPHE_CHARS}](?=\w)")  # the rule, stated once
_APOSTROPHE_SCAN = re.compile(f"[{_APOSTROPHE_CHARS}]")  # fast scan for candidates only
_WORD_CHAR = regex.compile(r"\w")
_WORD = regex.compile(r"[\p{L}\p{N}]+")
_is_w: dict[str, bool] = {}
# [\p{L}\p{N}] restricted to ASCII, for the byte-translation fast path of word_count.
_ALNUM_BYTES = byte_table(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _word_char(c: str) -> bool:
    hit = _is_w.get(c)
    if hit is None:
        hit = _is_w[c] = _WORD_CHAR.fullmatch(c) is not None
    return hit


def _drop_apostrophes(text: str) -> str:
    """``_APOSTROPHES.sub("", text)``, faster: scan for apostrophes, test their neighbours.

    >>> _drop_apostrophes("isn't 'quoted' rock'n'roll") == _APOSTROPHES.sub("", "isn't 'quoted' rock'n'roll")
    True
    """
    if text.isascii() and "'" not in text and "`" not in text:  # the usual title or line: no apostrophe at all
        return text
    last = len(text) - 1
    cuts = [
        p
        for p in (m.start() for m in _APOSTROPHE_SCAN.finditer(text))
        if 0 < p < last and _word_char(text[p - 1]) and _word_char(text[p + 1])
    ]
    if not cuts:
        return text
    parts, prev = [], 0
    for p in cuts:
        parts.append(text[prev:p])
        prev = p + 1
    parts.append(text[prev:])
    return "".join(parts)


def _nfkc(text: str) -> str:
    """NFKC, line by line, skipping ASCII lines (ASCII is already NFKC; a newline
    never composes with its neighbours, so the result equals NFKC of the whole)."""
    if text.isascii():
        return text
    return "\n".join(
        line if line.isascii() else unicodedata.normalize("NFKC", line) for line in text.split("\n")
    )


def normalize(text: str) -> str:
    """NFKC, case-folded, with in-word apostrophes removed.

    >>> normalize("ＡＩ Isn’t")
    'ai isnt'
    """
    return _drop_apostrophes(_nfkc(text)).casefold()


def tokens(text: str) -> list[str]:
    """Normalised word tokens (letters and digits; punctuation dropped)."""
    return _WORD.findall(normalize(text))


#: A sentence end: ``.``, ``!`` or ``?`` (closing quotes or brackets may follow), then space and a capital
#: letter, maybe after an opening quote or bracket.
_SENTENCE_END = regex.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?\p{Lu})")


def first_sentence_end(text: str, *, within: int = 1000) -> int:
    """Where the first sentence of ``text`` ends (the offset of its closing mark), when it ends within
    the first ``within`` characters and another sentence follows; 0 when not.

    Headline, date and byline lines pasted onto a story's first line end no sentence, so
    they stay before the first sentence end, and what follows it reads the same in
    every copy of the story, however much was glued on top.

    >>> text = "Storm hits Posted: June 3, 2024 at 9:14 am The storm hit the coast. “It rained,” he said."
    >>> text[first_sentence_end(text):]
    '. “It rained,” he said.'
    >>> first_sentence_end("no sentence ends here."), first_sentence_end("Too far. Away", within=5)
    (0, 0)
    """
    match = _SENTENCE_END.search(text, 0, within)
    return match.start() if match else 0


def word_count(text: str) -> int:
    """Number of word tokens (``[\\p{L}\\p{N}]+`` runs), without normalising (fast).

    Counted with C string methods on ASCII text (:mod:`dedupe.asciiscan`), and in one compiled loop
    over the code points of any other text (:func:`dedupe.codepoints.count_runs`).

    >>> word_count("It is 2025 — isn't it?"), word_count("Zürich, 2025\\nEnd")
    (6, 3)
    """
    plain = without_typography(text)
    if plain.isascii():
        return len(plain.encode("ascii").translate(_ALNUM_BYTES).split())
    return int(count_runs(utf32(text), _word_table()))


@cache
def _word_table() -> np.ndarray:
    """:data:`_WORD`'s characters, one entry per code point."""
    return char_table(_WORD)
