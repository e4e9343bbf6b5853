"""Resumable stages (issue 6): a failed run resumes from its last finished stage.

Each stage's result is kept under OUT/.stages/ (dedupe/stages.py), identified by a fingerprint
of the inputs (path, size, mtime) and the options it depends on; ``--resume`` reuses a matching
stage and recomputes a stale one, and the output is byte-identical to an uninterrupted run.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

import dedupe.pipeline as pipeline
from benchmarks.data import write_synthetic_jsonl
from dedupe import CleanConfig, Config, ConfigError, DedupConfig, run
from dedupe.stages import STAGES_DIR
from dedupe.writers import OUTPUT_NAMES

from .conftest import FIXTURES, ROOT, run_cli

OUTPUTS = OUTPUT_NAMES[:2]  # corpus.jsonl, clusters.jsonl: the byte-identical pair


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """A synthetic corpus with copies, and the output of an uninterrupted run."""
    base = tmp_path_factory.mktemp("resume")
    src = base / "in"
    src.mkdir()
    write_synthetic_jsonl(base / "all.jsonl", target_bytes=300_000, seed=31)
    lines = (base / "all.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (src / "a.jsonl").write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
    (src / "b.jsonl").write_text("".join(lines[len(lines) // 2 :]), encoding="utf-8")
    ref = base / "ref"
    run([str(src)], ref, Config(workers=1))
    refs = {name: (ref / name).read_bytes() for name in OUTPUTS}
    assert refs["clusters.jsonl"]
    return src, refs


@pytest.fixture
def batches(monkeypatch) -> list[int]:
    """Counts the documents the cleaner is handed (workers=1 cleans in this process)."""
    seen: list[int] = []
    real = pipeline.process_batch

    def counting(batch, *args, **kwargs):
        seen.append(len(batch))
        return real(batch, *args, **kwargs)

    monkeypatch.setattr(pipeline, "process_batch", counting)
    return seen


def _same(out: Path, refs: dict[str, bytes]) -> bool:
    return all((out / name).read_bytes() == data for name, data in refs.items())


def test_sigkill_after_the_clean_stage_then_resume(corpus, tmp_path):
    """The issue's test: kill -9 after clean; --resume finishes byte-identical without cleaning again."""
    src, refs = corpus
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "dedupe", "run", str(src), "--out", str(out), "-q", "--workers", "2",
           "--batch-size", "8"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "DEDUPE_TEST_STAGE_PAUSE": "60"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    marker = out / STAGES_DIR / "clean" / "stage.json"
    deadline = time.monotonic() + 120
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the clean stage never finished"
    workers = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=60) == -signal.SIGKILL
    psutil.wait_procs(workers, timeout=5)
    assert not {p.name for p in out.iterdir() if not p.name.startswith(".")}  # no output was committed
    clean_files = {p.name: p.stat().st_mtime_ns for p in (out / STAGES_DIR / "clean").iterdir()}

    proc = run_cli("run", str(src), "--out", str(out), "-q", "--workers", "2", "--batch-size", "8",
                   "--resume", "--keep-stages")
    assert proc.returncode == 0, proc.stderr
    assert _same(out, refs)
    stats = json.loads((out / "stats.json").read_text())
    assert stats["stages"] == {"clean": "reused", "dedup": "computed"}
    # not cleaned again: the stage's files are the killed run's, untouched
    assert {p.name: p.stat().st_mtime_ns for p in (out / STAGES_DIR / "clean").iterdir()} == clean_files
    assert not [p for p in (out / STAGES_DIR).iterdir() if p.name.startswith(".tmp-")]


def test_resume_reuses_only_what_still_matches(corpus, tmp_path, batches):
    src, refs = corpus
    work = tmp_path / "in"
    shutil.copytree(src, work)
    out = tmp_path / "out"
    keep = Config(workers=1, keep_stages=True)
    first = run([str(work)], out, keep)
    assert first.stages == {"clean": "computed", "dedup": "computed"} and sum(batches) == first.read
    assert _same(out, refs)

    batches.clear()
    again = run([str(work)], out, keep.replace(resume=True))
    assert again.stages == {"clean": "reused", "dedup": "reused"} and batches == []
    assert _same(out, refs)
    assert again.stats()["documents"] == first.stats()["documents"]
    assert again.stats()["removed_blocks"] == first.stats()["removed_blocks"]

    # a dedup option changed: clean is reused, dedup recomputed, same as a fresh run with that option
    stricter = keep.replace(resume=True, dedup=DedupConfig(containment_threshold=0.95))
    result = run([str(work)], out, stricter)
    assert result.stages == {"clean": "reused", "dedup": "computed"} and batches == []
    fresh = run([str(work)], tmp_path / "fresh", Config(workers=1, dedup=DedupConfig(containment_threshold=0.95)))
    assert _same(out, {n: (tmp_path / "fresh" / n).read_bytes() for n in OUTPUTS})
    assert fresh.kept == result.kept

    # a cleaning option changed: everything is recomputed
    batches.clear()
    result = run([str(work)], out, keep.replace(resume=True, clean=CleanConfig(keep_reasons=frozenset({"caption"}))))
    assert result.stages == {"clean": "computed", "dedup": "computed"} and sum(batches) == first.read

    # an input file changed (same size, new mtime): recomputed, and the output follows the new input
    run([str(work)], out, keep)
    batches.clear()
    text = (work / "b.jsonl").read_text(encoding="utf-8")
    (work / "b.jsonl").write_text(text.replace("a", "e", 1), encoding="utf-8")
    result = run([str(work)], out, keep.replace(resume=True))
    assert result.stages["clean"] == "computed" and sum(batches) == first.read
    assert not _same(out, refs)
    fresh = run([str(work)], tmp_path / "fresh2", Config(workers=1))
    assert _same(out, {n: (tmp_path / "fresh2" / n).read_bytes() for n in OUTPUTS})

    # a file added to an input directory: recomputed
    shutil.copy(FIXTURES / "bad-input" / "good.txt", work / "c.txt")
    batches.clear()
    assert run([str(work)], out, keep.replace(resume=True)).stages["clean"] == "computed"


