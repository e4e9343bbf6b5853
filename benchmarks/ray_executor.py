"""The Ray executor beside the in-process one, and our banding beside datasketch's.

**Index.** Signatures of a generated corpus (:mod:`benchmarks.corpus`) go
through :func:`dedupe.lsh.candidate_pairs` in this process, through the same
map/reduce tasks on a local Ray cluster, and through datasketch
``MinHashLSH`` (insert every signature, read each band bucket's pairs: what
the index stage did before executors); the three are timed interleaved and
must give the same pairs.

**Cluster start.** Wall time of ``ray.init`` (2 CPUs, no dashboard, small
object store) plus ``ray.shutdown``, as ``--executor ray`` pays it once per
run without ``--address``.

**Run.** ``dedupe run`` on the generated corpus in a fresh process, with
``--executor local`` and ``--executor ray`` in turn; the outputs must be
byte-identical. Needs the ``dedupe[ray]`` extra; run it alone with
``python -m benchmarks.ray_executor [--quick]``.

**Scale.** ``python -m benchmarks.ray_executor --scale N [N ...] [--mode dedup] [--together]``:
``dedupe run`` (or ``dedupe dedup``: no cleaning, which is the same code for
both executors; a fresh process, ``--workers 2``) on generated corpora of
``N`` documents, with the in-process executor and with a local Ray cluster
(2 CPUs): wall time, peak RSS of the run's whole process tree
(:func:`benchmarks.process.pipeline_run`: the Ray cluster's processes are the
run's children, so they count), and whether ``corpus.jsonl`` and
``clusters.jsonl`` are byte-identical. ``--together`` runs the two executors
at the same time (each competes with the other for the cores: their ratio is
fair, their absolute times are not). Results go to ``--report DIR``
(``report.json``, ``report.md``), added to after each size.

**Index memory.** ``python -m benchmarks.ray_executor --index-peak N``: the
index stage alone on ``N`` random signatures (half of them copies), ours and
datasketch's, each in a fresh process: wall time and peak RSS rise.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

import numpy as np

from dedupe.executor import InProcessExecutor, RayExecutor
from dedupe.lsh import candidate_pairs
from dedupe.minhash import Signer

from .common import Context, Suite, Table, interleaved
from .corpus import generate, write_jsonl

QUICK_DOCS = (2_000, 2_000)
DEFAULT_DOCS = (50_000, 10_000)  # (index stage, end-to-end run)


def datasketch_pairs(signatures: np.ndarray, threshold: float, seed: int = 1) -> list[tuple[int, int]]:
    """Candidate pairs read from datasketch ``MinHashLSH``'s band buckets (the pre-executor index stage)."""
    from datasketch import LeanMinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=signatures.shape[1])
    empty = np.iinfo(np.uint32).max
    with lsh.insertion_session() as session:
        for i in np.flatnonzero(~(signatures == empty).all(axis=1)).tolist():
            session.insert(i, LeanMinHash(seed=seed, hashvalues=signatures[i], scheme="affine32"),
                           check_duplication=False)
    pairs: set[tuple[int, int]] = set()
    for table in lsh.hashtables:
        for key in table.keys():
            bucket = table.get(key)
            if len(bucket) > 1:
                pairs.update(combinations(sorted(bucket), 2))
    return sorted(pairs)


def _cluster_start() -> float:
    import ray

    temp = tempfile.mkdtemp(prefix="dedupe-ray-bench-", dir="/tmp")
    t0 = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=128 * 1024 * 1024,
             _temp_dir=temp, log_to_driver=False, logging_level=logging.WARNING)
    ray.shutdown()
    elapsed = time.perf_counter() - t0
    shutil.rmtree(temp, ignore_errors=True)
    return elapsed


