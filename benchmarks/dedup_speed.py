"""Signing speed beside datasketch, and how ``dedupe dedup`` grows with corpus size.

**Signer.** Our signer (normalise, tokenise, shingle, hash, 128-slot
signature) and datasketch ``MinHash.update_batch`` (same tokens, same word
5-shingles; its default sha1 hash and xxhash32) run interleaved on the same
real article bodies in the same process. Figures are MB of UTF-8 text per
second of wall time (median of the repeats) and per second of this process's
CPU time (the per-core rate, less disturbed by other processes on a shared
machine); the ratio is datasketch time over ours.

**Scale.** A syndication corpus (:mod:`benchmarks.syndicate`, articles as a
cleaner hands them on: headline, date line, body, agency tag; no site
templates) of each size is written as JSONL and put through ``dedupe dedup``
in a fresh process; wall
time is that run's alone, peak memory is its whole process tree's (workers included,
:mod:`benchmarks.process`), and
the growth exponents are fitted by :func:`benchmarks.scaling.growth_exponent`.

**Side by side.** At two or more (smaller) sizes, the same syndication
documents (``{"id", "text"}`` JSONL) go through ``dedupe dedup``, the plain
datasketch recipe (MinHashLSH 0.8 over raw-text word 5-shingles), datatrove's
minhash pipeline (default config) and text-dedup's minhash (defaults), each in
a fresh process (:mod:`benchmarks.dedup_peers`; a peer whose environment is
missing is skipped with a message). Figures per tool: wall seconds from
process start to exit (imports included), CPU seconds of the whole process
tree (workers included: the fair measure on a shared machine), peak RSS of
the tree, and pairwise F1 against the generator's labels; the ratio is the
tool's CPU time over ours.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dedupe.minhash import Signer

from . import data, dedup_peers, peers, syndicate
from .common import Context, Plot, Suite, Table, suite_main
from .data import ROOT
from .metrics import pairwise_prf
from .process import pipeline_run, sampled_run
from .scaling import growth_exponent

QUICK_SIZES = (500, 2_000)
DEFAULT_SIZES = (10_000, 100_000)
PEER_QUICK_SIZES = (300, 1_000)
PEER_DEFAULT_SIZES = (2_000, 10_000)

_DATASKETCH_PROBE = r"""
import json, sys
from benchmarks.peers import datasketch_dedup
ids, texts = [], []
with open(sys.argv[1], encoding="utf-8") as fh:
    for line in fh:
        rec = json.loads(line)
        ids.append(rec["id"])
        texts.append(rec["text"])
print(json.dumps(datasketch_dedup(ids, texts, threshold=float(sys.argv[2]))))
"""

def bodies(limit: int | None = None) -> list[str]:
    """Real article bodies: scrapinghub and dragnet gold when the data is there, else the seeds."""
    return [b for _, b in syndicate.source_bodies()][:limit]


def _timed(fns: dict[str, Callable[[], Any]], repeats: int) -> dict[str, dict[str, list[float]]]:
    """Interleaved runs recording wall and process CPU seconds of each contender."""
    out: dict[str, dict[str, list[float]]] = {k: {"wall": [], "cpu": []} for k in fns}
    for _ in range(max(1, repeats)):
        for name, fn in fns.items():
            w0, c0 = time.perf_counter(), time.process_time()
            fn()
            out[name]["cpu"].append(time.process_time() - c0)
            out[name]["wall"].append(time.perf_counter() - w0)
    return out


def signer_speed(texts: list[str], repeats: int) -> dict[str, Any]:
    """MB/s (wall and CPU) of our signer and of datasketch on ``texts``."""
    import xxhash

    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    signer = Signer(num_perm=128, shingle_size=5)
    signer.sign(signer.shingle_batch(texts[:10]))  # build the word table once, outside the timing

    def xxh(b: bytes) -> int:
        return xxhash.xxh32_intdigest(b)

    fns = {
        "dedupe": lambda: signer.sign(signer.shingle_batch(texts)),
        "datasketch (sha1)": lambda: peers.datasketch_sign(texts),
        "datasketch (xxhash32)": lambda: peers.datasketch_sign(texts, hashfunc=xxh),
    }
    runs = _timed(fns, repeats)
    result: dict[str, Any] = {"mb": mb, "docs": len(texts), "tools": {}}
    for name, r in runs.items():
        wall, cpu = statistics.median(r["wall"]), statistics.median(r["cpu"])
        result["tools"][name] = {"wall_s": r["wall"], "cpu_s": r["cpu"],
                                 "mb_per_s": mb / wall, "cpu_mb_per_s": mb / cpu}
    ours = result["tools"]["dedupe"]
    for r in result["tools"].values():
        r["their_time_over_ours"] = statistics.median(r["wall_s"]) / statistics.median(ours["wall_s"])
        r["their_cpu_over_ours"] = statistics.median(r["cpu_s"]) / statistics.median(ours["cpu_s"])
    return result


def scale_point(n_docs: int, work: Path, *, seed: int) -> dict[str, Any]:
    """Generate ``n_docs`` syndication documents and time ``dedupe dedup`` on them in a fresh process."""
    path = work / f"syndication-{n_docs}-{seed}.jsonl"
    shape = syndicate.write_jsonl(path, syndicate.generate_corpus(n_docs, seed=seed, templates=False))
    point = pipeline_run(path, work / f"out-{n_docs}", mode="dedup")
    path.unlink(missing_ok=True)
    return {"docs": n_docs, "text_mb": shape["text_bytes"] / 1e6, **point}


def _dedupe_clusters(out: Path) -> list[list[str]]:
    """Member ids of each cluster in a ``dedupe`` run's ``clusters.jsonl``."""
    with (out / "clusters.jsonl").open(encoding="utf-8") as fh:
        return [[m["id"] for m in json.loads(line)["members"]] for line in fh if line.strip()]


