"""Word hashes of a batch of texts in one compiled pass (numba).

``hash_words(texts)`` gives the hash of every word of every text, words as
:func:`dedupe.normalize.tokens` finds them, and where each text's words
start. Python's ``unicodedata`` does NFKC (per line, skipping ASCII lines);
one compiled loop over the code points then does the rest of
:func:`dedupe.normalize.normalize` (the in-word apostrophe rule, case
folding) and the splitting into words, and hashes each word as it goes: a
polynomial over its code points modulo 2^64 (Horner, odd multiplier), mixed
by splitmix64. No Python code runs per word or per character.

The character tables come from the same patterns :mod:`dedupe.normalize`
uses, and :func:`word_hash` is the slow, obvious reference the tests hold
the fast path to, word for word.

>>> hashes, first = hash_words(["China’s AI", "chinas ai!", ""], multiplier=3, salt=0)
>>> hashes[:2].tolist() == hashes[2:4].tolist(), first.tolist()
(True, [0, 2, 4, 4])
>>> int(hashes[0]) == word_hash("chinas", multiplier=3, salt=0)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
import regex
from numba import njit

from .codepoints import char_table
from .normalize import _APOSTROPHE_CHARS, _nfkc, _word_table, tokens

_MASK = (1 << 64) - 1
#: Character classes, one byte per code point.
W_CHAR, APOSTROPHE, SEVERAL, WORD = 1, 2, 4, 8
#: Unicode folds no character at or above this code point (the tests check it).
FOLD_LIMIT = 0x20000


@cache
def tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(classes, single-code-point casefold, code points folding to several, their offsets, the folds)."""
    classes = char_table(regex.compile(r"\w+")).astype(np.uint8) * np.uint8(W_CHAR)
    classes |= _word_table().astype(np.uint8) * np.uint8(WORD)  # the table word_count reads: built once
    classes[[ord(c) for c in _APOSTROPHE_CHARS]] |= APOSTROPHE
    fold = np.arange(0x110000, dtype=np.uint32)
    multi, offsets, data = [], [0], []
    for c in range(FOLD_LIMIT):
        if 0xD800 <= c < 0xE000:
            continue
        folded = chr(c).casefold()
        if len(folded) == 1:
            fold[c] = ord(folded)
        else:
            multi.append(c)
            data += [ord(x) for x in folded]
            offsets.append(len(data))
    classes[multi] |= SEVERAL
    return (classes, fold, np.array(multi, dtype=np.uint32), np.array(offsets, dtype=np.int64),
            np.array(data, dtype=np.uint32))


@njit(cache=True, nogil=True)
def _mix(x):  # pragma: no cover - compiled
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@njit(cache=True, nogil=True)
def _scan(points, classes, fold, multi, offsets, data, multiplier, salt, out, first):  # pragma: no cover
    n = len(points)
    ntok = 0
    ndoc = 1
    first[0] = 0
    h = np.uint64(0)
    in_word = False
    buf = np.empty(8, dtype=np.uint32)
    for i in range(n):
        c = points[i]
        if ntok + 3 >= len(out):
            return -1  # out of room (case folds that split words): the caller retries larger
        if c == 0:  # the separator between texts
            if in_word:
                out[ntok] = _mix(h ^ salt)
                ntok += 1
                in_word = False
            first[ndoc] = ntok
            ndoc += 1
            continue
        cls = classes[c]
        if (cls & 2) and 0 < i < n - 1 and (classes[points[i - 1]] & 1) and (classes[points[i + 1]] & 1):
            continue  # an apostrophe inside a word: dropped
        if cls & 4:
            k = np.searchsorted(multi, c)
            count = 0
            for j in range(offsets[k], offsets[k + 1]):
                buf[count] = data[j]
                count += 1
        else:
            buf[0] = fold[c]
            count = 1
        for j in range(count):
            f = buf[j]
            if classes[f] & 8:
                if not in_word:
                    h = np.uint64(0)
                    in_word = True
                h = h * multiplier + np.uint64(f)
            elif in_word:
                out[ntok] = _mix(h ^ salt)
                ntok += 1
                in_word = False
    if in_word:
        out[ntok] = _mix(h ^ salt)
        ntok += 1
    first[ndoc] = ntok
    return ntok


def hash_words(texts: Sequence[str], *, multiplier: int, salt: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the words of all ``texts`` (uint64, in order) and, per text, the index of its
    first word (``len(texts) + 1`` entries: text ``i``'s words are ``[first[i], first[i + 1])``)."""
    if not texts:
        return np.zeros(0, dtype=np.uint64), np.zeros(1, dtype=np.int64)
    # NUL separates the texts; inside a text it becomes another non-word character
    joined = "\x00".join(t.replace("\x00", "\x01") if "\x00" in t else t for t in texts)
    points = np.frombuffer(_nfkc(joined).encode("utf-32-le", "surrogatepass"), dtype="<u4")
    first = np.empty(len(texts) + 1, dtype=np.int64)
    room = len(points) // 2 + 8
    while True:
        out = np.empty(room, dtype=np.uint64)
        ntok = _scan(points, *tables(), np.uint64(multiplier & _MASK), np.uint64(salt & _MASK), out, first)
        if ntok >= 0:
            return out[:ntok], first
        room = 3 * len(points) + 8


def word_hash(word: str, *, multiplier: int, salt: int) -> int:
    """The hash of one normalised word, in plain Python (the reference for :func:`hash_words`)."""
    h = 0
    for ch in word:
        h = (h * multiplier + ord(ch)) & _MASK
    return mix64(h ^ (salt & _MASK))


def mix64(x: int) -> int:
    """splitmix64's finaliser of a 64-bit value, in plain Python (the compiled one is ``_mix``).

    >>> mix64(0), mix64(1) != mix64(2)
    (0, True)
    """
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & _MASK
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def reference_hashes(text: str, *, multiplier: int, salt: int) -> list[int]:
    """:func:`word_hash` of each of :func:`dedupe.normalize.tokens` of ``text``."""
    return [word_hash(w, multiplier=multiplier, salt=salt) for w in tokens(text)]
