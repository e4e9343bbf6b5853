"""Executors: the in-process shuffle, LSH banding equal to datasketch's buckets, config and CLI errors.

The Ray golden tests are in ``test_ray.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.ray_executor import datasketch_pairs
from dedupe.config import Config
from dedupe.errors import ConfigError
from dedupe.executor import InProcessExecutor, make_executor
from dedupe.lsh import candidate_pairs
from dedupe.minhash import Signer

from .conftest import SEEDS, run_cli


class WideInProcess(InProcessExecutor):
    """In-process, but shuffling into several partitions like a cluster would."""

    parallelism = 3


def _near_duplicate_signatures(n: int = 600, num_perm: int = 128) -> np.ndarray:
    """Signatures of texts where many share some bands and some are empty."""
    rng = np.random.default_rng(7)
    vocab = [f"w{i}" for i in range(400)]
    texts: list[str] = []
    for i in range(n):
        if i and rng.random() < 0.4:  # a variant of an earlier text: some words changed
            words = texts[int(rng.integers(0, i))].split()
            for k in rng.integers(0, max(len(words), 1), size=int(rng.integers(0, 12))):
                if words:
                    words[k] = vocab[int(rng.integers(0, len(vocab)))]
            texts.append(" ".join(words))
        elif rng.random() < 0.03:
            texts.append("")
        else:
            texts.append(" ".join(vocab[int(x)] for x in rng.integers(0, len(vocab), size=int(rng.integers(30, 120)))))
    signer = Signer(num_perm=num_perm, shingle_size=5, seed=1)
    return signer.sign(signer.shingle_batch(texts))


@pytest.mark.parametrize("threshold,num_perm", [(0.3, 128), (0.5, 64), (0.8, 128)])
@pytest.mark.parametrize("executor", [InProcessExecutor(), WideInProcess()], ids=["one-partition", "three"])
def test_banding_gives_datasketch_pairs(threshold, num_perm, executor):
    sig = _near_duplicate_signatures(num_perm=num_perm)
    expected = datasketch_pairs(sig, threshold)
    assert len(expected) > 20  # the fixture really has shared buckets
    got = candidate_pairs([str(i) for i in range(len(sig))], sig, threshold=threshold, executor=executor)
    assert got == expected


def test_banding_spans_map_batches(monkeypatch):
    import dedupe.lsh

    sig = _near_duplicate_signatures(n=300)
    monkeypatch.setattr(dedupe.lsh, "MAP_BATCH", 7)  # pairs across batch borders still found
    got = candidate_pairs([str(i) for i in range(len(sig))], sig, threshold=0.3, executor=WideInProcess())
    assert got == datasketch_pairs(sig, 0.3)


def test_map_reduce_rejects_a_mapper_with_the_wrong_partition_count():
    with pytest.raises(ValueError, match="returned 1 partitions; it must return exactly 2"):
        InProcessExecutor().map_reduce(lambda x, p: [[x]], [1], sorted, partitions=2)


def test_config_names_the_executor_to_pick():
    with pytest.raises(ConfigError, match="unknown executor 'dask'; choose from local, processes, ray"):
        Config(executor="dask")
    with pytest.raises(ConfigError, match="address is for the ray executor"):
        Config(address="10.0.0.1:6379")
    with pytest.raises(ConfigError, match="address is for the ray executor"):
        make_executor("local", "10.0.0.1:6379")
    assert Config(executor="ray").to_json()["executor"] == "ray"


def test_config_says_to_install_ray_when_it_is_missing(monkeypatch):
    import dedupe.config

    monkeypatch.setattr(dedupe.config, "find_spec", lambda name: None)
    with pytest.raises(ConfigError, match=r"pip install 'dedupe\[ray\]'"):
        Config(executor="ray")
    Config()  # the default never looks for Ray


def test_cli_executor_errors(tmp_path):
    proc = run_cli("run", str(SEEDS), "--out", str(tmp_path / "a"), "--executor", "spark")
    assert proc.returncode == 2 and "unknown executor 'spark'; choose from local, processes, ray" in proc.stderr
    proc = run_cli("clean", str(SEEDS), "--out", str(tmp_path / "b"), "--executor", "ray")
    assert proc.returncode == 2 and "apply to run and dedup" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_default_path_does_not_import_ray(tmp_path):
    code = (
        "import sys, dedupe; from dedupe.pipeline import run; "
        f"run([{str(SEEDS)!r}], {str(tmp_path / 'o')!r}); print('ray' in sys.modules)"
    )
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    assert out.stdout.strip() == "False"


def _story_docs() -> list:
    """Documents with syndicated copies (cut short, a word changed) and unrelated ones."""
    from dedupe.types import CleanDoc

    rng = np.random.default_rng(3)
    vocab = [f"w{i}" for i in range(3000)]
    stories = [" ".join(vocab[int(k)] for k in rng.integers(0, len(vocab), size=int(rng.integers(60, 400))))
               for _ in range(40)]
    docs = []
    for i in range(160):
        words = stories[int(rng.integers(0, len(stories)))].split()
        words = words[: max(30, int(len(words) * rng.uniform(0.5, 1.0)))]
        words[int(rng.integers(0, len(words)))] = "changed"
        docs.append(CleanDoc(f"d{i:03d}", " ".join(words)))
    return docs


def test_sign_and_verify_tasks_do_not_depend_on_the_batching(monkeypatch):
    """Tiny task batches (one or two documents each) give the same clusters and scores as one batch."""
    import dedupe.dedup as dedup_module
    from dedupe.dedup import Deduplicator

    def clusters(limit: int, executor):
        monkeypatch.setattr(dedup_module, "TASK_TEXT_CHARS", limit)
        result = Deduplicator(executor=executor).fit(_story_docs())
        return [c.to_json() for c in result.clusters], result.candidates, result.verified

    whole = clusters(1 << 30, None)
    assert len(whole[0]) >= 10
    assert clusters(1, WideInProcess()) == whole
    assert clusters(3000, WideInProcess()) == whole


def test_pair_judge_is_the_rule_the_driver_applies():
    """The verify task's verdict equals the rule on the exact scores (is_duplicate with the lead offset)."""
    from dedupe.config import DedupConfig
    from dedupe.dedup import PairBatch, PairJudge, _lead
    from dedupe.verify import is_duplicate, set_scores

    docs = _story_docs()[:60]
    signer = Signer()
    judge = PairJudge(DedupConfig(), signer)
    texts = [d.text for d in docs]
    pairs = [(a, b) for a in range(len(docs)) for b in range(a + 1, len(docs))]
    verdicts = judge(PairBatch(list(range(len(docs))), texts, pairs))
    sets = signer.shingle_batch(texts)
    expected = {(a, b) for a, b in pairs
                if is_duplicate(set_scores(sets[a], sets[b]), DedupConfig(),
                                lead_offset=_lead(sets, a, b, lambda k: signer.shingle_sequence(texts[k])))}
    assert {(i, j) for i, j, _ in verdicts.duplicates} == expected and expected
    assert len(verdicts.duplicates) + len(verdicts.rejected) == len(pairs)
    assert all(s == set_scores(sets[i], sets[j]) for i, j, s in verdicts.duplicates)


