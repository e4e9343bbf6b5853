"""Shingling and a vectorised MinHash signer.

A document becomes the set of hashes of its word ``k``-shingles (words as
:func:`dedupe.normalize.tokens` defines them), kept as a sorted unique
``uint64`` array: the exact set used for verification.

**Shingling.** :func:`dedupe.wordhash.hash_words` hashes every word of a
batch of documents in one compiled pass (normalisation included); a
shingle hash is a multiply-add of its ``k`` word hashes, mixed by
splitmix64, for all shingles of the batch at once in numpy. No Python code
runs per word.

**Signing: one-permutation MinHash with optimal densification** (Li et al.
2012; Shrivastava 2017). Each shingle hash falls in one of ``num_perm`` bins
by its top bits; a bin's slot is the smallest hash in it (the set is
sorted, so that is the bin's first element: one pass, not ``num_perm``).
An empty bin borrows the slot of the first non-empty bin of a fixed
pseudo-random probe sequence, the same for every document, which keeps
``P[slot_a == slot_b] = Jaccard(A, B)``. This costs O(|set|) per document
where classic MinHash costs O(|set| x num_perm).

**Its error.** For sets of at least ``num_perm`` shingles the estimate is
within ``5 * sqrt(J * (1 - J) / num_perm) + 1 / num_perm`` of the exact
Jaccard ``J`` (the classic MinHash bound; property-tested). A smaller set
leaves most bins empty and densification copies the few filled ones, so
its slots are correlated and the estimate is looser (a 36-shingle set
against a 401-shingle one sharing 1: exact 0.002, estimate 0.031). This
only moves which pairs become LSH candidates: every candidate is verified
on the exact sets, and documents that short fall under the duplicate
rule's 20-shingle floor or near it.

datasketch's ``MinHash`` (classic, ``num_perm`` permutations) is the
reference: both estimate the same Jaccard similarity, and the tests check
they agree within the estimator's error.

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

from collections.abc import Callable, Iterator, Sequence

import numpy as np
from numba import njit

from .normalize import first_sentence_end
from .wordhash import hash_words

_EMPTY = np.zeros(0, dtype=np.uint64)
_U64 = np.uint64
#: The slot value of an empty document (it matches nothing in the LSH index).
EMPTY_SLOT = np.iinfo(np.uint32).max
_PROBE_ROUNDS = 4096


def _splitmix(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, vectorised (uint64 in, uint64 out)."""
    x = x ^ (x >> _U64(30))
    x = x * _U64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> _U64(27))
    x = x * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


