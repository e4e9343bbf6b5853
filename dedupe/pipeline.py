"""The whole run: read → clean → sign → index → verify → cluster → choose → write.

:func:`run` is what ``dedupe run | clean | dedup`` call; it returns a
:class:`RunResult` and, when ``out`` is given, writes ``corpus.jsonl``,
``clusters.jsonl`` and ``stats.json`` there as one committed set
(:mod:`dedupe.writers`).

The run streams: records are read lazily and cleaned in batches of
``config.batch_size`` (in a process pool when ``config.workers > 1``; results
are consumed in input order, so the output is byte-identical for any number
of workers). Each cleaned row is appended to a spill file at once; what stays
in memory is small per document: the id and offset (``clean``), plus the
metadata dedup needs (``run``/``dedup``). Text and shingle sets are read back
(and re-shingled) from the spill when dedup signs and verifies
(:class:`~dedupe.dedup.LazySets`), and at write time, when the rows are copied into
``corpus.jsonl`` in id order.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
import weakref
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from dataclasses import replace as _dc_replace
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any, Literal, TypeVar

from .clean import clean_document, why
from .clean.explain import Explanation, fold
from .clean.recurring import LineEvidence, line_evidence, templates_from
from .config import CleanConfig, Config
from .dedup import Deduplicator, DedupResult
from .errors import ConfigError
from .executor import PoolExecutor, executor_for
from .normalize import word_count
from .progress import Progress
from .readers import iter_records
from .shards import read_corpus, write_corpus
from .stages import StageStore, fingerprint, input_state
from .types import CleanDoc, Cluster, Document, PairScores, RecordError, Removed
from .writers import OUTPUT_NAMES, OutputDir, dumps, write_lines

Mode = Literal["run", "clean", "dedup"]


# --------------------------------------------------------------------------- per-document work


@dataclass
class Cleaned:
    """What a worker returns for one document that survived cleaning.

    ``row`` is its ``corpus.jsonl`` line as if it were in no cluster; the
    rest is the small part dedup and the stats need.
    """

    id: str
    row: str
    title: str | None
    date: str | None
    author: str | None
    source: str | None
    url: str | None
    removed: list[tuple[str, str]]
    warnings: list[dict[str, Any]]
    words: int
    """Word tokens of the text, counted once at clean time (the ``longest`` policy needs them)."""


Outcome = Cleaned | RecordError

def _clean_one(
    doc: Document, config: CleanConfig, templates: frozenset[str] = frozenset()
) -> tuple[CleanDoc, int] | RecordError:
    """Clean one document; a :class:`RecordError` when it fails or leaves too few words,
    else the cleaned document and its word count."""
    where = doc.origin or doc.id
    try:
        cleaned = clean_document(doc, config, templates=templates)
    except RecursionError:
        return RecordError(where, doc.line, "document is nested too deeply to parse")
    except Exception as exc:  # noqa: BLE001 - one bad record must not cost the rest
        return RecordError(where, doc.line, f"the cleaner failed on this record ({type(exc).__name__}: {exc})")
    words = word_count(cleaned.text)
    if words < max(config.min_words, 1):
        reasons = Counter(r.reason for r in cleaned.removed)
        detail = ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())) or "no text"
        why = "".join(f"; {w}" for w in cleaned.warnings)  # e.g. "binary data, not HTML", "an index page?"
        return RecordError(where, doc.line, f"no text left after cleaning ({detail}){why}")
    return cleaned, words


def _row(doc: CleanDoc, with_removed: bool) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": doc.id,
        "text": doc.text,
        "title": doc.title,
        "date": doc.date,
        "author": doc.author,
        "source": doc.source,
        "cluster_id": None,
        "duplicates": [],
    }
    if with_removed:
        row["removed"] = [r.to_json() for r in doc.removed]
    return row


def process_batch(
    batch: Sequence[Document], clean: CleanConfig, with_removed: bool, templates: frozenset[str] = frozenset()
) -> list[Outcome]:
    """Clean a batch of documents into output rows (or rejections).

    The per-document stage of a run; a plain function over plain data, so it
    runs the same in-process and in a worker process. ``templates`` are the
    corpus' site-template lines (:func:`template_pass`).

    >>> out = process_batch([Document("a", text="The storm reached the coast on Monday.")],
    ...                     CleanConfig(), with_removed=False)
    >>> out[0].row
    '{"id": "a", "text": "The storm reached the coast on Monday.", "title": null, "date": null, "author": null, "source": null, "cluster_id": null, "duplicates": []}'
    """
    outcomes: list[Outcome] = []
    for doc in batch:
        outcome = _clean_one(doc, clean, templates)
        if isinstance(outcome, RecordError):
            outcomes.append(outcome)
            continue
        cleaned, words = outcome
        outcomes.append(
            Cleaned(
                id=cleaned.id,
                row=dumps(_row(cleaned, with_removed)),
                title=cleaned.title,
                date=cleaned.date,
                author=cleaned.author,
                source=cleaned.source,
                url=cleaned.url,
                removed=[(r.reason, r.rule) for r in cleaned.removed],
                warnings=[{"source": doc.origin or doc.id, "line": doc.line, "warning": w} for w in cleaned.warnings],
                words=words,
            )
        )
    return outcomes


# --------------------------------------------------------------------------- the spill


class Spill:
    """An append-only file of rows, read back by (offset, length).

    >>> spill = Spill(Path(tempfile.mkdtemp()) / "rows")
    >>> where = spill.add('{"id": "a", "text": "hi"}')
    >>> spill.read_row(*where)["text"]
    'hi'
    >>> spill.close()
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[bytes] = open(path, "w+b")  # noqa: SIM115 - closed by close()
        self._end = 0
        self._dirty = False
        self._cache: dict[tuple[int, int], str] = {}

    @classmethod
    def reopen(cls, path: Path) -> Spill:
        """The spill a finished clean stage left at ``path``, to read back."""
        spill = cls.__new__(cls)
        spill.path = path
        spill._fh = open(path, "rb")  # noqa: SIM115 - closed by close()
        spill._end = os.path.getsize(path)
        spill._dirty = False
        spill._cache = {}
        return spill

    def add(self, line: str) -> tuple[int, int]:
        data = line.encode("utf-8") + b"\n"
        where = (self._end, len(data))
        self._fh.write(data)
        self._end += len(data)
        self._dirty = True
        return where

    def flush(self) -> None:
        """Hand what was added to the operating system (before another reader opens the file)."""
        if self._dirty:
            self._fh.flush()
            self._dirty = False

    def read_bytes(self, offset: int, length: int) -> bytes:
        self.flush()
        return os.pread(self._fh.fileno(), length, offset)

    def read_row(self, offset: int, length: int) -> dict[str, Any]:
        return json.loads(self.read_bytes(offset, length))

    def read_text(self, offset: int, length: int) -> str:
        """The ``text`` field of a row (the last few are cached: verify asks repeatedly)."""
        key = (offset, length)
        text = self._cache.get(key)
        if text is None:
            if len(self._cache) >= 16:
                self._cache.pop(next(iter(self._cache)))
            text = self._cache[key] = self.read_row(offset, length)["text"]
        return text

    def close(self) -> None:
        self._fh.close()


