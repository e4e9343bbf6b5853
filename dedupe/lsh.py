"""Candidate pairs by MinHash LSH banding, as map and reduce tasks.

The threshold is set low (0.3 by default) for recall: syndicated copies cut
to half their length have a Jaccard near 0.5 but containment near 1, and
every candidate is verified exactly afterwards, so a loose index costs only
verification time.

The bands x rows split is datasketch ``MinHashLSH``'s for the threshold and
``num_perm``, and a bucket holds the documents whose signatures are equal over
a band, so the pairs are exactly those datasketch's band buckets give. The
work is two plain functions an :class:`~dedupe.executor.Executor` runs:
:func:`band_entries` (map: a batch of signatures to ``(band, key, index)``
entries, partitioned by key) and :func:`bucket_pairs` (reduce: buckets to
pairs).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache, partial
from itertools import combinations

import numpy as np

from .executor import Executor, InProcessExecutor

#: Signature rows per map task (fewer when the executor has few CPUs to spread over).
MAP_BATCH = 16_384

Entry = tuple[int, bytes, int]


@lru_cache(maxsize=64)
def band_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` that datasketch ``MinHashLSH`` picks for ``threshold`` and ``num_perm``.

    >>> band_shape(0.3, 128)
    (37, 3)
    """
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return int(lsh.b), int(lsh.r)


def band_entries(
    batch: tuple[int, np.ndarray], partitions: int, *, bands: int, rows: int
) -> list[list[Entry]]:
    """Map task: ``(band, key, index)`` for every live row of a signature batch, in ``partitions`` lists.

    ``batch`` is ``(offset, signatures)`` with ``offset`` the index of its first
    row. The key is the band's values as bytes; rows all ``0xFFFFFFFF`` (empty
    documents) are skipped. An entry's partition depends only on its band and
    key, so a bucket never spans two reducers.

    >>> sig = np.array([[7, 7, 1, 2], [7, 7, 3, 4]], dtype=np.uint32)
    >>> [[(b, k.hex(), i) for b, k, i in part] for part in band_entries((10, sig), 1, bands=2, rows=2)]
    [[(0, '0700000007000000', 10), (0, '0700000007000000', 11), (1, '0100000002000000', 10), (1, '0300000004000000', 11)]]
    """
    offset, sig = batch
    parts: list[list[Entry]] = [[] for _ in range(partitions)]
    live = np.flatnonzero(~(sig == np.iinfo(np.uint32).max).all(axis=1))
    if not len(live):
        return parts
    sig = np.ascontiguousarray(sig[live], dtype="<u4")
    index = (live + offset).tolist()
    for band in range(bands):
        lo = band * rows
        block = np.ascontiguousarray(sig[:, lo : lo + rows])
        keys = block.view(f"V{4 * rows}").ravel()
        where = ((block[:, 0].astype(np.uint64) + band) % partitions).tolist()
        for k, p, i in zip(keys, where, index, strict=True):
            parts[p].append((band, k.tobytes(), i))
    return parts


def bucket_pairs(entries: list[Entry]) -> list[tuple[int, int]]:
    """Reduce task: every pair ``(i, j)``, ``i < j``, sharing a bucket, sorted and unique.

    >>> bucket_pairs([(0, b"k", 3), (0, b"k", 1), (1, b"k", 2), (0, b"x", 2), (1, b"k", 1)])
    [(1, 2), (1, 3)]
    """
    buckets: dict[tuple[int, bytes], list[int]] = {}
    for band, key, i in entries:
        buckets.setdefault((band, key), []).append(i)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) > 1:
            pairs.update(combinations(sorted(members), 2))
    return sorted(pairs)


def candidate_pairs(
    ids: Sequence[str],
    signatures: np.ndarray,
    *,
    threshold: float,
    seed: int = 1,
    executor: Executor | None = None,
) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)`` with ``i < j`` that share at least one LSH band.

    Rows whose signature is all ``0xFFFFFFFF`` (empty documents) are skipped.
    ``executor`` runs the map and reduce tasks (in this process by default);
    the pairs do not depend on it. ``seed`` is accepted for compatibility
    (banding compares the signatures themselves).

    >>> sig = np.array([[1, 2, 3, 4] * 8, [1, 2, 3, 4] * 8, [5, 6, 7, 8] * 8], dtype=np.uint32)
    >>> candidate_pairs(["a", "b", "c"], sig, threshold=0.5)
    [(0, 1)]
    """
    n, num_perm = signatures.shape
    if n != len(ids):
        raise ValueError(f"{len(ids)} ids but {n} signatures")
    executor = executor or InProcessExecutor()
    bands, rows = band_shape(threshold, num_perm)
    step = max(1, min(MAP_BATCH, -(-n // (2 * executor.parallelism))))
    batches = [(start, signatures[start : start + step]) for start in range(0, n, step)]
    reduced = executor.map_reduce(
        partial(band_entries, bands=bands, rows=rows), batches, bucket_pairs, partitions=executor.parallelism
    )
    if len(reduced) == 1:
        return reduced[0]
    return sorted({pair for part in reduced for pair in part})
