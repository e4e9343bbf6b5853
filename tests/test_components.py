"""Large-star/small-star components equal union-find's, on random graphs and in a run.

The same property on a Ray cluster is in ``test_ray.py``.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import write_jsonl
from dedupe.cluster import components
from dedupe.components import star_components
from dedupe.config import Config
from dedupe.errors import ConfigError
from dedupe.executor import InProcessExecutor
from dedupe.pipeline import run

from .conftest import SEEDS, run_cli


class WideInProcess(InProcessExecutor):
    """In-process, but shuffling into several partitions like a cluster would."""

    parallelism = 3


@st.composite
def graphs(draw: st.DrawFn, max_nodes: int = 60) -> tuple[int, list[tuple[int, int]]]:
    """A node count and edges among them: chains, stars, self-loops, repeats, isolated nodes."""
    n = draw(st.integers(1, max_nodes))
    node = st.integers(0, n - 1)
    edges = draw(st.lists(st.tuples(node, node), max_size=3 * n))
    if draw(st.booleans()) and n > 2:  # a long path in shuffled order: the slowest shape for star rounds
        order = draw(st.permutations(range(n)))
        edges += list(zip(order[:-1], order[1:], strict=True))
    return n, edges


GRAPHS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@GRAPHS
@given(graphs())
def test_star_components_equal_union_find(graph):
    n, edges = graph
    expected = components(n, edges)
    assert star_components(n, edges) == expected
    assert star_components(n, edges, WideInProcess()) == expected


def test_star_components_on_a_long_path_and_bad_nodes():
    n = 5000
    path = [(k, k + 1) for k in range(n - 1)][::-1]
    assert star_components(n, path, WideInProcess()) == [list(range(n))]
    assert star_components(3, []) == []
    with pytest.raises(ValueError, match="outside 0..2"):
        star_components(3, [(0, 3)])


def test_run_with_star_components_is_byte_identical(tmp_path):
    write_jsonl(tmp_path / "in" / "news.jsonl", 300, seed=6)
    inputs = [str(tmp_path / "in"), str(SEEDS)]
    local = run(inputs, tmp_path / "uf", Config(workers=1))
    star = run(inputs, tmp_path / "star", Config(workers=1, components="star", executor="local"))
    assert local.dedup is not None and len(local.dedup.clusters) >= 20
    assert star.stats()["options"]["components"] == "star"
    for name in ("corpus.jsonl", "clusters.jsonl"):
        assert (tmp_path / "uf" / name).read_bytes() == (tmp_path / "star" / name).read_bytes()


def test_cli_components_option(tmp_path):
    done = run_cli("dedup", str(SEEDS), "--out", str(tmp_path / "o"), "--quiet", "--components", "star")
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr
    bad = run_cli("dedup", str(SEEDS), "--out", str(tmp_path / "b"), "--components", "bfs")
    assert bad.returncode == 2 and "choose from union-find, star" in bad.stderr
    clean = run_cli("clean", str(SEEDS), "--out", str(tmp_path / "c"), "--components", "star")
    assert clean.returncode == 2 and "--components" in clean.stderr
    with pytest.raises(ConfigError):
        Config(components="bfs")


def test_executor_help_shows_the_ray_extra():
    """Rich markup would swallow an unescaped ``[ray]``."""
    helped = run_cli("run", "--help", cwd=None)
    assert "dedupe[ray]" in " ".join(helped.stdout.split())