class SpilledDoc(CleanDoc):
    """A :class:`CleanDoc` whose text stays in the spill until something reads it.

    Removed blocks keep their reason and rule but not their text (only the
    count matters to the canonical policy; ``clean`` rows carry the full list).
    """

    def __init__(self, item: Cleaned, spill: Spill, where: tuple[int, int]) -> None:  # noqa: D107
        self.id = item.id
        self.title, self.date, self.author = item.title, item.date, item.author
        self.source, self.url, self.language = item.source, item.url, None
        self.removed = [Removed("", reason, rule) for reason, rule in item.removed]
        self.blocks = []
        self.warnings = []
        self._spill = spill
        self._where = where
        self._words = item.words

    @property
    def words(self) -> int:  # type: ignore[override]  # counted at clean time, no need to read the text
        return self._words

    @property
    def text(self) -> str:  # type: ignore[override]  # read from the spill, not stored
        return self._spill.read_text(*self._where)


# --------------------------------------------------------------------------- the result


@dataclass
class RunResult:
    """Counts, errors, clusters and timings of a run; the rows stay on disk.

    ``corpus_rows()`` reads the rows back: from the spill, or from
    ``OUT/corpus.jsonl`` (or its shards) once the run has written its output.
    ``stages`` says which stages were computed and which reused from a
    failed run (``--resume``).
    """

    mode: str
    dedup: DedupResult | None
    errors: list[RecordError]
    warnings: list[dict[str, Any]]
    read: int
    cleaned: int
    removed_blocks: dict[str, int]
    timings_s: dict[str, float] = field(default_factory=dict)
    config: Config = field(default_factory=Config)
    written_to: Path | None = None
    stages: dict[str, str] = field(default_factory=dict)
    _spill: Spill | None = field(default=None, repr=False)
    _index: list[tuple[str, int, int]] = field(default_factory=list, repr=False)
    _docs: list[SpilledDoc] = field(default_factory=list, repr=False)

    @property
    def kept(self) -> int:
        """Number of documents in the output corpus (canonical copies and singletons)."""
        return self.cleaned - (len(self.dedup.duplicate_of) if self.dedup else 0)

    @property
    def exit_code(self) -> int:
        """0 when every record went through, 1 when some were rejected."""
        return 1 if self.errors else 0

    def _lines(self) -> Iterator[str]:
        """``corpus.jsonl`` lines, sorted by id, read from the spill."""
        if self._spill is None:
            raise RuntimeError("the rows of this result are gone (it was written); read OUT/corpus.jsonl")
        spill = self._spill
        if not self._docs:  # clean mode: the rows are final, copy them in id order
            for _, offset, length in sorted(self._index):
                yield spill.read_bytes(offset, length).decode("utf-8").rstrip("\n")
            return
        dup = self.dedup.duplicate_of if self.dedup else {}
        members: dict[str, list[str]] = {}
        cluster_of: dict[str, str] = {}
        for cluster in self.dedup.clusters if self.dedup else []:
            members[cluster.canonical] = sorted(m for m, _ in cluster.members if m != cluster.canonical)
            cluster_of[cluster.canonical] = cluster.cluster_id
        for doc in sorted((d for d in self._docs if d.id not in dup), key=lambda d: d.id):
            row = spill.read_row(*doc._where)
            if doc.id in cluster_of:  # the canonical copy: merged metadata, its copies
                row.update(title=doc.title, date=doc.date, author=doc.author, source=doc.source,
                           cluster_id=cluster_of[doc.id], duplicates=members[doc.id])
            yield dumps(row)

    def corpus_rows(self) -> Iterator[dict[str, Any]]:
        """``corpus.jsonl`` rows, sorted by id."""
        if self._spill is None and self.written_to is not None:
            yield from read_corpus(self.written_to)
            return
        for line in self._lines():
            yield json.loads(line)

    def cluster_rows(self) -> list[dict[str, Any]]:
        """``clusters.jsonl`` rows, sorted by cluster id."""
        return [c.to_json() for c in self.dedup.clusters] if self.dedup else []

    def stats(self) -> dict[str, Any]:
        """``stats.json``: counts that reconcile, removals by reason, errors, timings."""
        return {
            "documents": {
                "read": self.read,
                "kept": self.kept,
                "duplicates": self.cleaned - self.kept,
                "rejected": len(self.errors),
            },
            "clusters": len(self.dedup.clusters) if self.dedup else 0,
            "candidate_pairs": self.dedup.candidates if self.dedup else 0,
            "verified_pairs": self.dedup.verified if self.dedup else 0,
            "removed_blocks": dict(sorted(self.removed_blocks.items())),
            "errors": [e.to_json() for e in self.errors],
            "warnings": self.warnings,
            "timings_s": {k: round(v, 4) for k, v in self.timings_s.items()},
            "stages": dict(self.stages),
            "options": {"mode": self.mode, **self.config.to_json()},
        }

    def write(self, out: str | os.PathLike[str], *, _stage: OutputDir | None = None) -> None:
        """Write the output into ``out`` as one committed set: the corpus (``corpus.jsonl``,
        or shards and ``manifest.json`` as ``config.output`` says), ``clusters.jsonl``, ``stats.json``."""
        stage = _stage or OutputDir(out)
        try:
            t0 = time.perf_counter()
            names = write_corpus(stage, self._lines(), self.config.output, with_removed=self.mode == "clean")
            with stage.open("clusters.jsonl") as fh:
                write_lines(fh, (dumps(r) for r in self.cluster_rows()))
            self.timings_s["write"] = time.perf_counter() - t0
            with stage.open("stats.json") as fh:
                write_lines(fh, [json.dumps(self.stats(), ensure_ascii=False, indent=2)])
            stage.commit([*names, *OUTPUT_NAMES[1:]])
        except BaseException:
            stage.discard()
            raise


