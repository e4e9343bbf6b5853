"""One compiled pass over a whole document: per-line word counts and the junk rules each line can trigger.

The block classifier judges every short line by its own text
(:func:`dedupe.clean.classify.line_verdict`): a chain of about twenty rules,
each gated by trigger words (:mod:`dedupe.clean.patterns`) or a shape (a
separator mark, a leading digit, a glued full stop). Most short lines of an
article trigger none of them, yet paid for lower-casing, tokenising and the
chain (~8 µs a line). :func:`scan` reads the document's lines joined by
``"\\n"`` once, as code points (UTF-16 units when none is beyond U+FFFF), in
one numba function, and gives per line:

- its word count as :func:`dedupe.clean.classify._words` counts it (two
  Chinese or Japanese characters make a word);
- a bit mask of the :data:`RULES` whose trigger the line holds: a trigger
  word anywhere (``ad``, ``newsletter`` …), as its first word (``by``,
  ``share`` …) or a shape (``©``, ``@``, a menu separator, a leading digit or
  bracket, a word ending, a glued full stop);

whether it holds an inline-ad hint (:data:`~dedupe.clean.patterns.AD_HINTS`);
and for the document whether any line needs squashing (double or odd
whitespace, an untrimmed end) and whether it may hold Chinese, Japanese or
Korean letters (:func:`dedupe.clean.coherence.has_cjk`). A line whose mask
meets no rule allowed at its word count gets no verdict without entering the
rule chain, and the chain reads a rule's bit as that rule's gate: the bit is
set exactly when the trigger the chain used to test on the line's own tokens
is there (for ``chrome``, ``nav_row``, ``date_line`` and ``call_to_action``
whenever the rule could fire, the chain keeping its own check), so every
verdict is the one the chain gave before (tests/test_clean_fastpaths.py).

Words are :func:`dedupe.clean.patterns.tokens` of the lower-cased line:
runs of ``[a-z0-9']`` in ``text.lower()`` with every other character a
separator. Only two non-ASCII characters lower-case to ASCII letters (U+0130
to ``i`` + U+0307, U+212A to ``k``; tests/test_clean_fastpaths.py checks
this), so the loop lower-cases ASCII itself. Trigger words are matched by a
trie walked one character at a time (a dead branch ends the walk).

>>> s = scan("Sign up for our newsletter\\nThe council met on Monday and agreed on the budget.")
>>> s.counts, [sorted(rule for rule, bit in RULES.items() if m & bit) for m in s.masks]
([5, 10], [['call_to_action', 'chrome', 'comments', 'newsletter'], []])
>>> s.squashed, s.cjk
(True, False)
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

import numpy as np
from numba import njit

from . import patterns as P
from .whitespace import ODD_SPACES

#: The rules of the chain with a trigger the scan can see, as mask bits.
RULES: dict[str, int] = {
    name: 1 << k
    for k, name in enumerate(
        (
            "ad", "comments", "cms_footer", "directory", "related_heading", "more_stories", "app_promo",
            "newsletter", "share", "cookie", "chrome", "nav_row", "relative_time", "byline", "write_to",
            "dateline", "date_line", "photo_credit", "paren_credit", "call_to_action", "glued_captions",
        )
    )
}

#: Mask bit of a line holding one of :data:`~dedupe.clean.patterns.AD_HINTS` (of any length; not a rule).
AD_HINT = 1 << len(RULES)
# What a call to action needs, found apart: one of its junk nouns, and the site's voice or an imperative first word.
_NOUN, _VOICE, _IMPERATIVE = (AD_HINT << k for k in (1, 2, 3))
#: Mask bit of a line that may be an interface line or a credit caption of :mod:`dedupe.clean.uilines` (not a
#: rule of the chain): it holds one of :data:`~dedupe.clean.patterns.UI_KEYS`, an apostrophe (a word may start
#: or end there: "'Drucken", "Facebook's") or a letter of the Latin-1 and Latin Extended ranges, the Kelvin sign
#: or "©" (the words written with them, and the letters a case-insensitive match folds into ASCII: "ı", "ſ").
UI_HINT = AD_HINT << 4

#: First words of the :data:`~dedupe.clean.patterns.CHROME` alternatives (the pattern is anchored).
CHROME_FIRST = frozenset(
    "logo menu main home search skip back close toggle navigation hashtags tags topics log login sign signin "
    "register my subscribe open advertise contact about privacy terms".split()
)

#: Trigger words found anywhere in a line, per rule.
ANY_WORD: dict[str, frozenset[str]] = {
    "ad": P.AD_KEYS,
    "comments": P.COMMENTS_KEYS,
    "cms_footer": P.CMS_FOOTER_KEYS,
    "app_promo": P.APP_PROMO_KEYS,
    "newsletter": P.NEWSLETTER_KEYS,
    "cookie": P.COOKIE_KEYS,
    "relative_time": frozenset({"ago"}),
}
#: Trigger words that count only as a line's first word, per rule.
FIRST_WORD: dict[str, frozenset[str]] = {
    "related_heading": P.RELATED_MARKER_FIRST,
    "more_stories": P.MORE_STORIES_FIRST,
    "share": P.SHARE_FIRST,
    "chrome": CHROME_FIRST,
    "byline": P.BYLINE_FIRST,
    "dateline": P.DATELINE_FIRST,
    "date_line": P.DATE_ONLY_FIRST,
    "photo_credit": P.CREDIT_FIRST,
}

# The token characters (ASCII is lower-cased first; every other character is a separator), and each one's
# column in the trie of trigger words.
_TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789'"
_COLUMN = {c: k + 1 for k, c in enumerate(_TOKEN_CHARS)}
# Per code point below 0x10000: what the scan must notice (bits of the kinds below).
_SPACE, _ODD, _NAV, _COPY, _AT, _END, _CLOSE, _OPEN, _GLUE_BEFORE, _GLUE_AFTER, _HAN, _DIGIT, _LATIN = (
    1 << k for k in range(13)
)
_TABLE_SIZE = 0x10000
#: Han ideographs and Japanese kana: about two of them make a word.
HAN_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _rarity(char: str) -> int:
    """How rare a character is in English text, roughly: a hint is looked for only where its rarest one is."""
    common = " etaoinshrdlcumwfgypbvkjxqz"
    return common.index(char.lower()) if char.lower() in common else len(common)


@cache
def _tables() -> tuple[
    np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray,
    np.ndarray, np.ndarray,
]:
    """(token columns, character kinds, ASCII the first pass stops at, trie transitions, trie bits anywhere,
    trie bits as first word, the directory endings, their lengths, the inline-ad hints, their lengths, their
    anchor letters); the trie and the endings are in token columns."""
    token = np.zeros(128, dtype=np.uint8)  # per ASCII character, its token character's trie column (0: none)
    for c in _TOKEN_CHARS:
        token[ord(c)] = token[ord(c.upper())] = _COLUMN[c]
    kind = np.zeros(_TABLE_SIZE, dtype=np.uint16)
    kind[ord(" ")] |= _SPACE
    for c in ODD_SPACES.replace("\n", ""):  # "\n" joins the lines
        kind[ord(c)] |= _ODD
    for c in "|/·•»":
        kind[ord(c)] |= _NAV
    kind[ord("©")] |= _COPY
    kind[ord("@")] |= _AT
    for c in ".!?":
        kind[ord(c)] |= _END
    for c in "\"'”’)":
        kind[ord(c)] |= _CLOSE
    for c in "\"'“‘(":
        kind[ord(c)] |= _OPEN
    for c in "abcdefghijklmnopqrstuvwxyz0123456789" + "".join(map(chr, range(0xDF, 0x100))):
        kind[ord(c)] |= _GLUE_BEFORE
    for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ(" + "".join(map(chr, range(0xC0, 0xDF))):
        kind[ord(c)] |= _GLUE_AFTER
    for m in HAN_KANA.finditer("".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, _TABLE_SIZE)))):
        kind[m.start() + (0 if m.start() < 0xD800 else 0x800)] |= _HAN
    for code in range(128, _TABLE_SIZE):
        if chr(code).isdigit():
            kind[code] |= _DIGIT
    for code in [*range(0xC0, 0x250), 0x212A, ord("©")]:
        kind[code] |= _LATIN
    if not all(hint.isascii() and "\n" not in hint for hint in P.AD_HINTS):
        raise ValueError("patterns.AD_HINTS must be ASCII without line breaks: the scan matches them on ASCII")
    anchors = [max(range(len(hint)), key=[_rarity(c) for c in hint].__getitem__) for hint in P.AD_HINTS]
    hints = np.zeros((len(P.AD_HINTS), max(map(len, P.AD_HINTS))), dtype=np.uint32)
    for k, hint in enumerate(P.AD_HINTS):
        hints[k, : len(hint)] = [ord(c) for c in hint]

    words: dict[str, tuple[int, int]] = {}  # word -> (bits anywhere, bits as first word)
    anywhere_bits = [(RULES[rule], keys) for rule, keys in ANY_WORD.items()] + [
        (_NOUN, P.NEWSLETTER_NOUN_KEYS | P.APP_NOUN_KEYS | P.COOKIE_NOUN_KEYS), (_VOICE, P.VOICE_KEYS),
        (UI_HINT, P.UI_KEYS)]
    first_bits = [(RULES[rule], keys) for rule, keys in FIRST_WORD.items()] + [(_IMPERATIVE, P.IMPERATIVE_FIRST)]
    for bit, keys in anywhere_bits:
        for w in keys:
            anywhere, first = words.get(w, (0, 0))
            words[w] = (anywhere | bit, first)
    for bit, keys in first_bits:
        for w in keys:
            anywhere, first = words.get(w, (0, 0))
            words[w] = (anywhere, first | bit)
    width = len(_TOKEN_CHARS) + 1  # a column per token character (a small table stays in the cache)
    trie = [[0] * width, [0] * width]  # state 0: no trigger word continues so (it stays there); state 1: the root
    acc_any, acc_first = [0, 0], [0, 0]

    def walk(state: int, w: str) -> int:  # the state after ``w`` from ``state``, adding what is missing
        for c in w:
            nxt = trie[state][_COLUMN[c]]
            if nxt == 0:
                nxt = trie[state][_COLUMN[c]] = len(trie)
                trie.append([0] * width)
                acc_any.append(0)
                acc_first.append(0)
            state = nxt
        return state

    for w, (anywhere, first) in words.items():
        if not w or any(c not in _TOKEN_CHARS for c in w):
            continue  # no token can equal it ("e-mail" is two tokens): it can never trigger
        state = walk(1, w)
        acc_any[state] |= anywhere
        acc_first[state] |= first
    # An apostrophe is a token character, but no word character of the interface regexes: "'Drucken" and
    # "Facebook's" hold their words. A token opening with an apostrophe, or a UI key followed by one, marks UI_HINT.
    rest = len(trie)  # what follows: any token characters
    trie.append([rest] * width)
    acc_any.append(UI_HINT)
    acc_first.append(0)
    if trie[1][_COLUMN["'"]]:
        raise ValueError("a trigger word opens with an apostrophe: the trie cannot mark every such token UI_HINT")
    trie[1][_COLUMN["'"]] = rest
    for w in P.UI_KEYS:
        state = walk(1, w)
        acc_any[state] |= UI_HINT
        if trie[state][_COLUMN["'"]] not in (0, rest):
            raise ValueError(f"a trigger word continues UI key {w!r} with an apostrophe: the trie cannot mark both")
        trie[state][_COLUMN["'"]] = rest
    endings = np.zeros((len(P.DIRECTORY_LAST), max(map(len, P.DIRECTORY_LAST))), dtype=np.uint32)
    for k, w in enumerate(P.DIRECTORY_LAST):
        endings[k, : len(w)] = [_COLUMN[c] for c in w]
    rare = np.zeros(128, dtype=np.uint8)  # ASCII that the first pass must look at: line breaks, controls, anchors
    rare[:32] = 1
    for hint, k in zip(P.AD_HINTS, anchors, strict=True):
        rare[ord(hint[k])] = 1
    return (token, kind, rare, np.array(trie, dtype=np.int16 if len(trie) < 1 << 15 else np.int32), np.array(acc_any, dtype=np.int64),
            np.array(acc_first, dtype=np.int64), endings,
            np.array([len(w) for w in P.DIRECTORY_LAST], dtype=np.int64), hints,
            np.array([len(h) for h in P.AD_HINTS], dtype=np.int64), np.array(anchors, dtype=np.int64))


_R = RULES
_CMS, _NAV_ROW, _WRITE_TO, _DATE_LINE, _PAREN, _CHROME, _GLUE, _DIRECTORY, _CALL_TO_ACTION = (
    _R["cms_footer"], _R["nav_row"], _R["write_to"], _R["date_line"], _R["paren_credit"], _R["chrome"],
    _R["glued_captions"], _R["directory"], _R["call_to_action"],
)


@njit(cache=True, nogil=True)
def _scan(  # pragma: no cover
    points, token, kind, rare, trie, acc_any, acc_first, endings, ending_lengths, hints, hint_lengths, hint_anchors,
    limit, counts, masks,
):
    """Fill ``counts`` and ``masks`` per line of ``points`` (each ends with "\\n"); return (lines seen, needs
    squashing, may hold CJK, lines with an ad hint).

    First every character: line ends, spaces, odd whitespace, CJK. Then the words and marks of each
    line of at most ``limit`` words.
    """
    n = len(points)
    size = len(kind)
    nlines = len(counts)
    ends = np.empty(nlines + 1, dtype=np.int64)
    hinted = np.zeros(nlines + 1, dtype=np.bool_)
    nhinted = 0
    line = 0
    start = 0
    spaces = 0
    han = 0  # Han ideographs and kana of the line
    squash = False
    cjk = False
    p = 10  # the character before
    for i in range(n):  # every line ends with "\n"; branch-free for the common characters
        c = points[i]
        space = c == 32
        spaces += space
        squash |= space & ((p == 32) | (p == 10))  # a double space, a line starting with one
        if c >= 128 or rare[c]:
            if c == 10:
                length = i - start
                if p == 32:
                    squash = True
                if line < nlines:
                    words = spaces + 1
                    if han:  # as classify._words counts a line with Chinese or Japanese
                        counts[line] = max(words, han // 2 + (length - han) // 8)
                    else:
                        counts[line] = 0 if length == 0 else length // 8 if length > 16 * words else words
                    # over the limit by its count, not by its spaces: not scanned for words, it may hold an
                    # interface word
                    masks[line] = UI_HINT if counts[line] > limit and words <= limit else 0
                    ends[line] = i
                line += 1
                start = i + 1
                spaces = 0
                han = 0
            elif c < 32 or c >= 128:  # control characters, non-ASCII
                if c < size and kind[c] & _ODD:
                    squash = True
                if 0x3000 <= c <= 0xFFFF:  # U+3000 is both
                    cjk = True
                    if kind[c] & _HAN:
                        han += 1
            elif line < nlines and not hinted[line]:  # an inline-ad hint's anchor letter
                for k in range(len(hint_lengths)):
                    at = i - hint_anchors[k]
                    m = hint_lengths[k]
                    if hints[k, hint_anchors[k]] == c and at >= start and at + m <= n:
                        same = True
                        for j in range(m):
                            if points[at + j] != hints[k, j]:
                                same = False
                                break
                        if same:
                            hinted[line] = True
                            nhinted += 1
                            break
        p = c
    if line != nlines:
        return line, squash, cjk, nhinted
    start = 0
    for line in range(nlines):
        end = ends[line]
        mask = masks[line] | AD_HINT if hinted[line] else masks[line]
        if counts[line] <= limit and end > start:
            c = points[start]  # the line's first character
            if 48 <= c <= 57 or c >= size or (c >= 128 and kind[c] & _DIGIT):
                mask |= _DATE_LINE  # str.isdigit (beyond the table: may be one)
            elif c == 40 or c == 91:
                mask |= _PAREN
            state = 1  # trie state: 1 between words (the root), 0 in a word no trigger starts with
            first = -1  # the bits a word may add as the line's first word: all, then none
            separators = 0
            for i in range(start, end + 1):  # to the line's "\n"
                c = points[i]
                # Words: lower-cased ASCII token characters; U+212A lower-cases to "k", U+0130 to "i" + U+0307.
                if c < 128:
                    t = token[c]
                else:
                    mask |= _CHROME  # case-insensitive matching may fold it into an ASCII letter
                    if c < size and kind[c] & _LATIN:
                        mask |= UI_HINT
                    t = token[107] if c == 0x212A else token[105] if c == 0x130 else 0
                if t:
                    state = trie[state, t]
                    if c != 0x130:
                        continue
                if state != 1:  # a word ends here (U+0307 after "i" is a separator)
                    mask |= acc_any[state] | (acc_first[state] & first)
                    first = 0
                    state = 1
                if c >= size:
                    continue
                kd = kind[c]
                if kd < _NAV:  # nothing but a space or odd whitespace
                    continue
                if kd & _NAV:  # a menu row has two separators or more
                    separators += 1
                if kd & _COPY:
                    mask |= _CMS
                if kd & _AT:
                    mask |= _WRITE_TO
                if kd & _END and i > start and i + 1 < end:  # a glued full stop: GLUE_HINT at i - 1
                    p = points[i - 1]
                    if p < size and kind[p] & _GLUE_BEFORE:
                        a = points[i + 1]
                        b = points[i + 2] if i + 2 < end else 10
                        d = points[i + 3] if i + 3 < end else 10
                        ka = kind[a] if a < size else 0
                        kb = kind[b] if b < size else 0
                        kc = kind[d] if d < size else 0
                        if ka & _GLUE_AFTER or (ka & (_CLOSE | _OPEN) and kb & _GLUE_AFTER) or (
                            ka & _CLOSE and kb & _OPEN and kc & _GLUE_AFTER
                        ):
                            mask |= _GLUE
            if separators >= 2:
                mask |= _NAV_ROW
            if mask & _NOUN and mask & (_VOICE | _IMPERATIVE):
                mask |= _CALL_TO_ACTION
            mask &= ~(_NOUN | _VOICE | _IMPERATIVE)
            length = end - start
            for k in range(len(ending_lengths)):  # low.endswith(a directory word)
                m = ending_lengths[k]
                if length >= m:
                    same = True
                    for j in range(m):
                        p = points[end - m + j]
                        if p >= 128 or token[p] != endings[k, j]:
                            same = False
                            break
                    if same:
                        mask |= _DIRECTORY
                        break
        masks[line] = mask
        start = end + 1
    return nlines, squash, cjk, nhinted


class LineScan(NamedTuple):
    """What :func:`scan` found: per line, words and rule bits; for the document, two flags."""

    counts: list[int]
    """Words of each line, as :func:`dedupe.clean.classify._words` counts them."""
    masks: list[int]
    """Per line, the :data:`RULES` bits whose trigger the line holds."""
    squashed: bool
    """Every line is already squashed (no double or odd whitespace, no untrimmed end)."""
    cjk: bool
    """Some line may hold Chinese, Japanese or Korean letters (as :func:`~dedupe.clean.coherence.has_cjk`)."""
    hinted: int
    """Lines holding an inline-ad hint (:data:`~dedupe.clean.patterns.AD_HINTS`); their masks have :data:`AD_HINT`."""


def scan(joined: str, lines: int | None = None, limit: int = 1 << 30) -> LineScan:
    """Scan ``joined`` (a document's lines joined by ``"\\n"``; ``lines`` of them when known).

    Lines of more than ``limit`` words (:attr:`LineScan.counts`) get no rule bits (mask 0).

    Raises ValueError when ``lines`` is given and the text holds another number of lines
    (a line with a ``"\\n"`` of its own): the caller then judges every line the slow way.
    """
    count = joined.count("\n") + 1 if lines is None else lines
    text = joined + "\n"
    data = text.encode("utf-16-le", "surrogatepass")  # faster than UTF-32; one unit per character up to U+FFFF
    if len(data) == 2 * len(text):
        points = np.frombuffer(data, dtype=np.uint16)
    else:  # a character beyond U+FFFF took two units
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    counts = np.empty(count, dtype=np.int64)
    masks = np.empty(count, dtype=np.int64)
    seen, squash, cjk, hinted = _scan(points, *_tables(), limit, counts, masks)
    if seen != count:
        raise ValueError(f"{seen} lines in the joined text, {count} expected: a line holds a line break")
    return LineScan(counts.tolist(), masks.tolist(), not squash, cjk, hinted)
