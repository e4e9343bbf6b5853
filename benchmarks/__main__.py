"""``python -m benchmarks [--quick] --out DIR``: the same as ``dedupe bench``."""

import sys

from dedupe.cli import app

args = sys.argv[1:]
sys.argv = [sys.argv[0], "bench", *args]  # the report records its command from argv[2:], as under `dedupe bench`
app(["bench", *args], prog_name="python -m benchmarks")
