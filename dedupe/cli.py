"""The ``dedupe`` command line: options in, a :class:`~dedupe.config.Config` out,
then the same library calls a pipeline would make.

Exit codes: 0 every record processed; 1 some records rejected (the rest went
through); 2 usage error or fatal failure (nothing half-written left behind).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from .config import CanonicalPolicy, CleanConfig, Config, DedupConfig, InputConfig, OutputConfig
from .errors import DedupeError
from .pipeline import Mode, RunResult, report_errors, run, why_lines

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Clean a scraped news corpus and collapse syndicated copies into one canonical document.",
    pretty_exceptions_enable=False,
)

Inputs = Annotated[list[str], typer.Argument(help="Files, directories or quoted globs (.txt, .html, .htm, .jsonl, "
                                               ".jsonl.gz, .jsonl.zst, .parquet), or - for JSONL on stdin.")]
Out = Annotated[Path, typer.Option("--out", "-o", help="Output directory (created if missing).")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary line.")]
Debug = Annotated[bool, typer.Option("--debug", help="Show a traceback on a fatal error.")]
IdField = Annotated[str, typer.Option(help="JSONL field holding the document id.")]
TextField = Annotated[str, typer.Option(help="JSONL field holding plain text.")]
HtmlField = Annotated[str, typer.Option(help="JSONL field holding HTML.")]
Keep = Annotated[list[str] | None, typer.Option("--keep", help="Keep blocks of this removal reason anyway (repeatable), e.g. --keep caption.")]
ShingleSize = Annotated[int, typer.Option(help="Words per shingle.")]
NumPerm = Annotated[int, typer.Option(help="MinHash permutations.")]
LshThreshold = Annotated[float, typer.Option(help="MinHashLSH threshold for candidates (low = more recall).")]
LeadShingles = Annotated[int, typer.Option(help="Also find candidates by the first N shingles of each document "
                                           "(copies cut short keep the story's lead); 0 turns it off.")]
Jaccard = Annotated[float, typer.Option("--jaccard", help="Verified duplicate when exact Jaccard >= this.")]
Containment = Annotated[float, typer.Option("--containment", help="...or when containment >= this (with length guards).")]
Policy = Annotated[str, typer.Option(help="Canonical choice criteria, in order, comma-separated.")]
Prefer = Annotated[list[str] | None, typer.Option("--prefer-source", help="Preferred source for canonical copies (repeatable, best first).")]
Workers = Annotated[int, typer.Option(help="Worker processes for the per-document stages (clean, shingle); default: all cores.")]
BatchSize = Annotated[int, typer.Option(help="Documents per batch handed to a worker.")]
MaxBytes = Annotated[int, typer.Option("--max-bytes", help="Reject a file or JSONL record larger than this many bytes.")]
Why = Annotated[str | None, typer.Option("--why", help="Also print why each line holding this text was kept or "
                                          "removed (rule and reason), for every text record that has it.")]
LeadOffset = Annotated[float, typer.Option("--max-lead-offset", help="A containment match needs the larger text to "
                                           "share a run near its start, within this share of its length (1 = off).")]
TemplateSample = Annotated[int, typer.Option("--template-sample", help="Records at the head of the input searched for "
                                             "site-template lines (held in memory while searched; the search also stops "
                                             "at 8,388,608 characters of text, whichever comes first); 0 turns the search off.")]
ExecutorName = Annotated[str, typer.Option("--executor", help="Where dedup's tasks (signing, banding, verification) "
                                           "run: local (this process), processes (--workers processes) or ray (needs the dedupe\\[ray] extra).")]
Components = Annotated[str, typer.Option("--components", help="How verified pairs become clusters: union-find "
                                         "(on the driver, the default) or star (distributed large-star/small-star "
                                         "rounds on the executor); the output is the same.")]
Address = Annotated[str | None, typer.Option("--address", help="Ray cluster address for --executor ray "
                                             "(default: start a local cluster for the run).")]
ShardSize = Annotated[int | None, typer.Option("--shard-size", help="Write the corpus as corpus-00000.jsonl, ... "
                                             "of this many records each, with manifest.json (default: one corpus.jsonl).")]
OutFormat = Annotated[str, typer.Option("--format", help="Corpus format: jsonl, or parquet (corpus-NNNNN.parquet "
                                        "shards; needs the dedupe\\[parquet] extra).")]
Resume = Annotated[bool, typer.Option("--resume", help="Reuse the stages a failed run into the same --out finished "
                                      "(recomputed when the inputs or options they depend on changed).")]
KeepStages = Annotated[bool, typer.Option("--keep-stages", help="Keep each stage's files in OUT/.stages after "
                                          "success (default: removed).")]

#: Warnings printed on stderr before the rest are only counted (all are in stats.json).
SHOWN_WARNINGS = 20


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _guard(debug: bool, action: Callable[[], Any]) -> Any:
    try:
        return action()
    except DedupeError as exc:
        if debug:
            traceback.print_exc()
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted; no output was written", 2)
    except typer.Exit:
        raise
    except Exception as exc:  # noqa: BLE001 - last-resort message instead of a traceback
        if debug:
            traceback.print_exc()
        _fail(f"{type(exc).__name__}: {exc} (rerun with --debug for a traceback)")


def _config(
    *,
    id_field: str,
    text_field: str,
    html_field: str,
    keep: list[str] | None,
    shingle_size: int,
    num_perm: int,
    lsh_threshold: float,
    lead_shingles: int,
    jaccard: float,
    containment: float,
    policy: str,
    prefer: list[str] | None,
    workers: int,
    batch_size: int,
    max_bytes: int,
    template_sample: int,
    max_lead_offset: float,
    quiet: bool,
    executor: str = "local",
    address: str | None = None,
    components: str = "union-find",
    shard_size: int | None = None,
    out_format: str = "jsonl",
    resume: bool = False,
    keep_stages: bool = False,
) -> Config:
    return Config(
        input=InputConfig(id_field=id_field, text_field=text_field, html_field=html_field, max_bytes=max_bytes),
        clean=CleanConfig(keep_reasons=frozenset(keep or ()), recurring_lines=template_sample > 0,
                          recurring_sample=max(template_sample, 1)),
        dedup=DedupConfig(
            shingle_size=shingle_size,
            num_perm=num_perm,
            lsh_threshold=lsh_threshold,
            lead_shingles=lead_shingles,
            jaccard_threshold=jaccard,
            containment_threshold=containment,
            max_lead_offset=max_lead_offset,
        ),
        canonical=CanonicalPolicy(
            order=tuple(p.strip() for p in policy.split(",") if p.strip()),
            preferred_sources=tuple(prefer or ()),
        ),
        workers=workers,
        batch_size=batch_size,
        progress=not quiet,
        executor=executor,
        address=address,
        components=components,
        output=OutputConfig(shard_size=shard_size, format=out_format),
        resume=resume,
        keep_stages=keep_stages,
    )


def _execute(mode: Mode, inputs: list[str], out: Path, quiet: bool, debug: bool, why: str | None,
             **options: Any) -> None:
    if why is not None and mode == "dedup":
        _fail("--why explains the cleaner's decisions, and `dedupe dedup` does not clean; use `dedupe clean --why`")
    if why is not None and "-" in inputs:
        _fail("--why reads the input twice, so it cannot take - (stdin); save the JSONL to a file first")
    if mode == "clean" and (options.get("executor", "local") != "local" or options.get("address")
                            or options.get("components", "union-find") != "union-find"):
        _fail("--executor, --address and --components apply to run and dedup (clean has no dedup stage)")

    def action() -> RunResult:
        config = _config(quiet=quiet, **options)
        result = run(inputs, out, config, mode=mode)
        if why is not None:
            found = 0
            try:
                for where, decision in why_lines(inputs, why, config):
                    typer.echo(f"{where} {decision}")
                    found += 1
            except BrokenPipeError:  # the reader went away (`| head`): stop printing, keep the exit code
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                found = found or 1
            if not found:
                typer.echo(f"no line of a text record holds {why!r}", err=True)
        return result

    result: RunResult = _guard(debug, action)
    report_errors(result)
    if not quiet:
        for w in result.warnings[:SHOWN_WARNINGS]:
            where = w["source"] if w["line"] is None else f"{w['source']}:{w['line']}"
            typer.echo(f"warning {where}: {w['warning']}", err=True)
        if len(result.warnings) > SHOWN_WARNINGS:
            typer.echo(f"... and {len(result.warnings) - SHOWN_WARNINGS} more warnings in {out / 'stats.json'}", err=True)
        counts = result.stats()["documents"]
        typer.echo(
            f"read {counts['read']}, kept {counts['kept']}, duplicates {counts['duplicates']}, "
            f"rejected {counts['rejected']} -> {out}",
            err=True,
        )
    raise typer.Exit(result.exit_code)


_DEFAULTS = DedupConfig()
_CORES = os.cpu_count() or 1
_MAX_BYTES = InputConfig().max_bytes
_BATCH = Config().batch_size
_TEMPLATE_SAMPLE = CleanConfig().recurring_sample
_POLICY_DEFAULT = ",".join(CanonicalPolicy().order)


def _command(mode: Mode, doc: str) -> Callable[..., None]:
    def command(
        inputs: Inputs,
        out: Out,
        quiet: Quiet = False,
        debug: Debug = False,
        id_field: IdField = "id",
        text_field: TextField = "text",
        html_field: HtmlField = "html",
        keep: Keep = None,
        shingle_size: ShingleSize = _DEFAULTS.shingle_size,
        num_perm: NumPerm = _DEFAULTS.num_perm,
        lsh_threshold: LshThreshold = _DEFAULTS.lsh_threshold,
        lead_shingles: LeadShingles = _DEFAULTS.lead_shingles,
        jaccard: Jaccard = _DEFAULTS.jaccard_threshold,
        containment: Containment = _DEFAULTS.containment_threshold,
        policy: Policy = _POLICY_DEFAULT,
        prefer: Prefer = None,
        workers: Workers = _CORES,
        batch_size: BatchSize = _BATCH,
        max_bytes: MaxBytes = _MAX_BYTES,
        template_sample: TemplateSample = _TEMPLATE_SAMPLE,
        max_lead_offset: LeadOffset = _DEFAULTS.max_lead_offset,
        why: Why = None,
        executor: ExecutorName = "local",
        address: Address = None,
        components: Components = "union-find",
        shard_size: ShardSize = None,
        out_format: OutFormat = "jsonl",
        resume: Resume = False,
        keep_stages: KeepStages = False,
    ) -> None:
        _execute(
            mode, inputs, out, quiet, debug, why,
            id_field=id_field, text_field=text_field, html_field=html_field, keep=keep,
            shingle_size=shingle_size, num_perm=num_perm, lsh_threshold=lsh_threshold, lead_shingles=lead_shingles,
            jaccard=jaccard, containment=containment, policy=policy, prefer=prefer, workers=workers,
            max_bytes=max_bytes, batch_size=batch_size, template_sample=template_sample,
            max_lead_offset=max_lead_offset,
            executor=executor, address=address, components=components,
            shard_size=shard_size, out_format=out_format, resume=resume, keep_stages=keep_stages,
        )

    command.__doc__ = doc
    return command


app.command("run")(_command("run", "Clean every document, find syndicated copies, write the canonical corpus."))
app.command("clean")(_command("clean", "Clean every document (no dedup); each output row lists what was removed and why."))
app.command("dedup")(_command("dedup", "Find syndicated copies among documents as given (no cleaning)."))


def _load_one(spec: str, clean: bool) -> Any:
    from .clean import clean_document
    from .readers import iter_records
    from .types import CleanDoc, RecordError

    path, _, wanted = spec.partition("#")
    records = [r for r in iter_records([path])]
    if wanted:
        records = [r for r in records if not isinstance(r, RecordError) and r.id == wanted]
        if not records:
            _fail(f"{path}: no record with id {wanted!r}")
    if len(records) != 1:
        _fail(f"{path}: holds {len(records)} records; name one as {path}#ID")
    record = records[0]
    if isinstance(record, RecordError):
        _fail(str(record))
    doc = clean_document(record, CleanConfig(enabled=clean))
    assert isinstance(doc, CleanDoc)
    return doc


@app.command()
def explain(
    doc_a: Annotated[str, typer.Argument(help="A document: a .txt/.html file, or FILE.jsonl#ID.")],
    doc_b: Annotated[str, typer.Argument(help="The other document.")],
    raw: Annotated[bool, typer.Option("--raw", help="Compare the text as given, without cleaning.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
    debug: Debug = False,
) -> None:
    """Why two documents do or do not match: scores, the rule's verdict, shared passages."""
    from .dedup import Deduplicator

    def action() -> tuple[Any, Any, Any]:
        a, b = _load_one(doc_a, not raw), _load_one(doc_b, not raw)
        return a, b, Deduplicator().explain(a, b)

    a, b, exp = _guard(debug, action)
    if as_json:
        typer.echo(json.dumps({
            "a": a.id, "b": b.id, **exp.scores.to_json(), "estimated_jaccard": round(exp.estimated_jaccard, 4),
            "duplicate": exp.duplicate, "verdict": exp.verdict, "shared_passages": exp.shared_passages,
        }, ensure_ascii=False, indent=2))
        return
    s = exp.scores
    typer.echo(f"A: {a.id} ({s.size_a} shingles)\nB: {b.id} ({s.size_b} shingles)")
    typer.echo(f"jaccard      {s.jaccard:.3f}   (MinHash estimate {exp.estimated_jaccard:.3f})")
    typer.echo(f"containment  {s.containment:.3f}")
    typer.echo(f"fuzz         {s.fuzz:.3f}")
    typer.echo(exp.verdict)
    for i, passage in enumerate(exp.shared_passages, 1):
        short = passage if len(passage) < 300 else passage[:297] + "..."
        typer.echo(f"shared {i}: {short}")


