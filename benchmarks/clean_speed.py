"""Suite: text cleaning speed in MB/s of CPU time on one core, this tree beside a baseline tree.

Issue 3 asks for text cleaning at >= 20 MB/s on one core. Three workloads:

- the throughput corpus (:mod:`benchmarks.corpus`, the documents ``dedupe run``
  cleans in :mod:`benchmarks.throughput`), with their title hints and the
  corpus' site-template lines, as the pipeline cleans them;
- the junk-dense held-out GATE set (:func:`benchmarks.junk.generated_set`) x10;
- the five seeds x40, the issue's reference workload.

Each workload is cleaned by :func:`dedupe.clean.clean_text` in a fresh
subprocess per tree, alternating trees round by round so machine noise hits
both alike; the figure is process CPU time (what one core does; wall time on a
shared machine also counts waiting for a core), median over runs. The
cleaner's memos (per-line verdicts, dates) are emptied before every copy of a
repeated set, so repeats never ride on a memo (a corpus' own recurring lines do, as in a
real run).

The baseline is another checkout of the project (``--baseline PATH``, e.g. the
main branch's worktree) run from its own directory, so old and new are timed in
the same session on the same documents; nothing of the old code is kept here.

On a loaded machine a run of a short workload (the seeds x 40 take ~0.1 s)
swings by +-30 % between processes, more than a speed change. ``--interleaved``
times both cleaners in *one* process instead (the baseline's ``dedupe`` package
is copied to a temporary directory as ``dedupe_baseline``; its imports are
relative), alternating chunks of 50 documents, so a burst of load hits both;
the speed-up is the median of the per-chunk time ratios.

Run: ``python -m benchmarks.clean_speed [--quick] [--baseline PATH [--interleaved]]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from . import corpus, junk
from .common import Context, Suite, Table, suite_main

ROOT = Path(__file__).resolve().parent.parent
SEED_REPEATS = 40
GATE_REPEATS = 10

#: Run in a subprocess as ``python -c WORKER TREE WORKFILE RUNS``: times clean_text of TREE on the workloads.
WORKER = r"""
import json, sys, time
tree, workfile, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, tree)
from dedupe.clean import clean_text, find_template_lines
try:
    from dedupe.clean.classify import clear_memos as clear
except ImportError:  # a tree before clear_memos
    try:
        from dedupe.clean.classify import line_verdict
        clear = line_verdict.cache_clear
    except ImportError:  # a tree without the verdict memo
        clear = lambda: None
with open(workfile, encoding="utf-8") as fh:
    work = json.load(fh)
out = {}
for name, spec in work.items():
    docs, copies = spec["docs"], spec["copies"]
    templates = find_template_lines([t for t, _ in docs], 3) if spec["templates"] else frozenset()
    for text, title in docs[:20]:  # warm-up: imports done, patterns compiled
        clean_text(text, title=title, templates=templates)
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        for _ in range(copies):
            clear()
            for text, title in docs:
                clean_text(text, title=title, templates=templates)
        times.append(time.process_time() - t0)
    out[name] = times
print(json.dumps(out))
"""


#: Run as ``python -c INTERLEAVED TREE COPY WORKFILE ROUNDS``: this tree's cleaner and the baseline copied
#: to COPY/dedupe_baseline, chunk by chunk in one process; CPU seconds per chunk for each.
INTERLEAVED = r"""
import importlib, json, sys, time
tree, copy, workfile, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sys.path[:0] = [tree, copy]
cleaners = []
for name in ("dedupe", "dedupe_baseline"):
    clean = importlib.import_module(name + ".clean")
    classify = importlib.import_module(name + ".clean.classify")
    clear = getattr(classify, "clear_memos", None)  # a tree before clear_memos: the verdict memo, if any
    if clear is None:
        clear = classify.line_verdict.cache_clear if hasattr(classify, "line_verdict") else (lambda: None)
    cleaners.append((clean, clear))
with open(workfile, encoding="utf-8") as fh:
    work = json.load(fh)
