"""dedupe: clean a scraped news corpus and collapse syndicated copies.

>>> from dedupe import clean_text
>>> clean_text("Headline here\\nThe body of the story, with enough words to count.").title
'Headline here'
"""

from __future__ import annotations

from .clean import clean_document, clean_html, clean_text
from .config import CanonicalPolicy, CleanConfig, Config, DedupConfig, InputConfig
from .dedup import Deduplicator, DedupResult, Explanation
from .errors import ConfigError, DedupeError, InputError, OutputError
from .pipeline import RunResult, run
from .types import Block, CleanDoc, Cluster, Document, PairScores, RecordError, Removed

__version__ = "0.1.0"

__all__ = [
    "Block",
    "CanonicalPolicy",
    "CleanConfig",
    "CleanDoc",
    "Cluster",
    "Config",
    "ConfigError",
    "DedupConfig",
    "DedupResult",
    "Deduplicator",
    "DedupeError",
    "Document",
    "Explanation",
    "InputConfig",
    "InputError",
    "OutputError",
    "PairScores",
    "RecordError",
    "Removed",
    "RunResult",
    "clean_document",
    "clean_html",
    "clean_text",
    "run",
]
