"""Run the benchmark suites and write ``report.md``, ``report.json`` and PNG plots.

``dedupe bench`` and ``python -m benchmarks`` both end here. A suite that
fails is reported as failed (with its error) and the others still run; the
report always records the machine, the date and the command.

>>> sorted(machine())[:3]
['cores', 'cpu', 'date']
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from .common import Context, Plot, Suite
from .peers import have, version

#: Suites in report order; a name whose module is absent is skipped with a note.
SUITES = ("throughput", "workers", "scaling", "memory", "clean_quality", "clean_speed", "html_quality", "dedup_quality",
          "dedup_speed", "fuzz_cleaners", "shards", "ray_executor")

#: Suites a quick run leaves out unless named (each Ray cluster start alone takes seconds).
NOT_QUICK = ("ray_executor",)
#: Suites that need an optional package (import name, extra that installs it); without it they are
#: skipped with a note, not failed.
NEEDS = {"ray_executor": ("ray", "ray"), "shards": ("pyarrow", "parquet")}

PACKAGES = ("dedupe", "numpy", "datasketch", "rapidfuzz", "selectolax", "regex", "xxhash",
            "trafilatura", "justext", "readability-lxml", "resiliparse", "matplotlib", "psutil")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": _memory_gb(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "packages": {p: version(p) for p in PACKAGES},
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _draw(plot: Plot, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
    if plot.kind == "bar":
        labels: list[Any] = []
        for xs, _ in plot.series.values():
            labels += [x for x in xs if x not in labels]
        width = 0.8 / max(1, len(plot.series))
        for k, (name, (xs, ys)) in enumerate(plot.series.items()):
            pos = [labels.index(x) + k * width - 0.4 + width / 2 for x in xs]
            ax.bar(pos, ys, width, label=name)
        ax.set_xticks(range(len(labels)))
        ax.set_xticklabels([str(x) for x in labels], rotation=20, ha="right")
    else:
        for name, (xs, ys) in plot.series.items():
            ax.plot(xs, ys, marker="o", label=name)
    if plot.logx:
        ax.set_xscale("log")
    if plot.logy:
        ax.set_yscale("log")
    ax.set_title(plot.title)
    ax.set_xlabel(plot.xlabel)
    ax.set_ylabel(plot.ylabel)
    if len(plot.series) > 1:
        ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def run_suites(ctx: Context, names: tuple[str, ...] = SUITES, *, log: Any = None) -> dict[str, Any]:
    """Run the named suites; returns ``{"suites": {...}, "failed": {...}, "skipped": [...]}``."""
    results: dict[str, Suite] = {}
    failed: dict[str, str] = {}
    skipped: list[str] = []
    seconds: dict[str, float] = {}
    for name in names:
        if name in NEEDS and not have(NEEDS[name][0]):
            module_name, extra = NEEDS[name]
            skipped.append(f"{name} (needs {module_name}: pip install -e '.[{extra}]')")
            continue
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"benchmarks.{name}":
                skipped.append(name)
                continue
            raise
        if log:
            log(f"bench: {name} ...")
        t0 = time.perf_counter()
        try:
            results[name] = module.run(ctx)
        except Exception as exc:  # noqa: BLE001 - one failed suite must not cost the report
            failed[name] = f"{type(exc).__name__}: {exc}"
            if ctx.options.get("debug"):
                traceback.print_exc()
        seconds[name] = time.perf_counter() - t0
        if log:
            verdict = f"failed: {failed[name]}" if name in failed else "done"
            log(f"bench: {name} {verdict} ({seconds[name]:.1f} s)")
    return {"suites": results, "failed": failed, "skipped": skipped, "seconds": seconds}


def write_report(out: Path, ctx: Context, outcome: dict[str, Any], command: str) -> None:
    """``report.md``, ``report.json`` and one PNG per plot in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    info = machine()
    md = [
        "# dedupe benchmark report",
        "",
        f"- date: {info['date']}",
        f"- machine: {info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB, Python {info['python']}",
        f"- command: `{command}`" + (" (quick)" if ctx.quick else ""),
        "- versions: " + ", ".join(f"{k} {v}" for k, v in info["packages"].items() if v),
        "",
        "Peers run in the same process and run as our code, on the same inputs; timings are medians of "
        f"{ctx.repeats} runs with their spread, because this machine is shared and noisy.",
        "",
    ]
    raw: dict[str, Any] = {"machine": info, "command": command, "quick": ctx.quick, "repeats": ctx.repeats,
                           "seed": ctx.seed, "suites": {}, "failed": outcome["failed"],
                           "skipped": outcome["skipped"], "suite_seconds": outcome["seconds"]}
    have_mpl = version("matplotlib") is not None
    for name, suite in outcome["suites"].items():
        md += [f"## {name}", ""]
        for table in suite.tables:
            md.append(table.markdown())
        plots = []
        for plot in suite.plots:
            if have_mpl:
                _draw(plot, out / f"{plot.name}.png")
                md += [f"![{plot.title}]({plot.name}.png)", ""]
                plots.append(f"{plot.name}.png")
        raw["suites"][name] = {"tables": [t.to_json() for t in suite.tables], "figures": suite.figures,
                               "plots": plots}
    if outcome["failed"]:
        md += ["## Failed suites", ""] + [f"- {k}: {v}" for k, v in outcome["failed"].items()] + [""]
    if outcome["skipped"]:
        md += ["Not run: " + ", ".join(outcome["skipped"]), ""]
    _write_atomically(out / "report.json", json.dumps(raw, indent=2, default=str, ensure_ascii=False) + "\n")
    _write_atomically(out / "report.md", "\n".join(md))


def main(out: Path, *, quick: bool = False, suites: tuple[str, ...] = (), repeats: int | None = None,
         workers: int | None = None, sizes: tuple[int, ...] = (), debug: bool = False,
         command: str | None = None) -> int:
    """Run the benchmarks into ``out``; returns 0, or 1 when a suite failed."""
    names = suites or tuple(s for s in SUITES if not (quick and s in NOT_QUICK))
    unknown = [s for s in names if s not in SUITES]
    if unknown:
        raise ValueError(f"unknown suite(s) {', '.join(unknown)}; choose from {', '.join(SUITES)}")
    work = Path(tempfile.mkdtemp(prefix="dedupe-bench-"))
    options: dict[str, Any] = {"debug": debug}
    if workers:
        options["workers"] = workers
    if sizes:
        options["sizes"] = sizes
    ctx = Context(quick=quick, repeats=repeats or (2 if quick else 5), workdir=work, options=options)
    try:
        outcome = run_suites(ctx, names, log=lambda m: print(m, file=sys.stderr))
        write_report(Path(out), ctx, outcome, command or "dedupe bench " + " ".join(sys.argv[2:]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if outcome["failed"] else 0
