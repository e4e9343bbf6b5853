"""Benchmarks of dedupe: throughput, scaling and quality, beside the peers.

Each suite is a module with ``run(ctx: Context) -> Suite`` (see
:mod:`benchmarks.common`); ``python -m benchmarks`` and ``dedupe bench`` run
them all and write ``report.md``, ``report.json`` and PNG plots.
"""
