"""Metadata helpers: dates to ISO 8601, author names, title clean-up.

>>> author_name("By Jane Doe and John Roe | Reuters")
'Jane Doe, John Roe'

>>> iso_date("July 30, 2025")
'2025-07-30'
>>> iso_date("2025-07-30T08:15:00+08:00")
'2025-07-30'
>>> iso_date("30 Jul 2025")
'2025-07-30'
>>> iso_date("no date here") is None
True
"""

from __future__ import annotations

import datetime as _dt
from functools import lru_cache

import regex

from ..asciiscan import may_hold
from .whitespace import squash

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
_MONTH = r"(?<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = [
    regex.compile(r"(?<y>(19|20)\d{2})[-/.](?<m>\d{1,2})[-/.](?<d>\d{1,2})"),
    regex.compile(_MONTH + r"\s+(?<d>\d{1,2})(st|nd|rd|th)?,?\s+(?<y>(19|20)\d{2})", regex.I),
    regex.compile(r"(?<d>\d{1,2})(st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?<y>(19|20)\d{2})", regex.I),
    regex.compile(r"/(?<y>(19|20)\d{2})/(?<m>\d{1,2})/(?<d>\d{1,2})/"),
]


#: The patterns that need no month name (the first and the last).
_NUMERIC_PATTERNS = [_DATE_PATTERNS[0], _DATE_PATTERNS[3]]
#: Every month name starts with one of these.
_MONTH_STARTS = tuple(sorted({name[:3] for name in _MONTHS}))


#: Date strings whose :func:`iso_date` is remembered: a corpus repeats its dates (a day's stories, a site's
#: "Published …" lines), the classifier reads a dateline's date twice (its rule, then the date field), and the
#: date patterns are the cleaner's slowest regexes (~5 µs a call, more with cold caches).
ISO_DATE_CACHE = 1 << 12


@lru_cache(maxsize=ISO_DATE_CACHE)
def iso_date(value: str | None) -> str | None:
    """The first calendar date found in ``value`` as ``YYYY-MM-DD``, else None.

    Every pattern needs a year 19xx or 20xx, and two of them a month name: C-speed substring
    checks rule them out first (on ASCII text, where matching regardless of case is plain ASCII).
    A pure function of ``value``, so it is memoized; ``iso_date.cache_clear()`` empties the memo.
    """
    if not value or ("19" not in value and "20" not in value):
        return None
    patterns = _DATE_PATTERNS if may_hold(value, _MONTH_STARTS) else _NUMERIC_PATTERNS
    for pattern in patterns:
        for match in pattern.finditer(value):
            groups = match.groupdict()
            month = groups.get("m")
            # casefold, not lower: the patterns match regardless of case, so "ſep" (long s) is "sep"
            month_num = int(month) if month else _MONTHS[groups["month"].casefold().rstrip(".")]
            try:
                day = _dt.date(int(groups["y"]), month_num, int(groups["d"]))
            except ValueError:
                continue
            return day.isoformat()
    return None


#: Marks that separate a title from its site name ("Story | Site", "Story - Site").
_SUFFIX_MARKS = "|-–—:·•»"
_MARK_CLASS = regex.escape(_SUFFIX_MARKS)
_TITLE_SUFFIX = regex.compile(rf"\s+[{_MARK_CLASS}]\s+[^{_MARK_CLASS}]{{2,60}}$")


def strip_site_suffix(title: str, site: str | None = None) -> str:
    """A page title without its trailing site name ("Story | Site").

    >>> strip_site_suffix("China's AI push | The Straits Times")
    "China's AI push"
    >>> strip_site_suffix("Storm hits | Aktuálně.cz", "Aktuálně.cz - Víte, co se děje")
    'Storm hits'
    >>> strip_site_suffix("Q&A: what now")
    'Q&A: what now'
    """
    title = squash(title)
    if not site and not any(mark in title for mark in _SUFFIX_MARKS):  # no separator, no suffix (C-speed scans)
        return title
    match = _TITLE_SUFFIX.search(title)
    if site and match and len(match.group(0)) > 4:
        suffix = match.group(0).strip(" " + _SUFFIX_MARKS).lower()
        if len(suffix) >= 3 and site.lower().startswith(suffix):
            return title[: match.start()].strip()  # "Story | Site" where the site is "Site - its motto"
    if site and title.lower().endswith(site.lower()) and len(title) > len(site) + 3:
        return squash(title[: -len(site)]).rstrip(_SUFFIX_MARKS + " ").strip()
    if match and len(title) - len(match.group(0)) >= 15:
        return title[: match.start()].strip()
    return title


#: What separates the names from a desk or site ("Jane Doe | Reuters"), and "and"/"&" between names (compiled
#: once: the regex module's own pattern cache costs ~3 µs a call).
_DESK = regex.compile(r"\s*[|]\s*")
_AND = regex.compile(r"\s+(?:and|&)\s+")
#: What a byline puts before the names ("By Jane Doe", "Words by …").
_BYLINE_LEAD = regex.compile(r"^(?:(?:written|words|reporting|text|story|posted)\s+)?by(?:\s*:?\s+|\s*$)", regex.I)


def author_name(byline: str | None) -> str | None:
    """The names of a byline, as the ``author`` field carries them on every input.

    The "By" lead-in goes, the part after a ``|`` (a desk or site) goes, and
    "and"/"&" between names become commas; names keep their own spelling.

    >>> author_name("Written by  Ana Silva & Tom Li")
    'Ana Silva, Tom Li'
    >>> author_name("Byron Katie")
    'Byron Katie'
    >>> author_name("By ") is None
    True
    """
    if not byline:
        return None
    body = _BYLINE_LEAD.sub("", byline.strip())
    body = _DESK.split(body)[0]
    return " ".join(_AND.sub(", ", body).split()) or None
