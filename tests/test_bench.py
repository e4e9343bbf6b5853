"""`dedupe bench --quick` writes a report a person can read and a JSON a program can: check the
structure (not the timings, which belong to the machine)."""

from __future__ import annotations

import json

import pytest

from .conftest import run_cli


@pytest.fixture(scope="module")
def quick_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    proc = run_cli("bench", "--quick", "--suite", "throughput", "--suite", "scaling", "--out", str(out),
                   timeout=1200)  # 16 s on a quiet machine; 263 s seen at load average 15
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_report_files(quick_report):
    names = {p.name for p in quick_report.iterdir()}
    assert {"report.md", "report.json"} <= names
    pngs = [p for p in quick_report.iterdir() if p.suffix == ".png"]
    assert len(pngs) >= 4
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_json_has_machine_and_stage_rates(quick_report):
    report = json.loads((quick_report / "report.json").read_text("utf-8"))
    machine = report["machine"]
    for key in ("cpu", "cores", "memory_gb", "python", "packages", "date"):
        assert machine[key], key
    assert machine["packages"]["datasketch"]
    stages = report["suites"]["throughput"]["figures"]["stages"]
    for stage in ("read", "clean", "sign", "index", "verify", "cluster", "write", "total"):
        assert stages[stage]["mb_per_s"] > 0, stage
        assert len(stages[stage]["seconds"]) == report["repeats"]
    peers = report["suites"]["throughput"]["figures"]["peers"]
    assert peers["datasketch_update_batch"]["mb_per_s"] > 0
    assert peers["datasketch_lsh_pipeline"]["mb_per_s"] > 0
    assert peers["clean_text_trafilatura"]["mb_per_s"] > 0
    scaling = report["suites"]["scaling"]["figures"]
    assert [p["docs"] for p in scaling["points"]] == sorted(p["docs"] for p in scaling["points"])
    assert all(p["peak_rss_mb"] > 0 and p["documents"]["read"] == p["docs"] for p in scaling["points"])
    assert isinstance(scaling["time_exponent"], float)


def test_report_md_shows_peers_beside_ours(quick_report):
    md = (quick_report / "report.md").read_text("utf-8")
    assert "# dedupe benchmark report" in md and "machine:" in md
    assert "datasketch" in md and "trafilatura" in md and "jusText" in md
    assert "Growth exponents" in md
    assert md.count("![") >= 4


def test_unknown_suite_is_a_clear_error(tmp_path):
    proc = run_cli("bench", "--quick", "--suite", "nope", "--out", str(tmp_path))
    assert proc.returncode == 2
    assert "unknown suite(s) nope" in proc.stderr


def test_every_benchmark_command_answers_help_without_running():
    """``python -m benchmarks.NAME --help`` prints usage and exits; an unknown option is an error, not a run
    (``benchmarks.junk --help`` once rewrote a fixture, ``html_quality --help`` ran the full benchmark)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    internal = {"dedup_peers"}  # its main runs inside a peer's own venv, called by the suite
    names = sorted(p.stem for p in (root / "benchmarks").glob("*.py")
                   if 'if __name__ == "__main__"' in p.read_text(encoding="utf-8") and p.stem not in internal)
    assert len(names) >= 10
    runs = {(name, flag): subprocess.Popen([sys.executable, "-m", f"benchmarks.{name}", flag], cwd=root,
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for name in names for flag in ("--help", "--no-such-option")}
    for (name, flag), proc in runs.items():
        out, err = proc.communicate(timeout=300)
        if flag == "--help":
            assert proc.returncode == 0 and out.startswith("usage: python -m benchmarks."), (name, out[:300], err[-500:])
        else:
            assert proc.returncode == 2 and "unrecognized arguments: --no-such-option" in err, (name, err[-500:])
