"""Word scans of ASCII text at C speed: the fast path several regex scans share.

A character-class regex (``[a-z0-9']+``, ``[\\p{L}\\p{N}]+``) steps through
the text one code point at a time in the regex engine. On ASCII text the same
words come out of three C string methods: encode, translate every byte outside
the word class to a space, split. News text is mostly ASCII once its
typographic quotes and dashes, which are never word characters, are read as
spaces. Callers keep their regex for text that stays non-ASCII, so results
equal the regex's on every input (tests/test_clean_fastpaths.py checks this
on random text).

>>> table = byte_table(b"abcdefghijklmnopqrstuvwxyz")
>>> text = without_typography("it\\u2019s a \\u201cgood\\u201d day")
>>> text.isascii(), text.encode("ascii").translate(table).decode("ascii").split()
(True, ['it', 's', 'a', 'good', 'day'])
"""

from __future__ import annotations

#: Non-ASCII characters of news text that are never part of a word: quotes, dashes, ellipsis, no-break space.
TYPOGRAPHIC = ("\u2019", "\u2018", "\u201c", "\u201d", "\u2014", "\u2013", "\u2026", "\xa0")


def byte_table(word_bytes: bytes) -> bytes:
    """A ``bytes.translate`` table keeping ``word_bytes`` and turning every other byte into a space."""
    keep = frozenset(word_bytes)
    return bytes(c if c in keep else 32 for c in range(256))


def may_hold(text: str, needles: tuple[str, ...]) -> bool:
    """False only when ``text`` cannot hold a match, found regardless of case, that contains one of ``needles``
    (lower-case literals): on ASCII text, matching regardless of case is plain ASCII, so a substring check of the
    lower-cased text decides at C speed; other text (whose case may fold into ASCII: "ſ", "ı", "K") may always.

    The prefilter the cleaner's slow unanchored regexes share (CMS footers, inline ads, month names, credits).

    >>> may_hold("All Rights Reserved", ("rights",)), may_hold("Rain", ("rights",)), may_hold("Raın", ("rights",))
    (True, False, True)
    """
    if not text.isascii():
        return True
    low = text.lower()
    return any(needle in low for needle in needles)


def without_typography(text: str) -> str:
    """``text`` with the :data:`TYPOGRAPHIC` marks as spaces (returned as is, at once, when it is ASCII).

    >>> without_typography("A \\u2014 B\\u2019s")
    'A   B s'
    """
    if text.isascii():
        return text
    for mark in TYPOGRAPHIC:
        if mark in text:
            text = text.replace(mark, " ")
    return text
