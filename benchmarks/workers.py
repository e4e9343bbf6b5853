"""Speed-up of the clean stage with ``--workers`` (issue 5/7).

Two figures, each timed for 1 and 2 workers in turn (``interleaved``, medians):

- the clean stage alone: the same pre-read batches through
  :func:`dedupe.pipeline.process_batch`, inline or in a process pool;
- ``dedupe clean`` end to end (read, clean, spill, sort, write) through
  :func:`dedupe.run`, with its output checked byte-identical across worker counts.

The machine may be shared: the table says how many cores it has, and a
control row (a pure CPU loop in 1 vs 2 processes) shows how much parallelism
was really free during the run; read the clean ratios against it.

Run it: ``python -m benchmarks.workers [--quick]``.
"""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmarks.common import Context, Suite, Table, interleaved, suite_main
from benchmarks.data import write_synthetic_jsonl


def _burn(n: int) -> int:
    """A pure-Python CPU loop: the control that shows how many cores are really free."""
    total = 0
    for i in range(n):
        total += i * i
    return total


def _control(workers: int, n: int = 3_000_000, tasks: int = 4) -> None:
    if workers == 1:
        for _ in range(tasks):
            _burn(n)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_burn, [n] * tasks))


def run(ctx: Context) -> Suite:
    """Clean-stage and end-to-end ``dedupe clean`` times at 1 and 2 workers."""
    from dedupe import Config
    from dedupe import run as dedupe_run
    from dedupe.config import CleanConfig
    from dedupe.pipeline import process_batch
    from dedupe.readers import iter_records
    from dedupe.types import Document

    size = int(ctx.options.get("bytes", 1_500_000 if ctx.quick else 30_000_000))
    batch = Config().batch_size
    ctx.workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ctx.workdir) as tmp:
        src = Path(tmp) / "corpus.jsonl"
        n_docs = write_synthetic_jsonl(src, target_bytes=size, seed=ctx.seed)
        docs = [r for r in iter_records([src]) if isinstance(r, Document)]
        batches = [docs[i:i + batch] for i in range(0, len(docs), batch)]
        clean = CleanConfig()

        def stage(workers: int) -> None:
            if workers == 1:
                for b in batches:
                    process_batch(b, clean, False)
                return
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for _ in pool.map(process_batch, batches, [clean] * len(batches), [False] * len(batches)):
                    pass

        outputs: dict[int, bytes] = {}

        def end_to_end(workers: int) -> None:
            out = Path(tmp) / f"out-{workers}"
            dedupe_run([str(src)], out, Config(workers=workers), mode="clean")
            outputs[workers] = (out / "corpus.jsonl").read_bytes()

        control_t = interleaved({"1 worker": lambda: _control(1), "2 workers": lambda: _control(2)},
                                repeats=ctx.repeats)
        stage_t = interleaved({"1 worker": lambda: stage(1), "2 workers": lambda: stage(2)}, repeats=ctx.repeats)
        e2e_t = interleaved({"1 worker": lambda: end_to_end(1), "2 workers": lambda: end_to_end(2)},
                            repeats=ctx.repeats)
        identical = outputs[1] == outputs[2]
    mb = size / 1e6
    rows = []
    for label, times in (("control: pure CPU loop (no I/O, no pickling)", control_t),
                         ("clean stage (process_batch)", stage_t), ("dedupe clean end to end", e2e_t)):
        one, two = times["1 worker"], times["2 workers"]
        per_s = label.startswith("control")
        rows.append([label, round(one.median, 2), round(two.median, 2), round(one.median / two.median, 2),
                     "" if per_s else round(mb / one.median, 2), "" if per_s else round(mb / two.median, 2)])
    table = Table(
        "--workers: clean speed-up, 1 vs 2 workers",
        ["what", "1 worker (s)", "2 workers (s)", "speed-up", "MB/s at 1", "MB/s at 2"],
        rows,
        note=(f"{n_docs} synthetic documents, {mb:.1f} MB of JSONL; medians of {ctx.repeats} interleaved runs; "
              f"os.cpu_count() = {os.cpu_count()}, load average at the end {os.getloadavg()[0]:.1f} "
              f"(the machine is shared). Output byte-identical for 1 and 2 workers: {identical}."),
    )
    figures = {
        "docs": n_docs, "bytes": size, "cpu_count": os.cpu_count(), "identical_output": identical,
        "control": {k: v.to_json() for k, v in control_t.items()},
        "stage": {k: v.to_json() for k, v in stage_t.items()},
        "end_to_end": {k: v.to_json() for k, v in e2e_t.items()},
        "loadavg_end": os.getloadavg(),
    }
    return Suite("workers", tables=[table], figures=figures)


if __name__ == "__main__":
    suite_main(run, __doc__, figures=True, context={"workdir": Path(os.environ.get("BENCH_WORKDIR", "bench-out"))})
