"""How time and memory grow with corpus size.

Each size is a generated corpus (:mod:`benchmarks.corpus`) put through
``dedupe run`` in a fresh process, so its wall time and peak resident memory
are that run's alone. The growth exponent is the slope of a least-squares
line through (log size, log cost): 1.0 is linear.

>>> round(growth_exponent([1000, 10000], [1.0, 10.0]), 2)
1.0
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from . import corpus
from .common import Context, Plot, Suite, Table, suite_main
from .process import pipeline_run

DEFAULT_SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (200, 1_000)

def growth_exponent(sizes: list[int], costs: list[float]) -> float:
    """Slope of log(cost) against log(size) (least squares)."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(c, 1e-9)) for c in costs]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else float("nan")


def measure_size(n_docs: int, work: Path, *, seed: int, workers: int, mode: str = "run") -> dict[str, Any]:
    """Generate ``n_docs`` documents and time one ``dedupe run`` over them in a fresh process."""
    path = work / f"corpus-{n_docs}-{seed}.jsonl"
    shape = corpus.write_jsonl(path, n_docs, seed=seed)
    figures = pipeline_run(path, work / f"out-{n_docs}", mode=mode, workers=workers)
    path.unlink()
    return {"docs": n_docs, "text_mb": shape["text_bytes"] / 1e6, **figures}


def run(ctx: Context) -> Suite:
    """Time and peak memory at each size, with growth exponents."""
    sizes = tuple(ctx.options.get("sizes") or (QUICK_SIZES if ctx.quick else DEFAULT_SIZES))
    workers = int(ctx.options.get("workers") or 1)
    work = ctx.workdir / "scaling"
    work.mkdir(parents=True, exist_ok=True)
    points = [measure_size(n, work, seed=ctx.seed, workers=workers) for n in sizes]
    ns = [p["docs"] for p in points]
    time_exp = growth_exponent(ns, [p["seconds"] for p in points])
    mem_exp = growth_exponent(ns, [p["peak_rss_mb"] for p in points])
    rows = [[p["docs"], round(p["text_mb"], 1), round(p["seconds"], 2), round(p["text_mb"] / p["seconds"], 2),
             round(p["docs"] / p["seconds"], 1), round(p["peak_rss_mb"]), round(p["main_peak_rss_mb"])]
            for p in points]
    table = Table(
        f"Scaling: `dedupe run` over generated corpora ({workers} worker{'s' if workers > 1 else ''})",
        ["documents", "text MB", "seconds", "MB/s", "docs/s", "peak RSS MB (process tree)", "main process peak MB"],
        rows,
        note=f"Growth exponents (slope of log cost vs log size; 1 = linear): time {time_exp:.2f}, "
             f"peak memory {mem_exp:.2f}. Each size runs in a fresh process; generation is not timed. Peak RSS sums the process and its workers, sampled every 20 ms (benchmarks.process), as the memory suite measures it.",
    )
    stage_names = sorted({k for p in points for k in p["timings_s"]})
    stage_plot = Plot("scaling_stages", "Seconds per stage against corpus size", "line", "documents", "seconds",
                      {s: (ns, [p["timings_s"].get(s, 0.0) for p in points]) for s in stage_names},
                      logx=True, logy=True)
    return Suite(
        "scaling",
        [table],
        {"points": points, "time_exponent": time_exp, "memory_exponent": mem_exp, "workers": workers},
        [
            Plot("scaling_time", "Time against corpus size", "line", "documents", "seconds",
                 {"dedupe run": (ns, [p["seconds"] for p in points])}, logx=True, logy=True),
            Plot("scaling_memory", "Peak memory against corpus size", "line", "documents", "peak RSS (MB)",
                 {"dedupe run": (ns, [p["peak_rss_mb"] for p in points])}, logx=True, logy=True),
            stage_plot,
        ],
    )


if __name__ == "__main__":  # pragma: no cover - manual run
    suite_main(run, __doc__, figures=True)