class Signer:
    """Shingles text and signs shingle sets; deterministic for a given seed.

    Hashes are computed with fixed arithmetic (no salted Python ``hash``), so
    sets and signatures are identical across processes and machines.
    ``batch_chars`` bounds the characters shingled in one pass (memory: about
    20 bytes of temporaries per character).
    """

    def __init__(
        self,
        *,
        num_perm: int = 128,
        shingle_size: int = 5,
        seed: int = 1,
        batch_chars: int = 1 << 21,
    ) -> None:
        if num_perm < 1:
            raise ValueError(f"num_perm must be at least 1 (got {num_perm})")
        if shingle_size < 1:
            raise ValueError(f"shingle_size must be at least 1 (got {shingle_size})")
        if batch_chars < 1024:
            raise ValueError(f"batch_chars must be at least 1024 (got {batch_chars})")
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.seed = seed
        self.batch_chars = batch_chars
        rng = np.random.default_rng(seed)
        self._p = int(rng.integers(1 << 40, 1 << 62)) * 2 + 1  # odd: invertible mod 2^64
        self._token_salt = _U64(int(rng.integers(0, 2**63)))
        self._mult = rng.integers(1, 2**63, size=shingle_size, dtype=np.uint64) * _U64(2) + _U64(1)
        # probe sequence of the densification: round t sends empty bin i to bin _probe[t, i]
        self._probe = rng.integers(0, num_perm, size=(_PROBE_ROUNDS, num_perm), dtype=np.int64)

    def __reduce__(self) -> tuple[Callable[..., Signer], tuple[int, int, int, int]]:
        """Pickled as its parameters (the probe table is rebuilt from the seed), so a task that
        carries a signer ships a few bytes, not its 4 MB table.

        >>> import pickle
        >>> s = Signer(num_perm=16, seed=3)
        >>> t = pickle.loads(pickle.dumps(s))
        >>> len(pickle.dumps(s)) < 300, t.sign([t.shingles("a b c d e f")]).tolist() == s.sign([s.shingles("a b c d e f")]).tolist()
        (True, True)
        """
        return (_signer, (self.num_perm, self.shingle_size, self.seed, self.batch_chars))

    # -- shingling ---------------------------------------------------------------

    def token_hashes(self, text: str) -> np.ndarray:
        """The hash of each word of ``text`` (words as :func:`dedupe.normalize.tokens` finds them)."""
        return hash_words([text], multiplier=self._p, salt=int(self._token_salt))[0]

    def _shingle_hashes(self, th: np.ndarray) -> np.ndarray:
        k = min(self.shingle_size, len(th))
        n = len(th) - k + 1
        acc = th[:n] * self._mult[0]
        for j in range(1, k):
            acc += th[j : j + n] * self._mult[j]
        return _splitmix(acc)

    def shingle_batch(self, texts: Sequence[str]) -> list[np.ndarray]:
        """The shingle set of each text (see :meth:`shingles`), vectorised over the batch."""
        return [s for group in self._groups(texts) for s in self._shingle_group(group, 0)[0]]

    def shingle_leads(
        self, texts: Sequence[str], lead: int
    ) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
        """The shingle set of each text, the set of its first ``lead`` shingles (all of them when
        it has fewer) and the set of the ``lead`` shingles that follow its first sentence
        (:func:`~dedupe.normalize.first_sentence_end`; the first lead again when no sentence
        ends early or nothing follows it), from one hashing pass (and one over the first sentences).

        A copy cut short keeps the story's lead: its lead set equals the original's even when
        its whole set is a third of it. A copy whose first line carries a headline, date line
        or byline pasted onto the lead has a first lead a dozen shingles off the original's,
        but the same lead after the first sentence.

        >>> s = Signer(shingle_size=2)
        >>> sets, leads, later = s.shingle_leads(["a b c d e f", "a b", "Head line x. A b c"], 3)
        >>> [len(x) for x in sets], [len(x) for x in leads]
        ([5, 1, 5], [3, 1, 3])
        >>> later[0] is leads[0], (later[2] == s.shingles("a b c")).all()
        (True, np.True_)
        """
        if lead < 1:
            raise ValueError(f"lead must be at least 1 shingle (got {lead})")
        sets: list[np.ndarray] = []
        leads: list[np.ndarray] = []
        later: list[np.ndarray] = []
        for group in self._groups(texts):
            got, got_leads, got_later = self._shingle_group(group, lead)
            sets.extend(got)
            leads.extend(got_leads)
            later.extend(got_later)
        return sets, leads, later

    def _groups(self, texts: Sequence[str]) -> Iterator[list[str]]:
        """Consecutive groups of ``texts`` of at most ``batch_chars`` characters (a longer text goes alone)."""
        start = 0
        while start < len(texts):
            stop, size = start, 0
            while stop < len(texts) and (size == 0 or size + len(texts[stop]) <= self.batch_chars):
                size += len(texts[stop]) + 1
                stop += 1
            yield list(texts[start:stop])
            start = stop

    def _shingle_group(
        self, texts: list[str], lead: int
    ) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
        """Shingle sets of ``texts`` and, with ``lead``, the sets of their first ``lead`` shingles and of
        the ``lead`` shingles after their first sentence."""
        th, first = hash_words(texts, multiplier=self._p, salt=int(self._token_salt))
        k = self.shingle_size
        full = self._shingle_hashes(th) if len(th) >= k else _EMPTY
        if lead:  # the words of each first sentence, by the same compiled pass that found the words
            _, heads = hash_words([t[: first_sentence_end(t)] for t in texts], multiplier=self._p,
                                  salt=int(self._token_salt))
            skips = np.diff(heads).tolist()
        out: list[np.ndarray] = []
        leads: list[np.ndarray] = []
        later: list[np.ndarray] = []
        for n, (a, b) in enumerate(zip(first[:-1].tolist(), first[1:].tolist(), strict=True)):
            if b - a >= k:
                stop = b - k + 1
                out.append(_sorted_unique(full[a:stop]))
                if lead:
                    leads.append(_sorted_unique(full[a : min(stop, a + lead)]) if stop - a > lead else out[-1])
                    start = a + skips[n]
                    later.append(_sorted_unique(full[start : min(stop, start + lead)])
                                 if a < start < stop else leads[-1])
            else:  # shorter than one shingle: one shingle of all its words (or none)
                out.append(self._shingle_hashes(th[a:b]) if b > a else _EMPTY)
                if lead:
                    leads.append(out[-1])
                    later.append(out[-1])
        return out, leads, later

    def shingle_sequence(self, text: str) -> np.ndarray:
        """The text's shingle hashes in reading order, repeats kept (see :meth:`shingles`).

        >>> Signer(shingle_size=2).shingle_sequence("a b a b").shape
        (3,)
        """
        th = self.token_hashes(text)
        return self._shingle_hashes(th) if len(th) else _EMPTY

    def shingles(self, text: str) -> np.ndarray:
        """Sorted unique uint64 hashes of the text's word shingles.

        A text shorter than one shingle yields a single shingle of all its
        words; an empty text yields an empty array.

        >>> s = Signer(shingle_size=2)
        >>> len(s.shingles("a b c a b")), len(s.shingles("word")), len(s.shingles("  "))
        (3, 1, 0)
        """
        return self.shingle_batch([text])[0]

    # -- signing -----------------------------------------------------------------

    def sign(self, sets: Sequence[np.ndarray], *, chunk: int = 1 << 17) -> np.ndarray:
        """MinHash signatures (``len(sets) x num_perm``, uint32) of shingle sets.

        An empty set gets the all-``EMPTY_SLOT`` signature (it matches nothing).
        """
        out = np.full((len(sets), self.num_perm), EMPTY_SLOT, dtype=np.uint32)
        start = 0
        while start < len(sets):
            stop, size = start, 0
            while stop < len(sets) and (size == 0 or size + len(sets[stop]) <= chunk):
                size += len(sets[stop])
                stop += 1
            self._sign_group(sets[start:stop], out[start:stop])
            start = stop
        return out

    def _sign_group(self, group: Sequence[np.ndarray], out: np.ndarray) -> None:
        k = self.num_perm
        lengths = np.fromiter((len(s) for s in group), dtype=np.int64, count=len(group))
        if not lengths.any():
            return
        flat = np.concatenate(list(group))
        doc = np.repeat(np.arange(len(group), dtype=np.int64), lengths)
        # bin by the top 32 bits (multiply-shift: monotone in the hash, so a
        # sorted set is grouped by bin and each bin's minimum comes first)
        bins = (((flat >> _U64(32)) * _U64(k)) >> _U64(32)).astype(np.int64)
        key = doc * k + bins
        firsts = np.flatnonzero(np.diff(key, prepend=-1))
        flat_slots = np.full(len(group) * k, EMPTY_SLOT, dtype=np.uint32)
        flat_slots[key[firsts]] = (flat[firsts] & _U64(0xFFFFFFFF)).astype(np.uint32)
        flat_filled = np.zeros(len(group) * k, dtype=bool)
        flat_filled[key[firsts]] = True
        slots = flat_slots.reshape(len(group), k)
        filled = flat_filled.reshape(len(group), k)
        _densify(slots, filled, lengths, self._probe, out)


