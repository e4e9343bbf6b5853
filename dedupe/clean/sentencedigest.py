"""Digests of lines and of the sentences that tell copies apart, in one compiled pass (numba).

The site-template pass (:mod:`dedupe.clean.recurring`) tells copies of a story
apart by the sentences they share (:func:`copy_keys`) and keeps, beside each
short line, the sentence line next to it. Only the *equality* of those texts
matters, so it keeps 64-bit digests of them (:func:`digest`): small to hold for
a whole corpus and to pass between worker processes.

:func:`copy_keys` and :func:`digest` are the plain, readable definitions.
:func:`line_digests` gives the same numbers for a batch of lines in one loop
over their code points (no Python code per line, sentence or character): it
splits sentences and words and hashes them as it goes, where the plain path
runs a regex split, a regex substitution and a join per line. The tests hold
the compiled pass to the reference, digest for digest.

>>> keys = ['he said: "we will win." then he left the room, and the crowd went home at last.']
>>> copy_keys(keys[0])
['then he left the room and the crowd went home at last']
>>> whole, sentences, starts = line_digests(keys)
>>> whole == [digest(keys[0])], sentences == [digest(copy_keys(keys[0])[0])], starts
(True, True, [0, 1])
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import numpy as np
from numba import njit

from ..codepoints import char_table
from ..wordhash import _mix, mix64
from .whitespace import ODD_SPACES

#: Sentences of at least this many words tell copies apart.
COPY_LINE_WORDS = 10

#: Marks that end a sentence (the template pass also tells a sentence line from a headline by them).
SENTENCE_ENDS = ".!?。！？"
_QUOTES = "\u201c\u201d\u2018\u2019\"'`«»„"
#: A sentence end: copies may join, split or re-punctuate paragraphs, but keep most sentences.
_SENTENCE_SPLIT = re.compile(rf"(?<=[{SENTENCE_ENDS}])\s+|[{_QUOTES}]+")
_NOT_WORD = re.compile(r"[^\w\s]+")

_MASK = (1 << 64) - 1
#: FNV-1a (64-bit) over code points, finished by splitmix64 (:func:`dedupe.wordhash.mix64`).
_FNV_OFFSET, _FNV_PRIME = 0xCBF29CE484222325, 0x100000001B3
#: Character kinds of the compiled pass, one byte per code point.
_WORD, _SPACE, _QUOTE, _END = 1, 2, 4, 8


def copy_keys(key: str) -> list[str]:
    """The sentences of a line (a :func:`~dedupe.clean.recurring.line_key`) that tell copies apart, in a
    form that survives re-quoting and re-joined paragraphs: split at sentence ends and quote marks,
    punctuation dropped, at least :data:`COPY_LINE_WORDS` words each.

    >>> copy_keys('he said: "we will win." then he left the room, and the crowd went home at last.')
    ['then he left the room and the crowd went home at last']
    """
    out = []
    for part in _SENTENCE_SPLIT.split(key):
        words = _NOT_WORD.sub(" ", part).split()
        if len(words) >= COPY_LINE_WORDS:
            out.append(" ".join(words))
    return out


def digest(text: str) -> int:
    """A stable 64-bit digest of a text (the same in every process, unlike :func:`hash`).

    >>> digest("follow us") == digest("follow us") != digest("follow them")
    True
    """
    h = _FNV_OFFSET
    for ch in text:
        h = ((h ^ ord(ch)) * _FNV_PRIME) & _MASK
    return mix64(h)


@cache
def _kinds() -> np.ndarray:
    """Per code point, its kinds: a word character and a space as :mod:`re` sees them (``\\w``, and
    ``\\s``, which is :meth:`str.isspace`), a quote mark, a sentence end."""
    kinds = char_table(re.compile(r"\w+")).astype(np.uint8) * np.uint8(_WORD)  # (runs: fewer matches)
    kinds[[ord(c) for c in " " + ODD_SPACES]] |= _SPACE
    kinds[[ord(c) for c in _QUOTES]] |= _QUOTE
    kinds[[ord(c) for c in SENTENCE_ENDS]] |= _END
    return kinds


@njit(cache=True, nogil=True)
def _digests(points, kinds, min_words, whole, sentences, line_of):  # pragma: no cover - compiled
    """Each NUL-ended line's digest into ``whole``; each sentence's (of ``min_words`` words or more)
    into ``sentences``, its line into ``line_of``; returns the number of sentences."""
    offset, prime = np.uint64(0xCBF29CE484222325), np.uint64(0x100000001B3)
    space = np.uint64(32)
    line = 0
    found = 0
    h_line = offset
    h_sent = offset
    words = 0
    in_word = False
    after_end = False
    for i in range(len(points)):
        c = points[i]
        kind = kinds[c]
        if c == 0 or (kind & 4) or ((kind & 2) and after_end):  # a line's or a sentence's end
            if words >= min_words:
                sentences[found] = _mix(h_sent)
                line_of[found] = line
                found += 1
            h_sent = offset
            words = 0
            in_word = False
            after_end = False
            if c == 0:
                whole[line] = _mix(h_line)
                line += 1
                h_line = offset
                continue
        elif kind & 1:
            if not in_word:
                if words:
                    h_sent = (h_sent ^ space) * prime
                words += 1
                in_word = True
            h_sent = (h_sent ^ np.uint64(c)) * prime
        else:
            in_word = False
        h_line = (h_line ^ np.uint64(c)) * prime
        after_end = (kind & 8) != 0
    return found


def line_digests(keys: Sequence[str]) -> tuple[list[int], list[int], list[int]]:
    """:func:`digest` of each line, and the digests of the lines' :func:`copy_keys`, in one compiled pass.

    Returns ``(whole, sentences, starts)``: line ``i``'s digest is ``whole[i]`` and its sentences' are
    ``sentences[starts[i]:starts[i + 1]]`` (one flat list: no list per line to build). A NUL character
    inside a line counts as another punctuation mark (the line's digest is then that of the line with
    ``"\\x01"`` in its place).

    >>> sentence = "two three four five six seven eight nine ten eleven"
    >>> whole, sentences, starts = line_digests(["short line", "one. " + sentence])
    >>> whole[0] == digest("short line"), starts, sentences == [digest(sentence)]
    (True, [0, 0, 1], True)
    """
    if not keys:
        return [], [], [0]
    joined = "".join(k.replace("\x00", "\x01") + "\x00" if "\x00" in k else k + "\x00" for k in keys)
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    whole = np.empty(len(keys), dtype=np.uint64)
    room = len(points) // (2 * COPY_LINE_WORDS) + 1  # a sentence and its end take 20 characters at least
    sentences = np.empty(room, dtype=np.uint64)
    line_of = np.empty(room, dtype=np.int64)
    found = _digests(points, _kinds(), COPY_LINE_WORDS, whole, sentences, line_of)
    starts = np.searchsorted(line_of[:found], np.arange(len(keys) + 1))  # sentences come in line order
    return whole.tolist(), sentences[:found].tolist(), starts.tolist()
