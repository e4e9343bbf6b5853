"""datatrove and text-dedup finding near-duplicates, each run the way its documentation runs it.

Each peer runs in a fresh process of its own environment
(:mod:`benchmarks.peer_envs`) over JSONL files of ``{"id", "text"}``
records; its cluster output is read back into lists of ids, and the run is
timed from the outside (:func:`benchmarks.process.sampled_run`): wall
seconds from start to exit (interpreter start-up and imports included, as a
user pays them), CPU seconds of the whole process tree (its worker pools
included) and the tree's peak RSS.

- **datatrove** (HuggingFace, the FineWeb pipeline): a ``JsonlReader`` and
  its four minhash stages, each a ``LocalPipelineExecutor``: signatures
  (one task per input file), buckets (one task per bucket), clusters
  (``save_cluster_id=True``) and the filter (``load_cluster_ids=True``,
  removed documents to an exclusion ``JsonlWriter``); documents that share a
  ``minhash_cluster_id`` form a cluster. ``config="default"`` is
  ``MinhashConfig()`` (word 5-grams of spaCy-tokenised simplified text,
  14 bands of 8 hashes, 64-bit xxhash); ``config="fineweb"`` is what FineWeb
  ran: the same bands with 64-bit sha1 shingle hashes.
- **text-dedup**: its command line, ``python -m text_dedup.minhash`` (or
  ``simhash``) on a JSON dataset with ``--idx_column id --debug``, keeping
  its defaults (minhash: word 5-grams split on non-word characters, 250
  permutations, threshold 0.7, bands from its optimiser, sha1; simhash:
  character 3-grams, 64 bits, bit difference 3, 4 blocks); clusters are the
  union-find it writes in debug mode (``uf.pkl``), read back in its own
  environment.

Every function returns a :class:`PeerRun`; a missing environment raises
:class:`PeerMissing` with the command that installs it.

>>> write_docs(Path(tempfile.mkdtemp()) / "in", ["a", "b", "c"], ["x y", "y z", "z w"], shards=2)[1].name
'00001.jsonl'
>>> try:
...     require("no-such-peer")
... except PeerMissing as e:
...     print(str(e).split(":")[0])
no-such-peer skipped
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import peer_envs
from .process import sampled_run

DATATROVE_CONFIGS = ("default", "fineweb")

_DATATROVE_SCRIPT = r'''
import sys


def main() -> None:
    from datatrove.executor.local import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster, MinhashDedupFilter, MinhashDedupSignature)
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter
    from datatrove.utils.hashing import HashConfig

    src, base, config, files, workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    num_buckets, hashes_per_bucket = int(sys.argv[6]), int(sys.argv[7])
    if config == "fineweb":  # examples/fineweb.py: 64-bit hashes (sha1 then), 14 buckets of 8, 5-grams
        cfg = MinhashConfig(hash_config=HashConfig(precision=64, hash_fc="sha1"),
                            num_buckets=14, hashes_per_bucket=8, n_grams=5)
    else:
        cfg = MinhashConfig()
    if num_buckets:
        cfg.num_buckets, cfg.hashes_per_bucket = num_buckets, hashes_per_bucket
    reader = JsonlReader(src, compression=None)
    logs = f"{base}/logs"
    signatures = LocalPipelineExecutor(
        pipeline=[reader, MinhashDedupSignature(output_folder=f"{base}/signatures", config=cfg)],
        tasks=files, workers=workers, logging_dir=f"{logs}/signatures")
    buckets = LocalPipelineExecutor(
        pipeline=[MinhashDedupBuckets(input_folder=f"{base}/signatures", output_folder=f"{base}/buckets",
                                      config=cfg)],
        tasks=cfg.num_buckets, workers=workers, logging_dir=f"{logs}/buckets", depends=signatures)
    clusters = LocalPipelineExecutor(
        pipeline=[MinhashDedupCluster(input_folder=f"{base}/buckets", output_folder=f"{base}/remove_ids",
                                      config=cfg, save_cluster_id=True)],
        tasks=1, logging_dir=f"{logs}/clusters", depends=buckets)
    filtered = LocalPipelineExecutor(
        pipeline=[reader,
                  MinhashDedupFilter(input_folder=f"{base}/remove_ids", load_cluster_ids=True,
                                     exclusion_writer=JsonlWriter(f"{base}/removed", compression=None)),
                  JsonlWriter(f"{base}/kept", compression=None)],
        tasks=files, workers=workers, logging_dir=f"{logs}/filter", depends=clusters)
    filtered.run()


if __name__ == "__main__":
    main()
'''

_UF_READER = r'''
import json, pickle, sys
with open(sys.argv[1], "rb") as fh:
    uf = pickle.load(fh)
groups = {}
for node in list(uf.parent):
    groups.setdefault(str(uf.find(node)), []).append(str(node))
print(json.dumps([g for g in groups.values() if len(g) > 1]))
'''


class PeerMissing(RuntimeError):
    """A peer's environment is not installed; the message says how to install it."""


@dataclass(frozen=True)
class PeerRun:
    """Clusters (ids, two or more each) a peer found, and what its run cost."""

    clusters: list[list[str]]
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    settings: dict[str, Any] = field(default_factory=dict)


