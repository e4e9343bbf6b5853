"""Run a command in a fresh process and sample the memory and CPU time of its whole process tree.

One way to measure peak memory for every suite: the resident set size of the
process and all its children (worker pools included), summed and sampled
every ``interval`` seconds with psutil. A child's own ``ru_maxrss`` misses
its workers, and ``RUSAGE_CHILDREN`` reports the largest single child, not
the sum, so neither answers "how much memory does this run need". Worse, on
Linux a child's ``ru_maxrss`` starts from its parent's high-water mark (exec
records the forked memory's peak), so it would charge our own benchmark
process's memory to every command; the command's exact own peak is read from
its ``VmHWM`` (``/proc/PID/status``, reset by exec) at each sample instead.

CPU time is the tree's too: the command's own user + system time with that of
the descendants it waited for (``wait4``), or, when more, the sum of the last
sampled CPU times of every process seen in the tree (a worker started through
a fork server is reaped by that server, which may never be waited for).

>>> import sys
>>> run = sampled_run([sys.executable, "-c", "x = bytearray(50_000_000); print('done')"])
>>> run.returncode, run.stdout.strip(), run.peak_mb > 40, run.cpu_seconds > 0
(0, 'done', True, True)
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True)
class PeakRun:
    """One finished command: wall seconds, peak RSS of its process tree (bytes), exit code, output,
    and the CPU seconds (user + system) of its process tree."""

    seconds: float
    peak_rss: int
    returncode: int
    stdout: str = ""
    stderr: str = ""
    cpu_seconds: float = 0.0

    @property
    def peak_mb(self) -> float:
        return self.peak_rss / MB


def _tree_rss(parent: object, cpu: dict[tuple[int, float], float] | None = None) -> int | None:
    """Summed RSS of ``parent`` (a psutil.Process) and its descendants; None once it is gone.

    With ``cpu``, also records each process's CPU seconds so far (user + system, its own only),
    keyed by (pid, creation time) so a reused pid is another process."""
    import psutil

    assert isinstance(parent, psutil.Process)
    try:
        procs = [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        return None
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
            if cpu is not None:
                t = p.cpu_times()
                cpu[(p.pid, p.create_time())] = t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def _own_peak(pid: int) -> int:
    """A process's own high-water RSS in bytes (``VmHWM``; 0 where ``/proc`` does not say)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def sampled_run(cmd: list[str], *, cwd: Path | None = None, interval: float = 0.02,
                timeout: float = 3600, env: dict[str, str] | None = None) -> PeakRun:
    """Run ``cmd`` to the end, sampling its process tree's RSS every ``interval`` seconds.

    The peak is the larger of the highest sample (the tree: the process and its
    workers, summed) and the process's own high-water mark as last sampled
    (catches a spike shorter than the interval).

    ``env`` replaces the environment (default: ours). Output goes to temporary files
    (a pipe could fill and stall the child while we only sample); raises :class:`TimeoutError` after ``timeout`` seconds.
    """
    import psutil

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, text=True, env=env)
        peak, child_max, code, waited_cpu = 0, 0, None, 0.0
        cpu: dict[tuple[int, float], float] = {}
        try:
            parent = psutil.Process(proc.pid)
            while code is None:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:  # exited (its ru_maxrss is not used: it includes our own peak, see above)
                    code = os.waitstatus_to_exitcode(status)
                    waited_cpu = usage.ru_utime + usage.ru_stime  # includes the children it waited for
                    proc.returncode = code
                    break
                child_max = max(child_max, _own_peak(proc.pid))
                total = _tree_rss(parent, cpu)
                if total is not None:
                    peak = max(peak, total)
                if time.perf_counter() - t0 > timeout:
                    proc.kill()
                    raise TimeoutError(f"{' '.join(cmd[:4])} ... ran over {timeout} s")
                time.sleep(interval)
        finally:
            if code is None:
                code = proc.wait()
        peak = max(peak, child_max)
        seconds = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        return PeakRun(seconds, peak, code, out.read(), err.read(), max(waited_cpu, sum(cpu.values())))


_PIPELINE_PROBE = r"""
import json, resource, sys, time
from dedupe import Config
from dedupe.pipeline import run
def main_peak_mb():  # VmHWM: ru_maxrss would start from the parent's peak (see the module docstring)
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
path, out, mode, workers, executor = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
config = Config(workers=int(workers), executor=executor) if workers else Config(executor=executor)
t0 = time.perf_counter()
result = run([path], out, config, mode=mode)
seconds = time.perf_counter() - t0
stats = result.stats()
print(json.dumps({
    "seconds": seconds,
    "main_peak_rss_mb": main_peak_mb(),
    "timings_s": result.timings_s,
    "documents": stats["documents"],
    "candidate_pairs": stats["candidate_pairs"],
    "verified_pairs": stats["verified_pairs"],
}))
"""


def pipeline_run(path: Path, out: Path, *, mode: str = "run", workers: int | None = None,
                 executor: str = "local", timeout: float = 3600, cwd: Path | None = None) -> dict[str, Any]:
    """One ``dedupe`` pipeline run over ``path`` in a fresh process: its own timings and counts, plus
    the wall ``process_seconds`` (start-up and imports included) and ``cpu_seconds`` of the whole
    process tree, and ``peak_rss_mb`` of the whole process tree (workers included; with ``executor="ray"`` the local
    cluster's processes too, as they are the run's children) as :func:`sampled_run` measures it.

    ``workers=None`` uses the configured default (all cores). ``cwd`` runs the ``dedupe`` package of
    another checkout (the probe imports it from its working directory).
    """
    import json
    import sys

    res = sampled_run([sys.executable, "-c", _PIPELINE_PROBE, str(path), str(out), mode,
                       "" if workers is None else str(workers), executor], timeout=timeout, cwd=cwd)
    if res.returncode not in (0, 1):  # 1: some records rejected, the run itself finished
        raise RuntimeError(f"dedupe {mode} on {path} failed (exit {res.returncode}): {res.stderr.strip()[-2000:]}")
    figures = json.loads(res.stdout.strip().splitlines()[-1])
    return {**figures, "peak_rss_mb": res.peak_mb, "process_seconds": res.seconds, "cpu_seconds": res.cpu_seconds}
