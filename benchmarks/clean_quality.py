"""Suite: our text cleaner against jusText and trafilatura on the same documents, in the same run.

Sets: the held-out junk-injected scrapinghub set (``junk.GATE``; the tuning
set ``junk.TUNE`` too unless ``quick``) and the five hand-labelled seeds.
Every tool gets the same input: dedupe the plain text; the peers the text
with each line wrapped as an HTML ``<p>`` (how a text corpus reaches an HTML
extractor). A block counts as kept by jusText when its paragraph is not
boilerplate, and by trafilatura when the line appears in its output.

Reports keep P/R/F1 over blocks, per-reason drop recall, word-4-gram text
P/R/F1 (scrapinghub style, :func:`benchmarks.metrics.corpus_prf`) and MB/s on
one core (interleaved runs, median). Speed is also measured on the seeds
repeated 40 times, the issue's reference workload.

Run: ``python -m benchmarks.clean_quality [--quick]`` (prints the tables).
"""

from __future__ import annotations

import functools
import html as html_mod
import json
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dedupe.clean import clean_text, find_template_lines
from dedupe.clean.classify import clear_memos
from dedupe.types import KEEP

from . import data, junk, peers
from .clean_eval import Score, score
from .common import Context, Suite, Table, interleaved, suite_main
from .metrics import corpus_prf

ROOT = Path(__file__).resolve().parent.parent
SEED_REPEATS = 40

Labels = list[str]
ToolOutput = tuple[list[Labels] | None, list[str]]
"""Per document: a label per block (None when a tool gives only text), and the cleaned text."""
Tool = Callable[[Sequence[junk.GenDoc]], ToolOutput]


def seed_docs() -> list[junk.GenDoc]:
    """The five seeds as labelled documents (fixtures/seeds/labels.json): ``title`` counts as ``metadata``."""
    entries = json.loads((ROOT / "fixtures" / "seeds" / "labels.json").read_text(encoding="utf-8"))
    docs = []
    for entry in entries:
        lines = (ROOT / "seeds" / entry["doc"]).read_text(encoding="utf-8").splitlines()
        labels = {b["line"]: b["label"] for b in entry["blocks"]}
        frags = {f["line"]: f for f in entry["fragments"]}
        blocks = []
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            label = labels[n]
            frag = ((frags[n]["text"], frags[n]["label"]),) if n in frags else ()
            blocks.append(junk.GenBlock(line.strip(), "metadata" if label == "title" else label, frag))
        docs.append(junk.GenDoc(entry["doc"], entry["fields"].get("title", ""), blocks))
    return docs


def as_html(doc: junk.GenDoc) -> str:
    """The document's lines as ``<p>`` paragraphs of one HTML page."""
    return "<html><body>" + "".join(f"<p>{html_mod.escape(b.text)}</p>" for b in doc.blocks) + "</body></html>"


def _squash(text: str) -> str:
    return " ".join(text.split())


def run_none(docs: Sequence[junk.GenDoc]) -> ToolOutput:
    """No cleaning: every block kept."""
    return [[KEEP] * len(d.blocks) for d in docs], [d.text for d in docs]


def run_dedupe(docs: Sequence[junk.GenDoc], templates: frozenset[str] = frozenset()) -> ToolOutput:
    """Our cleaner, plain text in."""
    labels, texts = [], []
    for d in docs:
        out = clean_text(d.text, doc_id=d.id, templates=templates)
        by_line = {b.index: b.label for b in out.blocks}
        labels.append([by_line.get(i, KEEP) for i in range(len(d.blocks))])
        texts.append(out.text)
    return labels, texts


def run_dedupe_corpus(docs: Sequence[junk.GenDoc]) -> ToolOutput:
    """Our cleaner with the corpus-wide template pass first (min_docs 3)."""
    return run_dedupe(docs, find_template_lines([d.text for d in docs], 3))


def run_justext(docs: Sequence[junk.GenDoc]) -> ToolOutput:
    """jusText (English stoplist, defaults) on the lines as paragraphs."""
    import justext

    stoplist = justext.get_stoplist("English")
    labels: list[Labels] | None = []
    texts = []
    for d in docs:
        paras = justext.justext(as_html(d).encode("utf-8"), stoplist)
        texts.append("\n".join(p.text for p in paras if not p.is_boilerplate))
        if labels is not None and len(paras) == len(d.blocks):
            labels.append([KEEP if not p.is_boilerplate else "boilerplate" for p in paras])
        else:
            labels = None  # paragraphs do not map one-to-one onto lines: text scores only
    return labels, texts


