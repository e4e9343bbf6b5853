"""Throughput of every stage and end to end, each beside the peer a user would run instead.

Our stages are timed inside real :func:`dedupe.run` calls on a generated
corpus (:mod:`benchmarks.corpus`), so the figures are the ones a user gets;
the peers run on the same documents in the same process, interleaved with
ours, and every peer figure is also given as a ratio to ours.
"""

from __future__ import annotations

import json
import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dedupe import Config
from dedupe.clean import CleanDoc, clean_html
from dedupe.clean.classify import clear_memos
from dedupe.pipeline import run as dedupe_run

from . import corpus, data, peers
from .common import Context, Plot, Suite, Table, interleaved, measure, suite_main

STAGES = ("read", "templates", "clean", "sign", "index", "verify", "cluster", "write")


def _stage_runs(path: Path, out: Path, workers: int, repeats: int) -> dict[str, list[float]]:
    runs: dict[str, list[float]] = {}
    for _ in range(repeats):
        clear_memos()  # each run starts cold, as a fresh process would
        result = dedupe_run([path], out, Config(workers=workers))
        for stage, seconds in result.timings_s.items():
            runs.setdefault(stage, []).append(seconds)
        runs.setdefault("total", []).append(sum(result.timings_s.values()))
    return runs


def _row(name: str, seconds: list[float], mb: float, docs: int, peer: str = "", ratio_value: float | None = None) -> list[Any]:
    """A table row; ``ratio_value`` is the peer's time over ours (above 1: we are faster)."""
    med = statistics.median(seconds)
    spread = f"{min(seconds):.3f}–{max(seconds):.3f}"
    ratio = f"{ratio_value:.1f}×" if ratio_value else ""
    return [name, round(mb / med, 2) if med else float("inf"), round(docs / med, 1) if med else float("inf"),
            round(med, 4), spread, peer, ratio]


