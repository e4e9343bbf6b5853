"""A seeded, streaming generator of realistic news corpora for throughput and scaling runs.

Built from the same pieces as the labelled sets, so there is one way to make
each thing: originals are real article bodies (:func:`benchmarks.syndicate.source_bodies`)
with a share of their words swapped (:func:`benchmarks.syndicate.mutate`), so
every original is new text with the length, paragraphing and word statistics
of real news and no two originals share passages; copies are made by
:func:`benchmarks.syndicate.syndicate_copy` (cut short, re-paragraphed,
re-quoted, agency tags); every document is a page of one of 200 sites
(:func:`benchmarks.syndicate.page`: header and footer template lines, a new
headline, a date line); and a share carry the junk of :mod:`benchmarks.junk`
(ads, newsletter boxes, share rows, app prompts, comments, directories, in its
many wordings) and a related-articles tail of other stories.

Unlike :func:`benchmarks.syndicate.generate_corpus` it streams (a 1M-document
corpus never sits in memory) and copies recent originals at a set rate, so
copies are spread through the corpus as in a crawl.

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
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from . import junk, syndicate

N_SITES = 200
RECENT = 5000  # copies come from the last RECENT originals: memory stays flat


@cache
def _articles() -> tuple[tuple[str, ...], ...]:
    """Real article bodies as tuples of paragraphs."""
    return tuple(tuple(syndicate.paragraphs(body)) for _, body in syndicate.source_bodies())


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


def _junk_lines(body: list[str], py: random.Random, site: str) -> list[str]:
    """``body`` with 1–3 junk blocks of :mod:`benchmarks.junk` put between its paragraphs and 1–2 after it."""
    out = list(body)
    for _ in range(py.randint(1, 3)):
        lines = [text for text, _ in py.choice(junk.MID_JUNK)(py, site)]
        pos = py.randint(1, max(1, len(out)))
        out[pos:pos] = lines
    for maker in py.sample(junk.TAIL_JUNK, k=py.randint(1, 2)):
        out += [text for text, _ in maker(py, site)]
    return out


def generate(n_docs: int, *, seed: int = 0, dup_rate: float = 0.3, junk_rate: float = 0.5,
             mutate: float = 0.3) -> Iterator[dict[str, str]]:
    """Yield ``n_docs`` JSONL-ready records ``{"id", "title", "text", "cluster"}``.

    ``title`` is the headline, as scrapers hand it on; it is also a line of the page.

    ``cluster`` is the id of the original a copy was made from (its own id for
    an original), the ground truth a dedup run can be scored against.
    """
    spec = CorpusSpec(n_docs, seed, dup_rate, junk_rate, mutate)
    rng = np.random.default_rng(spec.seed)
    py = random.Random(spec.seed)  # benchmarks.junk's makers draw from a random.Random
    articles, vocab = _articles(), _vocabulary()
    sites = [syndicate.make_site(rng) for _ in range(N_SITES)]
    originals: list[tuple[str, list[str]]] = []
    for i in range(spec.n_docs):
        doc_id = f"doc{i:07d}"
        if originals and rng.random() < spec.dup_rate:
            cluster, paras = originals[int(rng.integers(0, len(originals)))]
            body = syndicate.syndicate_copy(paras, rng)
        else:
            paras = syndicate.mutate(list(articles[int(rng.integers(0, len(articles)))]), rng, spec.mutate, vocab)
            cluster, body = doc_id, paras
            originals.append((doc_id, paras))
            if len(originals) > RECENT:
                originals.pop(int(rng.integers(0, len(originals))))
        site = sites[int(rng.integers(0, N_SITES))]
        title = syndicate.headline(body, rng, site)
        related = None
        if rng.random() < spec.junk_rate:
            body = _junk_lines(body, py, str(site["name"]))
            if rng.random() < 0.3:
                other = syndicate.mutate(list(articles[int(rng.integers(0, len(articles)))][:3]), rng,
                                         spec.mutate, vocab)
                related = other
        yield {"id": doc_id, "title": title, "text": syndicate.page(body, rng, site, related=related, title=title),
               "cluster": cluster}


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
