"""The clean stage of ``dedupe run`` (read, site-template pass, clean, spill) at 1 and 2 workers,
this tree beside a baseline checkout.

Each run is a fresh ``dedupe`` process (:func:`benchmarks.process.pipeline_run`) over one generated
corpus (:mod:`benchmarks.corpus`, ``{"id", "text"}`` records), trees and worker counts taken in turn
round by round so a burst of load on the shared machine hits them alike. Reported per tree and
worker count, medians over the rounds: the stage timings the run itself records (``stats.json``'s
``timings_s``: ``read``, ``templates`` where the tree times it apart, ``clean``), the wall time of the
process and the CPU time of its whole process tree (workers included). Every run's
``corpus.jsonl`` and ``clusters.jsonl`` are hashed: they must be the same bytes for every tree and
worker count.

Run: ``python -m benchmarks.clean_stage [--docs 20000] [--rounds 3] [--mode run|clean] [--baseline PATH]``
(``PATH``: another checkout, e.g. ``git archive COMMIT | tar -x -C /tmp/old``; run from its own
directory, as :mod:`benchmarks.clean_speed` does).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import tempfile
from pathlib import Path
from typing import Any

from . import corpus
from .common import Table
from .process import pipeline_run

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = ("corpus.jsonl", "clusters.jsonl")
#: Stage timings shown; a tree without a separate ``templates`` timing counts the template pass in ``read``.
SHOWN = ("read", "templates", "clean")


def write_corpus(path: Path, n_docs: int, seed: int = 1) -> int:
    """``n_docs`` generated records as ``{"id", "text"}`` JSONL at ``path``; returns the bytes of text."""
    size = 0
    with path.open("w", encoding="utf-8") as fh:
        for rec in corpus.generate(n_docs, seed=seed):
            size += len(rec["text"].encode("utf-8"))
            fh.write(json.dumps({"id": rec["id"], "text": rec["text"]}, ensure_ascii=False) + "\n")
    return size


def _digest(out: Path) -> str:
    h = hashlib.sha256()
    for name in OUTPUTS:
        h.update((out / name).read_bytes())
    return h.hexdigest()[:12]


def compare(trees: dict[str, Path], path: Path, *, workers: tuple[int, ...] = (1, 2), rounds: int = 3,
            mode: str = "run") -> tuple[Table, dict[str, Any]]:
    """Run every (tree, workers) once per round, in turn; a table of medians and the raw runs."""
    runs: dict[str, list[dict[str, Any]]] = {}
    loads: list[float] = []
    with tempfile.TemporaryDirectory(prefix="clean-stage-") as tmp:
        for _ in range(rounds):
            for name, tree in trees.items():
                for w in workers:
                    out = Path(tmp) / "out"
                    res = pipeline_run(path, out, mode=mode, workers=w, cwd=tree)
                    res["output"] = _digest(out)
                    shutil.rmtree(out)
                    runs.setdefault(f"{name} w{w}", []).append(res)
                    loads.append(os.getloadavg()[0])
    digests = {r["output"] for rs in runs.values() for r in rs}
    rows = []
    for key, rs in runs.items():
        med = {s: statistics.median(r["timings_s"].get(s, 0.0) for r in rs) for s in SHOWN}
        rows.append([key, *(round(med[s], 2) for s in SHOWN), round(sum(med.values()), 2),
                     round(statistics.median(r["process_seconds"] for r in rs), 2),
                     round(statistics.median(r["cpu_seconds"] for r in rs), 2)])
    table = Table(
        f"Clean stage of `dedupe {mode}` ({path.name}), medians of {rounds} interleaved rounds",
        ["tree, workers", *(f"{s} s" for s in SHOWN), "read+templates+clean s", "process wall s",
         "process tree CPU s"],
        rows,
        note=f"Stage timings from the run's own timings_s (wall); load average during the runs "
             f"{min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores. Output identical across all runs: "
             f"{len(digests) == 1}.",
    )
    return table, {"runs": runs, "loadavg": loads, "identical_output": len(digests) == 1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mode", choices=("run", "clean"), default="run")
    parser.add_argument("--baseline", type=Path, help="another checkout of the project, timed beside this one")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    path = args.workdir / f"clean-stage-corpus-{args.docs}.jsonl"
    if not path.exists():
        write_corpus(path, args.docs)
    trees = {"this": ROOT, **({"baseline": args.baseline.resolve()} if args.baseline else {})}
    table, figures = compare(trees, path, rounds=args.rounds, mode=args.mode)
    print(table.markdown())
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
