"""Syndicated-copy detection quality on a labelled generated set, beside plain datasketch.

The set comes from :mod:`benchmarks.syndicate` (real bodies, syndicated
copies, hard negatives). ``dedupe run`` (clean, then dedup) gets the raw
pages as a user would give them; the peer is the usual recipe, datasketch
``MinHashLSH`` over MinHash of raw-text word 5-shingles, at 0.8 and at its
best threshold on this same set. Scores: pairwise precision, recall and F1
and the adjusted Rand index (:mod:`benchmarks.metrics`), plus false merges
by negative kind.

>>> recs = [syndicate.Record("a", "x", "s1", "original"), syndicate.Record("b", "y", "s1", "copy"),
...         syndicate.Record("c", "z", "q1", "quote")]
>>> false_merges([["a", "c"]], recs)
{'quote': 1}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from dedupe import Config
from dedupe.pipeline import run as dedupe_run
from dedupe.types import Document

from . import data, peers, syndicate
from .common import Context, Plot, Suite, Table, measure
from .metrics import adjusted_rand, pairwise_prf

BASELINE_THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def dedupe_clusters(records: Sequence[syndicate.Record], config: Config | None = None,
                    mode: str = "run") -> list[list[str]]:
    """Clusters ``dedupe run`` (or ``mode``) finds among the records' raw pages."""
    docs = [Document(r.id, text=r.text, origin=r.id) for r in records]
    result = dedupe_run(docs, None, config or Config(), mode=mode)  # type: ignore[arg-type]
    assert result.dedup is not None
    return [sorted(m for m, _ in c.members) for c in result.dedup.clusters]


def false_merges(pred: Sequence[Sequence[str]], records: Sequence[syndicate.Record]) -> dict[str, int]:
    """Predicted pairs across gold clusters, counted by the kinds of the two records
    (the non-copy kind when one is a plain original or copy)."""
    info = {r.id: r for r in records}
    out: Counter[str] = Counter()
    for cluster in pred:
        for i, a in enumerate(cluster):
            for b in cluster[i + 1 :]:
                ra, rb = info[a], info[b]
                if ra.cluster != rb.cluster:
                    kinds = sorted({ra.kind, rb.kind} - {"original", "copy"}) or ["copy"]
                    out["+".join(kinds)] += 1
    return dict(sorted(out.items()))


def score(pred: Sequence[Sequence[str]], records: Sequence[syndicate.Record]) -> dict[str, Any]:
    """Pairwise P/R/F1, ARI and false merges of ``pred`` against the records' gold clusters."""
    gold = syndicate.gold_clusters(records)
    p, r, f = pairwise_prf(pred, gold)
    return {"precision": p, "recall": r, "f1": f, "ari": adjusted_rand(pred, gold),
            "false_merges": false_merges(pred, records)}


def run(ctx: Context) -> Suite:
    """dedupe vs plain datasketch MinHashLSH (raw text, 0.8 and best threshold), same set, same run."""
    bodies = syndicate.source_bodies()
    stories = 80 if ctx.quick else min(600, len(bodies) // 2)
    records = syndicate.generate(bodies, seed=ctx.seed, stories=stories)
    ids = [r.id for r in records]
    texts = [r.text for r in records]
    kinds = Counter(r.kind for r in records)

    results: dict[str, dict[str, Any]] = {}
    timing = measure(lambda: results.__setitem__("dedupe run", score(dedupe_clusters(records), records)),
                     repeats=1)
    results["dedupe run"]["seconds"] = timing.median
    timing = measure(lambda: results.__setitem__(
        "dedupe dedup (no cleaning)", score(dedupe_clusters(records, mode="dedup"), records)), repeats=1)
    results["dedupe dedup (no cleaning)"]["seconds"] = timing.median
    sweep: dict[float, dict[str, Any]] = {}
    for t in BASELINE_THRESHOLDS:
        m = measure(lambda t=t: sweep.__setitem__(t, score(peers.datasketch_dedup(ids, texts, threshold=t),
                                                           records)), repeats=1)
        sweep[t]["seconds"] = m.median
    best = max(sweep, key=lambda t: (sweep[t]["f1"], -t))
    results["datasketch MinHashLSH 0.8, raw"] = sweep[0.8]
    results[f"datasketch MinHashLSH best ({best}), raw"] = sweep[best]

    rows = [[name, r["precision"], r["recall"], r["f1"], r["ari"],
             ", ".join(f"{k} {v}" for k, v in r["false_merges"].items()) or "none", round(r["seconds"], 1)]
            for name, r in results.items()]
    gold_pairs = sum(len(c) * (len(c) - 1) // 2 for c in syndicate.gold_clusters(records))
    source = "scrapinghub + dragnet gold bodies" if data.available() else "fixture scrapinghub sample"
    table = Table(
        f"Syndicated-copy detection ({len(records)} pages from {stories} stories, {gold_pairs} gold pairs; "
        f"seed {ctx.seed})",
        ["method", "pairwise P", "pairwise R", "pairwise F1", "ARI", "false merges by kind", "seconds"], rows,
        note=f"Sources: {source}. Pages: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
             + ". dedupe gets raw pages (it cleans them itself); datasketch's best threshold is chosen "
               "on this same set, in its favour.")
    sweep_table = Table("datasketch MinHashLSH on raw text, by threshold",
                        ["threshold", "pairwise P", "pairwise R", "pairwise F1", "ARI"],
                        [[t, s["precision"], s["recall"], s["f1"], s["ari"]] for t, s in sweep.items()])
    plot = Plot("dedup_quality", "Pairwise F1 on the syndication set", "bar", "method", "F1",
                {"F1": (list(results), [r["f1"] for r in results.values()])})
    figures = {"records": len(records), "kinds": dict(kinds), "gold_pairs": gold_pairs, "results": results,
               "datasketch_sweep": {str(t): s for t, s in sweep.items()}, "best_threshold": best}
    return Suite("dedup_quality", [table, sweep_table], figures, [plot])