def side_by_side(n_docs: int, work: Path, *, seed: int) -> dict[str, Any]:
    """``n_docs`` syndication documents through dedupe and each peer, a fresh process each; per tool:
    wall and CPU seconds of its process tree, peak RSS, pairwise F1 (or why it was skipped)."""
    records = syndicate.generate_corpus(n_docs, seed=seed, templates=False)
    ids, texts = [r.id for r in records], [r.text for r in records]
    gold = syndicate.gold_clusters(records)
    folder = work / f"side-by-side-{n_docs}"
    path = dedup_peers.write_docs(folder, ids, texts)[0]
    tools: dict[str, Any] = {}

    def add(name: str, clusters: list[list[str]], seconds: float, cpu: float, peak: float) -> None:
        f1 = pairwise_prf(clusters, gold)[2]
        tools[name] = {"seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": peak, "f1": f1}

    point = pipeline_run(path, folder / "dedupe-out", mode="dedup")
    add("dedupe dedup", _dedupe_clusters(folder / "dedupe-out"), float(point["process_seconds"]),  # type: ignore[arg-type]
        float(point["cpu_seconds"]), float(point["peak_rss_mb"]))  # type: ignore[arg-type]
    res = sampled_run([sys.executable, "-c", _DATASKETCH_PROBE, str(path), "0.8"], cwd=ROOT)
    if res.returncode != 0:
        raise RuntimeError(f"datasketch run failed (exit {res.returncode}): {res.stderr.strip()[-2000:]}")
    add("datasketch MinHashLSH 0.8", json.loads(res.stdout.strip().splitlines()[-1]), res.seconds,
        res.cpu_seconds, res.peak_mb)
    runs = {"datatrove minhash (default config)": lambda: dedup_peers.datatrove_minhash(ids, texts, work=folder),
            "text-dedup minhash (defaults)": lambda: dedup_peers.text_dedup(ids, texts, work=folder)}
    for name, fn in runs.items():
        try:
            run = fn()
        except dedup_peers.PeerMissing as e:
            print(e, file=sys.stderr)
            tools[name] = {"skipped": str(e)}
            continue
        add(name, run.clusters, run.seconds, run.cpu_seconds, run.peak_rss_mb)
        tools[name]["settings"] = run.settings
    ours = tools["dedupe dedup"]["cpu_seconds"]
    for t in tools.values():
        if "cpu_seconds" in t:
            t["cpu_over_ours"] = t["cpu_seconds"] / ours
    return {"docs": n_docs, "text_mb": sum(len(t.encode("utf-8")) for t in texts) / 1e6, "tools": tools}