@app.command()
def bench(
    out: Out,
    quick: Annotated[bool, typer.Option("--quick", help="Small sizes and 2 repeats: under a minute.")] = False,
    suite: Annotated[list[str] | None, typer.Option("--suite", help="Run only this suite (repeatable).")] = None,
    repeats: Annotated[int | None, typer.Option(help="Timed repeats per measurement (default 5, quick 2).")] = None,
    workers: Annotated[int | None, typer.Option(help="Workers for the parallel runs (default: all cores).")] = None,
    sizes: Annotated[str | None, typer.Option(help="Scaling sizes, comma-separated (default 1000,10000,100000; "
                                                   "add 1000000 for the 1M run).")] = None,
    debug: Debug = False,
) -> None:
    """Throughput, scaling and quality beside the peers: writes OUT/report.md, report.json and PNG plots."""
    try:
        from benchmarks.runner import main as bench_main
    except ImportError:
        _fail("the benchmarks are not installed: from the repository run pip install -e '.[bench]'")

    def action() -> int:
        size_list = tuple(int(s) for s in sizes.split(",") if s.strip()) if sizes else ()
        return bench_main(out, quick=quick, suites=tuple(suite or ()), repeats=repeats, workers=workers,
                          sizes=size_list, debug=debug, command="dedupe bench " + " ".join(sys.argv[2:]))

    raise typer.Exit(_guard(debug, action))


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except SystemExit as exc:
        if exc.code not in (0, 1, None) and exc.code != 2:
            sys.exit(2)
        raise


if __name__ == "__main__":  # pragma: no cover
    main()