def run(ctx: Context) -> Suite:
    """Per-stage MB/s and documents/s, end to end, and peers on the same documents."""
    n_docs = ctx.options.get("throughput_docs", 400 if ctx.quick else 4000)
    repeats = ctx.repeats
    work = Path(tempfile.mkdtemp(prefix="throughput-", dir=ctx.workdir))
    path = work / "corpus.jsonl"
    shape = corpus.write_jsonl(path, n_docs, seed=ctx.seed)
    mb = shape["text_bytes"] / 1e6

    runs = _stage_runs(path, work / "out", 1, repeats)
    figures: dict[str, Any] = {"corpus": shape, "stages": {}, "peers": {}}
    for stage, seconds in runs.items():
        med = statistics.median(seconds)
        figures["stages"][stage] = {"seconds": seconds, "median_s": med,
                                    "mb_per_s": mb / med if med else None,
                                    "docs_per_s": n_docs / med if med else None}

    # Peers on the same documents: datasketch signing and the plain datasketch pipeline.
    from dedupe import clean_text
    from dedupe.dedup import Deduplicator

    with path.open(encoding="utf-8") as fh:  # the very records the runs above read
        records = [json.loads(line) for line in fh]
    cleaned = [clean_text(r["text"], doc_id=r["id"], title=r["title"]) for r in records]
    texts = [d.text for d in cleaned]
    raw = [r["text"] for r in records]
    ids = [r["id"] for r in records]

    dd = Deduplicator()
    timed = interleaved({
        "ours_sign": lambda: dd.signer.sign(dd.shingle_sets(cleaned)),
        "datasketch_sign": lambda: peers.datasketch_sign(texts),
    }, repeats=repeats)
    sign_mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    peer_sign = timed["datasketch_sign"].median
    peer_e2e = measure(lambda: peers.datasketch_dedup(ids, raw), repeats=repeats)
    figures["peers"]["datasketch_update_batch"] = {**timed["datasketch_sign"].to_json(),
                                                   "mb_per_s": timed["datasketch_sign"].rate(sign_mb)}
    figures["peers"]["datasketch_sign_ours"] = {**timed["ours_sign"].to_json(),
                                                "mb_per_s": timed["ours_sign"].rate(sign_mb)}
    figures["peers"]["datasketch_lsh_pipeline"] = {**peer_e2e.to_json(), "mb_per_s": peer_e2e.rate(mb)}

    # Text cleaning peers on a sample (they are slow), scaled to the same bytes.
    sample = raw[: min(len(raw), 60 if ctx.quick else 300)]
    sample_mb = sum(len(t.encode("utf-8")) for t in sample) / 1e6
    def ours_clean() -> list[CleanDoc]:
        clear_memos()  # every round judges the lines afresh
        return [clean_text(t) for t in sample]

    clean_fns: dict[str, Callable[[], object]] = {"ours": ours_clean}
    if peers.have("trafilatura"):
        clean_fns["trafilatura"] = lambda: [peers.trafilatura_text(t) for t in sample]
    if peers.have("justext"):
        clean_fns["jusText"] = lambda: [peers.justext_text(t) for t in sample]
    clean_t = interleaved(clean_fns, repeats=repeats)
    for name, m in clean_t.items():
        figures["peers"][f"clean_text_{name}"] = {**m.to_json(), "mb_per_s": m.rate(sample_mb)}

    # HTML cleaning: real pages when the evaluation data is there.
    html_row = None
    if data.available():
        pages = [p.html for p in data.scrapinghub()[: 30 if ctx.quick else 181]]
        html_mb = sum(len(h.encode("utf-8")) for h in pages) / 1e6
        html_fns: dict[str, Callable[[], object]] = {"ours": lambda: [clean_html(h) for h in pages]}
        if peers.have("trafilatura"):
            html_fns["trafilatura"] = lambda: [peers.trafilatura_html(h) for h in pages]
        html_t = interleaved(html_fns, repeats=repeats)
        for name, m in html_t.items():
            figures["peers"][f"clean_html_{name}"] = {**m.to_json(), "mb_per_s": m.rate(html_mb),
                                                      "pages_per_s": m.rate(len(pages))}
        ours_html = html_t["ours"]
        tra = html_t.get("trafilatura")
        html_row = ["clean HTML (scrapinghub pages)", round(ours_html.rate(html_mb), 2),
                    round(ours_html.rate(len(pages)), 1), round(ours_html.median, 4),
                    f"{ours_html.low:.3f}–{ours_html.high:.3f}",
                    "trafilatura" if tra else "", f"{tra.median / ours_html.median:.1f}×" if tra else ""]

    rows = []
    for stage in STAGES:
        if stage not in runs:
            continue
        peer, ratio = "", None
        if stage == "sign":  # shingling + signing, timed head to head on the same cleaned texts
            peer, ratio = "datasketch update_batch", peer_sign / timed["ours_sign"].median
        rows.append(_row(stage, runs[stage], mb, n_docs, peer, ratio))
        if stage == "clean" and html_row:
            rows.append(html_row)
    rows.append(_row("end to end (run)", runs["total"], mb, n_docs, "datasketch MinHashLSH 0.8, raw",
                     peer_e2e.median / statistics.median(runs["total"])))

    clean_rows = [[name, round(m.rate(sample_mb), 2), round(m.median, 3),
                   f"{clean_t['ours'].median / m.median:.2f}" if name != "ours" else "1.00"]
                  for name, m in clean_t.items()]

    tables = [
        Table(f"Throughput per stage ({n_docs:,} generated documents, {mb:.1f} MB of text, 1 worker)",
              ["stage", "MB/s", "docs/s", "median s", "spread s", "peer", "peer time / ours"],
              rows,
              note=f"Median of {repeats} runs of `dedupe run` on one generated corpus (seed {ctx.seed}); "
                   "'peer time / ours' above 1 means we are faster. The sign row's peer is datasketch "
                   "`MinHash.update_batch` (sha1) over the same shingles; end to end's peer is the plain "
                   "datasketch recipe (MinHash of raw text, MinHashLSH at 0.8, no cleaning, no verification)."),
        Table(f"Text cleaning beside the peers ({len(sample)} documents, {sample_mb:.1f} MB)",
              ["tool", "MB/s", "median s", "our speed / theirs"], clean_rows,
              note="trafilatura and jusText get each line as an HTML paragraph, as a user feeding them "
                   "plain text would."),
    ]

    plot = Plot("throughput", "Throughput per stage (MB/s, log scale)", "bar", "stage", "MB/s",
                {"dedupe": ([r[0] for r in rows], [r[1] for r in rows])}, logy=True)
    peer_plot = Plot("throughput_peers", "Ours vs peers (MB/s)", "bar", "task", "MB/s", {
        "dedupe": (["sign", "clean text", "end to end"],
                   [figures["peers"]["datasketch_sign_ours"]["mb_per_s"],
                    figures["peers"]["clean_text_ours"]["mb_per_s"],
                    figures["stages"]["total"]["mb_per_s"]]),
        "peer": (["sign", "clean text", "end to end"],
                 [figures["peers"]["datasketch_update_batch"]["mb_per_s"],
                  figures["peers"].get("clean_text_trafilatura", {}).get("mb_per_s", 0.0),
                  figures["peers"]["datasketch_lsh_pipeline"]["mb_per_s"]]),
    }, logy=True)
    return Suite("throughput", tables, figures, [plot, peer_plot])


if __name__ == "__main__":  # pragma: no cover - manual run
    suite_main(run, __doc__, figures=True)
