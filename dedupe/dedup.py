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
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from typing import overload

import numpy as np

from .canonical import choose, merge_metadata, rank
from .cluster import split_chains
from .components import COMPONENT_METHODS, connected_components
from .config import CanonicalPolicy, DedupConfig
from .executor import Executor, InProcessExecutor
from .lsh import candidate_pairs, window_pairs
from .minhash import Signer
from .types import CleanDoc, Cluster, PairScores
from .verify import (
    by_containment,
    fuzz_scores,
    fuzz_text,
    is_duplicate,
    lead_offset,
    score_pair,
    set_scores,
    verdict,
)

#: Characters of text (canonical + member) whose fuzz scores are computed in one threaded batch.
FUZZ_BATCH_CHARS = 1 << 23


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

    Three stages run as tasks of ``executor`` (in this process by default, or
    on Ray), each task carrying its own data: signing (:func:`sign_documents`:
    vectorised :class:`~dedupe.minhash.Signer` over batches of texts), LSH
    banding with datasketch ``MinHashLSH``'s bands (:mod:`dedupe.lsh`, map and
    reduce tasks) and exact verification of every candidate
    (:class:`PairJudge` over :func:`pair_batches`: the pairs and their
    documents' texts). Connected components of the verified pairs come from
    union-find on the driver, or with ``components="star"`` from
    large-star/small-star rounds run by the executor (:mod:`dedupe.components`);
    each component is then split against its canonical copy (the chaining
    guard) and the canonical policy (:mod:`dedupe.canonical`) applied, on the driver.
    The fuzz scores reported for each member against its canonical copy are
    computed in batches on ``threads`` threads (:func:`~dedupe.verify.fuzz_scores`).
    """

    def __init__(
        self,
        config: DedupConfig | None = None,
        policy: CanonicalPolicy | None = None,
        *,
        executor: Executor | None = None,
        components: str = "union-find",
        threads: int = 1,
    ) -> None:
        if components not in COMPONENT_METHODS:
            raise ValueError(f"unknown components method {components!r}; choose from {', '.join(COMPONENT_METHODS)}")
        self.config = config or DedupConfig()
        self.policy = policy or CanonicalPolicy()
        self.executor = executor
        self.components = components
        self.threads = max(1, threads)
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

        ``sets`` may pass the documents' shingle sets (e.g. a lazy sequence): the
        driver uses them for the exact scores clustering needs beyond the
        verified pairs. Signing and verification compute their own from the texts.
        """
        timings: dict[str, float] = {}
        if sets is None:
            sets = LazySets(docs, self.signer)  # signing and verification shingle their own texts
        elif len(sets) != len(docs):
            raise ValueError(f"{len(sets)} shingle sets for {len(docs)} documents; pass one set per document")
        executor = self.executor or InProcessExecutor()
        t0 = time.perf_counter()
        lead = self.config.lead_shingles
        signatures = sign_documents(docs, self.signer, executor, lead=lead)
        timings["sign"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        ids = [d.id for d in docs]
        width = self.signer.num_perm
        pairs = candidate_pairs(
            ids, signatures[:, :width], threshold=self.config.lsh_threshold, seed=self.config.seed, executor=executor
        )
        if lead:  # cut-short copies: their leads match though their whole sets do not
            windows = signatures[:, width:].reshape(len(docs), 2, width).transpose(1, 0, 2)  # a view, no copy
            leads = window_pairs(ids, windows, threshold=self.config.lead_threshold, executor=executor)
            pairs = sorted(set(pairs).union(leads))
        del signatures
        timings["index"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        judge = PairJudge(self.config, self.signer)
        scored: dict[tuple[int, int], PairScores] = {}
        rejected: set[tuple[int, int]] = set()
        for verdicts in executor.imap(judge, pair_batches(docs, pairs)):
            for i, j, pair_scores in verdicts.duplicates:
                scored[(i, j)] = pair_scores
            rejected.update(verdicts.rejected)
        edges = list(scored)  # the verified pairs, in candidate order
        verified = set(edges)
        timings["verify"] = time.perf_counter() - t0

        def scores(i: int, j: int) -> PairScores:
            key = (i, j) if i < j else (j, i)
            if key not in scored:
                scored[key] = set_scores(sets[key[0]], sets[key[1]])
            return scored[key]

        # split_chains checks pairs that may not be candidates; the larger document recurs: keep recent sequences
        sequence = lru_cache(maxsize=256)(lambda i: self.signer.shingle_sequence(docs[i].text))

        def duplicate(i: int, j: int) -> bool:
            key = (i, j) if i < j else (j, i)
            if key in rejected:
                return False
            if key in verified:
                return True
            return judge.duplicate(scores(i, j), lambda: _lead(sets, i, j, sequence))

        t0 = time.perf_counter()
        clusters: list[Cluster] = []
        duplicate_of: dict[str, str] = {}
        fuzz_chars = self.config.fuzz_chars
        fuzz_texts: dict[int, str] = {}

        def fuzz_text_of(i: int) -> str:
            if i not in fuzz_texts:
                fuzz_texts[i] = fuzz_text(docs[i].text, fuzz_chars)
            return fuzz_texts[i]

        # (entries, position, canonical text, member text): fuzz scores still to fill in, in bounded batches
        pending: list[tuple[list[tuple[str, PairScores | None]], int, str, str]] = []
        pending_chars = 0

        def flush() -> None:
            nonlocal pending_chars
            values = fuzz_scores([p[2] for p in pending], [p[3] for p in pending], threads=self.threads)
            for (entries, k, _, _), value in zip(pending, values, strict=True):
                member, member_scores = entries[k]
                assert member_scores is not None
                entries[k] = (member, replace(member_scores, fuzz=value))
            pending.clear()
            pending_chars = 0

        word_counts: dict[str, int] = {}

        def words(d: CleanDoc) -> int:
            if d.id not in word_counts:
                word_counts[d.id] = d.words
            return word_counts[d.id]

        def pick(members: list[int]) -> int:
            return members[choose([docs[m] for m in members], self.policy, words=words)[0]]

        groups = connected_components(len(docs), edges, self.components, executor)
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
                    entries.append((docs[m].id, scores(canonical, m)))
                    pair = (fuzz_text_of(canonical), fuzz_text_of(m))
                    pending.append((entries, len(entries) - 1, *pair))
                    pending_chars += len(pair[0]) + len(pair[1])
                    duplicate_of[docs[m].id] = docs[canonical].id
                clusters.append(
                    Cluster(cluster_id_for(docs[canonical].id), docs[canonical].id, reason, entries)
                )
            if pending_chars >= FUZZ_BATCH_CHARS:
                flush()
        flush()
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


class LazySets(Sequence[np.ndarray]):
    """The shingle sets of spilled documents, computed when asked for.

    Dedup reads every set once to sign it and the sets of candidate pairs to
    verify them; holding them all would cost ~8 bytes per word of the corpus,
    so they are recomputed from the spilled text, with an LRU cache of up to
    ``budget`` shingles.
    """

    def __init__(self, docs: Sequence[CleanDoc], signer: Signer, *, budget: int = 1 << 18) -> None:
        self.docs = docs
        self.signer = signer
        self.budget = budget
        self._cache: OrderedDict[int, np.ndarray] = OrderedDict()
        self._held = 0

    def __len__(self) -> int:
        return len(self.docs)

    @overload
    def __getitem__(self, index: int) -> np.ndarray: ...

    @overload
    def __getitem__(self, index: slice) -> list[np.ndarray]: ...

    def __getitem__(self, index: int | slice) -> np.ndarray | list[np.ndarray]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        cached = self._cache.get(index)
        if cached is not None:
            self._cache.move_to_end(index)
            return cached
        shingles = self.signer.shingles(self.docs[index].text)
        self._cache[index] = shingles
        self._held += len(shingles)
        while self._held > self.budget and len(self._cache) > 1:
            _, old = self._cache.popitem(last=False)
            self._held -= len(old)
        return shingles


#: Characters of text one sign or verify task carries at most (a longer document goes alone).
TASK_TEXT_CHARS = 512 * 1024


def text_batches(docs: Sequence[CleanDoc], limit: int | None = None) -> Iterator[list[str]]:
    """The documents' texts, in order, in consecutive batches of at most ``limit`` characters
    (:data:`TASK_TEXT_CHARS` by default).

    Each text is read once, as the batches are consumed (spilled texts stay on disk until then).

    >>> from dedupe.types import CleanDoc
    >>> [len(b) for b in text_batches([CleanDoc(str(i), "x" * 40) for i in range(5)], limit=100)]
    [2, 2, 1]
    """
    limit = TASK_TEXT_CHARS if limit is None else limit
    batch: list[str] = []
    size = 0
    for doc in docs:
        text = doc.text
        if batch and size + len(text) > limit:
            yield batch
            batch, size = [], 0
        batch.append(text)
        size += len(text)
    if batch:
        yield batch


def sign_texts(signer: Signer, texts: list[str], lead: int = 0) -> np.ndarray:
    """Task: the MinHash signatures of a batch of texts (one row each); with ``lead``, each row
    goes on with the signatures of the text's first ``lead`` shingles and of the ``lead`` after its
    first sentence (:meth:`~dedupe.minhash.Signer.shingle_leads`)."""
    if not lead:
        return signer.sign(signer.shingle_batch(texts))
    sets, leads, later = signer.shingle_leads(texts, lead)
    return np.hstack([signer.sign(sets), signer.sign(leads), signer.sign(later)])


def sign_documents(docs: Sequence[CleanDoc], signer: Signer, executor: Executor, *, lead: int = 0) -> np.ndarray:
    """Signatures of every document (``len(docs) x num_perm``), signed by ``executor`` in text batches;
    with ``lead``, ``len(docs) x 3 num_perm``: each row then the signatures of the first ``lead`` shingles
    and of the ``lead`` after the first sentence.

    The rows do not depend on the batching or the executor.

    >>> from dedupe.types import CleanDoc
    >>> docs = [CleanDoc("a", "the storm hit the coast"), CleanDoc("b", "")]
    >>> signer = Signer(num_perm=8)
    >>> sig = sign_documents(docs, signer, InProcessExecutor())
    >>> sig.shape, (sig == signer.sign(signer.shingle_batch([d.text for d in docs]))).all()
    ((2, 8), np.True_)
    """
    out = np.empty((len(docs), signer.num_perm * (3 if lead else 1)), dtype=np.uint32)
    done = 0
    for rows in executor.imap(partial(sign_texts, signer, lead=lead), text_batches(docs)):
        out[done : done + len(rows)] = rows  # a copy: results from Ray's object store are read-only
        done += len(rows)
    if done != len(docs):
        raise RuntimeError(f"signing returned {done} signatures for {len(docs)} documents")
    return out


@dataclass(frozen=True)
class PairBatch:
    """A verify task's input: some candidate pairs and the texts of the documents they join.

    ``pairs`` index ``texts`` (``a < b`` as in the corpus); ``ids`` are those
    documents' indexes in the corpus.
    """

    ids: list[int]
    texts: list[str]
    pairs: list[tuple[int, int]]


def pair_batches(
    docs: Sequence[CleanDoc], pairs: Sequence[tuple[int, int]], limit: int | None = None
) -> Iterator[PairBatch]:
    """Candidate ``pairs`` (in order) in batches whose documents hold at most ``limit`` characters
    of text (:data:`TASK_TEXT_CHARS` by default; one pair when its two documents alone hold more).

    >>> from dedupe.types import CleanDoc
    >>> docs = [CleanDoc(str(i), "x" * 40) for i in range(4)]
    >>> [(b.ids, b.pairs) for b in pair_batches(docs, [(0, 1), (0, 2), (1, 3)], limit=100)]
    [([0, 1], [(0, 1)]), ([0, 2], [(0, 1)]), ([1, 3], [(0, 1)])]
    >>> [(b.ids, b.pairs) for b in pair_batches(docs, [(0, 1), (0, 2), (1, 2)], limit=120)]
    [([0, 1, 2], [(0, 1), (0, 2), (1, 2)])]
    """
    limit = TASK_TEXT_CHARS if limit is None else limit
    local: dict[int, int] = {}
    texts: list[str] = []
    batch: list[tuple[int, int]] = []
    size = 0
    for i, j in pairs:
        new = [k for k in (i, j) if k not in local]
        new_texts = [docs[k].text for k in new]
        grow = sum(len(t) for t in new_texts)
        if batch and size + grow > limit:
            yield PairBatch(list(local), texts, batch)
            local, texts, batch, size = {}, [], [], 0
            new, new_texts = [i, j], [docs[i].text, docs[j].text]
            grow = len(new_texts[0]) + len(new_texts[1])
        for k, text in zip(new, new_texts, strict=True):
            local[k] = len(texts)
            texts.append(text)
        size += grow
        batch.append((local[i], local[j]))
    if batch:
        yield PairBatch(list(local), texts, batch)


@dataclass
class Verdicts:
    """A verify task's result: the duplicate pairs with their exact scores, and the other pairs."""

    duplicates: list[tuple[int, int, PairScores]]
    rejected: list[tuple[int, int]]


@dataclass(frozen=True)
class PairJudge:
    """The duplicate rule on a pair (:mod:`dedupe.verify`), and a verify task over a :class:`PairBatch`.

    It carries only the options and the signer, so it ships to a Ray worker in a few bytes.
    """

    config: DedupConfig
    signer: Signer

    def duplicate(self, scores: PairScores, lead: Callable[[], float]) -> bool:
        """Whether a pair with ``scores`` is a duplicate; ``lead()`` (the larger document's
        :func:`~dedupe.verify.lead_offset`) is computed only when the rule needs it."""
        config = self.config
        if not is_duplicate(scores, config) or not by_containment(scores, config):
            return is_duplicate(scores, config)
        if config.max_lead_offset >= 1.0:
            return True
        return is_duplicate(scores, config, lead_offset=lead())

    def __call__(self, batch: PairBatch) -> Verdicts:
        """Task: the batch's pairs judged, as corpus indexes, in order."""
        sets = self.signer.shingle_batch(batch.texts)
        sequence = lru_cache(maxsize=None)(lambda k: self.signer.shingle_sequence(batch.texts[k]))
        out = Verdicts([], [])
        for a, b in batch.pairs:
            scores = set_scores(sets[a], sets[b])
            if self.duplicate(scores, lambda: _lead(sets, a, b, sequence)):  # noqa: B023 - called at once
                out.duplicates.append((batch.ids[a], batch.ids[b], scores))
            else:
                out.rejected.append((batch.ids[a], batch.ids[b]))
        return out


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
