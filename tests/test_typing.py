"""The package and its benchmarks type-check: mypy over ``dedupe/`` and ``benchmarks/`` with the settings in
pyproject.toml.

mypy is in the ``dev`` extra, so CI runs this; a type error anywhere in the
package fails the tests with mypy's own report.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_package_type_checks() -> None:
    pytest.importorskip("mypy", reason="mypy is in the dev extra: pip install -e '.[dev]'")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "dedupe", "benchmarks"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, f"mypy found type errors (run `mypy dedupe benchmarks`):\n{proc.stdout}{proc.stderr}"
