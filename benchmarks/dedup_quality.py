"""Syndicated-copy detection quality on a labelled generated set, beside plain datasketch.

The set comes from :mod:`benchmarks.syndicate` (real bodies, syndicated
copies, hard negatives). ``dedupe run`` (clean, then dedup) gets the raw
pages as a user would give them; the peers get the same raw pages:

- the usual recipe, datasketch ``MinHashLSH`` over MinHash of raw-text word
  5-shingles, at 0.8 and at its best threshold on this same set;
- datatrove's minhash pipeline (default config and FineWeb's) and
  text-dedup's minhash and simhash with their defaults
  (:mod:`benchmarks.dedup_peers`), each in its own environment and process,
  plus each one's best setting on this same set (text-dedup's ``--threshold``
  over the datasketch thresholds; datatrove's banding, 14 buckets of 8, 6, 5,
  4, 3 or 2 hashes). A peer whose environment is missing is skipped with a message.

Scores: pairwise precision, recall and F1 and the adjusted Rand index
(:mod:`benchmarks.metrics`), plus false merges by negative kind.

>>> recs = [syndicate.Record("a", "x", "s1", "original"), syndicate.Record("b", "y", "s1", "copy"),
...         syndicate.Record("c", "z", "q1", "quote")]
>>> false_merges([["a", "c"]], recs)
{'quote': 1}
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dedupe import Config
from dedupe.pipeline import run as dedupe_run
from dedupe.types import Document

from . import data, dedup_peers, peers, syndicate
from .common import Context, Plot, Suite, Table, measure, suite_main
from .metrics import adjusted_rand, pairwise_prf

BASELINE_THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
DATATROVE_BANDS = ((14, 8), (14, 6), (14, 5), (14, 4), (14, 3), (14, 2))
PeerFn = Callable[[Sequence[str], Sequence[str], Path], dedup_peers.PeerRun]


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


def peer_methods() -> dict[str, PeerFn]:
    """The external peers at their documented settings, by row name."""
    return {
        "datatrove minhash, default config": lambda i, t, w: dedup_peers.datatrove_minhash(i, t, work=w),
        "datatrove minhash, FineWeb config": lambda i, t, w: dedup_peers.datatrove_minhash(
            i, t, config="fineweb", work=w),
        "text-dedup minhash, defaults": lambda i, t, w: dedup_peers.text_dedup(i, t, work=w),
        "text-dedup simhash, defaults": lambda i, t, w: dedup_peers.text_dedup(i, t, method="simhash", work=w),
    }


def peer_sweeps() -> dict[str, dict[str, PeerFn]]:
    """Each external peer's own knob over a range, to report its best setting on the set (in its favour)."""
    def datatrove(bands: tuple[int, int]) -> PeerFn:
        return lambda i, t, w: dedup_peers.datatrove_minhash(i, t, bands=bands, work=w)

    def text_dedup(threshold: float) -> PeerFn:
        return lambda i, t, w: dedup_peers.text_dedup(i, t, options=["--threshold", str(threshold)], work=w)

    return {
        "datatrove minhash": {f"{b}x{r}": datatrove((b, r)) for b, r in DATATROVE_BANDS if (b, r) != (14, 8)},
        "text-dedup minhash": {f"threshold {th}": text_dedup(th) for th in BASELINE_THRESHOLDS if th != 0.7},
    }


def _peer_score(fn: PeerFn, ids: Sequence[str], texts: Sequence[str], records: Sequence[syndicate.Record],
                work: Path) -> dict[str, Any]:
    run = fn(ids, texts, work)
    return {**score(run.clusters, records), "seconds": run.seconds, "cpu_seconds": run.cpu_seconds,
            "peak_rss_mb": run.peak_rss_mb, "settings": run.settings}


def external_peers(ids: Sequence[str], texts: Sequence[str], records: Sequence[syndicate.Record], work: Path,
                   *, sweeps: bool = True) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]],
                                                    dict[str, str]]:
    """Scores of datatrove and text-dedup at their defaults, their sweeps, and the peers skipped (why)."""
    results: dict[str, dict[str, Any]] = {}
    swept: dict[str, dict[str, Any]] = {}
    skipped: dict[str, str] = {}
    for name, fn in peer_methods().items():
        try:
            results[name] = _peer_score(fn, ids, texts, records, work)
        except dedup_peers.PeerMissing as e:
            if str(e) not in skipped.values():
                print(e, file=sys.stderr)
            skipped[name] = str(e)
    if sweeps:
        for peer, settings in peer_sweeps().items():
            if any(k.startswith(peer) for k in skipped):
                continue
            for setting, fn in settings.items():
                swept[f"{peer}, {setting}"] = _peer_score(fn, ids, texts, records, work)
    return results, swept, skipped


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
        def at(t: float = t) -> None:
            sweep[t] = score(peers.datasketch_dedup(ids, texts, threshold=t), records)

        sweep_time = measure(at, repeats=1)
        sweep[t]["seconds"] = sweep_time.median
    best = max(sweep, key=lambda t: (sweep[t]["f1"], -t))
    results["datasketch MinHashLSH 0.8, raw"] = sweep[0.8]
    results[f"datasketch MinHashLSH best ({best}), raw"] = sweep[best]
    work = Path(tempfile.mkdtemp(prefix="dedup-peers-", dir=ctx.workdir if ctx.workdir.exists() else None))
    external, swept, skipped = external_peers(ids, texts, records, work, sweeps=not ctx.quick)
    results.update(external)
    for peer in ("datatrove minhash", "text-dedup minhash"):
        default = next((k for k in external if k.startswith(peer)), None)
        options = {k: v for k, v in swept.items() if k.startswith(peer)}
        if default is not None and options:
            options[default] = external[default]
            top = max(options, key=lambda k: options[k]["f1"])
            results[f"{peer} best on this set ({top.split(', ', 1)[1]})"] = options[top]

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
             + ". dedupe gets raw pages (it cleans them itself); so do the peers. Each peer's best setting is "
               "chosen on this same set, in its favour. Seconds are wall time: dedupe and datasketch in this "
               "process, datatrove and text-dedup in a fresh process each (start-up and imports included; "
               "their CPU seconds are in report.json)."
             + ("" if not skipped else " Not run: " + "; ".join(sorted(set(skipped.values()))) + "."))
    sweep_table = Table("datasketch MinHashLSH on raw text, by threshold",
                        ["threshold", "pairwise P", "pairwise R", "pairwise F1", "ARI"],
                        [[t, s["precision"], s["recall"], s["f1"], s["ari"]] for t, s in sweep.items()])
    plot = Plot("dedup_quality", "Pairwise F1 on the syndication set", "bar", "method", "F1",
                {"F1": (list(results), [r["f1"] for r in results.values()])})
    tables = [table, sweep_table]
    if swept:
        tables.append(Table("datatrove and text-dedup on raw text, by setting",
                            ["peer, setting", "pairwise P", "pairwise R", "pairwise F1", "ARI", "CPU seconds"],
                            [[k, v["precision"], v["recall"], v["f1"], v["ari"], round(v["cpu_seconds"], 1)]
                             for k, v in {**external, **swept}.items()]))
    figures = {"records": len(records), "kinds": dict(kinds), "gold_pairs": gold_pairs, "results": results,
               "datasketch_sweep": {str(t): s for t, s in sweep.items()}, "best_threshold": best,
               "peer_sweeps": swept, "peers_skipped": skipped}
    return Suite("dedup_quality", tables, figures, [plot])


if __name__ == "__main__":  # pragma: no cover - manual run
    suite_main(run, __doc__, figures=True)
