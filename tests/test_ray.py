"""Golden tests: the Ray executor gives the in-process output byte for byte.

One real local Ray cluster serves the whole session (2 CPUs, a small object
store, files under a temporary directory). Skipped only when Ray (the
``dedupe[ray]`` extra) is not installed.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from benchmarks.corpus import write_jsonl
from dedupe.cluster import components
from dedupe.components import star_components
from dedupe.config import Config
from dedupe.executor import LOCAL_OBJECT_STORE_BYTES, RayExecutor
from dedupe.pipeline import run

from .conftest import SEEDS, read_jsonl, run_cli
from .test_components import graphs

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install -e '.[ray]')")

OUTPUTS = ("corpus.jsonl", "clusters.jsonl")


@pytest.fixture(scope="session")
def ray_cluster():
    """A local cluster for the session; its GCS address (for --address)."""
    temp = tempfile.mkdtemp(prefix="dedupe-ray-test-", dir="/tmp")
    started = not ray.is_initialized()
    if started:
        ray.init(address="local", num_cpus=2, include_dashboard=False, object_store_memory=LOCAL_OBJECT_STORE_BYTES,
                 _temp_dir=temp, log_to_driver=False)
    yield ray.get_runtime_context().gcs_address
    if started:
        ray.shutdown()
    shutil.rmtree(temp, ignore_errors=True)


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """A generated corpus of 400 documents (with syndicated copies)."""
    path = tmp_path_factory.mktemp("ray-corpus") / "news.jsonl"
    write_jsonl(path, 400, seed=6)
    return path


def _same_outputs(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), f"{name} differs between executors"


def test_ray_map_and_shuffle(ray_cluster):
    ex = RayExecutor()
    assert ex.map(lambda x: -x, [-3, 2, -1]) == [3, -2, 1]

    def split(x: int, parts: int) -> list[list[int]]:
        return [[v for v in range(x) if v % parts == p] for p in range(parts)]

    def merge(parts: list[list[int]]) -> list[int]:
        return sorted(v for part in parts for v in part)

    assert ex.map_reduce(split, [3, 5], merge, partitions=2) == [[0, 0, 2, 2, 4], [1, 1, 3]]
    assert ex.map_reduce(split, [3], merge, partitions=1) == [[0, 1, 2]]
    ex.close()
    assert ray.is_initialized()  # a cluster it did not start is left running


def test_ray_imap_carries_callables_and_bounds_what_is_in_flight(ray_cluster):
    from functools import partial

    import numpy as np

    from dedupe.dedup import sign_documents
    from dedupe.executor import InProcessExecutor
    from dedupe.minhash import Signer
    from dedupe.types import CleanDoc

    ex = RayExecutor()
    fed: list[int] = []

    def items():
        for i in range(40):
            fed.append(i)
            yield i

    seen = []
    for k, value in enumerate(ex.imap(partial(pow, 2), items())):
        seen.append(value)
        assert len(fed) <= k + 1 + 3 * ex.parallelism  # the window, not the whole stream
    assert seen == [2**i for i in range(40)]
    docs = [CleanDoc(str(i), " ".join(f"w{(i * 7 + k) % 50}" for k in range(30))) for i in range(30)]
    signer = Signer()
    on_ray = sign_documents(docs, signer, ex)  # read-only object-store arrays, copied into one writable array
    assert on_ray.flags.writeable and np.array_equal(on_ray, sign_documents(docs, signer, InProcessExecutor()))
    ex.close()


def test_golden_library_run(ray_cluster, generated, tmp_path):
    inputs = [str(generated), str(SEEDS)]
    local = run(inputs, tmp_path / "local", Config(workers=1))
    on_ray = run(inputs, tmp_path / "ray", Config(workers=1, executor="ray"))
    assert local.dedup is not None and len(local.dedup.clusters) >= 30  # the corpus really has copies
    assert on_ray.dedup is not None and on_ray.dedup.candidates == local.dedup.candidates
    _same_outputs(tmp_path / "local", tmp_path / "ray")


def test_golden_cli_run_against_an_address(ray_cluster, generated, tmp_path):
    for mode in ("run", "dedup"):
        local = run_cli(mode, str(generated), str(SEEDS), "--out", str(tmp_path / mode / "local"), "--quiet")
        on_ray = run_cli(mode, str(generated), str(SEEDS), "--out", str(tmp_path / mode / "ray"), "--quiet",
                         "--executor", "ray", "--address", ray_cluster)
        assert local.returncode == on_ray.returncode and local.returncode in (0, 1), on_ray.stderr
        assert "Traceback" not in on_ray.stderr
        assert read_jsonl(tmp_path / mode / "local" / "clusters.jsonl")
        _same_outputs(tmp_path / mode / "local", tmp_path / mode / "ray")
    star = run_cli("run", str(generated), str(SEEDS), "--out", str(tmp_path / "star"), "--quiet",
                   "--executor", "ray", "--address", ray_cluster, "--components", "star")
    assert star.returncode in (0, 1) and "Traceback" not in star.stderr, star.stderr
    _same_outputs(tmp_path / "run" / "local", tmp_path / "star")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(graph=graphs(max_nodes=40))
def test_star_components_on_ray_equal_union_find(ray_cluster, graph):
    n, edges = graph
    ex = RayExecutor()
    assert star_components(n, edges, ex) == components(n, edges)
    ex.close()


def test_golden_cli_run_starts_its_own_cluster(ray_cluster, generated, tmp_path):
    """``dedupe run DIR --out OUT --executor ray``: the issue's done-when, a fresh local cluster.

    The run's cluster files go under a temporary directory of its own, so
    the check that it removed them is not upset by other Ray runs on the
    machine (other test sessions, benchmarks: the cause of an earlier flake);
    ``address="local"`` keeps it from joining a cluster ``ray start`` left
    (or the session's).
    """
    corpus = tmp_path / "in"
    corpus.mkdir()
    shutil.copy(generated, corpus / generated.name)
    own_tmp = Path(tempfile.mkdtemp(prefix="drt", dir="/tmp"))
    try:
        local = run_cli("run", str(corpus), "--out", str(tmp_path / "local"), "--quiet")
        on_ray = run_cli("run", str(corpus), "--out", str(tmp_path / "ray"), "--quiet", "--executor", "ray",
                         env={"TMPDIR": str(own_tmp)})
        assert local.returncode == on_ray.returncode and local.returncode in (0, 1), on_ray.stderr
        _same_outputs(tmp_path / "local", tmp_path / "ray")
        assert list(own_tmp.iterdir()) == []  # the run removed its cluster's files
    finally:
        shutil.rmtree(own_tmp, ignore_errors=True)


def test_local_cluster_files_go_under_a_short_temp_dir(monkeypatch, tmp_path):
    from dedupe import executor

    monkeypatch.setattr(tempfile, "tempdir", "/tmp/x")
    assert executor._short_temp_root() == "/tmp/x"
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / ("long" * 10)))
    assert executor._short_temp_root() == "/tmp"
