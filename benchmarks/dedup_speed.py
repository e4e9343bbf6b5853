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
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dedupe.minhash import Signer

from . import data, peers, syndicate
from .common import Context, Plot, Suite, Table
from .process import pipeline_run
from .scaling import growth_exponent

QUICK_SIZES = (500, 2_000)
DEFAULT_SIZES = (10_000, 100_000)

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
    if not data.available():
        tables[0].note += " (Evaluation data missing: bodies are the seeds.)"
    return Suite("dedup_speed", tables, figures, plots)
