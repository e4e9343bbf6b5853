"""Where stage functions run: in this process, in a pool of local processes, or as Ray core tasks.

A stage is a plain module-level function over a batch; an :class:`Executor`
runs it. Two operations are enough for the dedup stages:

- ``map(fn, items)``: ``[fn(x) for x in items]``, in order (``imap`` yields
  them one by one, with a bounded number of tasks in flight, so a long
  stream of batches never sits in memory or in the object store at once);
- ``map_reduce(mapper, items, reducer, partitions)``: every mapper call
  returns exactly ``partitions`` parts; reducer ``p`` gets the list of part
  ``p`` of every mapper, in item order (a shuffle), and the reducers' results
  come back in partition order.

Every implementation gives the same results for the same functions, so the
output of a run does not depend on the executor. ``--executor local`` (the
default) runs in this process, ``--executor processes`` in a
:class:`PoolExecutor` of ``--workers`` processes; neither imports Ray; :class:`RayExecutor` needs the ``dedupe[ray]``
extra and starts a small local cluster when no address is given.

>>> def split(x: int, parts: int) -> list[list[int]]:
...     return [[v for v in range(x) if v % parts == p] for p in range(parts)]
>>> ex = InProcessExecutor()
>>> ex.map(abs, [-2, 3])
[2, 3]
>>> def merge(parts: list[list[int]]) -> list[int]:
...     return sorted(v for part in parts for v in part)
>>> ex.map_reduce(split, [3, 5], merge, partitions=2)
[[0, 0, 2, 2, 4], [1, 1, 3]]
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from typing import Any, Protocol, TypeVar

from .errors import ConfigError

T = TypeVar("T")
P = TypeVar("P")
R = TypeVar("R")

#: Executor names accepted by ``Config.executor`` and ``--executor``.
EXECUTORS: tuple[str, ...] = ("local", "processes", "ray")

#: Object store of a local cluster started by :class:`RayExecutor` (Ray's minimum is 75 MiB).
LOCAL_OBJECT_STORE_BYTES = 128 * 1024 * 1024


#: Tasks :meth:`RayExecutor.imap` keeps submitted per CPU of the cluster (enough to keep every CPU busy).
IN_FLIGHT_PER_CPU = 3


class Executor(Protocol):
    """Runs plain functions over batches; see the module docstring."""

    #: How many tasks can usefully run at once (callers size their batches by it).
    parallelism: int

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """``[fn(x) for x in items]``, in order."""
        ...

    def imap(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``fn(x)`` for each ``x`` of ``items``, yielded in order; ``items`` is read as tasks free up."""
        ...

    def map_reduce(
        self,
        mapper: Callable[[T, int], Sequence[P]],
        items: Sequence[T],
        reducer: Callable[[list[P]], R],
        partitions: int,
    ) -> list[R]:
        """Shuffle the mappers' partitions to ``partitions`` reducers; their results in order."""
        ...

    def close(self) -> None:
        """Release what the executor started."""
        ...


def _require_partitions(partitions: int) -> None:
    if partitions < 1:
        raise ValueError(f"partitions must be at least 1 (got {partitions})")


def _gather(mapped: Iterable[Sequence[P]], partitions: int) -> list[list[P]]:
    """The shuffle: part ``p`` of every mapper's parts, in mapper order, for each ``p``."""
    gathered: list[list[P]] = [[] for _ in range(partitions)]
    for parts in mapped:
        for p, part in enumerate(parts):
            gathered[p].append(part)
    return gathered


def _windowed(submit: Callable[[T], Any], get: Callable[[Any], R], items: Iterable[T], window: int) -> Iterator[R]:
    """Results of ``submit``-ted tasks in item order, at most ``window`` in flight (``items`` read as they free up)."""
    pending: deque[Any] = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield get(pending.popleft())
    while pending:
        yield get(pending.popleft())


def _checked(parts: Sequence[P], partitions: int) -> Sequence[P]:
    if len(parts) != partitions:
        raise ValueError(f"a mapper returned {len(parts)} partitions; it must return exactly {partitions}")
    return parts


class _PartsOf:
    """A picklable ``item -> mapper(item, partitions)``, checked to hold ``partitions`` parts."""

    def __init__(self, mapper: Callable[[Any, int], Sequence[Any]], partitions: int) -> None:
        self.mapper, self.partitions = mapper, partitions

    def __call__(self, item: Any) -> Sequence[Any]:
        return _checked(self.mapper(item, self.partitions), self.partitions)