# --------------------------------------------------------------------------- the run


def _documents_or_records(
    inputs: Sequence[str | os.PathLike[str]] | Iterable[Document],
    config: Config,
    out: str | os.PathLike[str] | None,
) -> Iterator[Document | RecordError]:
    items = iter(inputs)
    first = next(items, None)
    if first is None:
        return
    if isinstance(first, Document):
        for item in chain([first], items):
            if not isinstance(item, Document):
                raise TypeError(f"inputs mix Documents and {type(item).__name__}; pass one kind")
            yield item
        return
    skip = [out] if out is not None else []
    yield from iter_records([first, *items], config.input, skip_dirs=skip)  # type: ignore[list-item]


#: Texts per task of the template pass (:func:`template_pass`) when it runs in the clean stage's pool.
TEMPLATE_BATCH = 64

_T = TypeVar("_T")
_R = TypeVar("_R")


class _Runner:
    """Feeds batches to the cleaner (inline or in a pool) and collects outcomes in input order."""

    def __init__(self, config: Config, mode: str, spill: Spill, progress_tick: Callable[[], None]) -> None:
        self.config = config
        self.with_removed = mode == "clean"
        self.dedup = config.dedup if config.dedup.enabled else None
        self.spill = spill
        self.tick = progress_tick
        self.pool: PoolExecutor | None = None
        self.pending: deque[tuple[list[int], Future[list[Outcome]] | list[Outcome]]] = deque()
        self.batches = 0
        self.errors: list[tuple[int, RecordError]] = []
        self.warnings: list[tuple[int, dict[str, Any]]] = []
        self.removed: Counter[str] = Counter()
        self.index: list[tuple[str, int, int]] = []
        self.docs: list[SpilledDoc] = []
        self.clean_s = 0.0
        self.templates: frozenset[str] = frozenset()

    def submit(self, batch: list[tuple[int, Document]]) -> None:
        if not batch:
            return
        seqs = [s for s, _ in batch]
        docs = [d for _, d in batch]
        args = (docs, self.config.clean, self.with_removed, self.templates)
        self.batches += 1
        if self.config.workers > 1 and (self.batches > 1 or self.pool is not None):  # a pool for 2+ batches (or started by templates)
            self.pending.append((seqs, self._pool().submit(process_batch, *args)))
            while len(self.pending) > 2 * self.config.workers:
                self._collect_one()
        else:
            t0 = time.perf_counter()
            outcomes = process_batch(*args)
            self.clean_s += time.perf_counter() - t0
            self.pending.append((seqs, outcomes))
            while self.pending and isinstance(self.pending[0][1], list):
                self._collect_one()

    def _pool(self) -> PoolExecutor:
        if self.pool is None:
            self.pool = PoolExecutor(self.config.workers)
        return self.pool

    def imap(self, fn: Callable[[_T], _R], items: Iterable[_T]) -> Iterator[_R]:
        """``fn`` over ``items`` in order: in the clean stage's pool when there are workers and two or more
        items (the template pass's batches), else here."""
        items = iter(items)
        first = list(islice(items, 2))
        if self.config.workers < 2 or len(first) < 2:
            return map(fn, chain(first, items))
        return self._pool().imap(fn, chain(first, items))

    def _collect_one(self) -> None:
        seqs, job = self.pending.popleft()
        t0 = time.perf_counter()
        outcomes = job if isinstance(job, list) else job.result()
        self.clean_s += time.perf_counter() - t0 if not isinstance(job, list) else 0.0
        for seq, outcome in zip(seqs, outcomes, strict=True):
            self.tick()
            if isinstance(outcome, RecordError):
                self.errors.append((seq, outcome))
                continue
            where = self.spill.add(outcome.row)
            self.removed.update(reason for reason, _ in outcome.removed)
            self.warnings.extend((seq, w) for w in outcome.warnings)
            if self.dedup is None:
                self.index.append((outcome.id, *where))
            else:
                self.docs.append(SpilledDoc(outcome, self.spill, where))

    def finish(self) -> None:
        try:
            while self.pending:
                self._collect_one()
        finally:
            self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None


