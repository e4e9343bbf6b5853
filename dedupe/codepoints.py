"""Tables over all Unicode code points, and the compiled loops that read them (numba).

A regex class such as ``[\\p{L}\\p{N}]`` becomes one entry per code point, so a
compiled loop over a text's code points (its UTF-32 form) can classify every
character without running Python code per character. The patterns stay the
definition: :func:`char_table` derives each table from one, and the tests hold
each compiled pass to its regex.

>>> import regex
>>> table = char_table(regex.compile(r"[\\p{L}\\p{N}]+"))
>>> bool(table[ord("é")]), bool(table[ord("-")])
(True, False)
>>> count_runs(utf32("Zürich, 2025 — it’s"), table)
4
"""

from __future__ import annotations

import re

import numpy as np
import regex
from numba import njit


def char_table(pattern: re.Pattern[str] | regex.Pattern[str]) -> np.ndarray:
    """True for each code point that ``pattern`` (:mod:`re` or :mod:`regex`) matches as a one-character string.

    A pattern that matches runs (``\\w+``) gives the same table as the single character, with fewer matches
    to walk. A lone surrogate (never in text the loops read whole) reads as a space.
    """
    points = np.arange(0x110000, dtype=np.uint32)
    points[0xD800:0xE000] = 0x20  # surrogates cannot be in a str; a space stands in
    chars = points.astype("<u4").tobytes().decode("utf-32-le")
    table = np.zeros(0x110000, dtype=bool)
    for m in pattern.finditer(chars):
        table[m.start() : m.end()] = True
    return table


def utf32(text: str) -> np.ndarray:
    """The code points of ``text`` as an array (lone surrogates kept)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


@njit(cache=True, nogil=True)
def count_runs(points, table):  # pragma: no cover - compiled
    """How many maximal runs of code points that ``table`` marks ``points`` holds."""
    runs = 0
    inside = False
    for c in points:
        if table[c]:
            if not inside:
                runs += 1
                inside = True
        else:
            inside = False
    return runs