@njit(cache=True, nogil=True)
def _densify(slots, filled, lengths, probe, out):  # pragma: no cover - compiled
    """``out``: each row's slots, an empty bin of a non-empty row taking the slot of the first filled
    bin along its probe sequence (after ``len(probe)`` rounds, the row's first filled bin); an
    empty row stays all ``EMPTY_SLOT``. Walks each empty bin's sequence until it hits (a few
    probes), where a numpy round over all empty bins of the group costs one pass per round."""
    n, k = slots.shape
    for r in range(n):
        if lengths[r] == 0:
            for c in range(k):
                out[r, c] = slots[r, c]
            continue
        first = 0
        while not filled[r, first]:
            first += 1
        for c in range(k):
            if filled[r, c]:
                out[r, c] = slots[r, c]
                continue
            out[r, c] = slots[r, first]
            for t in range(probe.shape[0]):
                p = probe[t, c]
                if filled[r, p]:
                    out[r, c] = slots[r, p]
                    break


def _signer(num_perm: int, shingle_size: int, seed: int, batch_chars: int) -> Signer:
    """The signer :meth:`Signer.__reduce__` describes."""
    return Signer(num_perm=num_perm, shingle_size=shingle_size, seed=seed, batch_chars=batch_chars)


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    """``np.unique`` for a 1-d array, several times faster on small arrays.

    >>> _sorted_unique(np.array([3, 1, 3, 2], dtype=np.uint64)).tolist()
    [1, 2, 3]
    """
    a = np.sort(a)
    if len(a) < 2:
        return a
    keep = np.empty(len(a), dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]


def exact_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """|A∩B| / |A∪B| of two sorted unique shingle arrays (0 when both are empty)."""
    if len(a) == 0 or len(b) == 0:
        return 0.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (len(a) + len(b) - inter)


def estimate_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """The MinHash estimate: the share of equal signature slots."""
    return float(np.mean(sig_a == sig_b))
