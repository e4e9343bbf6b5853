"""Exact scores of a candidate pair and the rule that calls it a duplicate.

Scores, all on the cleaned text and on a 0–1 scale:

- ``jaccard``: |A∩B| / |A∪B| of the word-shingle sets;
- ``containment``: |A∩B| / min(|A|, |B|), which stays near 1 when one copy
  is a cut-short version of the other;
- ``fuzz``: rapidfuzz's normalised Indel similarity of the normalised texts
  (first ``fuzz_chars`` characters), reported for people, not used by the rule,
  so it is computed only for the pairs written to ``clusters.jsonl`` (each member
  against its canonical copy), not for every candidate.

**The rule.** A pair is a duplicate when ``jaccard >= jaccard_threshold``; or
when ``containment >= containment_threshold`` *and* the smaller document has
at least ``min_shingles`` shingles *and* at least ``min_length_ratio`` of the
larger one's *and* the larger one's first run of 20 shingles shared with the
smaller one starts within its first ``max_lead_offset`` of shingles (its
``lead_offset``). The first two guards stop a short brief, or one quoted
paragraph, from making a long story its "copy"; the third stops a story
glued after another one (related-article spam the cleaner missed) from
making its page a copy of that story: syndication cuts stories short at the
end, so a true partial copy shares the larger one's lead.

>>> from dedupe.config import DedupConfig
>>> is_duplicate(PairScores(0.45, 0.98, 0.6, 1400, 3000), DedupConfig())
True
>>> is_duplicate(PairScores(0.40, 0.72, 0.6, 120, 200), DedupConfig())   # a cut-short copy
True
>>> is_duplicate(PairScores(0.05, 0.95, 0.1, 60, 3000), DedupConfig())
False
>>> is_duplicate(PairScores(0.45, 0.98, 0.6, 1400, 3000), DedupConfig(), lead_offset=0.55)
False
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel

from .config import DedupConfig
from .normalize import normalize
from .types import PairScores


def set_scores(set_a: np.ndarray, set_b: np.ndarray) -> PairScores:
    """Exact Jaccard and containment of two sorted unique shingle sets (``fuzz`` left NaN:
    the rule does not use it, and it is computed only for the pairs reported, by :func:`with_fuzz`).

    >>> s = set_scores(np.array([1, 2, 3, 4], dtype=np.uint64), np.array([3, 4], dtype=np.uint64))
    >>> s.jaccard, s.containment, s.size_a, s.size_b
    (0.5, 1.0, 4, 2)
    """
    size_a, size_b = len(set_a), len(set_b)
    if size_a == 0 or size_b == 0:
        inter = 0
    else:
        inter = int(np.intersect1d(set_a, set_b, assume_unique=True).size)
    union = size_a + size_b - inter
    jaccard = inter / union if union else 0.0
    smaller = min(size_a, size_b)
    containment = inter / smaller if smaller else 0.0
    return PairScores(jaccard, containment, math.nan, size_a, size_b)


def fuzz_score(normalized_a: str, normalized_b: str) -> float:
    """rapidfuzz's normalised Indel similarity (0–1) of two normalised texts.

    >>> round(fuzz_score("the storm hit the coast", "the storm hit the east coast"), 3)
    0.902
    """
    return float(Indel.normalized_similarity(normalized_a, normalized_b))


def fuzz_scores(texts_a: Sequence[str], texts_b: Sequence[str], *, threads: int = 1) -> list[float]:
    """:func:`fuzz_score` of each pair ``(texts_a[k], texts_b[k])``, the same values, computed by
    rapidfuzz on ``threads`` threads (its C++ loop releases the GIL).

    >>> fuzz_scores(["the storm hit the coast", "a"], ["the storm hit the east coast", "a"], threads=2)
    [0.9019607843137255, 1.0]
    """
    if len(texts_a) != len(texts_b):
        raise ValueError(f"{len(texts_a)} texts against {len(texts_b)}; pass one pair per score")
    if not texts_a:
        return []
    values = process.cpdist(texts_a, texts_b, scorer=Indel.normalized_similarity, dtype=np.float64,
                            workers=max(threads, 1))
    return [float(v) for v in values]


def fuzz_text(text: str, fuzz_chars: int) -> str:
    """The part of a document the fuzz score compares: its first ``fuzz_chars`` characters, normalised."""
    return normalize(text[:fuzz_chars])


def with_fuzz(scores: PairScores, text_a: str, text_b: str, *, fuzz_chars: int = 20000) -> PairScores:
    """``scores`` with the fuzz score of the two texts filled in."""
    return replace(scores, fuzz=fuzz_score(fuzz_text(text_a, fuzz_chars), fuzz_text(text_b, fuzz_chars)))


def score_pair(
    set_a: np.ndarray,
    set_b: np.ndarray,
    text_a: str,
    text_b: str,
    *,
    fuzz_chars: int = 20000,
) -> PairScores:
    """Exact Jaccard, containment and fuzz of two documents."""
    return with_fuzz(set_scores(set_a, set_b), text_a, text_b, fuzz_chars=fuzz_chars)


def lead_offset(larger_sequence: np.ndarray, smaller_set: np.ndarray, *, min_run: int = 20) -> float:
    """Where the larger document starts sharing: the position of the first run of ``min_run``
    consecutive shingles of its sequence that are all in the smaller document's set, as a share
    of its sequence (1.0 when there is none). A run, so that a shared boilerplate line at the
    top (a site's navigation, a date line) does not count as a shared lead.

    >>> seq = np.array([9, 1, 8, 7, 1, 2, 3], dtype=np.uint64)
    >>> lead_offset(seq, np.array([1, 2, 3], dtype=np.uint64), min_run=3)
    0.5714285714285714
    >>> lead_offset(seq, np.array([5], dtype=np.uint64), min_run=3)
    1.0
    """
    n = len(larger_sequence)
    if n == 0 or len(smaller_set) == 0:
        return 1.0
    at = np.minimum(np.searchsorted(smaller_set, larger_sequence), len(smaller_set) - 1)
    hits = smaller_set[at] == larger_sequence  # membership in the sorted set
    run = min(min_run, n)
    counts = np.cumsum(np.concatenate(([0], hits)))
    starts = np.flatnonzero(counts[run:] - counts[:-run] == run)
    return float(starts[0]) / n if len(starts) else 1.0


def by_containment(scores: PairScores, config: DedupConfig) -> bool:
    """Whether only the containment route can make this pair a duplicate (its lead then matters)."""
    return not (scores.jaccard >= config.jaccard_threshold and min(scores.size_a, scores.size_b) > 0)


def is_duplicate(scores: PairScores, config: DedupConfig, *, lead_offset: float | None = None) -> bool:
    """The documented duplicate rule (see the module docstring).

    ``lead_offset`` (see :func:`lead_offset`) is checked when given; without it the
    rule is decided on the scores alone.
    """
    if not by_containment(scores, config):
        return True
    small, large = sorted((scores.size_a, scores.size_b))
    return (
        scores.containment >= config.containment_threshold
        and small >= config.min_shingles
        and large > 0
        and small / large >= config.min_length_ratio
        and (lead_offset is None or lead_offset <= config.max_lead_offset)
    )


def verdict(scores: PairScores, config: DedupConfig, *, lead_offset: float | None = None) -> str:
    """A one-line human reading of the rule on these scores."""
    small, large = sorted((scores.size_a, scores.size_b))
    if not by_containment(scores, config):
        return f"duplicate: jaccard {scores.jaccard:.3f} >= {config.jaccard_threshold}"
    if scores.containment >= config.containment_threshold:
        if small < config.min_shingles:
            return (
                f"not a duplicate: containment {scores.containment:.3f} but the smaller text has "
                f"only {small} shingles (< {config.min_shingles})"
            )
        if large and small / large < config.min_length_ratio:
            return (
                f"not a duplicate: containment {scores.containment:.3f} but the smaller text is "
                f"{small / large:.2f} of the larger (< {config.min_length_ratio})"
            )
        if lead_offset is not None and lead_offset > config.max_lead_offset:
            return (
                f"not a duplicate: containment {scores.containment:.3f} but the larger text only "
                f"starts sharing at {lead_offset:.2f} of its length (> {config.max_lead_offset}): "
                "the smaller one is not its lead"
            )
        return f"duplicate: containment {scores.containment:.3f} >= {config.containment_threshold}"
    return (
        f"not a duplicate: jaccard {scores.jaccard:.3f} < {config.jaccard_threshold} and "
        f"containment {scores.containment:.3f} < {config.containment_threshold}"
    )
