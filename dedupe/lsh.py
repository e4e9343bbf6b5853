"""Candidate pairs by MinHash LSH banding, as map and reduce tasks.

The threshold is set low (0.3 by default) for recall: syndicated copies cut
to half their length have a Jaccard near 0.5 but containment near 1, and
every candidate is verified exactly afterwards, so a loose index costs only
verification time. Copies cut shorter still are found by a second index
over the signatures of each document's first 50 shingles (its lead; see
``DedupConfig.lead_shingles``) and of the 50 after its first sentence
(:func:`window_pairs`: a headline or date line pasted onto one copy's lead
shifts its first window but not the second). Going lower costs more than it finds: at
0.25 (datasketch's 42 x 3 bands) uncleaned pages sharing a site template
gave 3.5x the candidates on 20k pages; at 0.2 it switches to 2 rows, and
unrelated pairs collide with probability ~28·J² instead of ~37·J³.

The bands x rows split is datasketch ``MinHashLSH``'s for the threshold and
``num_perm``, and a bucket holds the documents whose signatures are equal over
a band, so the pairs are exactly those datasketch's band buckets give. The
work is two plain functions an :class:`~dedupe.executor.Executor` runs:
:func:`band_entries` (map: a batch of signatures to ``(band, key, index)``
rows, partitioned by key) and :func:`bucket_pairs` (reduce: sort the rows,
read each bucket's pairs).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache, partial
from itertools import combinations

import numpy as np

from .executor import Executor, InProcessExecutor

#: Signature rows per map task (fewer when the executor has few CPUs to spread over).
MAP_BATCH = 16_384
#: Bucket rows whose keys a reduce task compares at once.
_CHUNK = 1 << 18

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
) -> list[np.ndarray]:
    """Map task: a ``(band, key..., index)`` row for every band of every live signature, in ``partitions`` arrays.

    ``batch`` is ``(offset, signatures)`` with ``offset`` the index of its first
    row; the key is the band's ``rows`` signature values. Rows all
    ``0xFFFFFFFF`` (empty documents) are skipped. A row's partition depends
    only on its band and key, so a bucket never spans two reducers.

    ``signatures`` may hold several windows of each document (``windows x n x
    num_perm``): a window's entry for a band is left out when an earlier window of
    the same document has the same key there (it would only meet itself).

    >>> sig = np.array([[7, 7, 1, 2], [7, 7, 3, 4]], dtype=np.uint32)
    >>> band_entries((10, sig), 1, bands=2, rows=2)[0].tolist()
    [[0, 7, 7, 10], [0, 7, 7, 11], [1, 1, 2, 10], [1, 3, 4, 11]]
    >>> later = np.array([[7, 7, 5, 5], [9, 9, 3, 4]], dtype=np.uint32)
    >>> band_entries((10, np.stack([sig, later])), 1, bands=2, rows=2)[0].tolist()[4:]
    [[0, 9, 9, 11], [1, 5, 5, 10]]
    """
    offset, sig = batch
    windows = sig if sig.ndim == 3 else sig[None]
    n = windows.shape[1]
    if offset + n > np.iinfo(np.uint32).max:
        raise ValueError("banding indexes documents with 32 bits; split a corpus of over 4e9 documents")
    empty = np.iinfo(np.uint32).max
    keys = windows[:, :, : bands * rows].reshape(len(windows), n, bands, rows).transpose(0, 2, 1, 3)
    keeps = []
    for w, window in enumerate(keys):  # window: bands x n x rows
        keep = np.broadcast_to(~(windows[w] == empty).all(axis=1), (bands, n)).copy()
        for earlier in keys[:w]:
            keep &= ~(window == earlier).all(axis=2)
        keeps.append(keep)
    flat = np.empty((sum(int(k.sum()) for k in keeps), rows + 2), dtype=np.uint32)
    at = 0
    for window, keep in zip(keys, keeps, strict=True):
        band, doc = np.nonzero(keep)
        part = flat[at : at + len(band)]
        part[:, 0] = band
        part[:, 1 : rows + 1] = window[band, doc]
        part[:, rows + 1] = doc + offset
        at += len(band)
    if partitions == 1:
        return [flat]
    where = (flat[:, 1].astype(np.uint64) + flat[:, 0]) % partitions
    return [flat[where == p] for p in range(partitions)]


def _row_hashes(table: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each row's band and key (all columns but the last), for sorting buckets together."""
    h = np.zeros(len(table), dtype=np.uint64)
    for column in table[:, :-1].T:
        h = (h ^ column.astype(np.uint64)) * np.uint64(0x9E3779B97F4A7C15)
        h ^= h >> np.uint64(29)
    return h