def side_by_side_table(points: list[dict[str, Any]]) -> tuple[Table, dict[str, float], Plot | None]:
    """The side-by-side table, each tool's CPU growth exponent, and a plot of CPU time by size."""
    rows = []
    for p in points:
        for name, t in p["tools"].items():
            if "skipped" in t:
                rows.append([p["docs"], name, "skipped", "", "", "", ""])
            else:
                rows.append([p["docs"], name, round(t["seconds"], 1), round(t["cpu_seconds"], 1),
                             round(t["peak_rss_mb"]), t["f1"], f"{t['cpu_over_ours']:.1f}×"])
    exponents: dict[str, float] = {}
    series: dict[str, tuple[list[Any], list[float]]] = {}
    names = [n for n in points[0]["tools"] if "skipped" not in points[0]["tools"][n]] if points else []
    for name in names:
        pts = [(p["docs"], p["tools"][name]["cpu_seconds"]) for p in points if "cpu_seconds" in p["tools"].get(name, {})]
        series[name] = ([d for d, _ in pts], [c for _, c in pts])
        if len(pts) > 1:
            exponents[name] = growth_exponent([d for d, _ in pts], [c for _, c in pts])
    table = Table(
        "Side by side: the same syndication documents through dedupe and its peers (fresh process each)",
        ["documents", "tool", "wall s", "CPU s (process tree)", "peak RSS MB", "pairwise F1", "CPU / dedupe"],
        rows,
        note="CPU growth exponents (1.0 = linear): "
             + (", ".join(f"{k} {v:.2f}" for k, v in exponents.items()) or "one size only")
             + ". Wall time includes interpreter start-up and imports for every tool; CPU time is the whole "
               "process tree's (worker pools included). dedupe and datatrove use 2 worker processes, "
               "text-dedup `--num_proc 2`, datasketch one process.")
    plot = (Plot("dedup_peers_cpu", "CPU seconds by corpus size, dedupe and peers", "line", "documents",
                 "CPU seconds", series, logx=True, logy=True) if len(points) > 1 and series else None)
    return table, exponents, plot


def run(ctx: Context) -> Suite:
    """Signer MB/s beside datasketch; time and memory of ``dedupe dedup`` at growing sizes."""
    texts = bodies(200 if ctx.quick else None)
    speed = signer_speed(texts, ctx.repeats)
    rows = []
    for name, r in speed["tools"].items():
        rows.append([name, round(r["mb_per_s"], 2), round(r["cpu_mb_per_s"], 2),
                     f"{r['their_time_over_ours']:.2f}×", f"{r['their_cpu_over_ours']:.2f}×"])
    tables = [Table(
        f"MinHash signing, 128 slots, word 5-shingles ({speed['docs']} real article bodies, {speed['mb']:.1f} MB)",
        ["signer", "MB/s (wall)", "MB/s per core (CPU)", "time / ours", "CPU / ours"], rows,
        note=f"Interleaved, median of {ctx.repeats} runs; includes normalising and tokenising. datasketch "
             "gets the same tokens and shingles through `MinHash.update_batch`. Ours is one-permutation "
             "MinHash with optimal densification (one hash per shingle, not 128)."),
    ]
    figures: dict[str, Any] = {"signer": speed}

    sizes = tuple(ctx.options.get("dedup_sizes") or (QUICK_SIZES if ctx.quick else DEFAULT_SIZES))
    work = Path(tempfile.mkdtemp(prefix="dedup-scale-", dir=ctx.workdir))
    points = [scale_point(n, work, seed=ctx.seed) for n in sizes]
    figures["scale"] = points
    scale_rows = [[p["docs"], round(p["text_mb"], 1), round(p["seconds"], 1), round(p["peak_rss_mb"]),
                   p["candidate_pairs"], p["verified_pairs"],
                   ", ".join(f"{k} {v:.1f}" for k, v in p["timings_s"].items())] for p in points]
    plots = []
    if len(points) > 1:
        docs = [p["docs"] for p in points]
        figures["time_exponent"] = growth_exponent(docs, [p["seconds"] for p in points])
        figures["memory_exponent"] = growth_exponent(docs, [p["peak_rss_mb"] for p in points])
        plots.append(Plot("dedup_scale", "dedupe dedup: time and peak memory", "line", "documents",
                          "seconds / MB", {"seconds": (docs, [p["seconds"] for p in points]),
                                           "peak RSS MB": (docs, [p["peak_rss_mb"] for p in points])},
                          logx=True, logy=True))
    tables.append(Table(
        "`dedupe dedup` at growing corpus sizes (syndication generator, 1 process)",
        ["documents", "text MB", "seconds", "peak RSS MB", "candidates", "verified", "stage seconds"],
        scale_rows,
        note="Growth exponents (slope of log cost on log size, 1.0 = linear): time "
             f"{figures.get('time_exponent', float('nan')):.2f}, memory "
             f"{figures.get('memory_exponent', float('nan')):.2f}."))
    peer_sizes = tuple(ctx.options.get("peer_sizes") or (PEER_QUICK_SIZES if ctx.quick else PEER_DEFAULT_SIZES))
    side = [side_by_side(n, work, seed=ctx.seed) for n in peer_sizes]
    side_table, exponents, side_plot = side_by_side_table(side)
    tables.append(side_table)
    figures["side_by_side"] = side
    figures["side_by_side_cpu_exponents"] = exponents
    if side_plot is not None:
        plots.append(side_plot)
    if not data.available():
        tables[0].note += " (Evaluation data missing: bodies are the seeds.)"
    return Suite("dedup_speed", tables, figures, plots)


if __name__ == "__main__":  # pragma: no cover - manual run
    suite_main(run, __doc__, figures=True)
