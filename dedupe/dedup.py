"""The dedup stages glued together: sign → index → verify → cluster → choose.

>>> from dedupe.types import CleanDoc
>>> story = " ".join(f"word{i}" for i in range(60))
>>> docs = [CleanDoc("a", story), CleanDoc("b", story + " extra tail words here"),
...         CleanDoc("c", "a different story entirely " * 5)]
>>> result = Deduplicator().fit(docs)
>>> [(c.canonical, [m for m, _ in c.members]) for c in result.clusters]
[('b', ['a', 'b'])]
>>> result.duplicate_of
{'a': 'b'}
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from .canonical import choose, merge_metadata, rank
from .cluster import components, split_chains
from .config import CanonicalPolicy, DedupConfig
from .executor import Executor
from .lsh import candidate_pairs
from .minhash import Signer
from .types import CleanDoc, Cluster, PairScores
from .verify import (
    by_containment,
    fuzz_score,
    fuzz_text,
    is_duplicate,
    lead_offset,
    score_pair,
    set_scores,
    verdict,
)


def cluster_id_for(canonical_id: str) -> str:
    """A cluster id derived from its canonical document's id (stable across runs).

    >>> cluster_id_for("000_8fca9bbadf01635a.txt")
    'c-29711b9c7294'
    """
    return "c-" + hashlib.sha1(canonical_id.encode("utf-8")).hexdigest()[:12]


@dataclass
class DedupResult:
    """Clusters found, which document stands for which, and the verified pairs."""

    clusters: list[Cluster]
    duplicate_of: dict[str, str]
    candidates: int
    verified: int
    timings_s: dict[str, float] = field(default_factory=dict)


@dataclass
class Explanation:
    """Why two documents do or do not match."""

    scores: PairScores
    duplicate: bool
    verdict: str
    estimated_jaccard: float
    shared_passages: list[str]


class Deduplicator:
    """Finds syndicated copies among cleaned documents.

    Signing is vectorised (:class:`~dedupe.minhash.Signer`), candidates come
    from LSH banding with datasketch ``MinHashLSH``'s bands (:mod:`dedupe.lsh`,
    run as map/reduce tasks by ``executor``: in this process by default, or
    on Ray), and every candidate is verified exactly (:mod:`dedupe.verify`, on
    the driver) before union-find clustering on the driver with a chaining
    guard and the canonical policy (:mod:`dedupe.canonical`).
    """

    def __init__(
        self,
        config: DedupConfig | None = None,
        policy: CanonicalPolicy | None = None,
        *,
        executor: Executor | None = None,
    ) -> None:
        self.config = config or DedupConfig()
        self.policy = policy or CanonicalPolicy()
        self.executor = executor
        self.signer = Signer(
            num_perm=self.config.num_perm,
            shingle_size=self.config.shingle_size,
            seed=self.config.seed,
        )

    def shingle_sets(self, docs: Sequence[CleanDoc]) -> list[np.ndarray]:
        """The shingle set of every document (the exact sets used to verify)."""
        return self.signer.shingle_batch([d.text for d in docs])

    def fit(
        self,
        docs: Sequence[CleanDoc],
        *,
        sets: Sequence[np.ndarray] | None = None,
    ) -> DedupResult:
        """Cluster ``docs``; fills missing metadata of each canonical copy in place.

        ``sets`` may pass precomputed shingle sets (e.g. from worker processes).
        """
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        if sets is None:
            sets = self.shingle_sets(docs)
        elif len(sets) != len(docs):
            raise ValueError(f"{len(sets)} shingle sets for {len(docs)} documents; pass one set per document")
        signatures = self.signer.sign(sets)
        timings["sign"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        ids = [d.id for d in docs]
        pairs = candidate_pairs(
            ids, signatures, threshold=self.config.lsh_threshold, seed=self.config.seed, executor=self.executor
        )
        timings["index"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        scored: dict[tuple[int, int], PairScores] = {}

        def scores(i: int, j: int) -> PairScores:
            key = (i, j) if i < j else (j, i)
            if key not in scored:
                scored[key] = set_scores(sets[key[0]], sets[key[1]])
            return scored[key]

        config = self.config
        # pairs come sorted, so the same larger document recurs: keep recent sequences
        sequence = lru_cache(maxsize=256)(lambda i: self.signer.shingle_sequence(docs[i].text))

        def duplicate(i: int, j: int) -> bool:
            s = scores(i, j)
            if not is_duplicate(s, config) or not by_containment(s, config):
                return is_duplicate(s, config)
            if config.max_lead_offset >= 1.0:
                return True
            return is_duplicate(s, config, lead_offset=_lead(sets, i, j, sequence))

        edges = {(i, j) for i, j in pairs if duplicate(i, j)}
        timings["verify"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        clusters: list[Cluster] = []
        duplicate_of: dict[str, str] = {}
        fuzz_chars = self.config.fuzz_chars
        fuzz_texts: dict[int, str] = {}

        def fuzz_text_of(i: int) -> str:
            if i not in fuzz_texts:
                fuzz_texts[i] = fuzz_text(docs[i].text, fuzz_chars)
            return fuzz_texts[i]

        word_counts: dict[str, int] = {}

        def words(d: CleanDoc) -> int:
            if d.id not in word_counts:
                word_counts[d.id] = d.words
            return word_counts[d.id]

        def pick(members: list[int]) -> int:
            return members[choose([docs[m] for m in members], self.policy, words=words)[0]]

        groups = components(len(docs), edges)
        group_of = {m: g for g, members in enumerate(groups) for m in members}
        group_edges: list[list[tuple[int, int]]] = [[] for _ in groups]
        for a, b in edges:
            group_edges[group_of[a]].append((a, b))
        for component, local_edges in zip(groups, group_edges, strict=True):
            fuzz_texts.clear()  # only needed within a component: memory follows the largest one, not the text
            for canonical, members in split_chains(
                component, local_edges, pick, duplicate
            ):
                member_docs = [docs[m] for m in members]
                _, reason = choose(member_docs, self.policy, words=words)
                ranked = [members[k] for k in rank(member_docs, self.policy, words=words)]
                merge_metadata(docs[canonical], [docs[m] for m in ranked if m != canonical])
                entries: list[tuple[str, PairScores | None]] = []
                for m in sorted(members, key=lambda m: docs[m].id):
                    if m == canonical:
                        entries.append((docs[m].id, None))
                        continue
                    fuzz = fuzz_score(fuzz_text_of(canonical), fuzz_text_of(m))
                    entries.append((docs[m].id, replace(scores(canonical, m), fuzz=fuzz)))
                    duplicate_of[docs[m].id] = docs[canonical].id
                clusters.append(
                    Cluster(cluster_id_for(docs[canonical].id), docs[canonical].id, reason, entries)
                )
        clusters.sort(key=lambda c: c.cluster_id)
        timings["cluster"] = time.perf_counter() - t0
        return DedupResult(clusters, duplicate_of, len(pairs), len(edges), timings)

    def explain(self, a: CleanDoc, b: CleanDoc, *, passages: int = 3) -> Explanation:
        """Scores, the rule's verdict and the longest shared passages of two documents."""
        set_a, set_b = self.signer.shingles(a.text), self.signer.shingles(b.text)
        scores = score_pair(set_a, set_b, a.text, b.text, fuzz_chars=self.config.fuzz_chars)
        sequences = [self.signer.shingle_sequence(a.text), self.signer.shingle_sequence(b.text)]
        lead = _lead([set_a, set_b], 0, 1, sequences.__getitem__) if by_containment(scores, self.config) else None
        sig = self.signer.sign([set_a, set_b])
        est = float(np.mean(sig[0] == sig[1])) if len(set_a) and len(set_b) else 0.0
        return Explanation(
            scores=scores,
            duplicate=is_duplicate(scores, self.config, lead_offset=lead),
            verdict=verdict(scores, self.config, lead_offset=lead),
            estimated_jaccard=est,
            shared_passages=shared_passages(a.text, b.text, limit=passages),
        )


def _lead(sets: Sequence[np.ndarray], i: int, j: int, sequence: Callable[[int], np.ndarray]) -> float:
    """:func:`~dedupe.verify.lead_offset` of the larger of documents ``i`` and ``j``."""
    large, small = (i, j) if len(sets[i]) >= len(sets[j]) else (j, i)
    return lead_offset(sequence(large), sets[small])


def shared_passages(a: str, b: str, *, limit: int = 3, min_words: int = 8) -> list[str]:
    """The longest word runs the two texts share (normalised), longest first.

    >>> shared_passages("x y a b c d e f g h z", "q a b c d e f g h r", min_words=3)
    ['a b c d e f g h']
    """
    from difflib import SequenceMatcher

    from .normalize import tokens

    ta, tb = tokens(a), tokens(b)
    matcher = SequenceMatcher(None, ta, tb, autojunk=False)
    blocks = sorted(matcher.get_matching_blocks(), key=lambda m: (-m.size, m.a))
    return [" ".join(ta[m.a : m.a + m.size]) for m in blocks if m.size >= min_words][:limit]
