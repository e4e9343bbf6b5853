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
    gold = {row["html_file"]: row for row in _dragnet_rows(split)}
    pages = []
    with tarfile.open(shared_data_dir() / "dragnet" / "html.tar.gz") as tar:
        for member in tar:
            row = gold.get(member.name)
            if row is None or not member.isfile():
                continue
            raw = tar.extractfile(member).read()  # type: ignore[union-attr]
            pages.append(GoldPage(row["id"], _decode(raw), row["article"], None, row["comments"]))
    return tuple(sorted(pages, key=lambda p: p.id))


def _dragnet_rows(split: str) -> Iterator[dict[str, str]]:
    """Rows of dragnet's derived gold file for one split, article and comments read by ``dragnet_gold``."""
    with gzip.open(shared_data_dir() / "dragnet" / "ground-truth.derived.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if split == "all" or row["split"] == split:
                row["article"], row["comments"] = dragnet_gold(row["article"], row["comments"])
                yield row


def iter_tar(name: str, member_prefix: str = "") -> Iterator[tuple[str, bytes]]:
    """(member name, bytes) of every file in a tarball of the shared data."""
    with tarfile.open(shared_data_dir() / name) as tar:
        for member in tar:
            if member.isfile() and member.name.startswith(member_prefix):
                yield member.name, tar.extractfile(member).read()  # type: ignore[union-attr]


def repair_utf16(text: str) -> str:
    """A gold text stored as UTF-16 but read as a single-byte encoding ("ÿþP\\x00a\\x00…"), decoded right.

    >>> repair_utf16("\\xff\\xfeH\\x00i\\x00")
    'Hi'
    >>> repair_utf16("plain")
    'plain'
    """
    if text.startswith(("\xff\xfe", "\xfe\xff")):
        return text.encode("latin-1", errors="replace").decode("utf-16", errors="replace")
    return text


#: Dragnet's line between the article (above) and the comments (below); the derived file
#: missed it in 8 golds: six stored as UTF-16 and three spellings ("CORRECTED", "COMMNENTS", none).
DRAGNET_SEPARATOR = "!@#$%^&*()"


def dragnet_gold(article: str, comments: str) -> tuple[str, str]:
    """The article and comments parts of one dragnet gold, UTF-16 decoded and split at the separator line.

    >>> dragnet_gold("Title\\nBody.\\n!@#$%^&*()  COMMNENTS\\nNice post!", "")
    ('Title\\nBody.', 'Nice post!')
    >>> dragnet_gold("Body.", "A comment.")
    ('Body.', 'A comment.')
    """
    article = repair_utf16(article)
    head, sep, tail = article.partition(DRAGNET_SEPARATOR)
    if not sep:
        return article, comments
    tail = tail.split("\n", 1)[1] if "\n" in tail else ""
    return head.rstrip(), "\n".join(part for part in (tail.strip(), comments) if part)


@cache
def dragnet_articles() -> tuple[tuple[str, str], ...]:
    """(id, gold article text) of every dragnet page, without reading the HTML (fast).

    The article part as ``dragnet`` reads it (``dragnet_gold``: UTF-16 golds decoded, comments split off).
    """
    return tuple(sorted((row["id"], row["article"]) for row in _dragnet_rows("all")))


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

# --- HTML extraction sets (issue 8) -----------------------------------------


def _page_text(raw: bytes) -> str:
    """Bytes of a page decoded the way ``dedupe`` reads ``.html`` files (one decoder)."""
    from dedupe.readers import decode_bytes

    return decode_bytes(raw)[0]


@dataclass(frozen=True)
class ReadabilityCase:
    """A Mozilla Readability test page: source HTML, expected article text and metadata."""

    id: str
    html: str
    body: str
    title: str | None
    byline: str | None
    readerable: bool


def html_text(html: str) -> str:
    """Visible text of an HTML fragment, one line per block element (for gold given as HTML)."""
    from selectolax.lexbor import LexborHTMLParser

    from dedupe.clean.dom import page_blocks

    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    return "\n".join(b.text for b in page_blocks(root).blocks) if root is not None else ""


@cache
def mozilla_readability() -> tuple[ReadabilityCase, ...]:
    """The 130 Mozilla Readability test pages (Apache-2.0), sorted by case name."""
    files: dict[str, dict[str, bytes]] = {}
    for name, raw in iter_tar("mozilla-readability-test-pages/test-pages.tar.gz", "test-pages/"):
        parts = name.split("/")
        if len(parts) == 3:
            files.setdefault(parts[1], {})[parts[2]] = raw
    cases = []
    for case in sorted(files):
        f = files[case]
        if "source.html" not in f or "expected-metadata.json" not in f:
            continue
        meta = json.loads(f["expected-metadata.json"].decode("utf-8"))
        cases.append(ReadabilityCase(
            case, _page_text(f["source.html"]), html_text(f.get("expected.html", b"").decode("utf-8", "replace")),
            meta.get("title"), meta.get("byline"), bool(meta.get("readerable", True)),
        ))
    return tuple(cases)


@cache
def cleaneval() -> tuple[GoldPage, ...]:
    """CleanEval 2007 pages with gold (dev + final, 739; no licence stated: read at run time only).

    The gold's ``URL:`` line and ``<p>``/``<h>``/``<l>`` block marks are dropped.
    """
    import re

    block_mark = re.compile(r"^\s*<[phl]>\s*", re.M)
    html: dict[str, bytes] = {}
    gold: dict[str, bytes] = {}
    for name, raw in iter_tar("cleaneval/cleaneval.tar.gz"):
        parts = name.split("/")
        if len(parts) != 3:
            continue
        split, kind, file = parts
        key = f"{split}/{file.rsplit('.', 1)[0]}"
        (html if kind == "html" else gold if kind == "gold" else {})[key] = raw
    pages = []
    for key in sorted(set(html) & set(gold)):
        text = _page_text(gold[key])
        lines = text.splitlines()
        url = lines[0][4:].strip() if lines and lines[0].startswith("URL:") else None
        body = block_mark.sub("", "\n".join(lines[1:] if url is not None else lines))
        pages.append(GoldPage(key, _page_text(html[key]), body.strip(), url))
    return tuple(pages)


@dataclass(frozen=True)
class SnippetPage:
    """A trafilatura-eval page: snippets its main text must and must not contain."""

    id: str
    html: str
    url: str
    with_: tuple[str, ...]
    without: tuple[str, ...]


@cache
def trafilatura_eval() -> tuple[SnippetPage, ...]:
    """The 990 trafilatura evaluation pages (Apache-2.0) with their snippets, sorted by file."""
    base = shared_data_dir() / "trafilatura-eval"
    entries = json.loads((base / "evaldata.json").read_text("utf-8"))
    by_file = {v["file"]: (url, v) for url, v in entries.items()}
    pages = []
    for name, raw in iter_tar("trafilatura-eval/html.tar.gz", "html/"):
        file = name[len("html/"):]
        if file not in by_file:
            continue
        url, v = by_file[file]
        pages.append(SnippetPage(file, _page_text(raw), url, tuple(v.get("with") or ()), tuple(v.get("without") or ())))
    return tuple(sorted(pages, key=lambda p: p.id))
