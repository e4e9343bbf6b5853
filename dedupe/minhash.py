"""Shingling and a vectorised MinHash signer.

A document becomes the set of hashes of its word ``k``-shingles (over
:func:`dedupe.normalize.tokens`), kept as a sorted unique ``uint64`` array:
the exact set used for verification. Its MinHash signature takes, for each of
``num_perm`` universal hash functions ``h_i(x) = (a_i * x + b_i) mod 2^64 >> 32``
(``a_i`` odd), the minimum over the set. All documents of a batch are signed
in one numpy pass (``np.minimum.reduceat`` over the concatenated sets).

datasketch's ``MinHash`` is the reference: both estimate the same Jaccard
similarity, and the tests check they agree within the estimator's error.

>>> s = Signer(num_perm=64, shingle_size=3)
>>> a = s.shingles("the quick brown fox jumps over the lazy dog")
>>> b = s.shingles("The quick brown fox jumped over the lazy dog!")
>>> round(exact_jaccard(a, b), 2)
0.4
>>> sig = s.sign([a, b])
>>> sig.shape
(2, 64)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xxhash

from .normalize import tokens

_MASK64 = (1 << 64) - 1
_EMPTY = np.zeros(0, dtype=np.uint64)


def _splitmix(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, vectorised (uint64 in, uint64 out)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


class Signer:
    """Shingles text and signs shingle sets; deterministic for a given seed.

    Token hashes come from xxhash64, so signatures are identical across
    processes and machines (Python's own ``hash`` is salted per process).
    """

    def __init__(self, *, num_perm: int = 128, shingle_size: int = 5, seed: int = 1) -> None:
        if num_perm < 1:
            raise ValueError(f"num_perm must be at least 1 (got {num_perm})")
        if shingle_size < 1:
            raise ValueError(f"shingle_size must be at least 1 (got {shingle_size})")
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.seed = seed
        rng = np.random.default_rng(seed)
        self._a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        self._b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
        self._mult = rng.integers(1, 2**63, size=shingle_size, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        self._token_cache: dict[str, int] = {}

    def _token_hashes(self, words: list[str]) -> np.ndarray:
        cache = self._token_cache
        if len(cache) > 2_000_000:
            cache.clear()
        seed = self.seed
        out = np.empty(len(words), dtype=np.uint64)
        for i, word in enumerate(words):
            h = cache.get(word)
            if h is None:
                h = cache[word] = xxhash.xxh64_intdigest(word.encode("utf-8"), seed)
            out[i] = h
        return out

    def shingles(self, text: str) -> np.ndarray:
        """Sorted unique uint64 hashes of the text's word shingles.

        A text shorter than one shingle yields a single shingle of all its
        words; an empty text yields an empty array.
        """
        words = tokens(text)
        if not words:
            return _EMPTY
        th = self._token_hashes(words)
        k = min(self.shingle_size, len(th))
        n = len(th) - k + 1
        acc = np.zeros(n, dtype=np.uint64)
        for j in range(k):
            acc += th[j : j + n] * self._mult[j]
        return np.unique(_splitmix(acc))

    def sign(self, sets: Sequence[np.ndarray], *, chunk: int = 1 << 16) -> np.ndarray:
        """MinHash signatures (``len(sets) x num_perm``, uint32) of shingle sets.

        An empty set gets the all-``0xFFFFFFFF`` signature (it matches nothing).
        """
        out = np.full((len(sets), self.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
        start = 0
        while start < len(sets):
            stop, size = start, 0
            while stop < len(sets) and (size == 0 or size + len(sets[stop]) <= chunk):
                size += len(sets[stop])
                stop += 1
            group = [s for s in sets[start:stop]]
            lengths = np.fromiter((len(s) for s in group), dtype=np.int64, count=len(group))
            nonempty = np.nonzero(lengths)[0]
            if len(nonempty):
                flat = np.concatenate([group[i] for i in nonempty])
                offsets = np.concatenate(([0], np.cumsum(lengths[nonempty])[:-1]))
                hashed = (flat[:, None] * self._a[None, :] + self._b[None, :]) >> np.uint64(32)
                mins = np.minimum.reduceat(hashed, offsets, axis=0)
                out[start + nonempty] = mins.astype(np.uint32)
            start = stop
        return out


def exact_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """|A∩B| / |A∪B| of two sorted unique shingle arrays (0 when both are empty)."""
    if len(a) == 0 or len(b) == 0:
        return 0.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (len(a) + len(b) - inter)


def estimate_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """The MinHash estimate: the share of equal signature slots."""
    return float(np.mean(sig_a == sig_b))
