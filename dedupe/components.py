"""Connected components of the verified pairs: union-find on the driver, or large-star/small-star.

Union-find (:func:`dedupe.cluster.components`) is the default: the driver
holds a parent per document, which datatrove does even at FineWeb scale.
:func:`star_components` is the distributed option (Kiveris et al., *Connected
Components in MapReduce and Beyond*, SoCC 2014) for when that does not fit:
rounds of two shuffles over the edge list, each an executor ``map_reduce``
keyed by node, until every component is a star around its smallest node.

- **large-star**: every node ``u`` links its neighbours larger than itself
  to ``m(u)``, the smallest of ``u`` and its neighbours;
- **small-star**: every node ``u`` links its neighbours smaller than
  itself, and itself, to the smallest of them.

Both keep the connectivity, and a round of the two that changes no edge
leaves stars (``O(log² n)`` rounds). The work of a round is vectorised
numpy over sorted edge arrays; between rounds the driver holds the edge
list as an ``int64`` array (16 bytes an edge, no Python object per node).

>>> star_components(6, [(0, 1), (4, 5), (1, 2)])
[[0, 1, 2], [4, 5]]
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

import numpy as np

from .cluster import components as union_find_components
from .executor import Executor, InProcessExecutor

#: ``--components`` choices: union-find on the driver (the default) or distributed large-star/small-star
#: (``Config`` checks its ``components`` against the same names).
COMPONENT_METHODS: tuple[str, ...] = ("union-find", "star")

#: Edges per map task (fewer when the executor has few CPUs to spread over).
EDGE_BATCH = 1 << 20

#: A round count no real graph reaches (``O(log² n)``): beyond it something is wrong.
MAX_ROUNDS = 200

_NO_EDGES = np.zeros((0, 2), dtype=np.int64)


def _keyed(batch: np.ndarray, partitions: int, *, both: bool) -> list[np.ndarray]:
    """Map task: ``(key, neighbour)`` rows of an edge batch, split by ``key % partitions``.

    ``both`` emits each edge from both ends (large-star); otherwise from its
    larger end only (small-star).

    >>> [p.tolist() for p in _keyed(np.array([[1, 4]]), 2, both=True)]
    [[[4, 1]], [[1, 4]]]
    >>> [p.tolist() for p in _keyed(np.array([[1, 4]]), 2, both=False)]
    [[[4, 1]], []]
    """
    lo, hi = batch.min(axis=1), batch.max(axis=1)
    rows = np.concatenate([np.stack([hi, lo], axis=1), np.stack([lo, hi], axis=1)]) if both else np.stack([hi, lo], 1)
    if partitions == 1:
        return [rows]
    where = rows[:, 0] % partitions
    return [rows[where == p] for p in range(partitions)]


def _groups(parts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows sorted by key, each row's key, and each row's group minimum ``min(key, neighbours)``."""
    rows = np.concatenate(parts) if len(parts) != 1 else parts[0]
    rows = rows[np.lexsort((rows[:, 1], rows[:, 0]))]
    keys = rows[:, 0]
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    low = np.minimum(np.minimum.reduceat(rows[:, 1], starts), keys[starts])
    return rows, keys, np.repeat(low, np.diff(np.append(starts, len(rows))))


def _large_star(parts: list[np.ndarray]) -> np.ndarray:
    """Reduce task: every neighbour ``v > u`` of a node ``u`` linked to ``m(u)``, as ``(v, m(u))`` rows.

    >>> _large_star([np.array([[2, 1], [2, 5], [2, 7]])]).tolist()
    [[5, 1], [7, 1]]
    """
    if not any(len(p) for p in parts):
        return _NO_EDGES
    rows, keys, low = _groups(parts)
    larger = rows[:, 1] > keys
    return np.stack([rows[larger, 1], low[larger]], axis=1)


