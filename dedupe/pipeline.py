"""The whole run: read → clean → sign → index → verify → cluster → choose → write.

:func:`run` is what ``dedupe run | clean | dedup`` call; it returns a
:class:`RunResult` and, when ``out`` is given, writes ``corpus.jsonl``,
``clusters.jsonl`` and ``stats.json`` there atomically.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .clean import clean_document
from .config import CleanConfig, Config
from .dedup import Deduplicator, DedupResult
from .normalize import word_count
from .progress import Progress
from .readers import iter_records
from .types import CleanDoc, Document, RecordError
from .writers import dumps, write_outputs

Mode = Literal["run", "clean", "dedup"]


@dataclass
class RunResult:
    """Everything a run produced, before or after writing."""

    mode: str
    docs: list[CleanDoc]
    dedup: DedupResult | None
    errors: list[RecordError]
    warnings: list[dict[str, Any]]
    read: int
    timings_s: dict[str, float] = field(default_factory=dict)
    config: Config = field(default_factory=Config)

    @property
    def kept(self) -> list[CleanDoc]:
        """Documents in the output corpus (canonical copies and singletons)."""
        dup = self.dedup.duplicate_of if self.dedup else {}
        return [d for d in self.docs if d.id not in dup]

    @property
    def exit_code(self) -> int:
        """0 when every record went through, 1 when some were rejected."""
        return 1 if self.errors else 0

    def corpus_rows(self) -> list[dict[str, Any]]:
        """``corpus.jsonl`` rows, sorted by id."""
        members: dict[str, list[str]] = {}
        cluster_of: dict[str, str] = {}
        if self.dedup:
            for cluster in self.dedup.clusters:
                ids = [m for m, _ in cluster.members]
                members[cluster.canonical] = sorted(i for i in ids if i != cluster.canonical)
                cluster_of[cluster.canonical] = cluster.cluster_id
        rows = []
        for doc in sorted(self.kept, key=lambda d: d.id):
            row: dict[str, Any] = {
                "id": doc.id,
                "text": doc.text,
                "title": doc.title,
                "date": doc.date,
                "author": doc.author,
                "source": doc.source,
                "cluster_id": cluster_of.get(doc.id),
                "duplicates": members.get(doc.id, []),
            }
            if self.mode == "clean":
                row["removed"] = [r.to_json() for r in doc.removed]
            rows.append(row)
        return rows

    def cluster_rows(self) -> list[dict[str, Any]]:
        """``clusters.jsonl`` rows, sorted by cluster id."""
        return [c.to_json() for c in self.dedup.clusters] if self.dedup else []

    def stats(self) -> dict[str, Any]:
        """``stats.json``: counts that reconcile, removals by reason, errors, timings."""
        removed: Counter[str] = Counter()
        for doc in self.docs:
            removed.update(r.reason for r in doc.removed)
        kept = len(self.kept)
        duplicates = len(self.docs) - kept
        return {
            "documents": {
                "read": self.read,
                "kept": kept,
                "duplicates": duplicates,
                "rejected": len(self.errors),
            },
            "clusters": len(self.dedup.clusters) if self.dedup else 0,
            "candidate_pairs": self.dedup.candidates if self.dedup else 0,
            "verified_pairs": self.dedup.verified if self.dedup else 0,
            "removed_blocks": dict(sorted(removed.items())),
            "errors": [e.to_json() for e in self.errors],
            "warnings": self.warnings,
            "timings_s": {k: round(v, 4) for k, v in self.timings_s.items()},
            "options": {"mode": self.mode, **self.config.to_json()},
        }

    def write(self, out: str | os.PathLike[str]) -> None:
        """Write the three output files into ``out`` (atomically)."""
        t0 = time.perf_counter()
        corpus = [dumps(r) for r in self.corpus_rows()]
        clusters = [dumps(r) for r in self.cluster_rows()]
        self.timings_s["write"] = time.perf_counter() - t0
        stats = self.stats()
        import json

        write_outputs(
            Path(out),
            {
                "corpus.jsonl": corpus,
                "clusters.jsonl": clusters,
                "stats.json": [json.dumps(stats, ensure_ascii=False, indent=2)],
            },
        )


def _clean_one(doc: Document, config: CleanConfig) -> CleanDoc | RecordError:
    try:
        cleaned = clean_document(doc, config)
    except RecursionError:
        return RecordError(doc.origin or doc.id, doc.line, "document is nested too deeply to parse")
    if word_count(cleaned.text) < max(config.min_words, 1):
        reasons = Counter(r.reason for r in cleaned.removed)
        detail = ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())) or "no text"
        return RecordError(doc.origin or doc.id, doc.line, f"no text left after cleaning ({detail})")
    return cleaned


def run(
    inputs: Sequence[str | os.PathLike[str]] | Iterable[Document],
    out: str | os.PathLike[str] | None = None,
    config: Config | None = None,
    *,
    mode: Mode = "run",
    on_progress: Callable[[str, int], None] | None = None,
) -> RunResult:
    """Clean and/or deduplicate a corpus; write it to ``out`` if given.

    ``inputs`` are paths (files, directories, ``-``) or ready
    :class:`~dedupe.types.Document` objects. ``mode`` is ``run`` (clean then
    dedup), ``clean`` (no dedup) or ``dedup`` (no cleaning).

    >>> from dedupe.types import Document
    >>> story = "Officials said the storm reached the coast at dawn on Monday. " * 3
    >>> result = run([Document("a", text=story), Document("b", text="Breaking\\n" + story)])
    >>> result.stats()["documents"]
    {'read': 2, 'kept': 1, 'duplicates': 1, 'rejected': 0}
    """
    config = config or Config()
    if mode == "clean":
        config = config.replace(dedup=_replace(config.dedup, enabled=False))
    elif mode == "dedup":
        config = config.replace(clean=_replace(config.clean, enabled=False))
    timings: dict[str, float] = {}
    progress = Progress(enabled=config.progress)

    t0 = time.perf_counter()
    items = list(inputs)
    if items and all(isinstance(i, Document) for i in items):
        records: list[Document | RecordError] = list(items)  # type: ignore[arg-type]
    else:
        records = list(iter_records(items, config.input))  # type: ignore[arg-type]
    timings["read"] = time.perf_counter() - t0

    errors: list[RecordError] = []
    warnings: list[dict[str, Any]] = []
    docs: list[Document] = []
    seen: dict[str, str] = {}
    for rec in records:
        if isinstance(rec, RecordError):
            errors.append(rec)
            continue
        where = f"{rec.origin}:{rec.line}" if rec.line else (rec.origin or rec.id)
        if rec.id in seen:
            errors.append(RecordError(rec.origin or rec.id, rec.line, f"duplicate id {rec.id!r} (first seen at {seen[rec.id]})"))
            continue
        seen[rec.id] = where
        docs.append(rec)

    t0 = time.perf_counter()
    cleaned: list[CleanDoc] = []
    with progress.task("clean", len(docs)) as tick:
        for doc in docs:
            result = _clean_one(doc, config.clean)
            if isinstance(result, RecordError):
                errors.append(result)
            else:
                cleaned.append(result)
                for w in result.warnings:
                    warnings.append({"source": doc.origin or doc.id, "line": doc.line, "warning": w})
            tick()
    timings["clean"] = time.perf_counter() - t0

    dedup_result: DedupResult | None = None
    if config.dedup.enabled:
        with progress.task("dedup", 1) as tick:
            dedup_result = Deduplicator(config.dedup, config.canonical).fit(cleaned)
            tick()
        timings.update(dedup_result.timings_s)

    result = RunResult(
        mode=mode,
        docs=cleaned,
        dedup=dedup_result,
        errors=errors,
        warnings=warnings,
        read=len(records),
        timings_s=timings,
        config=config,
    )
    if out is not None:
        result.write(out)
    return result


def _replace(obj: Any, **changes: Any) -> Any:
    from dataclasses import replace

    return replace(obj, **changes)


def report_errors(result: RunResult, stream: Any = None) -> None:
    """One line per rejected record on ``stream`` (stderr by default)."""
    stream = stream or sys.stderr
    for err in result.errors:
        print(f"rejected {err}", file=stream)
