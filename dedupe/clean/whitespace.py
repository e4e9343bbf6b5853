"""Whitespace squashing: runs of any whitespace to one space, trimmed, the way ``str.split`` sees it.

Most lines of a page are already squashed; checking that at C speed first
costs less than splitting and re-joining every line (for a whole document,
:func:`dedupe.clean.linescan.scan` checks every line in one pass).

>>> squash(" a \\u00a0b\\tc "), squash("a b")
('a b c', 'a b')
>>> set(ODD_SPACES) | {" "} == {chr(c) for c in range(0x110000) if chr(c).isspace()}
True
"""

from __future__ import annotations

import re

#: Whitespace other than a single space (``str.split``'s set); a line without it is already squashed.
ODD_SPACES = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + (
    "\u2028\u2029\u202f\u205f\u3000"
)
ODD_SPACE = re.compile(f"[{ODD_SPACES}]")


def squash(text: str) -> str:
    """``" ".join(text.split())``, returning ``text`` itself when it is already squashed."""
    if "  " in text or text[:1] == " " or text[-1:] == " " or ODD_SPACE.search(text):
        return " ".join(text.split())
    return text
