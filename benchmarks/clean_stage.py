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

Run: ``python -m benchmarks.clean_stage [--docs 20000] [--rounds 3] [--mode run|clean] [--baseline PATH]``;
``--template-pass`` times the site-template pass alone instead (CPU of the main process and of the workers)
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
import subprocess
import sys
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


#: Run as ``python -c TEMPLATE_PROBE CORPUS WORKERS`` in a tree's directory: the template pass alone, as the
#: clean stage runs it (in its pool when the tree has one for it); CPU of this process and of its workers.
TEMPLATE_PROBE = r"""
import inspect, json, resource, sys, time
from dedupe.config import Config
from dedupe.pipeline import _Runner, template_pass
from dedupe.readers import iter_records
config = Config(workers=int(sys.argv[2]), progress=False)
records = iter_records([sys.argv[1]], config.input)
runner = _Runner(config, "run", None, lambda: None)
w0, c0 = time.perf_counter(), time.process_time()
if "imap" in inspect.signature(template_pass).parameters:
    rest, templates = template_pass(records, config.clean, runner.imap)
else:
    rest, templates = template_pass(records, config.clean)
wall, cpu = time.perf_counter() - w0, time.process_time() - c0
runner.close()
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "main_cpu": cpu, "workers_cpu": children.ru_utime + children.ru_stime,
                  "templates": sorted(templates)}))
"""


def template_pass_alone(trees: dict[str, Path], path: Path, *, workers: tuple[int, ...] = (1, 2),
                        rounds: int = 5) -> Table:
    """The template pass of each tree and worker count in a fresh process, in turn; medians of CPU and wall."""
    runs: dict[str, list[dict[str, Any]]] = {}
    loads: list[float] = []
    for _ in range(rounds):
        for name, tree in trees.items():
            for w in workers:
                proc = subprocess.run([sys.executable, "-c", TEMPLATE_PROBE, str(path), str(w)], cwd=tree,
                                      capture_output=True, text=True, check=True)
                runs.setdefault(f"{name} w{w}", []).append(json.loads(proc.stdout))
                loads.append(os.getloadavg()[0])
    found = {json.dumps(r.pop("templates")) for rs in runs.values() for r in rs}
    rows = [[key, *(round(statistics.median(r[f] for r in rs), 3) for f in ("main_cpu", "workers_cpu", "wall"))]
            for key, rs in runs.items()]
    return Table(
        f"Site-template pass alone ({path.name}), medians of {rounds} interleaved rounds",
        ["tree, workers", "main process CPU s", "workers CPU s", "wall s"], rows,
        note=f"Load average {min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores. "
             f"Same template lines in every run: {len(found) == 1}.",
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.clean_stage", description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mode", choices=("run", "clean"), default="run")
    parser.add_argument("--baseline", type=Path, help="another checkout of the project, timed beside this one")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--template-pass", action="store_true", help="time the site-template pass alone")
    args = parser.parse_args()
    path = args.workdir / f"clean-stage-corpus-{args.docs}.jsonl"
    if not path.exists():
        write_corpus(path, args.docs)
    trees = {"this": ROOT, **({"baseline": args.baseline.resolve()} if args.baseline else {})}
    if args.template_pass:
        print(template_pass_alone(trees, path, rounds=args.rounds).markdown())
        return
    table, figures = compare(trees, path, rounds=args.rounds, mode=args.mode)
    print(table.markdown())
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