def _path_inputs(inputs: Sequence[str | os.PathLike[str]] | Iterable[Document]) -> list[str] | None:
    """``inputs`` as a list of paths, or ``None`` when they are documents (or a one-shot iterable)."""
    if isinstance(inputs, (list, tuple)) and all(isinstance(i, (str, os.PathLike)) for i in inputs):
        return [os.fspath(i) for i in inputs]
    return None


def run(
    inputs: Sequence[str | os.PathLike[str]] | Iterable[Document],
    out: str | os.PathLike[str] | None = None,
    config: Config | None = None,
    *,
    mode: Mode = "run",
    on_progress: Callable[[str, int], None] | None = None,
) -> RunResult:
    """Clean and/or deduplicate a corpus; write it to ``out`` if given.

    ``inputs`` are paths (files, directories, globs, ``-``) or ready
    :class:`~dedupe.types.Document` objects (any iterable: it is read once,
    lazily). ``mode`` is ``run`` (clean then dedup), ``clean`` (no dedup) or
    ``dedup`` (no cleaning). Without ``out`` the rows are kept in a temporary
    spill file, read by :meth:`RunResult.corpus_rows` or :meth:`RunResult.write`.

    With ``out`` and paths as inputs, each finished stage is kept under
    ``OUT/.stages/`` until the run succeeds (:mod:`dedupe.stages`), and
    ``config.resume`` reuses the stages a failed run finished.

    >>> from dedupe.types import Document
    >>> story = "Officials said the storm reached the coast at dawn on Monday. " * 3
    >>> result = run([Document("a", text=story), Document("b", text="Breaking\\n" + story)])
    >>> result.stats()["documents"]
    {'read': 2, 'kept': 1, 'duplicates': 1, 'rejected': 0}
    >>> [row["id"] for row in result.corpus_rows()]
    ['b']
    """
    config = config or Config()
    if mode == "clean":
        config = config.replace(dedup=_dc_replace(config.dedup, enabled=False))
    elif mode == "dedup":
        config = config.replace(clean=_dc_replace(config.clean, enabled=False))
    progress = Progress(enabled=config.progress)

    paths = _path_inputs(inputs)
    state = input_state(paths, skip_dirs=[out]) if paths is not None and out is not None else None
    if config.resume:
        if out is None:
            raise ConfigError("resume needs an output directory (--out): a failed run keeps its stages there")
        if state is None:
            raise ConfigError("--resume needs inputs read from files; stdin (-) and documents passed as objects "
                              "cannot be checked against what a failed run read: run without --resume")
    from . import __version__

    clean_fp = fingerprint("clean", __version__, mode, config.input, config.clean, state) if state is not None else None
    dedup_fp = fingerprint("dedup", clean_fp, config.dedup, config.canonical)

    records = _documents_or_records(inputs, config, out)  # raises InputError before anything is written
    first = next(records, None)
    records = chain([first], records) if first is not None else iter(())

    stage: OutputDir | None = OutputDir(out) if out is not None else None
    store = StageStore(stage.out, resume=config.resume) if stage is not None and clean_fp is not None else None
    stages: dict[str, str] = {}
    spill: Spill | None = None
    spill_dir: Path | None = None
    try:
        clean_meta = store.load("clean", clean_fp) if store is not None and config.resume else None  # type: ignore[arg-type]
        cleaned: _CleanState | None = None
        if store is not None and clean_meta is not None:
            try:
                spill = Spill.reopen(store.path("clean") / "rows.spill")
                cleaned = _CleanState.load(store.path("clean"), clean_meta, spill)
                stages["clean"] = "reused"
            except _DAMAGED:  # a stage damaged after it was finished: compute it again
                if spill is not None:
                    spill.close()
                spill = None
        if cleaned is None:
            if store is not None:
                spill_dir = store.begin("clean")
            elif stage is not None:
                spill_dir = stage.path
            else:
                spill_dir = Path(tempfile.mkdtemp(prefix="dedupe-spill-"))
            spill = Spill(spill_dir / "rows.spill")
            cleaned = _clean_stage(records, config, mode, spill, progress, on_progress)
            if store is not None:
                spill.flush()
                store.finish("clean", spill_dir, clean_fp, cleaned.save(spill_dir))  # type: ignore[arg-type]
                spill.path = store.path("clean") / "rows.spill"
            stages["clean"] = "computed"

        dedup_result: DedupResult | None = None
        if config.dedup.enabled:
            dedup_meta = store.load("dedup", dedup_fp) if store is not None and stages["clean"] == "reused" else None
            if store is not None and dedup_meta is not None:
                try:
                    dedup_result = _load_dedup(store.path("dedup"), cleaned.docs)
                    stages["dedup"] = "reused"
                except _DAMAGED:
                    dedup_result = None
            if dedup_result is None:
                dedup_result = _dedup_stage(cleaned.docs, config, progress)
                if store is not None:
                    tmp = store.begin("dedup")
                    store.finish("dedup", tmp, dedup_fp, _save_dedup(tmp, dedup_result, cleaned.docs))
                stages["dedup"] = "computed"

        assert spill is not None
        result = cleaned.result(mode, config, dedup_result, spill, stages)
        if stage is None:
            assert spill_dir is not None
            weakref.finalize(result, _drop_spill, spill, spill_dir)
            return result
        result.write(stage.out, _stage=stage)
        spill.close()
        if store is not None and not config.keep_stages:
            store.remove()
        result._spill = None
        result._docs, result._index = [], []
        result.written_to = stage.out
        return result
    except BaseException:
        if spill is not None:
            spill.close()
        if store is not None:
            store.discard_unfinished()  # the finished stages stay, for --resume
        if stage is not None:
            stage.discard()
        elif spill_dir is not None:
            shutil.rmtree(spill_dir, ignore_errors=True)
        raise


