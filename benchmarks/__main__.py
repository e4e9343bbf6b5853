"""``python -m benchmarks [--quick] --out DIR``: the same as ``dedupe bench``."""

import sys

from dedupe.cli import app

app(["bench", *sys.argv[1:]], prog_name="python -m benchmarks")
