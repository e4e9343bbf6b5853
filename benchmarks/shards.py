"""Sharded I/O and resumable stages (issue 6): what they cost and what resuming saves.

Three tables, each timed with ``interleaved`` (contenders in turn, medians)
on one synthetic corpus:

- **resume**: ``dedupe run`` from scratch against ``--resume`` after a run
  that failed in dedup (the clean stage is reused) and after one that failed
  while writing (clean and dedup reused); plus the same run with no stage
  files at all (``run`` without ``out``, then ``RunResult.write``), the peer
  that shows what writing the checkpoints costs. Outputs are checked
  byte-identical.
- **output**: writing the same result as one ``corpus.jsonl``, as JSONL
  shards, and as Parquet shards.
- **input**: reading the same records from one JSONL file, and from a
  directory of shards: plain, ``.gz``, ``.zst`` and Parquet.

Run it: ``python -m benchmarks.shards [--quick]`` (``BENCH_WORKDIR`` sets
where the corpus is written).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import tempfile
from pathlib import Path

from benchmarks.common import Context, Suite, Table, interleaved, suite_main
from benchmarks.data import write_synthetic_jsonl


def _split(src: Path, directory: Path, parts: int) -> list[list[str]]:
    lines = src.read_text(encoding="utf-8").splitlines()
    size = -(-len(lines) // parts)
    directory.mkdir(parents=True)
    return [lines[i:i + size] for i in range(0, len(lines), size)]


def run(ctx: Context) -> Suite:
    """Resume savings, checkpoint cost, and output/input format speeds on one synthetic corpus."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    import zstandard

    from dedupe import Config
    from dedupe import run as dedupe_run
    from dedupe.config import OutputConfig
    from dedupe.readers import iter_records
    from dedupe.stages import STAGES_DIR

    size = int(ctx.options.get("bytes", 1_000_000 if ctx.quick else 20_000_000))
    shards = int(ctx.options.get("shards", 8))
    workers = int(ctx.options.get("workers", 1))
    ctx.workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ctx.workdir) as tmp_name:
        tmp = Path(tmp_name)
        src = tmp / "corpus.jsonl"
        n_docs = write_synthetic_jsonl(src, target_bytes=size, seed=ctx.seed)
        mb = src.stat().st_size / 1e6
        config = Config(workers=workers)

        # ---------------------------------------------------------------- resume
        outputs: dict[str, bytes] = {}

        def fresh() -> None:
            dedupe_run([str(src)], tmp / "fresh", config)
            outputs["fresh"] = (tmp / "fresh" / "corpus.jsonl").read_bytes()

        def no_stages() -> None:
            result = dedupe_run([str(src)], None, config)
            result.write(tmp / "plain")
            outputs["plain"] = (tmp / "plain" / "corpus.jsonl").read_bytes()

        kept = tmp / "kept"
        dedupe_run([str(src)], kept, config.replace(keep_stages=True))
        resumed = config.replace(resume=True, keep_stages=True)

        def after_dedup_failed() -> None:
            shutil.rmtree(kept / STAGES_DIR / "dedup")  # what a run that died in dedup leaves
            result = dedupe_run([str(src)], kept, resumed)
            assert result.stages == {"clean": "reused", "dedup": "computed"}, result.stages
            outputs["resume_clean"] = (kept / "corpus.jsonl").read_bytes()

        def after_write_failed() -> None:
            result = dedupe_run([str(src)], kept, resumed)
            assert result.stages == {"clean": "reused", "dedup": "reused"}, result.stages
            outputs["resume_all"] = (kept / "corpus.jsonl").read_bytes()

        resume_t = interleaved({"fresh": fresh, "no_stages": no_stages, "resume_clean": after_dedup_failed,
                                "resume_all": after_write_failed}, repeats=ctx.repeats)
        identical = len(set(outputs.values())) == 1
        base = resume_t["fresh"].median
        labels = {
            "fresh": "dedupe run (stage files written, removed on success)",
            "no_stages": "same run without stage files (run without out, then write)",
            "resume_clean": "--resume after a failure in dedup (clean reused)",
            "resume_all": "--resume after a failure while writing (clean and dedup reused)",
        }
        resume_rows = [[labels[k], round(m.median, 2), round(m.median / base, 3)] for k, m in resume_t.items()]

        # ---------------------------------------------------------------- output
        result = dedupe_run([str(src)], None, config)
        per_shard = max(1, result.kept // shards)
        layouts = {
            "one corpus.jsonl (default)": OutputConfig(),
            f"JSONL shards of {per_shard}": OutputConfig(shard_size=per_shard),
            f"Parquet shards of {per_shard}": OutputConfig(shard_size=per_shard, format="parquet"),
        }

        def writer(name: str, layout: OutputConfig):
            def go() -> None:
                result.config = config.replace(output=layout)
                result.write(tmp / "layout" / name)
            return go

        out_t = interleaved({k: writer(str(i), v) for i, (k, v) in enumerate(layouts.items())},
                            repeats=ctx.repeats)
        sizes = {k: sum(p.stat().st_size for p in (tmp / "layout" / str(i)).glob("corpus*"))
                 for i, k in enumerate(layouts)}
        one = out_t["one corpus.jsonl (default)"].median
        out_rows = [[k, round(m.median, 3), round(m.median / one, 2), round(sizes[k] / 1e6, 1)]
                    for k, m in out_t.items()]

        # ---------------------------------------------------------------- input
        parts = _split(src, tmp / "jsonl", shards)
        for d in ("gz", "zst", "parquet"):
            (tmp / d).mkdir()
        for i, part in enumerate(parts):
            data = ("\n".join(part) + "\n").encode()
            (tmp / "jsonl" / f"part-{i:03d}.jsonl").write_bytes(data)
            (tmp / "gz" / f"part-{i:03d}.jsonl.gz").write_bytes(gzip.compress(data, compresslevel=6))
            (tmp / "zst" / f"part-{i:03d}.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(data))
            pq.write_table(pa.Table.from_pylist([json.loads(x) for x in part]),
                           tmp / "parquet" / f"part-{i:03d}.parquet", compression="zstd")
        sources = {"one JSONL file": src, f"{shards} JSONL shards": tmp / "jsonl",
                   f"{shards} .jsonl.gz shards": tmp / "gz", f"{shards} .jsonl.zst shards": tmp / "zst",
                   f"{shards} Parquet shards": tmp / "parquet"}
        counts: dict[str, int] = {}

        def reader(name: str, path: Path):
            def go() -> None:
                counts[name] = sum(1 for _ in iter_records([str(path)]))
            return go

        in_t = interleaved({k: reader(k, v) for k, v in sources.items()}, repeats=ctx.repeats)
        disk = {k: (v.stat().st_size if v.is_file() else sum(p.stat().st_size for p in v.iterdir()))
                for k, v in sources.items()}
        first = in_t["one JSONL file"].median
        in_rows = [[k, counts[k], round(m.median, 3), round(mb / m.median, 1), round(m.median / first, 2),
                    round(disk[k] / 1e6, 1)] for k, m in in_t.items()]
        same_records = len(set(counts.values())) == 1

    note = (f"{n_docs} synthetic documents, {mb:.1f} MB of JSONL, workers={workers}; medians of {ctx.repeats} "
            f"interleaved runs; load average at the end {os.getloadavg()[0]:.1f} (the machine is shared).")
    tables = [
        Table("Resume: a failed run finished with --resume, against a run from scratch",
              ["run", "seconds", "÷ from scratch"], resume_rows,
              note=note + f" Outputs byte-identical across all four: {identical}."),
        Table("Output layouts: writing the same result", ["layout", "seconds", "÷ one file", "MB on disk"],
              out_rows, note=note),
        Table("Input layouts: reading the same records", ["input", "records", "seconds", "MB/s of JSONL",
                                                          "÷ one file", "MB on disk"],
              in_rows, note=note + f" Same record count from every layout: {same_records}."),
    ]
    figures = {
        "docs": n_docs, "mb": mb, "workers": workers, "identical_output": identical,
        "resume": {k: v.to_json() for k, v in resume_t.items()},
        "output": {k: v.to_json() for k, v in out_t.items()}, "output_bytes": sizes,
        "input": {k: v.to_json() for k, v in in_t.items()}, "input_bytes": disk,
        "loadavg_end": os.getloadavg(),
    }
    return Suite("shards", tables=tables, figures=figures)


if __name__ == "__main__":
    suite_main(run, __doc__, figures=True, context={"workdir": Path(os.environ.get("BENCH_WORKDIR", "bench-out"))})