def run(ctx: Context) -> Suite:
    import ray

    suite = Suite("ray_executor")
    n_index, n_run = QUICK_DOCS if ctx.quick else DEFAULT_DOCS
    repeats = max(1, ctx.repeats)

    starts = [_cluster_start() for _ in range(2 if ctx.quick else repeats)]
    suite.figures["cluster_start_s"] = starts

    signer = Signer()
    texts = [d["text"] for d in generate(n_index, seed=ctx.seed)]
    sig = signer.sign(signer.shingle_batch(texts))
    ids = [str(i) for i in range(n_index)]
    ray_ex = RayExecutor()  # starts a local cluster (2 CPUs) for the index and run timings
    try:
        contenders = {
            "in-process": lambda: candidate_pairs(ids, sig, threshold=0.3, executor=InProcessExecutor()),
            "ray (local, 2 CPUs)": lambda: candidate_pairs(ids, sig, threshold=0.3, executor=ray_ex),
            "datasketch MinHashLSH": lambda: datasketch_pairs(sig, 0.3),
        }
        results = {name: fn() for name, fn in contenders.items()}
        same = len({tuple(r) for r in results.values()}) == 1
        timed = interleaved(contenders, repeats=repeats)
    finally:
        ray_ex.close()
    base = timed["in-process"].median
    suite.tables.append(Table(
        f"Index stage (candidate pairs) on {n_index:,} generated documents",
        ["executor", "median s", "min s", "time / in-process"],
        [[k, round(m.median, 3), round(m.low, 3), round(m.median / base, 2)] for k, m in timed.items()],
        note=f"{len(results['in-process']):,} pairs; identical across the three: {same}",
    ))
    suite.figures["index"] = {k: m.to_json() for k, m in timed.items()}
    suite.figures["index_pairs_identical"] = same

    work = Path(tempfile.mkdtemp(prefix="ray-run-", dir=ctx.workdir if ctx.workdir.exists() else None))
    write_jsonl(work / "in" / "news.jsonl", n_run, seed=ctx.seed)

    def cli(executor: str) -> None:
        subprocess.run([sys.executable, "-m", "dedupe", "run", str(work / "in"), "--out", str(work / executor),
                        "--quiet", "--workers", "2", "--executor", executor], check=False, capture_output=True)

    runs = interleaved({"local": lambda: cli("local"), "ray": lambda: cli("ray")}, repeats=repeats)
    identical = all((work / "local" / f).read_bytes() == (work / "ray" / f).read_bytes()
                    for f in ("corpus.jsonl", "clusters.jsonl"))
    suite.tables.append(Table(
        f"`dedupe run` on {n_run:,} generated documents (fresh process, --workers 2)",
        ["executor", "median s", "min s", "time / local"],
        [[k, round(m.median, 2), round(m.low, 2), round(m.median / runs["local"].median, 2)] for k, m in runs.items()],
        note=f"corpus.jsonl and clusters.jsonl byte-identical: {identical}; local cluster start + shutdown "
             f"alone: median {sorted(starts)[len(starts) // 2]:.1f} s",
    ))
    suite.figures["run"] = {k: m.to_json() for k, m in runs.items()}
    suite.figures["run_outputs_identical"] = identical
    assert not ray.is_initialized()
    return suite


_INDEX_PEAK = r"""
import resource, sys, time
import numpy as np
from dedupe.lsh import candidate_pairs
from benchmarks.ray_executor import datasketch_pairs
n = int(sys.argv[2])
sig = np.random.default_rng(0).integers(0, 2**32 - 1, size=(n, 128), dtype=np.uint32)
sig[n // 2 :] = sig[: n - n // 2]  # half are exact copies: every band has buckets
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
pairs = candidate_pairs([""] * n, sig, threshold=0.3) if sys.argv[1] == "ours" else datasketch_pairs(sig, 0.3)
rise = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(f"{sys.argv[1]}: {len(pairs)} pairs in {time.perf_counter() - t0:.2f} s, peak RSS rise {rise:.0f} MB")
"""


def index_peak(n: int) -> list[str]:
    """Index stage alone on ``n`` random signatures (half copies), ours and datasketch's, each in a fresh process."""
    return [subprocess.run([sys.executable, "-c", _INDEX_PEAK, which, str(n)], capture_output=True, text=True,
                           check=True).stdout.strip() for which in ("ours", "datasketch")]


def _same_files(a: Path, b: Path) -> bool:
    """Whether ``corpus.jsonl`` and ``clusters.jsonl`` are byte-identical in two output directories."""
    import filecmp

    return all(filecmp.cmp(a / name, b / name, shallow=False) for name in ("corpus.jsonl", "clusters.jsonl"))