def require(peer: str) -> Path:
    """The interpreter of ``peer``'s environment; raises :class:`PeerMissing` when it is not installed."""
    py = peer_envs.python_for(peer)
    if py is None:
        raise PeerMissing(peer_envs.missing_message(peer))
    return py


def write_docs(folder: Path, ids: Sequence[str], texts: Sequence[str], *, shards: int = 1) -> list[Path]:
    """Write ``{"id", "text"}`` JSONL into ``folder`` as ``shards`` files of consecutive records."""
    if len(ids) != len(texts):
        raise ValueError(f"{len(ids)} ids but {len(texts)} texts: give one id per text")
    folder.mkdir(parents=True, exist_ok=True)
    shards = max(1, min(shards, len(ids) or 1))
    size = -(-len(ids) // shards)
    paths = []
    for s in range(shards):
        path = folder / f"{s:05d}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for i, t in zip(ids[s * size : (s + 1) * size], texts[s * size : (s + 1) * size], strict=True):
                fh.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")
        paths.append(path)
    return paths


def _clusters(groups: dict[Any, list[str]]) -> list[list[str]]:
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)


def _offline_env() -> dict[str, str]:
    """The environment for a peer's process: no hub look-ups, no progress-bar noise."""
    return {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TQDM_DISABLE": "1",
            "TOKENIZERS_PARALLELISM": "false"}


def _run(cmd: list[str], what: str, timeout: float) -> Any:
    res = sampled_run(cmd, timeout=timeout, env=_offline_env())
    if res.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {res.returncode}): {res.stderr.strip()[-3000:]}")
    return res


def datatrove_minhash(ids: Sequence[str], texts: Sequence[str], *, config: str = "default", workers: int = 2,
                      bands: tuple[int, int] | None = None, work: Path | None = None,
                      timeout: float = 7200) -> PeerRun:
    """datatrove's four minhash stages over the documents (``workers`` input files and processes).

    ``config`` is ``"default"`` or ``"fineweb"`` (see the module docstring); ``bands`` =
    ``(num_buckets, hashes_per_bucket)`` replaces its LSH banding (14 of 8: similarity ≈ 0.72)."""
    if config not in DATATROVE_CONFIGS:
        raise ValueError(f"unknown datatrove config {config!r}: choose one of {', '.join(DATATROVE_CONFIGS)}")
    if bands is not None and (bands[0] < 1 or bands[1] < 1):
        raise ValueError(f"bands {bands} must be (num_buckets, hashes_per_bucket), both at least 1")
    py = require("datatrove")
    base = Path(tempfile.mkdtemp(prefix="datatrove-", dir=work))
    files = write_docs(base / "input", ids, texts, shards=workers)
    script = base / "datatrove_minhash.py"
    script.write_text(_DATATROVE_SCRIPT)
    b, r = bands or (0, 0)
    res = _run([str(py), str(script), str(base / "input"), str(base / "out"), config, str(len(files)),
                str(workers), str(b), str(r)], f"datatrove minhash ({config})", timeout)
    groups: dict[int, list[str]] = {}
    for part in ("kept", "removed"):
        for path in sorted((base / "out" / part).glob("*.jsonl")):
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    rec = json.loads(line)
                    cid = rec.get("metadata", {}).get("minhash_cluster_id", -1)
                    if cid != -1:
                        groups.setdefault(cid, []).append(rec["id"])
    shutil.rmtree(base, ignore_errors=True)
    return PeerRun(_clusters(groups), res.seconds, res.cpu_seconds, res.peak_mb,
                   {"config": config, "workers": workers, "bands": list(bands) if bands else [14, 8],
                    **peer_envs.versions("datatrove")})


def text_dedup(ids: Sequence[str], texts: Sequence[str], *, method: str = "minhash", workers: int = 2,
               options: Sequence[str] = (), work: Path | None = None, timeout: float = 7200) -> PeerRun:
    """text-dedup's ``python -m text_dedup.<method>`` (``minhash`` or ``simhash``) with its defaults,
    ``--num_proc workers``, plus any extra command-line ``options`` (e.g. ``["--threshold", "0.5"]``)."""
    if method not in ("minhash", "simhash"):
        raise ValueError(f"unknown text-dedup method {method!r}: choose minhash or simhash")
    py = require("text-dedup")
    base = Path(tempfile.mkdtemp(prefix=f"text-dedup-{method}-", dir=work))
    write_docs(base / "input", ids, texts)
    out = base / "out"
    res = _run([str(py), "-m", f"text_dedup.{method}", "--path", "json",
                "--data_files", str(base / "input" / "00000.jsonl"), "--split", "train",
                "--cache_dir", str(base / "cache"), "--output", str(out), "--column", "text",
                "--idx_column", "id", "--num_proc", str(workers), "--debug", *options],
               f"text-dedup {method}", timeout)
    read = _run([str(py), "-c", _UF_READER, str(out / "uf.pkl")], "reading text-dedup's uf.pkl", 600)
    groups = dict(enumerate(json.loads(read.stdout.strip().splitlines()[-1])))
    shutil.rmtree(base, ignore_errors=True)
    return PeerRun(_clusters(groups), res.seconds, res.cpu_seconds, res.peak_mb,
                   {"method": method, "workers": workers, "options": list(options),
                    **peer_envs.versions("text-dedup")})
