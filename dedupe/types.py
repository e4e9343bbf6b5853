"""Plain data passed between the stages.

Every stage is a function over these records (or over numpy arrays), so the
same code runs in-process or in worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

#: Block labels. ``keep`` is content; every other label is the reason a block
#: (or a fragment inside a block) was removed.
KEEP = "keep"
REASONS: tuple[str, ...] = (
    "ad",
    "newsletter",
    "related",
    "comments",
    "app_promo",
    "share",
    "chrome",
    "caption",
    "dup_title",
    "metadata",
    "cms_footer",
    "directory",
    "boilerplate",
)


@dataclass(frozen=True)
class Document:
    """One input record before cleaning.

    Exactly one of ``text`` and ``html`` is normally set; ``meta`` carries any
    extra JSONL fields through untouched.
    """

    id: str
    text: str | None = None
    html: str | None = None
    title: str | None = None
    date: str | None = None
    author: str | None = None
    source: str | None = None
    url: str | None = None
    origin: str = ""
    line: int | None = None
    warnings: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict, compare=False)


class Removed(NamedTuple):
    """A block or fragment the cleaner dropped, with the reason and the rule.

    A named tuple (immutable, compared by value): the cleaner builds one per
    dropped block of every document, and a tuple costs half a frozen dataclass.

    >>> Removed("Sign up", "newsletter").to_json()
    {'text': 'Sign up', 'reason': 'newsletter', 'rule': ''}
    """

    text: str
    reason: str
    rule: str = ""

    def to_json(self) -> dict[str, str]:
        return {"text": self.text, "reason": self.reason, "rule": self.rule}


class Block(NamedTuple):
    """A labelled block of a cleaned document (``label`` is ``keep`` or a reason).

    ``index`` is the block's position in the input (the line number, 0-based,
    for plain text). A named tuple, as :class:`Removed` is: one is built per
    block of every cleaned document.

    >>> Block(3, "Home | News", "chrome", "nav_row").label
    'chrome'
    """

    index: int  # type: ignore[assignment]  # the field hides tuple.index, which nothing calls on a Block
    text: str
    label: str
    rule: str = ""


@dataclass
class CleanDoc:
    """A cleaned document: the kept body, its metadata and every removal."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    author: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
    removed: list[Removed] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def words(self) -> int:
        """Word tokens in the body (:func:`dedupe.normalize.word_count`): the ``longest`` policy's measure.

        >>> CleanDoc("a", "It is 2025 - isn't it?").words
        6
        """
        from .normalize import word_count

        return word_count(self.text)

    @property
    def metadata_count(self) -> int:
        """How many of title, date, author and source are known."""
        return sum(v is not None for v in (self.title, self.date, self.author, self.source))


@dataclass(frozen=True)
class RecordError:
    """A record that was rejected, and where it came from."""

    source: str
    line: int | None
    error: str

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "line": self.line, "error": self.error}

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.error}"


@dataclass(frozen=True)
class PairScores:
    """Exact similarity of two cleaned documents, each on a 0–1 scale."""

    jaccard: float
    containment: float
    fuzz: float
    size_a: int
    size_b: int

    def to_json(self) -> dict[str, float]:
        return {
            "jaccard": round(self.jaccard, 4),
            "containment": round(self.containment, 4),
            "fuzz": round(self.fuzz, 4),
        }


@dataclass
class Cluster:
    """Two or more documents judged to be copies of one story."""

    cluster_id: str
    canonical: str
    reason: str
    members: list[tuple[str, PairScores | None]]

    def to_json(self) -> dict[str, Any]:
        members = []
        for doc_id, scores in self.members:
            entry: dict[str, Any] = {"id": doc_id}
            if scores is None:  # the canonical copy itself
                entry.update({"jaccard": 1.0, "containment": 1.0, "fuzz": 1.0})
            else:
                entry.update(scores.to_json())
            members.append(entry)
        return {
            "cluster_id": self.cluster_id,
            "canonical": self.canonical,
            "reason": self.reason,
            "members": members,
        }