def run_trafilatura(docs: Sequence[junk.GenDoc]) -> ToolOutput:
    """trafilatura.extract (defaults, no comments) on the lines as paragraphs."""
    labels, texts = [], []
    for d in docs:
        out = peers.trafilatura_html(as_html(d))
        lines = {_squash(x) for x in out.splitlines() if x.strip()}
        labels.append([KEEP if _squash(b.text) in lines else "boilerplate" for b in d.blocks])
        texts.append(out)
    return labels, texts


TOOLS: dict[str, Tool] = {
    "no cleaning": run_none,
    "dedupe": run_dedupe,
    "dedupe + site templates": run_dedupe_corpus,
    "jusText": run_justext,
    "trafilatura": run_trafilatura,
}


def _mb(docs: Sequence[junk.GenDoc]) -> float:
    return sum(len(d.text.encode("utf-8")) for d in docs) / 1e6


def evaluate(name: str, docs: Sequence[junk.GenDoc], repeats: int) -> tuple[Table, Table, dict[str, Any]]:
    """Quality of every tool on ``docs`` and their speed, timed interleaved."""
    scores: dict[str, Score] = {}
    for tool, fn in TOOLS.items():
        labels, texts = fn(docs)
        scores[tool] = score(docs, labels, texts) if labels is not None else score(docs, None, texts)
    timed = interleaved(
        {t: functools.partial(fn, docs) for t, fn in TOOLS.items() if t != "no cleaning"}, repeats=repeats
    )
    mb = _mb(docs)
    rows = []
    for tool, s in scores.items():
        speed = timed[tool].rate(mb) if tool in timed else float("nan")
        has_blocks = bool(s.reasons) or tool == "no cleaning"
        keep = [s.keep_precision, s.keep_recall, s.keep_f1] if has_blocks else ["n/a"] * 3
        rows.append([tool, *keep, s.text_precision, s.text_recall, s.text_f1, speed])
    quality = Table(
        f"Text cleaning on {name} ({len(docs)} documents, {sum(len(d.blocks) for d in docs)} blocks, {mb:.2f} MB)",
        ["tool", "keep P", "keep R", "keep F1", "text P", "text R", "text F1", "MB/s"],
        rows,
        note="Blocks = lines. Text P/R/F1: word 4-grams of the cleaned text vs the true body, averaged over "
        f"documents (scrapinghub style). MB/s: one core, median of {repeats} interleaved runs.",
    )
    reasons = sorted({b.label for d in docs for b in d.blocks} - {KEEP})
    per_reason = Table(
        f"Share of junk blocks removed, per true reason ({name})",
        ["reason", "blocks", *[t for t in TOOLS if t != "no cleaning"]],
        [
            [r, scores["dedupe"].reasons[r].true,
             *[scores[t].reasons[r].recall if r in scores[t].reasons else "n/a" for t in TOOLS if t != "no cleaning"]]
            for r in reasons
        ],
        note="dedupe's own reason precision (removed as X and truly X): "
        + ", ".join(f"{r} {scores['dedupe'].reasons[r].precision:.2f}" for r in reasons if r in scores["dedupe"].reasons),
    )
    figures = {
        tool: {
            "keep_f1": s.keep_f1, "text_f1": s.text_f1, "text_precision": s.text_precision,
            "text_recall": s.text_recall, "mb_per_s": timed[tool].rate(mb) if tool in timed else None,
            "timing": timed[tool].to_json() if tool in timed else None,
            "drop_recall": {r: v.recall for r, v in s.reasons.items()},
        }
        for tool, s in scores.items()
    }
    return quality, per_reason, figures


def _cpu_and_wall(texts: Sequence[str], copies: int, repeats: int) -> tuple[list[float], list[float]]:
    """CPU and wall seconds of cleaning ``copies`` copies of ``texts``, the cleaner's memos (per-line
    verdicts, dates) emptied before each copy (a repeat must not ride on a memo)."""
    cpu, wall = [], []
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        for _ in range(copies):
            clear_memos()
            for t in texts:
                clean_text(t)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return cpu, wall


