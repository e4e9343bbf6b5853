"""A seeded generator of realistic news corpora for throughput and scaling runs.

Originals are real article bodies (scrapinghub and dragnet gold, read from
``../shared/data``; the seeds when that is missing) with a share of their
words swapped for other words of the same vocabulary, so every generated
original is new text with the length distribution, paragraphing and word
statistics of real news, and no two originals share passages. A share of the
documents are syndicated copies of an earlier original (cut short, re-titled,
a date line on top), and a share carry page junk, so the corpus exercises
every stage the way a scraped corpus does.

>>> docs = list(generate(20, seed=1))
>>> len(docs), len({d["id"] for d in docs})
(20, 20)
>>> docs == list(generate(20, seed=1))
True
>>> sum(1 for d in docs if d["cluster"] != d["id"]) > 0
True
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from . import data

SEEDS_DIR = data.ROOT / "seeds"

_JUNK_LINES = (
    "Advertisement",
    "Sign up for our daily newsletter and get the top stories in your inbox.",
    "Share this article: Facebook Twitter Email",
    "Download our app for breaking news alerts",
    "Comments",
    "Related Articles",
)


@cache
def _articles() -> tuple[tuple[str, ...], ...]:
    """Real article bodies as tuples of paragraphs."""
    bodies: list[str] = []
    if data.available():
        bodies += [p.body for p in data.scrapinghub()]
        bodies += [text for _, text in data.dragnet_articles()]
    else:  # a fresh checkout without the evaluation data still benchmarks
        from dedupe import clean_text

        bodies += [clean_text(p.read_text("utf-8")).text for p in sorted(SEEDS_DIR.glob("*.txt"))]
    out = []
    for body in bodies:
        paras = tuple(p.strip() for p in body.splitlines() if len(p.split()) >= 3)
        if sum(len(p.split()) for p in paras) >= 80:
            out.append(paras)
    return tuple(out)


@cache
def _vocabulary() -> np.ndarray:
    """Every alphabetic word of the articles, repeats kept, so draws follow real word frequencies."""
    return np.array([w for art in _articles() for p in art for w in p.split() if w.isalpha()], dtype=object)


@dataclass(frozen=True)
class CorpusSpec:
    """Shape of a generated corpus: copies and junk as shares of all documents."""

    n_docs: int
    seed: int = 0
    dup_rate: float = 0.3
    junk_rate: float = 0.5
    mutate: float = 0.3


def _mutate(paragraph: str, rng: np.random.Generator, rate: float) -> str:
    words = np.array(paragraph.split(), dtype=object)
    vocab = _vocabulary()
    mask = rng.random(len(words)) < rate
    words[mask] = vocab[rng.integers(0, len(vocab), int(mask.sum()))]
    return " ".join(words)


def _copy(paragraphs: list[str], rng: np.random.Generator) -> list[str]:
    """A syndicated copy: cut to 40–100 % of its paragraphs, sometimes a date line on top."""
    keep = max(2, int(round(len(paragraphs) * rng.uniform(0.4, 1.0))))
    out = paragraphs[:keep]
    if rng.random() < 0.5:
        out = [f"date 2025-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d} {out[0]}", *out[1:]]
    return out


def generate(n_docs: int, *, seed: int = 0, dup_rate: float = 0.3, junk_rate: float = 0.5,
             mutate: float = 0.3) -> Iterator[dict[str, str]]:
    """Yield ``n_docs`` JSONL-ready records ``{"id", "title", "text", "cluster"}``.

    ``cluster`` is the id of the original a copy was made from (its own id for
    an original), the ground truth a dedup run can be scored against.
    """
    spec = CorpusSpec(n_docs, seed, dup_rate, junk_rate, mutate)
    rng = np.random.default_rng(spec.seed)
    articles = _articles()
    originals: list[tuple[str, str, list[str]]] = []
    for i in range(spec.n_docs):
        doc_id = f"doc{i:07d}"
        if originals and rng.random() < spec.dup_rate:
            cluster, title, paras = originals[int(rng.integers(0, len(originals)))]
            paras = _copy(paras, rng)
            title = title + (" | Wire" if rng.random() < 0.5 else "")
        else:
            art = articles[int(rng.integers(0, len(articles)))]
            paras = [_mutate(p, rng, spec.mutate) for p in art]
            title = " ".join(paras[0].split()[:8]).rstrip(".,;:")
            cluster = doc_id
            originals.append((doc_id, title, paras))
            if len(originals) > 5000:  # copies come from recent stories, memory stays flat
                originals.pop(int(rng.integers(0, len(originals))))
        body = list(paras)
        if rng.random() < spec.junk_rate:
            for _ in range(int(rng.integers(1, 4))):
                pos = int(rng.integers(1, len(body) + 1))
                body.insert(pos, _JUNK_LINES[int(rng.integers(0, len(_JUNK_LINES) - 1))])
            if rng.random() < 0.3:
                other = articles[int(rng.integers(0, len(articles)))]
                body += ["Related Articles", *[_mutate(p, rng, spec.mutate) for p in other[:3]]]
        yield {"id": doc_id, "title": title, "text": "\n".join([title, *body]), "cluster": cluster}


def write_jsonl(path: Path, n_docs: int, *, seed: int = 0, **shape: float) -> dict[str, int]:
    """Write a generated corpus as JSONL; returns its document count, bytes of text and clusters."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text_bytes = 0
    clusters: set[str] = set()
    with path.open("w", encoding="utf-8") as fh:
        for rec in generate(n_docs, seed=seed, **shape):
            text_bytes += len(rec["text"].encode("utf-8"))
            clusters.add(rec["cluster"])
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return {"docs": n_docs, "text_bytes": text_bytes, "clusters": len(clusters)}
