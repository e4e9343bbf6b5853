"""The datatrove and text-dedup adapters on a tiny corpus, when their environments are installed
(``python -m benchmarks.peer_envs``); skipped otherwise, so the default run stays fast. The FineWeb
config and simhash are marked slow (each peer run is a fresh process: ~5 s of start-up and imports)."""

from __future__ import annotations

import pytest

from benchmarks import dedup_peers, peer_envs, process

BODY = " ".join(f"Paragraph {p} says the council voted {p + 3} to {p} on the new bridge plan for the town."
                for p in range(12))
OTHER = " ".join(f"Line {p} reports that rain fell for {p + 2} hours over the northern hills on Sunday."
                 for p in range(12))
NOTE = "A short unrelated note about the weekend market and its twenty stalls of fruit and bread."
IDS = ["a", "a-copy", "b", "b-copy", "c", "c-again"]
TEXTS = [BODY, BODY + " Reporting by AP.", OTHER, "Updated: " + OTHER, NOTE, NOTE]
EXPECTED = [["a", "a-copy"], ["b", "b-copy"], ["c", "c-again"]]


def _needs(peer: str) -> None:
    if peer_envs.python_for(peer) is None:
        pytest.skip(peer_envs.missing_message(peer))


def test_write_docs_shards_keep_every_record(tmp_path):
    paths = dedup_peers.write_docs(tmp_path, IDS, TEXTS, shards=2)
    lines = [line for p in paths for line in p.read_text().splitlines()]
    assert len(paths) == 2 and len(lines) == len(IDS)
    with pytest.raises(ValueError, match="one id per text"):
        dedup_peers.write_docs(tmp_path, IDS, TEXTS[:2])


def test_missing_peer_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("DEDUPE_PEER_ENVS", str(tmp_path))
    with pytest.raises(dedup_peers.PeerMissing, match="python -m benchmarks.peer_envs datatrove"):
        dedup_peers.datatrove_minhash(IDS, TEXTS)


def test_sampled_run_counts_the_cpu_of_workers():
    """A pool's workers burn CPU the parent does not: the tree's CPU time includes them."""
    import sys

    code = ("import multiprocessing as mp\n"
            "def burn(n):\n    return sum(i * i for i in range(n))\n"
            "if __name__ == '__main__':\n"
            "    with mp.get_context('fork').Pool(2) as pool:\n        pool.map(burn, [3_000_000] * 4)\n")
    run = process.sampled_run([sys.executable, "-c", code], timeout=120)
    assert run.returncode == 0, run.stderr
    solo = process.sampled_run([sys.executable, "-c", "pass"])
    assert run.cpu_seconds > solo.cpu_seconds + 0.3


@pytest.mark.parametrize("config", ["default", pytest.param("fineweb", marks=pytest.mark.slow)])
def test_datatrove_finds_the_copies(config, tmp_path):
    _needs("datatrove")
    run = dedup_peers.datatrove_minhash(IDS, TEXTS, config=config, work=tmp_path, workers=1)
    assert run.clusters == EXPECTED
    assert run.cpu_seconds > 0 and run.peak_rss_mb > 0 and run.settings["config"] == config


@pytest.mark.parametrize("method", ["minhash", pytest.param("simhash", marks=pytest.mark.slow)])
def test_text_dedup_finds_the_copies(method, tmp_path):
    _needs("text-dedup")
    run = dedup_peers.text_dedup(IDS, TEXTS, method=method, work=tmp_path, workers=1)
    if method == "minhash":
        assert run.clusters == EXPECTED
    else:  # 3 of 64 bits (its default) is strict: the exact copy at least, and nothing wrong
        assert ["c", "c-again"] in run.clusters and all(c in EXPECTED for c in run.clusters)
    assert run.cpu_seconds > 0 and run.settings["method"] == method


def test_suites_skip_missing_peers_with_the_reason(tmp_path, monkeypatch):
    from benchmarks import dedup_quality, syndicate

    monkeypatch.setenv("DEDUPE_PEER_ENVS", str(tmp_path))
    records = [syndicate.Record(i, t, i.split("-")[0], "copy") for i, t in zip(IDS, TEXTS, strict=True)]
    results, swept, skipped = dedup_quality.external_peers(IDS, TEXTS, records, tmp_path)
    assert results == {} and swept == {}
    assert set(skipped) == set(dedup_quality.peer_methods())
    assert all("python -m benchmarks.peer_envs" in why for why in skipped.values())


def test_side_by_side_table_rows_ratios_and_exponents():
    from benchmarks import dedup_speed

    def point(docs, ours, theirs):
        return {"docs": docs, "tools": {
            "dedupe dedup": {"seconds": ours, "cpu_seconds": ours, "peak_rss_mb": 100.0, "f1": 0.9,
                             "cpu_over_ours": 1.0},
            "peer": {"seconds": theirs, "cpu_seconds": theirs, "peak_rss_mb": 200.0, "f1": 0.5,
                     "cpu_over_ours": theirs / ours},
            "gone": {"skipped": "gone skipped: not installed"}}}

    table, exponents, plot = dedup_speed.side_by_side_table([point(1000, 1.0, 4.0), point(10_000, 10.0, 80.0)])
    assert len(table.rows) == 6 and table.rows[1][-1] == "4.0×" and table.rows[2][2] == "skipped"
    assert exponents["dedupe dedup"] == pytest.approx(1.0) and exponents["peer"] == pytest.approx(1.301, abs=1e-3)
    assert plot is not None and set(plot.series) == {"dedupe dedup", "peer"}