def bucket_pairs(parts: list[np.ndarray]) -> list[tuple[int, int]]:
    """Reduce task: every pair ``(i, j)``, ``i < j``, sharing a bucket (equal band and key), sorted and unique.

    Rows are sorted by a hash of band and key (one 64-bit sort key, not ``rows + 1``
    of them), then by index, and neighbours with one hash have their keys compared
    (no sorted copy of the table is made); should two different keys share a hash
    next to each other, the rows are sorted by the keys themselves, so buckets are exact.

    >>> rows = np.array([[0, 5, 3], [0, 5, 1], [1, 5, 2], [0, 6, 2], [1, 5, 1]], dtype=np.uint32)
    >>> bucket_pairs([rows[:2], rows[2:]])
    [(1, 2), (1, 3)]
    """
    table = np.concatenate(parts) if len(parts) != 1 else parts[0]
    if len(table) < 2:
        return []
    hashes = _row_hashes(table)
    order = np.lexsort((table[:, -1], hashes))
    hashes = hashes[order]
    tied = np.flatnonzero(hashes[1:] == hashes[:-1])  # neighbours with one hash: the same key, unless it collided
    del hashes
    equal = np.ones(len(tied), dtype=bool)
    for at in range(0, len(tied), _CHUNK):  # compare their keys in chunks: no sorted copy of the table
        t = tied[at : at + _CHUNK]
        equal[at : at + _CHUNK] = (table[order[t], :-1] == table[order[t + 1], :-1]).all(axis=1)
    if equal.all():
        same = np.zeros(len(table) - 1, dtype=bool)
        same[tied] = True
        index = table[order, -1]
    else:  # two keys, one hash: sort by the keys themselves
        table = table[np.lexsort(table.T[::-1])]
        same = (table[1:, :-1] == table[:-1, :-1]).all(axis=1)
        index = table[:, -1]
    del order, tied, equal
    starts = np.flatnonzero(np.concatenate(([True], ~same)))
    sizes = np.diff(np.append(starts, len(table)))
    pairs: set[tuple[int, int]] = set()
    twos = starts[sizes == 2]
    pairs.update(zip(index[twos].tolist(), index[twos + 1].tolist(), strict=True))
    for start, size in zip(starts[sizes > 2].tolist(), sizes[sizes > 2].tolist(), strict=True):
        pairs.update(combinations(index[start : start + size].tolist(), 2))
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
    return window_pairs(ids, signatures[None], threshold=threshold, executor=executor)


def window_pairs(
    ids: Sequence[str],
    windows: np.ndarray,
    *,
    threshold: float,
    executor: Executor | None = None,
) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of which any window of one shares an LSH band with any
    window of the other: ``windows`` (``windows x len(ids) x num_perm``, a view will do: each map
    task gets a view of its rows) holds several signatures of each document (its lead and its lead
    after the first sentence, say), banded in one index under the documents' indexes
    (:func:`band_entries`: a window meeting an earlier one of its document in a band is left out
    there). All-``0xFFFFFFFF`` rows (empty documents) are skipped.

    >>> a = np.array([[1, 2] * 16, [3, 4] * 16, [5, 6] * 16], dtype=np.uint32)
    >>> b = np.array([[7, 8] * 16, [1, 2] * 16, [5, 6] * 16], dtype=np.uint32)  # 1's second window is 0's first
    >>> window_pairs(["x", "y", "z"], np.stack([a, b]), threshold=0.5)
    [(0, 1)]
    """
    n = len(ids)
    if windows.ndim != 3 or windows.shape[1] != n:
        raise ValueError(f"{n} ids but windows of shape {windows.shape}; pass windows x ids x num_perm")
    executor = executor or InProcessExecutor()
    bands, rows = band_shape(threshold, windows.shape[2])
    step = max(1, min(MAP_BATCH, -(-n // (2 * executor.parallelism))))
    one = len(windows) == 1  # a plain index: its map tasks get 2-d rows
    batches = [(start, windows[0, start : start + step] if one else windows[:, start : start + step])
               for start in range(0, n, step)]
    reduced = executor.map_reduce(
        partial(band_entries, bands=bands, rows=rows), batches, bucket_pairs, partitions=executor.parallelism
    )
    if len(reduced) == 1:
        return reduced[0]
    return sorted({pair for part in reduced for pair in part})
