"""Sharded input and output (issue 6): many-file corpora in, corpus shards and a manifest out.

Input: directories and globs of JSONL shards, ``.jsonl.gz``/``.jsonl.zst``, Parquet, each read
to the same records as one plain JSONL file; errors name the file and the line (or Parquet row).
Output: ``--shard-size``/``--format parquet`` write the same rows as the default ``corpus.jsonl``
(whose bytes do not change), committed with a manifest as one set.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.data import write_synthetic_jsonl
from dedupe import Config, InputConfig, InputError, run
from dedupe.config import OutputConfig
from dedupe.shards import read_corpus, read_manifest
from dedupe.writers import OUTPUT_NAMES

from .conftest import ROOT, SEEDS, read_jsonl, run_cli

pa = pytest.importorskip("pyarrow", reason="Parquet tests need pyarrow (the dedupe[parquet] extra)")
pq = pytest.importorskip("pyarrow.parquet")
zstandard = pytest.importorskip("zstandard", reason=".zst tests need zstandard (the dedupe[parquet] extra)")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[str], Path]:
    """A synthetic JSONL corpus (with copies), its lines, and its default-layout output."""
    base = tmp_path_factory.mktemp("shard")
    src = base / "all.jsonl"
    write_synthetic_jsonl(src, target_bytes=250_000, seed=21)
    lines = src.read_text(encoding="utf-8").splitlines()
    ref = base / "ref"
    run([str(src)], ref, Config(workers=1))
    assert read_jsonl(ref / "clusters.jsonl"), "the corpus has copies"
    return src, lines, ref


def _visible(out: Path) -> set[str]:
    return {p.name for p in out.iterdir() if not p.name.startswith(".")}


def _check_manifest(out: Path) -> dict:
    """The manifest lists exactly the shards present, with the right counts, sizes and hashes."""
    manifest = read_manifest(out)
    assert manifest is not None
    names = [s["name"] for s in manifest["shards"]]
    assert _visible(out) == {*names, "manifest.json", "clusters.jsonl", "stats.json"}
    for shard in manifest["shards"]:
        data = (out / shard["name"]).read_bytes()
        assert len(data) == shard["bytes"] and hashlib.sha256(data).hexdigest() == shard["sha256"]
    assert sum(s["records"] for s in manifest["shards"]) == manifest["records"]
    return manifest


# ----------------------------------------------------------------------------- output


def test_jsonl_shards_hold_the_default_corpus_bytes(corpus, tmp_path):
    src, _, ref = corpus
    out = tmp_path / "out"
    run([str(src)], out, Config(workers=1, output=OutputConfig(shard_size=20)))
    manifest = _check_manifest(out)
    counts = [s["records"] for s in manifest["shards"]]
    assert len(counts) >= 3 and set(counts[:-1]) == {20} and 1 <= counts[-1] <= 20
    assert [s["name"] for s in manifest["shards"]] == [f"corpus-{i:05d}.jsonl" for i in range(len(counts))]
    joined = b"".join((out / s["name"]).read_bytes() for s in manifest["shards"])
    assert joined == (ref / "corpus.jsonl").read_bytes()  # same rows, same order, same bytes
    assert (out / "clusters.jsonl").read_bytes() == (ref / "clusters.jsonl").read_bytes()
    ids = [r["id"] for r in read_corpus(out)]
    assert [(s["first_id"], s["last_id"]) for s in manifest["shards"]] == [
        (ids[i], ids[min(i + 20, len(ids)) - 1]) for i in range(0, len(ids), 20)]
    stats = json.loads((out / "stats.json").read_text())
    assert stats["options"]["output"] == {"shard_size": 20, "format": "jsonl"}


def test_default_output_layout_is_unchanged(corpus):
    _, _, ref = corpus
    assert _visible(ref) == set(OUTPUT_NAMES)
    assert not (ref / ".stages").exists()  # stage files are removed after a successful run


def test_parquet_shards_hold_the_same_rows_and_are_deterministic(corpus, tmp_path):
    src, _, ref = corpus
    outs = [tmp_path / "p1", tmp_path / "p2"]
    proc = run_cli("run", str(src), "--out", str(outs[0]), "-q", "--workers", "1",
                   "--format", "parquet", "--shard-size", "30")  # the options, through the CLI
    assert proc.returncode == 0, proc.stderr
    run([str(src)], outs[1], Config(workers=1, output=OutputConfig(shard_size=30, format="parquet")))
    manifest = _check_manifest(outs[0])
    assert manifest["format"] == "parquet" and len(manifest["shards"]) >= 2
    assert list(read_corpus(outs[0])) == read_jsonl(ref / "corpus.jsonl")
    for shard in manifest["shards"]:
        assert (outs[0] / shard["name"]).read_bytes() == (outs[1] / shard["name"]).read_bytes()
        table = pq.read_table(outs[0] / shard["name"])
        assert table.num_rows == shard["records"]
        assert table.schema.field("duplicates").type == pa.list_(pa.string())


def test_parquet_clean_rows_carry_the_removals(tmp_path):
    out = tmp_path / "out"
    result = run([str(SEEDS)], out, Config(workers=1, output=OutputConfig(format="parquet")), mode="clean")
    assert [s["name"] for s in read_manifest(out)["shards"]] == ["corpus-00000.parquet"]  # no size: one shard
    rows = list(read_corpus(out))
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows) and len(rows) == result.kept == 5
    removed = {r["id"]: r["removed"] for r in rows}
    assert any(item["reason"] == "related" for item in removed["000_8fca9bbadf01635a.txt"])


def test_a_new_layout_replaces_every_file_of_the_previous_output(corpus, tmp_path):
    src, _, ref = corpus
    out = tmp_path / "out"
    run([str(src)], out, Config(workers=1, output=OutputConfig(shard_size=10)))
    many = len(read_manifest(out)["shards"])
    run([str(src)], out, Config(workers=1, output=OutputConfig(shard_size=40)))
    assert len(_check_manifest(out)["shards"]) < many  # no stale corpus-000NN.jsonl left behind
    (out / "notes.txt").write_text("the user's own file")
    run([str(src)], out, Config(workers=1))
    assert _visible(out) == {*OUTPUT_NAMES, "notes.txt"}  # back to one corpus.jsonl, no manifest
    assert (out / "corpus.jsonl").read_bytes() == (ref / "corpus.jsonl").read_bytes()


def test_sigkill_in_the_commit_window_of_a_sharded_output(corpus, tmp_path):
    """A sharded set over a previous sharded set: every moment shows a whole set or no marker."""
    src, _, _ = corpus
    out = tmp_path / "out"
    run([str(src)], out, Config(workers=1, output=OutputConfig(shard_size=12)))
    previous = {p.name: p.read_bytes() for p in out.iterdir()}
    pause = 0.3
    for step in (3,):  # a few unlinks into the commit (the marker went first)
        shutil.rmtree(out)
        out.mkdir()
        for name, data in previous.items():
            (out / name).write_bytes(data)
        proc = subprocess.Popen(
            [sys.executable, "-m", "dedupe", "run", str(src), "--out", str(out), "-q", "--workers", "1",
             "--shard-size", "9"],
            cwd=ROOT, env={**os.environ, "DEDUPE_TEST_COMMIT_PAUSE": str(pause)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while (out / "stats.json").exists() and time.monotonic() < deadline:  # the commit has begun
            time.sleep(0.005)
        time.sleep(pause * (step + 0.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        if (out / "stats.json").exists():
            _check_manifest(out)  # a whole set (the new one, here)
        else:
            assert "stats.json" not in _visible(out)  # no marker: treated as no output


# ----------------------------------------------------------------------------- input


def _split(lines: list[str], parts: int) -> list[list[str]]:
    size = -(-len(lines) // parts)
    return [lines[i:i + size] for i in range(0, len(lines), size)]


def _write_parquet(path: Path, lines: list[str]) -> None:
    rows = [json.loads(line) for line in lines]
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=7)


def test_shards_in_every_format_read_like_one_jsonl_file(corpus, tmp_path):
    src, lines, ref = corpus
    shards = tmp_path / "shards"
    (shards / "b").mkdir(parents=True)
    a, b, c, d = _split(lines, 4)
    (shards / "part-0.jsonl").write_text("\n".join(a) + "\n", encoding="utf-8")
    (shards / "part-1.jsonl.gz").write_bytes(gzip.compress(("\n".join(b) + "\n").encode()))
    (shards / "part-2.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(("\n".join(c) + "\n").encode()))
    _write_parquet(shards / "b" / "part-3.parquet", d)
    (shards / "README.md").write_text("not a corpus file: skipped in a directory")
    out = tmp_path / "out"
    result = run([str(shards)], out, Config(workers=1))
    assert result.errors == [] and result.read == len(lines)
    assert (out / "corpus.jsonl").read_bytes() == (ref / "corpus.jsonl").read_bytes()
    assert (out / "clusters.jsonl").read_bytes() == (ref / "clusters.jsonl").read_bytes()


def test_glob_inputs(corpus, tmp_path):
    _, lines, ref = corpus
    for i, part in enumerate(_split(lines, 3)):
        (tmp_path / f"c-{i}.jsonl").write_text("\n".join(part) + "\n", encoding="utf-8")
    (tmp_path / "other.jsonl").write_text('{"id": "x", "text": "not matched by the glob"}\n')
    out = tmp_path / "out"
    run([str(tmp_path / "c-*.jsonl")], out, Config(workers=1))
    assert (out / "corpus.jsonl").read_bytes() == (ref / "corpus.jsonl").read_bytes()

    # text files matched by a glob are named relative to the pattern's fixed directories
    (tmp_path / "site" / "a").mkdir(parents=True)
    (tmp_path / "site" / "b").mkdir()
    for sub in ("a", "b"):
        shutil.copy(SEEDS / "002_7e7d252046b7a13d.txt", tmp_path / "site" / sub / f"{sub}.txt")
    result = run([str(tmp_path / "site" / "*" / "*.txt")], None, Config(workers=1), mode="clean")
    assert sorted(r["id"] for r in result.corpus_rows()) == ["a/a.txt", "b/b.txt"]

    with pytest.raises(InputError, match="no file matches this pattern"):
        run([str(tmp_path / "nothing-*.jsonl")], tmp_path / "o2", Config(workers=1))
    assert not (tmp_path / "o2").exists()


def test_glob_does_not_read_the_output_back(corpus, tmp_path):
    _, lines, _ = corpus
    (tmp_path / "in.jsonl").write_text("\n".join(lines[:20]) + "\n", encoding="utf-8")
    for _ in range(2):  # the second run must not read the first run's corpus.jsonl through the glob
        result = run([str(tmp_path / "**" / "*.jsonl")], tmp_path / "out", Config(workers=1))
        assert result.read == 20


def test_errors_name_the_file_and_the_line_or_row(tmp_path):
    good = [{"id": f"g{i}", "text": f"Story {i}: the harbour terminal opens in March after a long delay."}
            for i in range(6)]
    lines = [json.dumps(r) for r in good]
    zst = tmp_path / "a.jsonl.zst"
    zst.write_bytes(zstandard.ZstdCompressor().compress(("\n".join([lines[0], "{broken", lines[1]]) + "\n").encode()))
    cut = tmp_path / "b.jsonl.zst"
    many = [json.dumps({"id": f"z{i}", "text": f"Report {i} on the harbour terminal, number {i * 7919}."})
            for i in range(3000)]
    writer = zstandard.ZstdCompressor().compressobj()  # a block per 100 records, as a streaming writer leaves
    whole = b"".join(writer.compress(("\n".join(many[i:i + 100]) + "\n").encode())
                     + writer.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK) for i in range(0, len(many), 100))
    whole += writer.flush()
    cut.write_bytes(whole[: len(whole) // 2])
    rows = [{"id": "p1", "text": good[4]["text"]}, {"id": "p2", "text": None}, {"id": "p3", "text": good[5]["text"]}]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "c.parquet", row_group_size=2)
    (tmp_path / "d.parquet").write_bytes(b"PAR1 this is not parquet")
    result = run([str(tmp_path)], None, Config(workers=1), mode="clean")
    where = [(Path(e.source).name, e.line, e.error) for e in result.errors]
    assert ("a.jsonl.zst", 2) == where[0][:2] and "not valid JSON" in where[0][2]
    assert where[1][0] == "b.jsonl.zst" and "truncated or corrupt" in where[1][2]
    assert where[2][:2] == ("c.parquet", 2) and "row 2" in where[2][2] and "'text'" in where[2][2]
    assert where[3][:2] == ("d.parquet", None) and "not a readable Parquet file" in where[3][2]
    assert len(where) == 4
    kept = {r["id"] for r in result.corpus_rows()}
    assert {"g0", "g1", "p1", "p3", "z0", "z1"} <= kept  # records before the cut went through
    assert "z2999" not in kept


def test_parquet_dates_and_numeric_ids(tmp_path):
    import datetime

    text = "The harbour terminal opens in March after a long delay, officials said."
    table = pa.table({"doc": [7, 8], "body": [text, text + " More."],
                      "date": [datetime.date(2026, 3, 1), None]})
    pq.write_table(table, tmp_path / "a.parquet")
    config = Config(workers=1, input=InputConfig(id_field="doc", text_field="body"))
    rows = {r["id"]: r for r in run([str(tmp_path / "a.parquet")], None, config, mode="clean").corpus_rows()}
    assert rows["7"]["date"] == "2026-03-01" and rows["8"]["date"] is None
