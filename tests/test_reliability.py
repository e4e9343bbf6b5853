"""Reliability and security (issue 7): hostile input, hostile ids, crashes mid-write, workers.

The small hostile files live in fixtures/bad-input/ (regenerate with
fixtures/make_bad_input.py); the big ones are generated here into tmp dirs.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from benchmarks.data import write_synthetic_jsonl
from dedupe import CleanConfig, Config, run
from dedupe.writers import OUTPUT_NAMES, STAGING_PREFIX

from .conftest import FIXTURES, ROOT, read_jsonl, run_cli

BAD = FIXTURES / "bad-input"

#: Every record of fixtures/bad-input that must be rejected, as "FILE[:LINE]" -> words of the reason.
EXPECTED_REJECTIONS = {
    "binary.txt": "binary data",
    "empty.txt": "empty file",
    "loop.txt": "symbolic links",
    "raw_nul.jsonl:1": "not valid JSON",
    "records.jsonl:2": "not valid JSON",
    "records.jsonl:4": "duplicate id 'j-good'",
    "records.jsonl:5": "field 'text' must be a string",
    "records.jsonl:9": "expected a JSON object",
    "records.jsonl:10": "field 'id' must be a string or integer",
    "truncated.jsonl.gz:3": "truncated",
}
#: Every record that must come through (kept, or standing as a duplicate of a kept one).
EXPECTED_GOOD = {
    "good.txt", "good_copy.html", "invalid_utf8.txt", "utf16_bom.txt", "cp1252.txt", "nul_bytes.txt",
    "j-good", "j-nul", "../../x", "/etc/x", f"{BAD / 'records.jsonl'}:3", "gz-0", "gz-1",
}


def _visible(out: Path) -> set[str]:
    return {p.name for p in out.iterdir() if not p.name.startswith(".")}


def test_bad_input_corpus_end_to_end(tmp_path):
    """The issue's "done when": exit 1, one clear line per rejected record, good records written."""
    out = tmp_path / "out"
    proc = run_cli("run", str(BAD.relative_to(ROOT)), "--out", str(out), "--workers", "1")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    rejected = [ln for ln in proc.stderr.splitlines() if ln.startswith("rejected ")]
    assert len(rejected) == len(EXPECTED_REJECTIONS), "\n".join(rejected)
    for where, why in EXPECTED_REJECTIONS.items():
        line = next((ln for ln in rejected if ln.startswith(f"rejected fixtures/bad-input/{where}: ")), None)
        assert line is not None and why in line, (where, rejected)

    stats = json.loads((out / "stats.json").read_text("utf-8"))
    docs = stats["documents"]
    assert docs["read"] == docs["kept"] + docs["duplicates"] + docs["rejected"]
    assert docs["rejected"] == len(EXPECTED_REJECTIONS)
    assert docs["kept"] + docs["duplicates"] == len(EXPECTED_GOOD)
    corpus = read_jsonl(out / "corpus.jsonl")
    through = {r["id"] for r in corpus} | {d for r in corpus for d in r["duplicates"]}
    assert through == {i.replace(str(BAD), "fixtures/bad-input") for i in EXPECTED_GOOD}
    assert _visible(out) == set(OUTPUT_NAMES)

    warned = {(w["source"].rsplit("/", 1)[-1], w["warning"]) for w in stats["warnings"]}
    assert ("cp1252.txt", "not valid UTF-8; decoded as cp1252") in warned
    assert ("utf16_bom.txt", "decoded as utf-16 (byte-order mark)") in warned
    assert ("invalid_utf8.txt", "invalid UTF-8: 2 byte sequence(s) replaced by U+FFFD") in warned
    assert ("nul_bytes.txt", "NUL characters removed") in warned
    assert any(w.startswith("warning fixtures/bad-input/cp1252.txt: ") for w in proc.stderr.splitlines())


