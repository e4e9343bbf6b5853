"""Clusters from verified pairs, with a guard against chaining.

Union-find joins every verified pair. A component can chain (A~B, B~C while
A and C differ), so each component is then checked against its canonical
copy: members that do not match the canonical by the duplicate rule are split
off and clustered again among themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


class UnionFind:
    """Disjoint sets over ``0..n-1`` with path halving and union by size.

    >>> uf = UnionFind(4)
    >>> uf.union(0, 1); uf.union(2, 3); uf.union(1, 0)
    >>> sorted(sorted(c) for c in uf.groups())
    [[0, 1], [2, 3]]
    """

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]

    def groups(self) -> list[list[int]]:
        """Components with two or more members, each sorted."""
        by_root: dict[int, list[int]] = {}
        for x in range(len(self.parent)):
            by_root.setdefault(self.find(x), []).append(x)
        return [g for g in by_root.values() if len(g) > 1]


def components(n: int, edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected components (size >= 2) of the graph on ``0..n-1``."""
    uf = UnionFind(n)
    for a, b in edges:
        uf.union(a, b)
    return sorted(uf.groups())


def _local_components(nodes: list[int], edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Components (size >= 2) among ``nodes`` (any ints), using only edges inside them."""
    index = {x: k for k, x in enumerate(nodes)}
    uf = UnionFind(len(nodes))
    for a, b in edges:
        if a in index and b in index:
            uf.union(index[a], index[b])
    return sorted(sorted(nodes[k] for k in g) for g in uf.groups())


def split_chains(
    members: list[int],
    edges: Iterable[tuple[int, int]],
    choose: Callable[[list[int]], int],
    matches: Callable[[int, int], bool],
) -> list[tuple[int, list[int]]]:
    """Break a component into clusters every member of which matches its canonical.

    ``edges`` are the verified pairs (those inside the component are used);
    ``choose`` picks the canonical of a member list; ``matches(c, m)`` applies
    the duplicate rule between canonical ``c`` and member ``m``. Returns
    ``(canonical, members)`` pairs for clusters of two or more. Members split
    off are re-clustered among themselves by their own verified pairs.

    >>> edges = {(0, 1), (1, 2)}          # 0~1, 1~2, but 0 and 2 differ
    >>> ok = {(0, 1), (1, 0), (1, 2), (2, 1)}
    >>> split_chains([0, 1, 2], edges, choose=min, matches=lambda a, b: (a, b) in ok)
    [(0, [0, 1])]
    """
    inside = set(members)
    local = [(a, b) for a, b in edges if a in inside and b in inside]
    out: list[tuple[int, list[int]]] = []
    pending = [sorted(members)]
    while pending:
        group = pending.pop()
        if len(group) < 2:
            continue
        canonical = choose(group)
        held = [canonical] + [m for m in group if m != canonical and matches(canonical, m)]
        held_set = set(held)
        rest = [m for m in group if m not in held_set]
        if len(held) > 1:
            out.append((canonical, sorted(held)))
        if len(rest) > 1:
            pending.extend(_local_components(rest, local))
    return sorted(out, key=lambda item: item[1])
