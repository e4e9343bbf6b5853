"""Sharded corpus output: ``corpus-00000.jsonl``, … (or ``.parquet``) and ``manifest.json``.

The default output is one ``corpus.jsonl`` (byte for byte what it always
was). With :class:`~dedupe.config.OutputConfig` ``shard_size=N`` the same rows,
in the same id order, are cut into shards of ``N`` records; with
``format="parquet"`` each shard is a Parquet file (the ``dedupe[parquet]``
extra) with one fixed schema. ``manifest.json`` lists the shards in order with
their record count, size, SHA-256 and first and last id, and holds no
timestamps, so the same input and options give byte-identical shards and
manifest. The shards and the manifest are written into the run's staging
directory and committed with ``clusters.jsonl`` and ``stats.json``
(:mod:`dedupe.writers`): a killed run never leaves a partial set.

>>> import tempfile, pathlib
>>> from dedupe.config import OutputConfig
>>> from dedupe.writers import OutputDir
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> stage = OutputDir(out)
>>> lines = [f'{{"id": "d{i}", "text": "story {i}"}}' for i in range(5)]
>>> names = write_corpus(stage, lines, OutputConfig(shard_size=2))
>>> names
['corpus-00000.jsonl', 'corpus-00001.jsonl', 'corpus-00002.jsonl', 'manifest.json']
>>> stage.commit(names)
>>> [row["id"] for row in read_corpus(out)]
['d0', 'd1', 'd2', 'd3', 'd4']
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .config import OutputConfig
from .errors import OutputError
from .writers import OutputDir, write_lines

MANIFEST = "manifest.json"
SINGLE = "corpus.jsonl"
#: Rows buffered per Parquet row group (fewer when their text reaches PARQUET_GROUP_BYTES).
PARQUET_GROUP_ROWS = 4096
PARQUET_GROUP_BYTES = 32 << 20

_ID = json.JSONDecoder()


def shard_name(index: int, fmt: str) -> str:
    """The file name of shard ``index``.

    >>> shard_name(3, "parquet")
    'corpus-00003.parquet'
    """
    return f"corpus-{index:05d}.{fmt}"


def _row_id(line: str) -> str:
    """The id of a corpus line (rows always start with it: ``{"id": ...``)."""
    if line.startswith('{"id": '):
        value, _ = _ID.raw_decode(line, 7)
        return str(value)
    return str(json.loads(line)["id"])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def parquet_schema(with_removed: bool) -> Any:
    """The one schema of Parquet shards (``removed`` only for ``dedupe clean``)."""
    import pyarrow as pa

    fields = [
        pa.field("id", pa.string(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        *(pa.field(name, pa.string()) for name in ("title", "date", "author", "source", "cluster_id")),
        pa.field("duplicates", pa.list_(pa.string()), nullable=False),
    ]
    if with_removed:
        removed = pa.struct([("text", pa.string()), ("reason", pa.string()), ("rule", pa.string())])
        fields.append(pa.field("removed", pa.list_(removed), nullable=False))
    return pa.schema(fields)


class _JsonlShard:
    def __init__(self, stage: OutputDir, name: str) -> None:
        self.name = name
        self.path = stage.file(name)
        self._fh = stage.open(name, "wb")
        self._digest = hashlib.sha256()

    def add(self, line: str) -> None:
        data = line.encode("utf-8") + b"\n"
        self._fh.write(data)
        self._digest.update(data)

    def close(self) -> str:
        self._fh.close()
        return self._digest.hexdigest()


class _ParquetShard:
    def __init__(self, stage: OutputDir, name: str, with_removed: bool) -> None:
        import pyarrow.parquet as pq

        self.name = name
        self.path = stage.file(name)
        self._schema = parquet_schema(with_removed)
        self._writer = pq.ParquetWriter(self.path, self._schema, compression="zstd")
        self._rows: list[dict[str, Any]] = []
        self._bytes = 0

    def add(self, line: str) -> None:
        self._rows.append(json.loads(line))
        self._bytes += len(line)
        if len(self._rows) >= PARQUET_GROUP_ROWS or self._bytes >= PARQUET_GROUP_BYTES:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._rows:
            self._writer.write_table(pa.Table.from_pylist(self._rows, schema=self._schema))
        self._rows, self._bytes = [], 0

    def close(self) -> str:
        self._flush()
        self._writer.close()
        return _sha256(self.path)


def write_corpus(
    stage: OutputDir, lines: Iterable[str], output: OutputConfig, *, with_removed: bool = False
) -> list[str]:
    """Write the corpus ``lines`` (in id order) into ``stage`` as ``output`` says.

    ``with_removed``: the rows carry ``removed`` (``dedupe clean``), which the
    Parquet schema then has. Returns the names written, in commit order
    (shards, then the manifest).
    """
    if not output.sharded:
        with stage.open(SINGLE) as fh:
            write_lines(fh, lines)
        return [SINGLE]
    size = output.shard_size
    shards: list[dict[str, Any]] = []
    names: list[str] = []
    current: _JsonlShard | _ParquetShard | None = None
    count, first, last, total = 0, "", "", 0

    def close() -> None:
        assert current is not None
        digest = current.close()
        shards.append({"name": current.name, "records": count, "bytes": os.path.getsize(current.path),
                       "sha256": digest, "first_id": first, "last_id": last})
        names.append(current.name)

    for line in lines:
        if current is not None and size is not None and count >= size:
            close()
            current = None
        if current is None:
            name = shard_name(len(shards), output.format)
            if output.format == "parquet":
                current = _ParquetShard(stage, name, with_removed)
            else:
                current = _JsonlShard(stage, name)
            count, first = 0, _row_id(line)
        current.add(line)
        last = _row_id(line)
        count += 1
        total += 1
    if current is not None:
        close()
    manifest = {"format": output.format, "shard_size": size, "records": total, "shards": shards}
    with stage.open(MANIFEST) as fh:
        fh.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return [*names, MANIFEST]


def read_manifest(out: str | os.PathLike[str]) -> dict[str, Any] | None:
    """``OUT/manifest.json`` of a sharded output, or ``None`` for a single ``corpus.jsonl``."""
    path = Path(out) / MANIFEST
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise OutputError(f"{path} is not valid JSON ({exc}); rerun the command that wrote {out}") from exc


def read_corpus(out: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """The corpus rows of an output directory, in id order, whatever its layout."""
    manifest = read_manifest(out)
    if manifest is None:
        with open(Path(out) / SINGLE, encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)
        return
    for shard in manifest["shards"]:
        path = Path(out) / shard["name"]
        if manifest["format"] == "parquet":
            import pyarrow.parquet as pq

            with pq.ParquetFile(path) as reader:
                for batch in reader.iter_batches(batch_size=PARQUET_GROUP_ROWS):
                    yield from batch.to_pylist()
        else:
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    yield json.loads(line)