def test_process_pool_gives_the_in_process_pairs_and_sets():
    """The local process pool (``--executor processes --workers N``) bands and signs exactly as in process."""
    from dedupe.dedup import sign_documents
    from dedupe.executor import PoolExecutor
    from dedupe.types import CleanDoc

    sig = _near_duplicate_signatures(n=300)
    expected = datasketch_pairs(sig, 0.3)
    docs = [CleanDoc(id=f"d{i}", text=f"story {i} " + "the harbour reopened after the storm " * (i % 7 + 1))
            for i in range(40)]
    signer = Signer(num_perm=64, seed=3)
    with PoolExecutor(2) as pool:
        assert candidate_pairs([str(i) for i in range(len(sig))], sig, threshold=0.3, executor=pool) == expected
        assert (sign_documents(docs, signer, pool) == sign_documents(docs, signer, InProcessExecutor())).all()
    pool_of_two = make_executor("processes", workers=2)
    try:
        assert isinstance(pool_of_two, PoolExecutor)
    finally:
        pool_of_two.close()
    assert isinstance(make_executor("processes", workers=1), InProcessExecutor)
    assert isinstance(make_executor("local", workers=2), InProcessExecutor)


def test_cli_processes_executor_gives_the_local_output(tmp_path):
    outs = {}
    for name in ("local", "processes"):
        outs[name] = tmp_path / name
        proc = run_cli("run", str(SEEDS), "--out", str(outs[name]), "--executor", name, "--workers", "2", "--quiet")
        assert proc.returncode == 0, proc.stderr
    for file in ("corpus.jsonl", "clusters.jsonl"):
        assert (outs["local"] / file).read_bytes() == (outs["processes"] / file).read_bytes(), file
