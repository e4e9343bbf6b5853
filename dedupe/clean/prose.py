"""Whether a block reads as an article's prose, by its text alone.

The HTML cleaner's :func:`~dedupe.clean.dom.is_body_paragraph` adds what the
page shows (few links, no heading element); the classifier uses the text part
on plain text, so the two cleaners agree on a block that reads as a sentence of
the article ("So today, we're introducing Messenger, a new mobile app …").
"""

from __future__ import annotations

import regex

from .patterns import IMPERATIVE

#: A sentence ends at the block's end (maybe closing a quote or bracket), or another starts inside it.
PROSE_END = regex.compile(r"[.!?…\"”'’)\]。！？]\s*$|[.!?]\s+\p{Lu}|[。！？]")
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
_SENTENCE_START = regex.compile(r"(?<=[.!?…][\"'”’)\]]*)\s+")


def reads_as_prose(text: str) -> bool:
    """A sentence-like run of words: 12 or more, or a short sentence (5+ words or 30+ characters).

    Scripts written without spaces count about two characters a word.

    >>> reads_as_prose("The mayor said the bridge would reopen in May."), reads_as_prose("Home News Sport Weather")
    (True, False)
    >>> reads_as_prose("一波波接續性低溫寒流報到 已將新竹尖石鄉後山一帶層層山巒披上嫣紅的彩衣")
    True
    """
    words = text.count(" ") + 1
    if not text.isascii():
        words += len(_CJK.findall(text)) // 2
    if words >= 12:
        return True
    return (words >= 5 or len(text) >= 30) and PROSE_END.search(text) is not None


def gives_an_order(text: str) -> bool:
    """Whether a sentence of ``text`` opens with an order to the reader ("Sign up …"), the first or a later one
    (a promo may open with a question: "Ready to dive in? Download our app today …").

    >>> gives_an_order("Ready to dive in? Download the app today and start exploring.")
    True
    >>> gives_an_order("So today, we're introducing Messenger, a new mobile app. It ships on Monday.")
    False
    """
    return any(IMPERATIVE.search(part) is not None for part in _SENTENCE_START.split(text))