out = {}
for name, spec in work.items():
    docs, copies = spec["docs"], spec["copies"]
    args = []
    for clean, clear in cleaners:
        templates = clean.find_template_lines([t for t, _ in docs], 3) if spec["templates"] else frozenset()
        for text, title in docs[:20]:
            clean.clean_text(text, title=title, templates=templates)
        args.append((clean.clean_text, clear, templates))
    chunks, k = [], 0
    for _ in range(rounds):
        for _ in range(copies):
            for _, clear, _ in args:
                clear()
            for start in range(0, len(docs), 50):
                part, k = docs[start:start + 50], k + 1
                pair = [0.0, 0.0]
                for j in ((0, 1) if k % 2 else (1, 0)):
                    clean_text, _, templates = args[j]
                    t0 = time.process_time()
                    for text, title in part:
                        clean_text(text, title=title, templates=templates)
                    pair[j] = time.process_time() - t0
                chunks.append(pair)
    out[name] = chunks
print(json.dumps(out))
"""


def interleaved(baseline: Path, *, quick: bool, rounds: int, seed: int = 0) -> tuple[Table, dict[str, Any]]:
    """This tree and ``baseline`` timed chunk by chunk in one process; a table of CPU MB/s and speed-ups."""
    work = workloads(quick, seed)
    mb = {name: spec["copies"] * sum(len(t.encode("utf-8")) for t, _ in spec["docs"]) / 1e6
          for name, spec in work.items()}
    with tempfile.TemporaryDirectory(prefix="clean-speed-") as tmp:
        workfile = Path(tmp) / "work.json"
        workfile.write_text(json.dumps(work, ensure_ascii=False), encoding="utf-8")
        copy = Path(tmp) / "dedupe_baseline"
        shutil.copytree(baseline / "dedupe", copy, ignore=shutil.ignore_patterns("__pycache__"))
        absolute = [str(f.relative_to(copy)) for f in copy.rglob("*.py")
                    if re.search(r"^\s*(from dedupe[ .]|import dedupe\b)", f.read_text(encoding="utf-8"), re.M)]
        if absolute:
            raise RuntimeError(f"the baseline's {', '.join(absolute)} import dedupe by its absolute name, so a renamed "
                               "copy would run this tree's code: time it without --interleaved")
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        proc = subprocess.run([sys.executable, "-c", INTERLEAVED, str(ROOT), tmp, str(workfile), str(rounds)],
                              cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if proc.returncode:
        raise RuntimeError(f"interleaved timing against {baseline} failed:\n{proc.stderr[-2000:]}")
    chunks = json.loads(proc.stdout)
    rows, figures = [], {}
    for name in work:
        new = sum(c[0] for c in chunks[name]) / rounds
        old = sum(c[1] for c in chunks[name]) / rounds
        ratio = statistics.median(c[1] / c[0] for c in chunks[name] if c[0] > 0)
        rows.append([name, round(mb[name], 2), round(mb[name] / new, 1), round(mb[name] / old, 1), f"{ratio:.2f}x"])
        figures[name] = {"mb": mb[name], "mb_per_s_cpu": mb[name] / new, "baseline_mb_per_s_cpu": mb[name] / old,
                         "speed_up_median_chunk": ratio, "chunks": len(chunks[name])}
    table = Table(
        "Text cleaning speed (dedupe clean_text), MB/s of CPU time on one core, interleaved with a baseline",
        ["workload", "MB", "MB/s CPU", "baseline MB/s CPU", "speed-up (median chunk)"],
        rows,
        note=f"Both cleaners in one process, alternating chunks of 50 documents, {rounds} rounds; MB/s from the "
        f"summed CPU time; baseline = {baseline}. Issue floor: >= 20 MB/s. The cleaner's memos are emptied "
        "before every copy.",
    )
    return table, figures


def workloads(quick: bool, seed: int = 0) -> dict[str, dict[str, Any]]:
    """The documents of each workload as (text, title) pairs, how many copies, and whether templates apply."""
    n = 400 if quick else 2000
    records = list(corpus.generate(n, seed=seed))
    seeds = [(p.read_text(encoding="utf-8"), None) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    gate = [(d.text, None) for d in junk.generated_set(junk.GATE)]
    return {
        f"throughput corpus ({n} docs, titles + site templates)": {
            "docs": [(r["text"], r["title"]) for r in records], "copies": 1, "templates": True},
        f"GATE set x{GATE_REPEATS} (junk-dense)": {"docs": gate, "copies": GATE_REPEATS, "templates": False},
        f"seeds x{SEED_REPEATS}": {"docs": seeds, "copies": SEED_REPEATS, "templates": False},
    }


def time_tree(tree: Path, workfile: Path, runs: int) -> dict[str, list[float]]:
    """CPU seconds per run of every workload, cleaned by the code of ``tree`` in a subprocess."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}  # leave the other tree's files alone
    proc = subprocess.run(
        [sys.executable, "-c", WORKER, str(tree), str(workfile), str(runs)],
        cwd=tree, env=env, capture_output=True, text=True, check=False,
    )
    if proc.returncode:
        raise RuntimeError(f"timing the cleaner of {tree} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def compare(baseline: Path | None, *, quick: bool, rounds: int, runs: int, seed: int = 0) -> tuple[Table, dict[str, Any]]:
    """This tree (and ``baseline`` when given), alternating round by round; a table of CPU MB/s."""
    work = workloads(quick, seed)
    mb = {name: spec["copies"] * sum(len(t.encode("utf-8")) for t, _ in spec["docs"]) / 1e6
          for name, spec in work.items()}
    trees = {"this tree": ROOT} | ({"baseline": baseline} if baseline else {})
    times: dict[str, dict[str, list[float]]] = {t: {name: [] for name in work} for t in trees}
    with tempfile.TemporaryDirectory(prefix="clean-speed-") as tmp:
        workfile = Path(tmp) / "work.json"
        workfile.write_text(json.dumps(work, ensure_ascii=False), encoding="utf-8")
        for _ in range(rounds):
            for label, tree in trees.items():
                for name, secs in time_tree(tree, workfile, runs).items():
                    times[label][name].extend(secs)
    rows, figures = [], {}
    for name in work:
        new = mb[name] / statistics.median(times["this tree"][name])
        old = mb[name] / statistics.median(times["baseline"][name]) if baseline else None
        rows.append([name, round(mb[name], 2), round(new, 1), round(old, 1) if old else "",
                     f"{new / old:.2f}x" if old else ""])
        figures[name] = {"mb": mb[name], "cpu_s": times["this tree"][name], "mb_per_s_cpu": new,
                         "baseline_cpu_s": times["baseline"][name] if baseline else None,
                         "baseline_mb_per_s_cpu": old}
    table = Table(
        "Text cleaning speed (dedupe clean_text), MB/s of CPU time on one core",
        ["workload", "MB", "MB/s CPU", "baseline MB/s CPU", "speed-up"],
        rows,
        note=f"Median of {rounds * runs} runs per tree, trees alternating in fresh subprocesses"
        + (f"; baseline = {baseline}" if baseline else "; no baseline tree given (--baseline PATH)")
        + ". Issue floor: >= 20 MB/s. The cleaner's memos are emptied before every copy.",
    )
    return table, figures


def run(ctx: Context) -> Suite:
    """The suite: CPU MB/s of text cleaning, and of a baseline tree when ``ctx.options['baseline']`` names one."""
    suite = Suite("clean_speed")
    baseline = ctx.options.get("baseline") or os.environ.get("DEDUPE_BASELINE_TREE")
    if baseline and ctx.options.get("interleaved"):
        table, figures = interleaved(Path(baseline), quick=ctx.quick, rounds=1 if ctx.quick else 5, seed=ctx.seed)
    else:
        table, figures = compare(Path(baseline) if baseline else None, quick=ctx.quick,
                                 rounds=1 if ctx.quick else 3, runs=1 if ctx.quick else 2, seed=ctx.seed)
    suite.tables.append(table)
    suite.figures.update(figures)
    return suite


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--baseline", metavar="PATH", help="another checkout of the project, timed beside this one")
    parser.add_argument("--interleaved", action="store_true",
                        help="with --baseline: both cleaners in one process, alternating chunks of documents")


if __name__ == "__main__":  # pragma: no cover - manual run
    suite_main(run, __doc__, configure=_options)