def _scale_markdown(rows: list[dict[str, object]]) -> str:
    lines = ["# `dedupe run|dedup` on generated corpora: in-process vs a local Ray cluster", "",
             "Command: `python -m benchmarks.ray_executor --scale N ... [--mode dedup] [--together] --corpus-dir DIR "
             "--report benchmarks/report/ray-scale` (`--workers 2`; Ray: a local cluster of 2 CPUs started by the "
             "run; machine: 2 cores shared with other jobs, so wall times are noisy). *together*: the two executors "
             "ran at the same time, competing for the cores (their ratio is fair, their absolute times are not). "
             "Peak RSS: the run's whole process tree (`benchmarks.process.sampled_run`), Ray's processes included.",
             "", "| documents | command | executor | together | wall s | clean s | sign s | index s | verify s | "
             "cluster s | peak tree RSS MB | outputs byte-identical |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        t = r["timings_s"]
        assert isinstance(t, dict)
        lines.append(f"| {r['docs']:,} | {r.get('mode', 'run')} | {r['executor']} | {r.get('together', '')} | "
                     f"{r['seconds']:.0f} | "
                     + " | ".join(f"{t.get(k, float('nan')):.0f}" for k in ("clean", "sign", "index", "verify",
                                                                           "cluster"))
                     + f" | {r['peak_rss_mb']:.0f} | {r.get('identical', '')} |")
    return "\n".join(lines) + "\n"


def scale(sizes: list[int], corpus_dir: Path, report: Path, *, together: bool = False,
          workers: int = 2, seed: int = 0, mode: str = "run") -> list[dict[str, object]]:
    """The scale section (see the module docstring); corpora are generated under ``corpus_dir`` if missing."""
    import json
    from concurrent.futures import ThreadPoolExecutor

    from .process import pipeline_run

    report.mkdir(parents=True, exist_ok=True)
    old = report / "report.json"
    rows: list[dict[str, object]] = json.loads(old.read_text(encoding="utf-8")) if old.exists() else []

    def save() -> None:
        (report / "report.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
        (report / "report.md").write_text(_scale_markdown(rows), encoding="utf-8")

    for n in sizes:
        src = corpus_dir / f"in-{n}" / "news.jsonl"
        if not src.exists():
            write_jsonl(src, n, seed=seed)
        outs = {ex: corpus_dir / f"out-{n}-{ex}" for ex in ("local", "ray")}
        for out in outs.values():
            shutil.rmtree(out, ignore_errors=True)

        def one(ex: str, n: int = n, src: Path = src, outs: dict[str, Path] = outs) -> dict[str, object]:
            figures = pipeline_run(src, outs[ex], mode=mode, workers=workers, executor=ex, timeout=4 * 3600)
            return {"docs": n, "executor": ex, "mode": mode, "together": together, **figures}

        if together:
            with ThreadPoolExecutor(2) as pool:
                done = list(pool.map(one, ["local", "ray"]))
        else:
            done = [one("local"), one("ray")]
        identical = _same_files(outs["local"], outs["ray"])
        for row in done:
            row["identical"] = identical
        rows.extend(done)
        save()
        for out in outs.values():
            shutil.rmtree(out, ignore_errors=True)
    return rows


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.ray_executor", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="the quick mode the tests run")
    parser.add_argument("--scale", type=int, nargs="+", metavar="DOCS",
                        help="instead of the suite: Ray against the process pool at these corpus sizes")
    parser.add_argument("--corpus-dir", type=Path, default=Path(tempfile.gettempdir()) / "dedupe-ray-scale",
                        help="with --scale: where the generated corpora are kept")
    parser.add_argument("--report", type=Path, default=Path("benchmarks/report/ray-scale"),
                        help="with --scale: where the report goes")
    parser.add_argument("--together", action="store_true", help="with --scale: run the sizes in one Ray session")
    parser.add_argument("--mode", choices=("run", "dedup"), default="run", help="with --scale: the command timed")
    parser.add_argument("--index-peak", type=int, metavar="DOCS",
                        help="instead of the suite: the driver's peak memory while indexing DOCS signatures")
    args = parser.parse_args()
    if args.scale:
        print(_scale_markdown(scale(args.scale, args.corpus_dir, args.report, together=args.together,
                                    mode=args.mode)))
    elif args.index_peak:
        print("\n".join(index_peak(args.index_peak)))
    else:
        result = run(Context(quick=args.quick, repeats=2 if args.quick else 3, workdir=Path(tempfile.gettempdir())))
        for table in result.tables:
            print(table.markdown(), "\n")
