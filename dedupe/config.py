"""One configuration object shared by the library and the CLI.

The CLI only parses options into a :class:`Config`; the library functions take
the same object. Every field is validated when it is built, and a bad value
raises :class:`~dedupe.errors.ConfigError` saying what to change.

>>> Config().dedup.shingle_size
5
>>> DedupConfig(jaccard_threshold=1.5)
Traceback (most recent call last):
...
dedupe.errors.ConfigError: jaccard_threshold must be between 0 and 1 (got 1.5)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from importlib.util import find_spec
from typing import Any

from .errors import ConfigError
from .executor import EXECUTORS
from .types import REASONS


def _unit(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ConfigError(f"{name} must be between 0 and 1 (got {value})")


def _positive(name: str, value: int) -> None:
    if value < 1:
        raise ConfigError(f"{name} must be at least 1 (got {value})")


@dataclass(frozen=True)
class InputConfig:
    """How records are read: JSONL field names and file handling."""

    id_field: str = "id"
    text_field: str = "text"
    html_field: str = "html"
    title_field: str = "title"
    date_field: str = "date"
    author_field: str = "author"
    source_field: str = "source"
    url_field: str = "url"
    max_bytes: int = 64 * 1024 * 1024

    def __post_init__(self) -> None:
        _positive("max_bytes", self.max_bytes)


@dataclass(frozen=True)
class CleanConfig:
    """Options of the cleaner.

    ``keep_reasons`` names removal reasons to keep in the text anyway (for
    example ``{"caption"}``); ``min_words`` is the number of body words below
    which a cleaned document is rejected as empty.
    """

    enabled: bool = True
    keep_reasons: frozenset[str] = frozenset()
    min_words: int = 1
    recurring_lines: bool = True
    recurring_min_docs: int = 3
    recurring_sample: int = 5_000
    recurring_sample_bytes: int = 8 * 1024 * 1024

    def __post_init__(self) -> None:
        unknown = sorted(set(self.keep_reasons) - set(REASONS))
        if unknown:
            raise ConfigError(
                f"unknown reason(s) in keep_reasons: {', '.join(unknown)}; "
                f"choose from {', '.join(REASONS)}"
            )
        if self.min_words < 0:
            raise ConfigError(f"min_words must be 0 or more (got {self.min_words})")
        _positive("recurring_sample", self.recurring_sample)
        _positive("recurring_sample_bytes", self.recurring_sample_bytes)
        if self.recurring_min_docs < 2:
            raise ConfigError(
                f"recurring_min_docs must be at least 2 (got {self.recurring_min_docs})"
            )


@dataclass(frozen=True)
class DedupConfig:
    """Options of signing, candidate search and verification.

    A candidate pair is a duplicate when ``jaccard >= jaccard_threshold``, or
    when ``containment >= containment_threshold`` and the smaller document has
    at least ``min_shingles`` shingles and at least ``min_length_ratio`` of the
    larger one's, and the larger one's first run of 20 shingles shared with the
    smaller starts within its first ``max_lead_offset`` (a share of its shingles; 1.0
    turns that check off): a cut-short copy shares the larger one's lead, a
    story glued after another one does not.

    Candidates come from MinHash-LSH over the whole shingle sets at
    ``lsh_threshold``, and over the sets of each document's first
    ``lead_shingles`` shingles at ``lead_threshold`` (0 turns it off): a copy
    cut to a third of the story has a whole-set Jaccard near 0.3 but the
    story's lead.
    """

    enabled: bool = True
    shingle_size: int = 5
    num_perm: int = 128
    seed: int = 1
    lsh_threshold: float = 0.3
    jaccard_threshold: float = 0.6
    containment_threshold: float = 0.7
    min_shingles: int = 20
    min_length_ratio: float = 0.2
    max_lead_offset: float = 0.3
    fuzz_chars: int = 20000
    lead_shingles: int = 50
    lead_threshold: float = 0.6

    def __post_init__(self) -> None:
        _positive("shingle_size", self.shingle_size)
        _positive("min_shingles", self.min_shingles)
        _positive("fuzz_chars", self.fuzz_chars)
        if self.num_perm < 16 or self.num_perm > 1024:
            raise ConfigError(f"num_perm must be between 16 and 1024 (got {self.num_perm})")
        for name in (
            "lsh_threshold",
            "jaccard_threshold",
            "containment_threshold",
            "min_length_ratio",
            "max_lead_offset",
        ):
            _unit(name, getattr(self, name))
        if self.lsh_threshold <= 0.0:
            raise ConfigError("lsh_threshold must be above 0 (got 0)")
        if self.lead_shingles < 0:
            raise ConfigError(f"lead_shingles must be 0 (off) or more (got {self.lead_shingles})")
        _unit("lead_threshold", self.lead_threshold)
        if self.lead_threshold <= 0.0:
            raise ConfigError("lead_threshold must be above 0 (got 0); turn the lead index off with lead_shingles=0")


#: Output formats of the corpus: JSON lines (the default) or Parquet (the ``dedupe[parquet]`` extra).
OUTPUT_FORMATS: tuple[str, ...] = ("jsonl", "parquet")


@dataclass(frozen=True)
class OutputConfig:
    """How the corpus is written.

    The default is one ``corpus.jsonl``. ``shard_size`` splits it into
    ``corpus-00000.jsonl``, ``corpus-00001.jsonl``, … of that many records each
    (in id order), listed in ``manifest.json``; ``format="parquet"`` writes
    ``corpus-NNNNN.parquet`` shards instead (one shard without ``shard_size``).

    >>> OutputConfig(shard_size=0)
    Traceback (most recent call last):
    ...
    dedupe.errors.ConfigError: shard_size must be at least 1 (got 0)
    >>> OutputConfig(format="csv")
    Traceback (most recent call last):
    ...
    dedupe.errors.ConfigError: unknown output format 'csv'; choose from jsonl, parquet
    """

    shard_size: int | None = None
    format: str = "jsonl"

    def __post_init__(self) -> None:
        if self.shard_size is not None:
            _positive("shard_size", self.shard_size)
        if self.format not in OUTPUT_FORMATS:
            raise ConfigError(f"unknown output format {self.format!r}; choose from {', '.join(OUTPUT_FORMATS)}")
        if self.format == "parquet" and find_spec("pyarrow") is None:  # say so before a long run, not after
            raise ConfigError("Parquet output needs pyarrow: pip install 'dedupe[parquet]' (or pick format jsonl)")

    @property
    def sharded(self) -> bool:
        """Whether the corpus is written as shards with a manifest (not one ``corpus.jsonl``)."""
        return self.shard_size is not None or self.format != "jsonl"


CANONICAL_CRITERIA: tuple[str, ...] = (
    "preferred_source",
    "longest",
    "fewest_removals",
    "most_metadata",
    "earliest_date",
    "id",
)


@dataclass(frozen=True)
class CanonicalPolicy:
    """How the canonical copy of a cluster is chosen.

    Criteria are tried in ``order``; the first that separates the best
    candidate from the runner-up is recorded as the reason. ``id`` (smallest
    id first) always ends the list so the choice is deterministic.

    >>> CanonicalPolicy(order=("longest", "id")).order
    ('longest', 'id')
    >>> CanonicalPolicy(order=("shortest",))
    Traceback (most recent call last):
    ...
    dedupe.errors.ConfigError: unknown canonical criterion 'shortest'; choose from preferred_source, longest, fewest_removals, most_metadata, earliest_date, id
    """

    order: tuple[str, ...] = CANONICAL_CRITERIA
    preferred_sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in self.order:
            if name not in CANONICAL_CRITERIA:
                raise ConfigError(
                    f"unknown canonical criterion {name!r}; choose from "
                    f"{', '.join(CANONICAL_CRITERIA)}"
                )
        if "id" not in self.order:
            object.__setattr__(self, "order", (*self.order, "id"))


@dataclass(frozen=True)
class Config:
    """Everything a run needs; the CLI builds exactly this.

    ``workers`` processes clean (and shingle) batches of ``batch_size``
    documents; the default is every core (``os.cpu_count()``). A pool is
    started only when the input holds more than one batch, and the output is
    byte-identical for any number of workers.

    ``executor`` runs the dedup stage's tasks: ``"local"`` (this process, the
    default), ``"processes"`` (a pool of ``workers`` processes) or ``"ray"``
    (Ray core tasks on the cluster at ``address``, or on a local one started
    for the run when it is ``None``); the output is byte-identical for each.

    ``components`` is how the verified pairs become clusters:
    ``"union-find"`` on the driver (the default) or ``"star"``, distributed
    large-star/small-star rounds run by the executor
    (:mod:`dedupe.components`); the output is byte-identical for either.

    ``output`` says how the corpus is written (:class:`OutputConfig`).
    Every stage's result is kept under ``OUT/.stages/`` while a run goes on;
    ``resume`` reuses the stages a failed run into the same ``OUT`` finished
    (when the inputs and the options they depend on are unchanged), and
    ``keep_stages`` keeps them after a successful run (they are removed by
    default).

    >>> Config(address="10.0.0.1:6379")
    Traceback (most recent call last):
    ...
    dedupe.errors.ConfigError: address is for the ray executor; set executor='ray' (--executor ray) or drop it
    >>> Config(components="bfs")
    Traceback (most recent call last):
    ...
    dedupe.errors.ConfigError: unknown components method 'bfs'; choose from union-find, star
    >>> Config(workers=0)
    Traceback (most recent call last):
    ...
    dedupe.errors.ConfigError: workers must be at least 1 (got 0)
    """

    input: InputConfig = field(default_factory=InputConfig)
    clean: CleanConfig = field(default_factory=CleanConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    canonical: CanonicalPolicy = field(default_factory=CanonicalPolicy)
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    batch_size: int = 64
    progress: bool = False
    executor: str = "local"
    address: str | None = None
    components: str = "union-find"
    output: OutputConfig = field(default_factory=OutputConfig)
    resume: bool = False
    keep_stages: bool = False

    def __post_init__(self) -> None:
        _positive("workers", self.workers)
        _positive("batch_size", self.batch_size)
        if self.executor not in EXECUTORS:
            raise ConfigError(f"unknown executor {self.executor!r}; choose from {', '.join(EXECUTORS)}")
        if self.executor == "ray" and find_spec("ray") is None:  # say so before a long clean, not after
            raise ConfigError("the ray executor needs Ray: pip install 'dedupe[ray]' (or pick executor local)")
        if self.address and self.executor != "ray":
            raise ConfigError("address is for the ray executor; set executor='ray' (--executor ray) or drop it")
        if self.components not in ("union-find", "star"):
            raise ConfigError(f"unknown components method {self.components!r}; choose from union-find, star")

    def replace(self, **changes: Any) -> Config:
        """A copy with some top-level fields changed."""
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        """The options as plain JSON (recorded in ``stats.json``)."""

        def plain(value: Any) -> Any:
            if isinstance(value, (frozenset, set)):
                return sorted(value)
            if isinstance(value, tuple):
                return list(value)
            return value

        out: dict[str, Any] = {}
        for part in ("input", "clean", "dedup", "canonical"):
            obj = getattr(self, part)
            out[part] = {k: plain(v) for k, v in vars(obj).items()}
        out["workers"] = self.workers
        out["batch_size"] = self.batch_size
        out["executor"] = self.executor
        out["components"] = self.components
        out["output"] = {k: plain(v) for k, v in vars(self.output).items()}
        return out