def _drop_spill(spill: Spill, directory: Path) -> None:
    spill.close()
    shutil.rmtree(directory, ignore_errors=True)


def template_pass(
    records: Iterator[Document | RecordError],
    config: CleanConfig,
    imap: Callable[[Callable[[list[str]], list[LineEvidence]], Iterable[list[str]]], Iterable[list[LineEvidence]]]
    = map,
) -> tuple[Iterator[Document | RecordError], frozenset[str]]:
    """Site-template lines of the corpus, from its first ``config.recurring_sample`` records
    (fewer when their text reaches ``config.recurring_sample_bytes``).

    The records read for it are buffered and replayed, so the input is still
    read once (stdin works) and memory stays bounded by the sample: a site's
    template recurs all through a corpus, so its head shows it.

    The per-document half (:func:`~dedupe.clean.recurring.line_evidence`) runs
    on batches of :data:`TEMPLATE_BATCH` texts as they are read, through
    ``imap`` (results in order, as :func:`map` gives them; the clean stage
    passes its worker pool's), and the corpus-wide half
    (:func:`~dedupe.clean.recurring.templates_from`) here: the result is the
    same frozenset whatever runs the batches.

    >>> docs = [Document(f"d{i}", text=f"Story {i}\\nA paragraph about topic {i} with enough words in it.\\n"
    ...                  "Follow Metro Wire on social media") for i in range(3)]
    >>> rest, templates = template_pass(iter(docs), CleanConfig())
    >>> sorted(templates), len(list(rest))
    (['follow metro wire on social media'], 3)
    """
    if not (config.enabled and config.recurring_lines):
        return records, frozenset()
    head: list[Document | RecordError] = []

    def batches() -> Iterator[list[str]]:
        texts: list[str] = []
        size = 0
        for rec in islice(records, config.recurring_sample):
            head.append(rec)
            if isinstance(rec, Document) and rec.html is None and rec.text:
                texts.append(rec.text)
                size += len(rec.text)
                if size >= config.recurring_sample_bytes:
                    break
                if len(texts) >= TEMPLATE_BATCH:
                    yield texts
                    texts = []
        if texts:
            yield texts

    evidence = chain.from_iterable(imap(line_evidence, batches()))
    templates = templates_from(evidence, config.recurring_min_docs)
    return chain(head, records), templates