class _ShuffleHere:
    """``map_reduce`` from ``map``/``imap``, the parts gathered in this process (in-process and pool)."""

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        raise NotImplementedError

    def imap(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        raise NotImplementedError

    def map_reduce(
        self,
        mapper: Callable[[T, int], Sequence[P]],
        items: Sequence[T],
        reducer: Callable[[list[P]], R],
        partitions: int,
    ) -> list[R]:
        """Run each mapper, gather part ``p`` of all of them here, run reducer ``p``."""
        _require_partitions(partitions)
        return self.map(reducer, _gather(self.imap(_PartsOf(mapper, partitions), items), partitions))


class InProcessExecutor(_ShuffleHere):
    """Runs every call in this process, one after another (the default)."""

    parallelism = 1

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """``[fn(x) for x in items]``."""
        return [fn(x) for x in items]

    def imap(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``fn(x)`` for each item, one at a time."""
        return (fn(x) for x in items)

    def close(self) -> None:
        """Nothing to release."""


def die_with_parent(parent: int) -> None:
    """Worker initializer: exit when the main process is gone (even after SIGKILL).

    A pool worker blocks on its task queue and would otherwise outlive a killed
    run. Linux delivers SIGKILL at once (``PR_SET_PDEATHSIG``); elsewhere a
    watcher thread notices the new parent within half a second.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the thread below still works
            pass
    if os.getppid() != parent:  # the parent died before the initializer ran
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="dedupe-parent-watch", daemon=True).start()


class PoolExecutor(_ShuffleHere):
    """Runs calls in ``workers`` processes of this machine (``--executor processes --workers N``).

    The same tasks as on Ray, pickled to a process pool; results come back in
    item order, so the output is the one :class:`InProcessExecutor` gives.
    ``map_reduce`` runs the mappers and the reducers as pool tasks and gathers
    the parts here.
    Workers exit with the parent (:func:`die_with_parent`).

    >>> with PoolExecutor(2) as ex:
    ...     ex.map(abs, [-2, 3]), list(ex.imap(abs, range(-3, 0))), ex.parallelism
    ([2, 3], [3, 2, 1], 2)
    """

    def __init__(self, workers: int) -> None:
        if workers < 2:
            raise ValueError(f"a pool needs at least 2 workers (got {workers}); use InProcessExecutor for one")
        self.parallelism = workers
        self._pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
            max_workers=workers, initializer=die_with_parent, initargs=(os.getpid(),)
        )

    def __enter__(self) -> PoolExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _live(self) -> ProcessPoolExecutor:
        if self._pool is None:
            raise RuntimeError("this PoolExecutor is closed")
        return self._pool

    def submit(self, fn: Callable[..., R], *args: Any) -> Future[R]:
        """``fn(*args)`` as one task in the pool (for callers that keep their own window of tasks)."""
        return self._live().submit(fn, *args)

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """One task per item; results in item order."""
        return list(self.imap(fn, items))

    def imap(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """One task per item, at most ``IN_FLIGHT_PER_CPU`` per worker submitted at a time; results in order."""
        pool = self._live()
        return _windowed(lambda item: pool.submit(fn, item), Future.result, items, IN_FLIGHT_PER_CPU * self.parallelism)

    def close(self) -> None:
        """Stop the worker processes."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


#: Longest temporary directory a local cluster's files go under (Ray puts Unix sockets some 80 bytes below it).
SHORT_TEMP_ROOT = 24


def _short_temp_root() -> str:
    """The temporary directory when its path is short enough for Ray's sockets, else ``/tmp``."""
    root = tempfile.gettempdir()
    return root if len(root) <= SHORT_TEMP_ROOT else "/tmp"


def _map_task(mapper: Callable[[T, int], Sequence[P]], item: T, partitions: int) -> Any:
    parts = _PartsOf(mapper, partitions)(item)
    return parts[0] if partitions == 1 else tuple(parts)


def _apply_task(fn: Callable[[T], R], item: T) -> R:
    return fn(item)


def _reduce_task(reducer: Callable[[list[P]], R], *parts: P) -> R:
    return reducer(list(parts))


class RayExecutor:
    """Runs calls as Ray core tasks (not Ray Data).

    With ``address`` it joins that cluster (``"auto"`` finds a running one);
    without, it starts a new local cluster (even when a ``ray start`` one is
    running on this machine) of ``num_cpus`` CPUs, no dashboard, a small
    object store and its files under a fresh ``dedupe-ray-*`` directory of
    the temporary directory (``$TMPDIR`` when its path is short, else
    ``/tmp``: Ray's socket paths must stay under 108 bytes), and shuts it down
    and removes that directory on :meth:`close`. If Ray is already initialised in this
    process (a test session, a notebook) that cluster is used and left running.
    """

    def __init__(
        self,
        address: str | None = None,
        *,
        num_cpus: int = 2,
        object_store_memory: int = LOCAL_OBJECT_STORE_BYTES,
    ) -> None:
        try:
            import ray
        except ImportError as exc:
            raise ConfigError(
                "the ray executor needs Ray: pip install 'dedupe[ray]' (or pick --executor local)"
            ) from exc
        self._ray = ray
        self._owned = False
        self._temp_dir: str | None = None
        if not ray.is_initialized():
            if address:
                try:
                    ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
                except ConnectionError as exc:
                    raise ConfigError(
                        f"cannot join the Ray cluster at {address} ({exc}). A cluster started with `ray start` "
                        "checks a token by default: run with RAY_AUTH_MODE=token and the cluster's token in "
                        "~/.ray/auth_token or RAY_AUTH_TOKEN (or start the cluster with RAY_AUTH_MODE=disabled, "
                        "on a private network only)"
                    ) from exc
            else:
                self._temp_dir = tempfile.mkdtemp(prefix="dedupe-ray-", dir=_short_temp_root())
                try:
                    ray.init(
                        address="local",  # a new cluster, never one a `ray start` left running
                        num_cpus=num_cpus,
                        include_dashboard=False,
                        object_store_memory=object_store_memory,
                        _temp_dir=self._temp_dir,
                        log_to_driver=False,
                        logging_level=logging.WARNING,
                    )
                except BaseException:
                    self.close()
                    raise
            self._owned = True
        self.parallelism = max(1, int(ray.cluster_resources().get("CPU", 1)))
        self._map: Any = ray.remote(_map_task)
        self._reduce: Any = ray.remote(_reduce_task)
        self._apply: Any = ray.remote(_apply_task)

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """One task per item; results in item order."""
        return list(self.imap(fn, items))

    def imap(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """One task per item, at most ``IN_FLIGHT_PER_CPU`` per CPU submitted at a time; results in order.

        ``fn`` goes to the object store once (a function, a ``partial`` or any
        picklable callable). Arrays in the results are read-only views of the
        object store: copy before changing them.
        """
        ray = self._ray
        fn_ref = ray.put(fn)
        return _windowed(partial(self._apply.remote, fn_ref), ray.get, items, IN_FLIGHT_PER_CPU * self.parallelism)

    def map_reduce(
        self,
        mapper: Callable[[T, int], Sequence[P]],
        items: Sequence[T],
        reducer: Callable[[list[P]], R],
        partitions: int,
    ) -> list[R]:
        """One map task per item returning ``partitions`` objects; one reduce task per partition."""
        _require_partitions(partitions)
        ray = self._ray
        mapper_ref, reducer_ref = ray.put(mapper), ray.put(reducer)
        outs: list[Any] = [self._map.options(num_returns=partitions).remote(mapper_ref, item, partitions) for item in items]
        if partitions == 1:
            outs = [[ref] for ref in outs]
        reduced = [self._reduce.remote(reducer_ref, *(out[p] for out in outs)) for p in range(partitions)]
        return ray.get(reduced)

    def close(self) -> None:
        """Shut the cluster down if this executor started it."""
        if self._owned:
            self._ray.shutdown()
            self._owned = False
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None


def make_executor(name: str = "local", address: str | None = None, *, workers: int = 1) -> Executor:
    """The executor called ``name`` (one of :data:`EXECUTORS`): ``local`` is this process,
    ``processes`` a :class:`PoolExecutor` of ``workers`` processes (this process for one).

    >>> make_executor().parallelism
    1
    >>> make_executor("spark")
    Traceback (most recent call last):
    ...
    dedupe.errors.ConfigError: unknown executor 'spark'; choose from local, processes, ray
    """
    if address and name != "ray":
        raise ConfigError("--address is for the ray executor; add --executor ray or drop --address")
    if name == "local":
        return InProcessExecutor()
    if name == "processes":
        return PoolExecutor(workers) if workers > 1 else InProcessExecutor()
    if name == "ray":
        return RayExecutor(address)
    raise ConfigError(f"unknown executor {name!r}; choose from {', '.join(EXECUTORS)}")


@contextmanager
def executor_for(name: str = "local", address: str | None = None, *, workers: int = 1) -> Iterator[Executor]:
    """:func:`make_executor`, closed on exit."""
    ex = make_executor(name, address, workers=workers)
    try:
        yield ex
    finally:
        ex.close()
