"""The suite contract and timing helpers every benchmark suite uses.

A suite is a module exposing ``run(ctx: Context) -> Suite``. It measures our
code and the peers in the same process and run, and returns tables (for
``report.md``), raw figures (for ``report.json``) and optional plot specs.

>>> t = Table("demo", ["tool", "F1"], [["dedupe", 0.97], ["peer", 0.81]])
>>> print(t.markdown())
### demo
<BLANKLINE>
| tool | F1 |
|---|---|
| dedupe | 0.970 |
| peer | 0.810 |
<BLANKLINE>
>>> m = measure(lambda: sum(range(1000)), repeats=3)
>>> m.runs
3
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Context:
    """What a suite is asked to do: ``quick`` runs must finish in seconds."""

    quick: bool = False
    repeats: int = 3
    workdir: Path = Path("bench-out")
    seed: int = 0
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Table:
    """One table of the report: a title, column names, rows and a note under it."""

    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""

    def markdown(self) -> str:
        def fmt(v: Any) -> str:
            if isinstance(v, float) and v != v:
                return "—"
            if isinstance(v, float):
                return f"{v:.3f}" if abs(v) < 10 else f"{v:,.1f}" if abs(v) < 1000 else f"{v:,.0f}"
            return str(v)

        lines = [f"### {self.title}", "", "| " + " | ".join(self.columns) + " |",
                 "|" + "---|" * len(self.columns)]
        lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in self.rows]
        if self.note:
            lines += ["", self.note]
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "columns": self.columns, "rows": self.rows, "note": self.note}


@dataclass
class Plot:
    """A plot the report draws: ``kind`` is ``bar`` or ``line``; series map a label to (x, y) lists."""

    name: str
    title: str
    kind: str
    xlabel: str
    ylabel: str
    series: dict[str, tuple[list[Any], list[float]]]
    logx: bool = False
    logy: bool = False


@dataclass
class Suite:
    """What a suite returns."""

    name: str
    tables: list[Table] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    plots: list[Plot] = field(default_factory=list)


@dataclass(frozen=True)
class Measurement:
    """Wall-clock seconds of repeated runs: median and spread (min, max)."""

    median: float
    low: float
    high: float
    runs: int

    def rate(self, amount: float) -> float:
        """``amount`` per second at the median time."""
        return amount / self.median if self.median > 0 else float("inf")

    def to_json(self) -> dict[str, float]:
        return {"median_s": self.median, "min_s": self.low, "max_s": self.high, "runs": self.runs}


def measure(fn: Callable[[], Any], *, repeats: int = 3, warmup: int = 0) -> Measurement:
    """Run ``fn`` ``repeats`` times (after ``warmup`` untimed runs) and report median and spread."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(max(1, repeats)):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return Measurement(statistics.median(times), min(times), max(times), len(times))


def interleaved(fns: dict[str, Callable[[], Any]], *, repeats: int = 3) -> dict[str, Measurement]:
    """Time several contenders in turn (A B A B …) so machine noise hits them alike."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(max(1, repeats)):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {k: Measurement(statistics.median(v), min(v), max(v), len(v)) for k, v in times.items()}


def suite_main(
    run: Callable[[Context], Suite],
    doc: str | None,
    argv: list[str] | None = None,
    *,
    configure: Callable[[argparse.ArgumentParser], None] | None = None,
    figures: bool = False,
    context: dict[str, Any] | None = None,
) -> Suite:
    """The command line of a suite module (``python -m benchmarks.NAME``): ``--help`` prints the module's
    docstring and options, ``--quick`` runs the quick mode, an unknown option is an error (never a full run).

    ``configure(parser)`` adds the module's own options; every option it adds that is given lands in
    ``ctx.options`` under its name. ``context`` sets other :class:`Context` fields (``workdir``, ``repeats``).
    Prints the suite's tables (and its figures as JSON when ``figures``) and returns the suite.

    >>> suite_main(lambda ctx: Suite("demo", [Table("quick" if ctx.quick else "full", ["a"], [[1]])]),
    ...            "Demo suite.", ["--quick"])  # doctest: +ELLIPSIS
    ### quick
    ...
    >>> suite_main(lambda ctx: Suite("demo"), "Demo suite.", ["--bogus"])
    Traceback (most recent call last):
    ...
    SystemExit: 2
    """
    import json
    import sys

    spec = getattr(sys.modules.get(run.__module__), "__spec__", None)
    parser = argparse.ArgumentParser(prog=f"python -m {spec.name}" if spec else None, description=doc,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="the quick mode the tests run (seconds, small inputs)")
    own = set(vars(parser.parse_args([])))
    if configure is not None:
        configure(parser)
    args = parser.parse_args(argv)
    options = {k: v for k, v in vars(args).items() if k not in own and v is not None}
    suite = run(Context(quick=args.quick, options=options, **(context or {})))
    for table in suite.tables:
        print(table.markdown())
    if figures:
        print(json.dumps(suite.figures, ensure_ascii=False, indent=2))
    return suite
