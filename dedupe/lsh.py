"""Candidate pairs from datasketch's ``MinHashLSH``.

The threshold is set low (0.3 by default) for recall: syndicated copies cut
to half their length have a Jaccard near 0.5 but containment near 1, and
every candidate is verified exactly afterwards, so a loose index costs only
verification time.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
from datasketch import LeanMinHash, MinHashLSH


def candidate_pairs(
    ids: Sequence[str],
    signatures: np.ndarray,
    *,
    threshold: float,
    seed: int = 1,
) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)`` with ``i < j`` that share at least one LSH band.

    Rows whose signature is all ``0xFFFFFFFF`` (empty documents) are skipped.

    >>> sig = np.array([[1, 2, 3, 4] * 8, [1, 2, 3, 4] * 8, [5, 6, 7, 8] * 8], dtype=np.uint32)
    >>> candidate_pairs(["a", "b", "c"], sig, threshold=0.5)
    [(0, 1)]
    """
    n, num_perm = signatures.shape
    if n != len(ids):
        raise ValueError(f"{len(ids)} ids but {n} signatures")
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    empty = np.iinfo(np.uint32).max
    live = np.flatnonzero(~(signatures == empty).all(axis=1)).tolist()
    with lsh.insertion_session() as session:
        for i in live:
            session.insert(i, LeanMinHash(seed=seed, hashvalues=signatures[i], scheme="affine32"),
                           check_duplication=False)
    # every bucket of every band holds documents that share that band: its pairs are the
    # candidates (the same pairs querying each document would give, without the queries)
    pairs: set[tuple[int, int]] = set()
    for table in lsh.hashtables:
        for key in table.keys():
            bucket = table.get(key)
            if len(bucket) > 1:
                members = sorted(bucket)
                pairs.update(combinations(members, 2))
    return sorted(pairs)