def _small_star(parts: list[np.ndarray]) -> np.ndarray:
    """Reduce task: a node ``u`` and its smaller neighbours each linked to the smallest of them.

    ``parts`` hold ``(u, v)`` rows with ``v < u``.

    >>> _small_star([np.array([[5, 3], [5, 1]])]).tolist()
    [[3, 1], [5, 1]]
    """
    if not any(len(p) for p in parts):
        return _NO_EDGES
    rows, keys, low = _groups(parts)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    nodes = np.concatenate([rows[:, 1], keys[starts]])
    to = np.concatenate([low, low[starts]])
    keep = nodes != to
    return np.stack([nodes[keep], to[keep]], axis=1)


def _unique_edges(parts: list[np.ndarray]) -> np.ndarray:
    """The edges of ``parts`` as sorted unique ``(larger, smaller)`` rows."""
    edges = np.concatenate([p for p in parts if len(p)]) if any(len(p) for p in parts) else _NO_EDGES
    edges = np.stack([edges.max(axis=1), edges.min(axis=1)], axis=1)
    return np.unique(edges, axis=0) if len(edges) else edges


def _shuffle(edges: np.ndarray, executor: Executor, *, both: bool) -> np.ndarray:
    step = max(1, min(EDGE_BATCH, -(-len(edges) // (2 * executor.parallelism))))
    batches = [edges[start : start + step] for start in range(0, len(edges), step)]
    reducer = _large_star if both else _small_star
    return _unique_edges(executor.map_reduce(partial(_keyed, both=both), batches, reducer, executor.parallelism))


def star_components(
    n: int, edges: Iterable[tuple[int, int]], executor: Executor | None = None
) -> list[list[int]]:
    """Connected components (size >= 2) of the graph on ``0..n-1``, by large-star/small-star
    rounds run as ``executor`` map/reduce tasks; the same list as union-find's
    :func:`dedupe.cluster.components` (each component sorted, the list sorted).

    >>> star_components(5, [(3, 4), (0, 3)], InProcessExecutor())
    [[0, 3, 4]]
    """
    executor = executor or InProcessExecutor()
    current = _unique_edges([np.array(list(edges), dtype=np.int64).reshape(-1, 2)])
    if len(current) and (current.min() < 0 or current.max() >= n):
        raise ValueError(f"an edge joins a node outside 0..{n - 1}")
    current = current[current[:, 0] != current[:, 1]]
    for _ in range(MAX_ROUNDS):
        if not len(current):
            return []
        following = _shuffle(_shuffle(current, executor, both=True), executor, both=False)
        if np.array_equal(following, current):
            break
        current = following
    else:
        raise RuntimeError(f"large-star/small-star did not converge in {MAX_ROUNDS} rounds")
    # stars: each edge is (node, its component's smallest node)
    order = np.lexsort((current[:, 0], current[:, 1]))
    members, centre = current[order, 0], current[order, 1]
    starts = np.flatnonzero(np.concatenate(([True], centre[1:] != centre[:-1])))
    groups = np.split(members, starts[1:])
    return sorted([int(centre[s]), *g.tolist()] for s, g in zip(starts.tolist(), groups, strict=True))


def connected_components(
    n: int, edges: Iterable[tuple[int, int]], method: str = "union-find", executor: Executor | None = None
) -> list[list[int]]:
    """Connected components (size >= 2) by ``method`` (one of :data:`COMPONENT_METHODS`).

    >>> connected_components(4, [(0, 1), (2, 3), (1, 2)], "star")
    [[0, 1, 2, 3]]
    >>> connected_components(4, [], "bfs")
    Traceback (most recent call last):
    ...
    ValueError: unknown components method 'bfs'; choose from union-find, star
    """
    if method == "union-find":
        return union_find_components(n, edges)
    if method == "star":
        return star_components(n, edges, executor)
    raise ValueError(f"unknown components method {method!r}; choose from {', '.join(COMPONENT_METHODS)}")