def why_lines(
    inputs: Sequence[str | os.PathLike[str]] | Iterable[Document],
    substring: str,
    config: Config | None = None,
) -> Iterator[tuple[str, Explanation]]:
    """Why the cleaner kept or dropped each line holding ``substring``, in every text record.

    Reads ``inputs`` with the same options and site-template lines a run
    uses, so it explains what the run did; yields (``FILE`` or ``FILE:LINE``
    of the record, the decision). HTML records are not explained line by line.

    >>> doc = Document("a.txt", text="Storm hits\\nThe storm reached the coast on Monday, officials said.\\n"
    ...                "Tired of too many ads? Remove Ads", origin="a.txt")
    >>> [(where, e.label, e.rule) for where, e in why_lines([doc], "remove ads")]
    [('a.txt', 'ad', 'ad_phrase')]
    """
    config = config or Config()
    needle = fold(substring)
    if not needle:
        raise ConfigError("--why needs a piece of the line to explain (got an empty string)")
    records, templates = template_pass(_documents_or_records(inputs, config, None), config.clean)
    for rec in records:
        if not isinstance(rec, Document) or rec.html is not None or not rec.text:
            continue
        if needle not in fold(rec.text):  # cheap: classify only records that hold it
            continue
        where = f"{rec.origin}:{rec.line}" if rec.line else (rec.origin or rec.id)
        for decision in why(rec.text, substring, config=config.clean, title=rec.title, templates=templates):
            yield where, decision


