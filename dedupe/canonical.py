"""Choosing the canonical copy of a cluster, and merging metadata into it.

The policy (:class:`~dedupe.config.CanonicalPolicy`) is an ordered list of
criteria; each turns a document into a sort key, smaller is better:

- ``preferred_source``: position of the document's source in the
  preferred-sources list (unlisted sources come after all listed ones);
- ``longest``: more body words first (the most complete copy);
- ``fewest_removals``: fewer junk removals first (the cleanest page);
- ``most_metadata``: more of title, date, author, source known first;
- ``earliest_date``: earliest date first (unknown dates last);
- ``id``: smallest id, the stable tie-break.

The reason recorded is the first criterion that separates the winner from
the runner-up.

>>> from dedupe.types import CleanDoc
>>> a = CleanDoc("a", "one two three", title="T")
>>> b = CleanDoc("b", "one two three four", date="2025-07-30")
>>> choose([a, b], CanonicalPolicy())
(1, 'longest: 4 words vs 3')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .config import CanonicalPolicy
from .types import CleanDoc

WordCounter = Callable[[CleanDoc], int]


def _words(d: CleanDoc) -> int:
    return d.words


def _keys(policy: CanonicalPolicy, words: WordCounter = _words) -> dict[str, Callable[[CleanDoc], Any]]:
    preferred = {s.lower(): i for i, s in enumerate(policy.preferred_sources)}
    return {
        "preferred_source": lambda d: preferred.get((d.source or "").lower(), len(preferred)),
        "longest": lambda d: -words(d),
        "fewest_removals": lambda d: len(d.removed),
        "most_metadata": lambda d: -d.metadata_count,
        "earliest_date": lambda d: (d.date is None, d.date or ""),
        "id": lambda d: d.id,
    }


def _describe(name: str, best: CleanDoc, other: CleanDoc, words: WordCounter = _words) -> str:
    if name == "preferred_source":
        return f"preferred_source: {best.source!r} ranks above {other.source!r}"
    if name == "longest":
        return f"longest: {words(best)} words vs {words(other)}"
    if name == "fewest_removals":
        return f"fewest_removals: {len(best.removed)} vs {len(other.removed)}"
    if name == "most_metadata":
        return f"most_metadata: {best.metadata_count} fields vs {other.metadata_count}"
    if name == "earliest_date":
        return f"earliest_date: {best.date} vs {other.date}"
    return f"id: {best.id!r} sorts before {other.id!r}"


def rank(docs: Sequence[CleanDoc], policy: CanonicalPolicy, *, words: WordCounter = _words) -> list[int]:
    """Indices of ``docs``, best canonical candidate first.

    ``words`` counts a document's body words (pass a cached counter when ranking
    the same documents repeatedly).
    """
    keys = _keys(policy, words)
    order = [keys[name] for name in policy.order]
    return sorted(range(len(docs)), key=lambda i: tuple(k(docs[i]) for k in order))


def choose(docs: Sequence[CleanDoc], policy: CanonicalPolicy, *, words: WordCounter = _words) -> tuple[int, str]:
    """Index of the canonical document in ``docs`` and the reason it won."""
    if not docs:
        raise ValueError("choose() needs at least one document")
    keys = _keys(policy, words)
    ranked = rank(docs, policy, words=words)
    best = ranked[0]
    if len(ranked) == 1:
        return best, "only member"
    runner = ranked[1]
    for name in policy.order:
        key = keys[name]
        if key(docs[best]) != key(docs[runner]):
            return best, _describe(name, docs[best], docs[runner], words)
    return best, "identical by every criterion"


def merge_metadata(canonical: CleanDoc, others: Sequence[CleanDoc]) -> CleanDoc:
    """Fill the canonical copy's missing title, date, author and source from the
    other members, in the order given (the policy's ranking)."""
    for field_name in ("title", "date", "author", "source", "url"):
        if getattr(canonical, field_name) is None:
            for other in others:
                value = getattr(other, field_name)
                if value is not None:
                    setattr(canonical, field_name, value)
                    break
    return canonical
