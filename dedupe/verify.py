"""Exact scores of a candidate pair and the rule that calls it a duplicate.

Scores, all on the cleaned text and on a 0–1 scale:

- ``jaccard``: |A∩B| / |A∪B| of the word-shingle sets;
- ``containment``: |A∩B| / min(|A|, |B|), which stays near 1 when one copy
  is a cut-short version of the other;
- ``fuzz``: rapidfuzz's normalised Indel similarity of the normalised texts
  (first ``fuzz_chars`` characters), reported for people, not used by the rule.

**The rule.** A pair is a duplicate when ``jaccard >= jaccard_threshold``; or
when ``containment >= containment_threshold`` *and* the smaller document has
at least ``min_shingles`` shingles *and* at least ``min_length_ratio`` of the
larger one's. The two guards stop a short brief, or one quoted paragraph,
from making a long story its "copy".

>>> from dedupe.config import DedupConfig
>>> is_duplicate(PairScores(0.45, 0.98, 0.6, 1400, 3000), DedupConfig())
True
>>> is_duplicate(PairScores(0.05, 0.95, 0.1, 60, 3000), DedupConfig())
False
"""

from __future__ import annotations

import numpy as np
from rapidfuzz.distance import Indel

from .config import DedupConfig
from .normalize import normalize
from .types import PairScores


def score_pair(
    set_a: np.ndarray,
    set_b: np.ndarray,
    text_a: str,
    text_b: str,
    *,
    fuzz_chars: int = 20000,
) -> PairScores:
    """Exact Jaccard, containment and fuzz of two documents."""
    size_a, size_b = len(set_a), len(set_b)
    if size_a == 0 or size_b == 0:
        inter = 0
    else:
        inter = int(np.intersect1d(set_a, set_b, assume_unique=True).size)
    union = size_a + size_b - inter
    jaccard = inter / union if union else 0.0
    smaller = min(size_a, size_b)
    containment = inter / smaller if smaller else 0.0
    fuzz = Indel.normalized_similarity(
        normalize(text_a[:fuzz_chars]), normalize(text_b[:fuzz_chars])
    )
    return PairScores(jaccard, containment, float(fuzz), size_a, size_b)


def is_duplicate(scores: PairScores, config: DedupConfig) -> bool:
    """The documented duplicate rule (see the module docstring)."""
    if scores.jaccard >= config.jaccard_threshold and min(scores.size_a, scores.size_b) > 0:
        return True
    small, large = sorted((scores.size_a, scores.size_b))
    return (
        scores.containment >= config.containment_threshold
        and small >= config.min_shingles
        and large > 0
        and small / large >= config.min_length_ratio
    )


def verdict(scores: PairScores, config: DedupConfig) -> str:
    """A one-line human reading of the rule on these scores."""
    small, large = sorted((scores.size_a, scores.size_b))
    if scores.jaccard >= config.jaccard_threshold and small > 0:
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
        return f"duplicate: containment {scores.containment:.3f} >= {config.containment_threshold}"
    return (
        f"not a duplicate: jaccard {scores.jaccard:.3f} < {config.jaccard_threshold} and "
        f"containment {scores.containment:.3f} < {config.containment_threshold}"
    )