def seeds_speed(repeats: int) -> tuple[Table, dict[str, Any]]:
    """dedupe's text cleaning speed: seeds x :data:`SEED_REPEATS` (the issue's workload) and the junk-dense GATE set."""
    workloads = {
        f"seeds x{SEED_REPEATS}": ([p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))],
                                   SEED_REPEATS),
        "GATE set x10 (junk-dense)": ([d.text for d in junk.generated_set(junk.GATE)], 10),
    }
    rows, figures = [], {}
    for name, (texts, copies) in workloads.items():
        mb = copies * sum(len(t.encode("utf-8")) for t in texts) / 1e6
        cpu, wall = _cpu_and_wall(texts, copies, repeats)
        cpu_med, wall_med = statistics.median(cpu), statistics.median(wall)
        rows.append([name, mb, mb / cpu_med, mb / min(cpu), mb / wall_med, repeats])
        figures[name] = {"mb": mb, "cpu_s": cpu, "wall_s": wall, "mb_per_s_cpu": mb / cpu_med,
                         "mb_per_s_wall": mb / wall_med}
    table = Table(
        "Text cleaning speed of dedupe clean_text, one core",
        ["workload", "MB", "MB/s CPU (median)", "MB/s CPU (best)", "MB/s wall (median)", "runs"],
        rows,
        note="Issue floor: >= 20 MB/s on one core, on every workload (the clean_speed suite adds the throughput "
        "corpus). CPU = process time of this single-threaded run (what one core does); wall also counts waiting for a core on a shared machine. The per-line verdict "
        "memo is emptied before each copy. Old vs new on the same documents: benchmarks.clean_speed --baseline.",
    )
    return table, figures


def clean_gold(quick: bool) -> Table | None:
    """How much of already-clean gold article text each tool keeps (false removals), read at run time.

    scrapinghub (MIT) bodies and, unless ``quick``, dragnet (AGPL, never copied) article gold.
    Gold conventions differ: dragnet's article gold starts with the headline, which dedupe moves to
    the title field, so its recall there counts the title as lost.
    """
    if not data.available():
        return None
    sets = [("scrapinghub (181)", [(p.id, p.body) for p in data.scrapinghub()])]
    if not quick:
        arts = data.dragnet_articles()
        sets.append((f"dragnet ({len(arts)})", list(arts)))
    rows = []
    for name, items in sets:
        docs = [
            junk.GenDoc(i, "", [junk.GenBlock(line.strip(), KEEP) for line in body.splitlines() if line.strip()])
            for i, body in items
        ]
        docs = [d for d in docs if d.blocks]
        row: list[object] = [name]
        for tool in ("dedupe", "jusText", "trafilatura"):
            _, texts = TOOLS[tool](docs)
            row.append(corpus_prf(zip(texts, (d.body for d in docs), strict=True))[1])
        rows.append(row)
    return Table(
        "Share of clean gold article text kept (word-4-gram recall; 1.0 = nothing real removed)",
        ["gold set", "dedupe", "jusText", "trafilatura"],
        rows,
        note="Input: the gold article text itself, one line per paragraph (peers: lines as <p>). "
        "dragnet's gold starts with the headline; dedupe moves it to the title field, counted here as lost.",
    )


def run(ctx: Context) -> Suite:
    """The suite: quality and speed of dedupe, jusText and trafilatura on the same documents."""
    suite = Suite("clean_quality")
    repeats = 1 if ctx.quick else max(3, ctx.repeats)
    sets = [("the held-out junk-injected set (GATE)", junk.generated_set(junk.GATE))]
    if not ctx.quick:
        sets.append(("the tuning set (TUNE)", junk.generated_set(junk.TUNE)))
    sets.append(("the five hand-labelled seeds", seed_docs()))
    for name, docs in sets:
        quality, per_reason, figures = evaluate(name, docs, repeats)
        suite.tables += [quality, per_reason]
        suite.figures[name] = figures
    gold = clean_gold(ctx.quick)
    if gold is not None:
        suite.tables.append(gold)
        suite.figures["clean_gold_recall"] = gold.rows
    table, fig = seeds_speed(repeats=3 if ctx.quick else 7)
    suite.tables.append(table)
    suite.figures["seeds_speed"] = fig
    return suite


if __name__ == "__main__":  # pragma: no cover - manual run
    suite_main(run, __doc__)
