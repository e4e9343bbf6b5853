"""Loaders for the public evaluation sets in ``../shared/data``.

The sets are read in place (never copied into the project, except the
samples ``fixtures/`` holds under their licences). Set ``DEDUPE_SHARED_DATA``
to point elsewhere.
"""

from __future__ import annotations

import gzip
import json
import os
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class DataMissing(RuntimeError):
    """An evaluation set is not where it should be."""


def shared_data_dir() -> Path:
    """``$DEDUPE_SHARED_DATA`` or ``../shared/data`` next to the repository."""
    env = os.environ.get("DEDUPE_SHARED_DATA")
    path = Path(env) if env else ROOT.parent / "shared" / "data"
    if not path.is_dir():
        raise DataMissing(
            f"evaluation data not found at {path}; set DEDUPE_SHARED_DATA to the folder "
            "holding scrapinghub-article-extraction-benchmark/, dragnet/, ..."
        )
    return path


def available() -> bool:
    """Whether the shared evaluation data can be found."""
    try:
        shared_data_dir()
    except DataMissing:
        return False
    return True


@dataclass(frozen=True)
class GoldPage:
    """An HTML page with its gold main text."""

    id: str
    html: str
    body: str
    url: str | None = None
    comments: str = ""


@cache
def scrapinghub() -> tuple[GoldPage, ...]:
    """The 181 pages of the scrapinghub article-extraction benchmark (MIT), sorted by id."""
    base = shared_data_dir() / "scrapinghub-article-extraction-benchmark"
    truth = json.loads((base / "ground-truth.json").read_text("utf-8"))
    pages = []
    for key in sorted(truth):
        with gzip.open(base / "html" / f"{key}.html.gz", "rt", encoding="utf-8", errors="replace") as fh:
            html = fh.read()
        pages.append(GoldPage(key, html, truth[key]["articleBody"], truth[key].get("url")))
    return tuple(pages)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


@cache
def dragnet(split: str = "test") -> tuple[GoldPage, ...]:
    """Dragnet pages of one split (``train``/``test``/``all``) with article and comments gold.

    AGPLv3 data: read from ../shared/data at run time, never copied.
    """
    base = shared_data_dir() / "dragnet"
    gold = {}
    with gzip.open(base / "ground-truth.derived.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if split == "all" or row["split"] == split:
                gold[row["html_file"]] = row
    pages = []
    with tarfile.open(base / "html.tar.gz") as tar:
        for member in tar:
            row = gold.get(member.name)
            if row is None or not member.isfile():
                continue
            raw = tar.extractfile(member).read()  # type: ignore[union-attr]
            pages.append(GoldPage(row["id"], _decode(raw), row["article"], None, row["comments"]))
    return tuple(sorted(pages, key=lambda p: p.id))


def iter_tar(name: str, member_prefix: str = "") -> Iterator[tuple[str, bytes]]:
    """(member name, bytes) of every file in a tarball of the shared data."""
    with tarfile.open(shared_data_dir() / name) as tar:
        for member in tar:
            if member.isfile() and member.name.startswith(member_prefix):
                yield member.name, tar.extractfile(member).read()  # type: ignore[union-attr]


@cache
def dragnet_articles() -> tuple[tuple[str, str], ...]:
    """(id, gold article text) of every dragnet page, without reading the HTML (fast)."""
    base = shared_data_dir() / "dragnet"
    out = []
    with gzip.open(base / "ground-truth.derived.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            out.append((row["id"], row["article"]))
    return tuple(sorted(out))


def _seed_vocabulary() -> list[str]:
    """Distinct words of the seed articles (the repository's own sample texts), most frequent first."""
    import re
    from collections import Counter

    counts: Counter[str] = Counter()
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        counts.update(re.findall(r"[A-Za-z][a-z]+", path.read_text("utf-8")))
    return [w for w, _ in counts.most_common()]


def write_synthetic_jsonl(
    path: Path, *, target_bytes: int, seed: int = 0, dup_rate: float = 0.2, doc_sentences: int = 30
) -> int:
    """Write a JSONL corpus of about ``target_bytes``; return the number of records.

    Each document is ``doc_sentences`` sentences of 8-25 words drawn from the
    seed articles' vocabulary with Zipf-like weights, five sentences a line
    (so unrelated documents share few 5-word shingles, as real ones do); a
    share ``dup_rate`` of them are syndicated copies of a recent one (new
    first line, last line cut). Deterministic for a given ``seed``. For memory
    and throughput runs and the kill/worker tests: no quality labels.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "c.jsonl"
    >>> write_synthetic_jsonl(p, target_bytes=20_000, seed=1) > 3
    True
    """
    import random
    from itertools import accumulate

    rng = random.Random(seed)
    vocab = _seed_vocabulary()
    weights = list(accumulate(1.0 / (rank + 10) for rank in range(len(vocab))))

    def sentence() -> str:
        words = rng.choices(vocab, cum_weights=weights, k=rng.randrange(8, 26))
        return " ".join(words).capitalize() + "."

    written = count = 0
    recent: list[str] = []
    with open(path, "w", encoding="utf-8") as fh:
        while written < target_bytes:
            if recent and rng.random() < dup_rate:
                base = rng.choice(recent)
                text = f"Reprinted from the wire, item {count}\n" + base.rsplit("\n", 1)[0]
            else:
                lines = [" ".join(sentence() for _ in range(5)) for _ in range(max(1, doc_sentences // 5))]
                text = "\n".join(lines)
                recent = (recent + [text])[-50:]
            line = json.dumps({"id": f"doc-{count:08d}", "text": text}, ensure_ascii=False) + "\n"
            fh.write(line)
            written += len(line.encode("utf-8"))
            count += 1
    return count