@dataclass
class _CleanState:
    """What the clean stage hands on, and what its artifact (``OUT/.stages/clean/``) holds.

    ``docs`` (for dedup) or ``index`` (``dedupe clean``: id and where the row is)
    point into the spill; the rest is counts, rejections and warnings, in input order.
    """

    read: int
    errors: list[RecordError]
    warnings: list[dict[str, Any]]
    removed: dict[str, int]
    index: list[tuple[str, int, int]]
    docs: list[SpilledDoc]
    timings: dict[str, float]

    def save(self, directory: Path) -> dict[str, Any]:
        """Write the per-document part to ``directory/docs.jsonl``; return the rest (for ``stage.json``)."""
        with open(directory / "docs.jsonl", "w", encoding="utf-8", newline="\n") as fh:
            for doc_id, offset, length in self.index:
                fh.write(dumps([doc_id, offset, length]) + "\n")
            for d in self.docs:
                removed = [[r.reason, r.rule] for r in d.removed]
                fh.write(dumps([d.id, *d._where, d.title, d.date, d.author, d.source, d.url, removed, d.words]) + "\n")
        return {
            "documents": len(self.index) + len(self.docs),
            "spill_bytes": (directory / "rows.spill").stat().st_size,
            "read": self.read,
            "errors": [e.to_json() for e in self.errors],
            "warnings": self.warnings,
            "removed": self.removed,
            "timings": self.timings,
        }

    @classmethod
    def load(cls, directory: Path, meta: dict[str, Any], spill: Spill) -> _CleanState:
        """The state :meth:`save` wrote, its rows in ``spill``."""
        index: list[tuple[str, int, int]] = []
        docs: list[SpilledDoc] = []
        with open(directory / "docs.jsonl", encoding="utf-8") as fh:
            for line in fh:
                item = json.loads(line)
                if len(item) == 3:
                    index.append((item[0], item[1], item[2]))
                    continue
                doc_id, offset, length, title, date, author, source, url, removed, words = item
                info = Cleaned(doc_id, "", title, date, author, source, url, [tuple(r) for r in removed], [], words)
                docs.append(SpilledDoc(info, spill, (offset, length)))
        if len(index) + len(docs) != meta["documents"] or spill._end != meta["spill_bytes"]:
            raise ValueError(f"{directory} does not hold what its stage.json says (damaged)")
        return cls(
            read=meta["read"],
            errors=[RecordError(**e) for e in meta["errors"]],
            warnings=meta["warnings"],
            removed=meta["removed"],
            index=index,
            docs=docs,
            timings=meta["timings"],
        )

    def result(
        self, mode: str, config: Config, dedup: DedupResult | None, spill: Spill, stages: dict[str, str]
    ) -> RunResult:
        timings = dict(self.timings)
        if dedup is not None:
            timings.update(dedup.timings_s)
        return RunResult(
            mode=mode,
            dedup=dedup,
            errors=self.errors,
            warnings=self.warnings,
            read=self.read,
            cleaned=len(self.docs) + len(self.index),
            removed_blocks=dict(self.removed),
            timings_s=timings,
            config=config,
            stages=stages,
            _spill=spill,
            _index=self.index,
            _docs=self.docs,
        )


