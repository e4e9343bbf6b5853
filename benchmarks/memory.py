"""Peak memory of the streaming pipeline (issue 7).

Two questions, each answered by running the real CLI in a subprocess and
sampling the resident memory of its whole process tree (main process plus
workers, psutil, every 20 ms):

1. ``dedupe clean`` on a big JSONL (1 GB in a full run) must stay under 1 GB
   peak RSS: the input is read lazily, cleaned rows are spilled to disk and
   sorted into ``corpus.jsonl`` from an (id, offset) index.
2. ``dedupe run`` memory must grow with the index, not the text: the same
   number of documents, once short and once four times longer, should need
   about the same memory; more documents may need more (signatures, LSH
   buckets, ids and metadata per document).

Run it: ``python -m benchmarks.memory [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from benchmarks.common import Context, Plot, Suite, Table, suite_main
from benchmarks.data import ROOT, write_synthetic_jsonl
from benchmarks.process import MB, PeakRun, sampled_run

__all__ = ["MB", "PeakRun", "peak_rss", "run"]


def peak_rss(args: list[str], *, interval: float = 0.02, timeout: float = 3600) -> PeakRun:
    """Run ``python -m dedupe ARGS`` and sample the RSS of its process tree until it exits."""
    return sampled_run([sys.executable, "-m", "dedupe", *args], cwd=ROOT, interval=interval, timeout=timeout)


def _corpus(workdir: Path, name: str, size: int, doc_sentences: int = 30) -> tuple[Path, int]:
    path = workdir / f"{name}.jsonl"
    docs = write_synthetic_jsonl(path, target_bytes=size, seed=42, doc_sentences=doc_sentences)
    return path, docs


def run(ctx: Context) -> Suite:
    """Peak RSS of ``dedupe clean`` on a big JSONL and of ``dedupe run`` as text and documents grow."""
    workers = int(ctx.options.get("workers", 2))
    big = int(ctx.options.get("clean_bytes", 10 * MB if ctx.quick else 1024 * MB))
    base_docs = int(ctx.options.get("run_docs", 300 if ctx.quick else 5000))
    ctx.workdir.mkdir(parents=True, exist_ok=True)
    figures: dict[str, object] = {"workers": workers, "cpu_count": os.cpu_count()}
    with tempfile.TemporaryDirectory(dir=ctx.workdir) as tmp:
        work = Path(tmp)
        # 1. clean a big JSONL
        src, docs = _corpus(work, "big", big)
        clean = peak_rss(["clean", str(src), "--out", str(work / "out-clean"), "-q", "--workers", str(workers)])
        out_bytes = (work / "out-clean" / "corpus.jsonl").stat().st_size if clean.returncode == 0 else 0
        src.unlink()
        clean_row = [f"{big / MB:,.0f}", docs, round(clean.peak_mb, 1), round(clean.seconds, 1),
                     round(big / MB / clean.seconds, 2), clean.returncode]
        figures["clean"] = {"input_bytes": big, "docs": docs, "peak_rss_bytes": clean.peak_rss,
                            "seconds": clean.seconds, "output_bytes": out_bytes, "returncode": clean.returncode}
        # 2. run: text grows at a fixed number of documents, and documents grow
        rows: list[list[object]] = []
        series_docs: tuple[list[int], list[float]] = ([], [])
        grid = [(base_docs, 30), (base_docs, 120), (2 * base_docs, 30), (4 * base_docs, 30)]
        run_figures: list[dict[str, object]] = []
        figures["run"] = run_figures
        for n_docs, sentences in grid:
            approx = int(n_docs * sentences * 175)  # ~175 bytes a sentence in the synthetic corpus
            src, docs = _corpus(work, f"run-{n_docs}-{sentences}", approx, doc_sentences=sentences)
            size = src.stat().st_size
            res = peak_rss(["run", str(src), "--out", str(work / "out-run"), "-q", "--workers", str(workers)])
            src.unlink()
            rows.append([docs, sentences, round(size / MB, 1), round(res.peak_mb, 1), round(res.seconds, 1),
                         res.returncode])
            run_figures.append({"docs": docs, "sentences_per_doc": sentences, "input_bytes": size,
                                   "peak_rss_bytes": res.peak_rss, "seconds": res.seconds,
                                   "returncode": res.returncode})
            if sentences == 30:
                series_docs[0].append(docs)
                series_docs[1].append(res.peak_mb)
    tables = [
        Table("dedupe clean on a big JSONL: peak RSS (main process + workers)",
              ["input MB", "documents", "peak RSS MB", "seconds", "MB/s", "exit"], [clean_row],
              note=f"--workers {workers} on a machine with {os.cpu_count()} cores shared with other jobs; "
                   "synthetic news-like corpus (benchmarks.data.write_synthetic_jsonl)."),
        Table("dedupe run: peak RSS as text and documents grow",
              ["documents", "sentences/doc", "input MB", "peak RSS MB", "seconds", "exit"], rows,
              note="Rows 1 and 2 hold the same documents, the second four times longer: memory that grows "
                   "with the text would show there; rows 1, 3 and 4 double the documents."),
    ]
    plots = [Plot("memory_run_docs", "dedupe run: peak RSS vs documents", "line", "documents", "peak RSS (MB)",
                  {"dedupe run": series_docs})]
    return Suite("memory", tables=tables, figures=figures, plots=plots)


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, help="worker processes of the runs (default 2)")
    parser.add_argument("--clean-bytes", dest="clean_bytes", type=int,
                        help="bytes of the one-document cleaning run (default 1 GiB, 10 MB with --quick)")
    parser.add_argument("--run-docs", dest="run_docs", type=int,
                        help="documents of the smallest run (default 5,000, 300 with --quick)")


if __name__ == "__main__":
    suite_main(run, __doc__, configure=_options, figures=True,
               context={"workdir": Path(os.environ.get("BENCH_WORKDIR", "bench-out"))})