def test_a_failure_in_dedup_keeps_the_clean_stage(corpus, tmp_path, batches, monkeypatch):
    src, refs = corpus
    out = tmp_path / "out"

    def broken(*args, **kwargs):
        raise MemoryError("simulated: the dedup stage ran out of memory")

    monkeypatch.setattr(pipeline, "_dedup_stage", broken)
    with pytest.raises(MemoryError):
        run([str(src)], out, Config(workers=1))
    assert (out / STAGES_DIR / "clean" / "stage.json").exists()
    assert not (out / STAGES_DIR / "dedup").exists()
    assert not [p for p in out.iterdir() if not p.name.startswith(".")]
    monkeypatch.undo()
    monkeypatch.setattr(pipeline, "process_batch", lambda *a, **k: pytest.fail("cleaned again"))
    result = run([str(src)], out, Config(workers=1, resume=True))
    assert result.stages == {"clean": "reused", "dedup": "computed"}
    assert _same(out, refs)
    assert not (out / STAGES_DIR).exists()  # removed after success (no --keep-stages)


def test_a_damaged_stage_is_computed_again(corpus, tmp_path, batches):
    src, refs = corpus
    out = tmp_path / "out"
    run([str(src)], out, Config(workers=1, keep_stages=True))
    (out / STAGES_DIR / "dedup" / "dedup.json").write_text('{"clusters": [')
    batches.clear()
    result = run([str(src)], out, Config(workers=1, resume=True, keep_stages=True))
    assert result.stages == {"clean": "reused", "dedup": "computed"} and batches == []
    assert _same(out, refs)
    docs = out / STAGES_DIR / "clean" / "docs.jsonl"
    lines = docs.read_text(encoding="utf-8").splitlines(keepends=True)
    docs.write_text("".join(lines[:-3]), encoding="utf-8")  # lost its tail at a line boundary
    result = run([str(src)], out, Config(workers=1, resume=True))
    assert result.stages == {"clean": "computed", "dedup": "computed"} and sum(batches) == result.read
    assert _same(out, refs)


def test_without_resume_a_run_starts_over(corpus, tmp_path, batches):
    src, refs = corpus
    out = tmp_path / "out"
    run([str(src)], out, Config(workers=1, keep_stages=True))
    assert {p.name for p in (out / STAGES_DIR).iterdir()} == {"clean", "dedup"}
    batches.clear()
    result = run([str(src)], out, Config(workers=1))
    assert result.stages == {"clean": "computed", "dedup": "computed"} and batches
    assert _same(out, refs) and not (out / STAGES_DIR).exists()


def test_resume_of_clean_mode_keeps_rejections_and_warnings(tmp_path, batches):
    bad = FIXTURES / "bad-input"
    ref = run([str(bad)], tmp_path / "ref", Config(workers=1), mode="clean")
    out = tmp_path / "out"
    run([str(bad)], out, Config(workers=1, keep_stages=True), mode="clean")
    batches.clear()
    result = run([str(bad)], out, Config(workers=1, resume=True), mode="clean")
    assert result.stages == {"clean": "reused"} and batches == []
    assert (out / "corpus.jsonl").read_bytes() == (tmp_path / "ref" / "corpus.jsonl").read_bytes()
    ref_stats, stats = ref.stats(), json.loads((out / "stats.json").read_text())
    for key in ("documents", "errors", "warnings", "removed_blocks"):
        assert stats[key] == json.loads(json.dumps(ref_stats[key])), key
    assert result.exit_code == 1


def test_resume_needs_inputs_it_can_check(tmp_path):
    with pytest.raises(ConfigError, match="stdin"):
        run(["-"], tmp_path / "out", Config(workers=1, resume=True))
    with pytest.raises(ConfigError, match="--out"):
        run([str(FIXTURES / "bad-input" / "good.txt")], None, Config(workers=1, resume=True))
    proc = run_cli("run", "-", "--out", str(tmp_path / "o"), "--resume", "-q", stdin='{"id": "a", "text": "x"}\n')
    assert proc.returncode == 2 and "--resume needs inputs read from files" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_killed_run_s_unfinished_stage_is_removed_by_the_next_run(corpus, tmp_path):
    src, refs = corpus
    out = tmp_path / "out"
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    left = out / STAGES_DIR / f".tmp-{gone.pid}-clean-abc"
    left.mkdir(parents=True)
    (left / "rows.spill").write_text("half a row")
    result = run([str(src)], out, Config(workers=1, resume=True))
    assert result.stages == {"clean": "computed", "dedup": "computed"}
    assert _same(out, refs) and not (out / STAGES_DIR).exists()