def _clean_stage(
    records: Iterator[Document | RecordError],
    config: Config,
    mode: str,
    spill: Spill,
    progress: Progress,
    on_progress: Callable[[str, int], None] | None,
) -> _CleanState:
    seen: dict[str, str] = {}
    read_errors: list[tuple[int, RecordError]] = []
    seq = 0
    t_start = time.perf_counter()
    with progress.task("clean", None) as tick:
        done = 0

        def advance() -> None:
            nonlocal done
            done += 1
            tick()
            if on_progress is not None:
                on_progress("clean", done)

        runner = _Runner(config, mode, spill, advance)
        try:
            t_templates = time.perf_counter()
            records, runner.templates = template_pass(records, config.clean, runner.imap)  # may start the pool
            templates_s = time.perf_counter() - t_templates
            batch: list[tuple[int, Document]] = []
            for rec in records:
                seq += 1
                if isinstance(rec, RecordError):
                    read_errors.append((seq, rec))
                    continue
                where = f"{rec.origin}:{rec.line}" if rec.line else (rec.origin or rec.id)
                if rec.id in seen:
                    read_errors.append((seq, RecordError(
                        rec.origin or rec.id, rec.line, f"duplicate id {rec.id!r} (first seen at {seen[rec.id]})")))
                    continue
                seen[rec.id] = where
                batch.append((seq, rec))
                if len(batch) >= config.batch_size:
                    runner.submit(batch)
                    batch = []
            runner.submit(batch)
            runner.finish()
        finally:
            runner.close()
    total = time.perf_counter() - t_start
    return _CleanState(
        read=seq,
        errors=[e for _, e in sorted(read_errors + runner.errors, key=lambda p: p[0])],
        warnings=[w for _, w in sorted(runner.warnings, key=lambda p: p[0])],
        removed=dict(runner.removed),
        index=runner.index,
        docs=runner.docs,
        timings={"templates": templates_s, "clean": runner.clean_s,
                 "read": max(total - runner.clean_s - templates_s, 0.0)},
    )


def _dedup_stage(docs: list[SpilledDoc], config: Config, progress: Progress) -> DedupResult:
    with progress.task("dedup", 1) as tick:
        with executor_for(config.executor, config.address, workers=config.workers) as executor:
            deduper = Deduplicator(config.dedup, config.canonical, executor=executor, components=config.components,
                                   threads=config.workers)
            result = deduper.fit(docs)  # shingle sets recomputed from the spill as needed (LazySets)
        tick()
    return result


#: What reading a damaged stage artifact raises (the stage is then computed again).
_DAMAGED = (OSError, ValueError, KeyError, TypeError, IndexError)

#: The metadata :func:`~dedupe.canonical.merge_metadata` may fill on a canonical copy.
_MERGED = ("title", "date", "author", "source", "url")


def _save_dedup(directory: Path, result: DedupResult, docs: Sequence[CleanDoc]) -> dict[str, Any]:
    """Write the dedup stage's result (clusters with exact scores, canonical metadata after merging)."""
    canonical = {c.canonical for c in result.clusters}
    data = {
        "clusters": [
            [c.cluster_id, c.canonical, c.reason,
             [[m, None if s is None else [s.jaccard, s.containment, s.fuzz, s.size_a, s.size_b]] for m, s in c.members]]
            for c in result.clusters
        ],
        "duplicate_of": result.duplicate_of,
        "merged": {d.id: [getattr(d, f) for f in _MERGED] for d in docs if d.id in canonical},
    }
    with open(directory / "dedup.json", "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
    return {"candidates": result.candidates, "verified": result.verified, "timings": result.timings_s}


def _load_dedup(directory: Path, docs: Sequence[CleanDoc]) -> DedupResult:
    """The result :func:`_save_dedup` wrote; fills the canonical copies' merged metadata in ``docs``."""
    meta = json.loads((directory / "stage.json").read_text(encoding="utf-8"))
    data = json.loads((directory / "dedup.json").read_text(encoding="utf-8"))
    clusters = [
        Cluster(cid, canonical, reason, [(m, None if s is None else PairScores(*s)) for m, s in members])
        for cid, canonical, reason, members in data["clusters"]
    ]
    merged = data["merged"]
    updates = [(doc, dict(zip(_MERGED, merged[doc.id], strict=True))) for doc in docs if doc.id in merged]
    result = DedupResult(
        clusters=clusters,
        duplicate_of=data["duplicate_of"],
        candidates=meta["candidates"],
        verified=meta["verified"],
        timings_s=meta["timings"],
    )
    for doc, values in updates:  # only once everything was read: a damaged file changes nothing
        for name, value in values.items():
            setattr(doc, name, value)
    return result


def report_errors(result: RunResult, stream: Any = None) -> None:
    """One line per rejected record on ``stream`` (stderr by default)."""
    stream = stream or sys.stderr
    for err in result.errors:
        print(f"rejected {err}", file=stream)
