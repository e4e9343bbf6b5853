"""Writing the output directory atomically and deterministically.

Each file is written to a temporary file in ``OUT`` and renamed into place
only after all of them are complete, so a crash leaves the previous output
(or none), never a truncated file. Rows are sorted and serialised with a
fixed key order, so the same input and options give byte-identical
``corpus.jsonl`` and ``clusters.jsonl``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def dumps(obj: Any) -> str:
    """One JSON line, UTF-8 text kept as is, key order as given.

    >>> dumps({"id": "a", "text": "café"})
    '{"id": "a", "text": "café"}'
    """
    return json.dumps(obj, ensure_ascii=False)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_temp(directory: Path, name: str, lines: Iterable[str]) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            for line in lines:
                handle.write(line)
                handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_outputs(out: Path, files: dict[str, Iterable[str]]) -> None:
    """Write ``{name: lines}`` into ``out``, all-or-nothing per file set.

    Names must be plain file names: ids or other data never become paths.
    """
    out.mkdir(parents=True, exist_ok=True)
    temps: list[tuple[Path, Path]] = []
    try:
        for name, lines in files.items():
            if Path(name).name != name or name in ("", ".", ".."):
                raise ValueError(f"output name {name!r} is not a plain file name")
            temps.append((_write_temp(out, name, lines), out / name))
    except BaseException:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, final in temps:
        os.replace(tmp, final)
    try:
        dir_fd = os.open(out, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