def test_decoded_text_is_right(tmp_path):
    """What can be decoded is decoded correctly: no mojibake, no NULs, the replacement visible."""
    result = run([str(BAD)], tmp_path / "out", Config(workers=1), mode="clean")
    rows = {r["id"]: r["text"] for r in result.corpus_rows()}
    for name in ("cp1252.txt", "utf16_bom.txt", "invalid_utf8.txt"):
        assert "Café owners" in rows[name] and "“cost them customers”" in rows[name], name
        assert "Ã" not in rows[name]
    assert "\ufffd" in rows["invalid_utf8.txt"]
    assert "harbour’s" in rows["cp1252.txt"]
    assert "\x00" not in rows["nul_bytes.txt"] and "valley" in rows["nul_bytes.txt"]
    assert rows["j-nul"].startswith("Night trains")


def test_directory_symlink_loop_is_not_followed(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    shutil.copy(BAD / "good.txt", src / "sub" / "a.txt")
    os.symlink("..", src / "sub" / "up")  # in/sub/up -> in: a loop if followed
    os.symlink("self.txt", src / "self.txt")
    result = run([str(src)], tmp_path / "out", Config(workers=1), mode="clean")
    assert result.stats()["documents"] == {"read": 2, "kept": 1, "duplicates": 0, "rejected": 1}
    assert "symbolic links" in result.errors[0].error


HOSTILE_IDS = ["../../x", "/etc/x", "..", ".", "a/../../../escape", "~/y", "C:\\windows\\z", "nul\u0000id", "-", " "]


def test_hostile_ids_never_become_paths(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    lines = [json.dumps({"id": i, "text": f"Story number {n} about the harbour and its long delayed terminal."})
             for n, i in enumerate(HOSTILE_IDS)]
    (work / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    proc = run_cli("run", "in.jsonl", "--out", "out", "-q", "--workers", "1", cwd=work)
    assert proc.returncode == 0, proc.stderr
    after = sorted(str(p) for p in tmp_path.rglob("*"))
    created = set(after) - set(before)
    assert created == {str(work / "out"), *(str(work / "out" / n) for n in OUTPUT_NAMES)}
    assert sorted(r["id"] for r in read_jsonl(work / "out" / "corpus.jsonl")) == sorted(HOSTILE_IDS)


def test_output_inside_an_input_directory_is_not_read_back(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(BAD / "good.txt", src / "a.txt")
    for _ in range(2):  # the second run must not read the first run's corpus.jsonl
        result = run([str(src)], src / "out", Config(workers=1))
        assert result.stats()["documents"] == {"read": 1, "kept": 1, "duplicates": 0, "rejected": 0}


def test_over_long_records_and_files_are_rejected_and_the_count_stays_right(tmp_path):
    from dedupe import InputConfig

    src = tmp_path / "in"
    src.mkdir()
    story = "The harbour terminal opens in March after a long delay, officials said."
    rows = [{"id": "a", "text": story}, {"id": "huge", "text": "word " * 2000}, {"id": "b", "text": story + " Again."}]
    (src / "r.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    (src / "big.txt").write_text("long text " * 1000)
    result = run([str(src)], None, Config(workers=1, input=InputConfig(max_bytes=1000)), mode="clean")
    assert [(e.source.rsplit("/", 1)[-1], e.line) for e in result.errors] == [("big.txt", None), ("r.jsonl", 2)]
    assert all("over the 1000-byte limit (--max-bytes)" in e.error for e in result.errors)
    assert [r["id"] for r in result.corpus_rows()] == ["a", "b"]


def test_deep_json_nesting_is_rejected_not_fatal(tmp_path):
    src = tmp_path / "deep.jsonl"
    good = json.dumps({"id": "ok", "text": "The harbour terminal opens in March after a long delay."})
    src.write_text('{"id": "deep", "text": ' + "[" * 100_000 + "]" * 100_000 + "}\n" + good + "\n")
    result = run([str(src)], None, Config(workers=1), mode="clean")
    assert [e.line for e in result.errors] == [1] and "not valid JSON" in result.errors[0].error
    assert [r["id"] for r in result.corpus_rows()] == ["ok"]


def test_html_nested_100000_deep_is_handled_quickly(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "deep.html").write_text("<div>" * 100_000 + "Deep text here." + "</div>" * 100_000)
    shutil.copy(BAD / "good.txt", src / "good.txt")
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "dedupe", "clean", str(src), "--out", str(tmp_path / "out"), "-q", "--workers", "1"],
            cwd=ROOT, capture_output=True, text=True, timeout=20,
        )
    except subprocess.TimeoutExpired:  # a hang guard: the run takes ~1.5 s of CPU, 3-5 s of wall time under load
        pytest.fail("a 100,000-deep HTML document took over 20 s")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "deep.html: document is nested too deeply to parse" in proc.stderr


def test_50_mb_document_goes_through(tmp_path):
    """Read, decode, spill, sort and write a 50 MB document through the pipeline.

    The cleaner's rules are switched off (their speed is the cleaner's own
    concern: ~6 s for this text); signing a big document of distinct words in
    bounded memory is the next test."""
    src = tmp_path / "in"
    src.mkdir()
    para = (BAD / "good.txt").read_text("utf-8").replace("\n", " ")
    with open(src / "big.txt", "w", encoding="utf-8") as fh:
        n = 0
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(f"Part {n}. {para}\n")
            n += 1
    shutil.copy(BAD / "good.txt", src / "small.txt")
    config = Config(workers=1, clean=CleanConfig(enabled=False))
    result = run([str(src)], tmp_path / "out", config, mode="clean")
    assert result.stats()["documents"] == {"read": 2, "kept": 2, "duplicates": 0, "rejected": 0}
    assert (tmp_path / "out" / "corpus.jsonl").stat().st_size > 49 * 1024 * 1024


def test_one_big_document_is_signed_in_bounded_memory(tmp_path):
    from benchmarks.data import _seed_vocabulary
    from benchmarks.memory import peak_rss

    rng = random.Random(1)
    vocab = _seed_vocabulary()
    peaks = []
    for words in (50_000, 250_000):
        src = tmp_path / f"in-{words}"
        src.mkdir()
        (src / "big.txt").write_text(" ".join(rng.choice(vocab) for _ in range(words)))
        res = peak_rss(["dedup", str(src), "--out", str(tmp_path / f"out-{words}"), "-q", "--workers", "1"])
        assert res.returncode == 0
        peaks.append(res.peak_mb)
    assert peaks[1] - peaks[0] < 100, peaks


def test_out_that_is_a_file_is_a_usage_error_without_traceback(tmp_path):
    target = tmp_path / "file"
    target.write_text("not a directory")
    proc = run_cli("run", "seeds", "--out", str(target), "-q")
    assert proc.returncode == 2 and "is not a directory" in proc.stderr and "Traceback" not in proc.stderr
    debug = run_cli("run", "seeds", "--out", str(target), "-q", "--debug")
    assert debug.returncode == 2 and "Traceback" in debug.stderr
    assert target.read_text() == "not a directory"


# ----------------------------------------------------------------------------- workers


def test_output_is_byte_identical_for_any_number_of_workers(tmp_path):
    src = tmp_path / "c.jsonl"
    n = write_synthetic_jsonl(src, target_bytes=300_000, seed=3)
    assert n > 4 * 8  # several batches, so the pool is really used
    outputs = {}
    for workers in (1, 2, 3):
        out = tmp_path / f"out{workers}"
        result = run([str(src)], out, Config(workers=workers, batch_size=8))
        assert result.stats()["documents"]["read"] == n
        outputs[workers] = [(out / name).read_bytes() for name in ("corpus.jsonl", "clusters.jsonl")]
    assert outputs[1] == outputs[2] == outputs[3]
    assert outputs[1][1]  # some clusters were found


# ----------------------------------------------------------------------------- atomic output


def _generation(out: Path, refs: dict[str, dict[str, bytes | int]]) -> str:
    """Which run the files in ``out`` come from ("a", "b" or "none"); fails on a torn state."""
    present = _visible(out)
    assert present <= set(OUTPUT_NAMES), present
    if "stats.json" in present:
        assert present == set(OUTPUT_NAMES), f"stats.json (the commit marker) without all files: {present}"
    gens = set()
    for name in present:
        data = (out / name).read_bytes()
        if name == "stats.json":
            read = json.loads(data)["documents"]["read"]  # a truncated file would not parse
            match = {g for g, ref in refs.items() if ref["read"] == read}
        else:
            match = {g for g, ref in refs.items() if ref[name] == data}
        assert match, f"{name} matches neither the previous nor the new output (truncated or mixed)"
        gens |= match
    assert len(gens) <= 1, f"files of different runs mixed: {gens}"
    return gens.pop() if gens else "none"


def _start(src: Path, out: Path, **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "dedupe", "run", str(src), "--out", str(out), "-q", "--workers", "2", "--batch-size", "4"],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """Corpus a (the previous output) and b (the run that gets killed), with their reference outputs."""
    base = tmp_path_factory.mktemp("atomic")
    refs: dict[str, dict[str, bytes | int]] = {}
    for name, size, seed in (("a", 100_000, 10), ("b", 500_000, 11)):
        src = base / f"{name}.jsonl"
        write_synthetic_jsonl(src, target_bytes=size, seed=seed)
        result = run([str(src)], base / f"ref-{name}", Config(workers=1))
        refs[name] = {n: (base / f"ref-{name}" / n).read_bytes() for n in OUTPUT_NAMES[:2]}
        refs[name]["read"] = result.read
    assert refs["a"]["read"] != refs["b"]["read"]
    return base, refs


def _previous_output(base: Path, out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(base / "ref-a", out)


def test_sigkill_at_random_moments_never_leaves_a_torn_output(two_runs):
    base, refs = two_runs
    out = base / "out-random"
    _previous_output(base, out)
    t0 = time.perf_counter()
    assert _start(base / "b.jsonl", out).wait(timeout=120) == 0  # how long a whole run takes here
    duration = time.perf_counter() - t0
    assert _generation(out, refs) == "b"

    rng = random.Random(7)
    seen = []
    for moment in sorted(rng.uniform(0.2, duration * 1.05) for _ in range(5)):
        _previous_output(base, out)
        proc = _start(base / "b.jsonl", out)
        time.sleep(moment)
        workers = psutil.Process(proc.pid).children(recursive=True) if proc.poll() is None else []
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        seen.append((round(moment, 2), _generation(out, refs)))
        _, alive = psutil.wait_procs(workers, timeout=5)
        assert not alive, f"worker processes outlived the killed run: {alive}"
    # the next run into the same OUT clears what the killed ones left and completes
    assert _start(base / "b.jsonl", out).wait(timeout=120) == 0
    assert _generation(out, refs) == "b", seen
    assert not list(out.glob(f"{STAGING_PREFIX}*"))


def test_sigkill_inside_the_commit_window(two_runs):
    """Kill between the steps of the commit itself (the test-only pause makes the window wide)."""
    base, refs = two_runs
    out = base / "out-commit"
    pause = 0.5
    states = []
    for step in (0, 2, 4):  # after the 1st unlink, after all 3 (nothing left), after the 2nd rename
        _previous_output(base, out)
        proc = _start(base / "b.jsonl", out, DEDUPE_TEST_COMMIT_PAUSE=str(pause))
        deadline = time.monotonic() + 60
        while (out / "stats.json").exists() and time.monotonic() < deadline:  # the commit has begun
            time.sleep(0.005)
        time.sleep(pause * (step + 0.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        states.append((_generation(out, refs), sorted(_visible(out))))
    assert states[0] == ("a", ["clusters.jsonl", "corpus.jsonl"]), states
    assert states[1] == ("none", []), states
    assert states[2] == ("b", ["clusters.jsonl", "corpus.jsonl"]), states
