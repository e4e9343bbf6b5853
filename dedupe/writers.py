"""Writing the output directory atomically and deterministically.

Every output file is first written into a hidden staging directory inside
``OUT`` (``OUT/.dedupe-tmp-PID-XXXX/``), flushed and fsynced. Only when all of
them are complete is the set committed:

1. the previous ``stats.json``, ``clusters.jsonl`` and ``corpus.jsonl`` are
   unlinked (in that order; then any other file of a previous output set:
   ``manifest.json`` and ``corpus-NNNNN.jsonl``/``.parquet`` shards), then
2. the new ``corpus.jsonl`` (or shards and ``manifest.json``),
   ``clusters.jsonl`` and ``stats.json`` are renamed into place (in that
   order), and the directory is fsynced.

``stats.json`` is therefore the *commit marker*: a run killed at any moment
(even with SIGKILL) leaves ``OUT`` holding the previous complete set, the new
complete set, or a set without ``stats.json`` whose files are each complete
and all from the same run; never a truncated file and never old and new files
mixed. Treat an ``OUT`` without ``stats.json`` as holding no output. Staging
directories left by a killed run are removed by the next run into the same
``OUT``. Nothing is ever written outside ``OUT``: names are fixed plain file
names, never derived from ids.

Rows are serialised with a fixed key order, so the same input and options give
byte-identical ``corpus.jsonl`` and ``clusters.jsonl``.

Test support: ``DEDUPE_TEST_COMMIT_PAUSE=SECONDS`` sleeps between the steps of
a commit, so a test can kill a run inside the commit window.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .errors import OutputError

STAGING_PREFIX = ".dedupe-tmp-"
#: The output files, in commit order; the last one is the commit marker.
OUTPUT_NAMES: tuple[str, ...] = ("corpus.jsonl", "clusters.jsonl", "stats.json")
#: Every name an output set can hold (sharded output adds shards and a manifest).
OUTPUT_FILE = re.compile(r"(?:corpus|clusters)\.jsonl|stats\.json|manifest\.json|corpus-\d{5,}\.(?:jsonl|parquet)")


def is_output_name(name: str) -> bool:
    """Whether ``name`` is a file of an output set (and so replaced by the next commit).

    >>> [is_output_name(n) for n in ("corpus.jsonl", "corpus-00012.parquet", "manifest.json", "notes.txt")]
    [True, True, True, False]
    """
    return OUTPUT_FILE.fullmatch(name) is not None


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


def _pause() -> None:
    delay = os.environ.get("DEDUPE_TEST_COMMIT_PAUSE")
    if delay:
        time.sleep(float(delay))


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's live process
        return True
    return True


def _plain_name(name: str) -> str:
    if Path(name).name != name or name in ("", ".", ".."):
        raise ValueError(f"output name {name!r} is not a plain file name")
    return name


class OutputDir:
    """A staging area inside ``out`` whose files are committed as one set.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> stage = OutputDir(out)
    >>> with stage.open("corpus.jsonl") as fh:
    ...     _ = fh.write('{"id": "a"}\\n')
    >>> stage.commit(["corpus.jsonl"])
    >>> sorted(p.name for p in out.iterdir())
    ['corpus.jsonl']
    """

    def __init__(self, out: str | os.PathLike[str]) -> None:
        self.out = Path(out)
        if self.out.exists() and not self.out.is_dir():
            raise OutputError(f"--out {self.out} exists and is not a directory; choose a directory")
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            self._remove_stale()
            self.path = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=self.out))
        except OSError as exc:
            raise OutputError(f"cannot write into --out {self.out}: {exc.strerror or exc}") from exc
        self._done = False

    def _remove_stale(self) -> None:
        """Delete staging directories of runs that were killed (their process is gone)."""
        for entry in self.out.glob(f"{STAGING_PREFIX}*"):
            pid_text = entry.name[len(STAGING_PREFIX):].split("-", 1)[0]
            if entry.is_dir() and not entry.is_symlink() and pid_text.isdigit() and not _pid_alive(int(pid_text)):
                shutil.rmtree(entry, ignore_errors=True)

    def file(self, name: str) -> Path:
        """Path of a staged file (a plain name; it lives inside the staging directory)."""
        return self.path / _plain_name(name)

    def open(self, name: str, mode: str = "w") -> Any:
        """Open a staged file for writing (text mode: UTF-8, ``\\n`` line ends)."""
        path = self.file(name)
        if "b" in mode:
            return open(path, mode)  # noqa: SIM115
        return open(path, mode, encoding="utf-8", newline="\n")  # noqa: SIM115

    def commit(self, names: Sequence[str]) -> None:
        """Move the staged ``names`` into ``out`` as one set (the last name is the marker)."""
        staged = [self.file(n) for n in names]
        for path in staged:
            if not path.is_file():
                raise FileNotFoundError(f"staged output {path.name} was never written")
            os.chmod(path, 0o666 & ~_umask())
            with open(path, "rb+") as fh:
                os.fsync(fh.fileno())
        _fsync_dir(self.path)
        # the marker goes first: from then on OUT holds no output set, whatever is left
        previous = [n for n in reversed(names)]
        previous += sorted((p.name for p in self.out.iterdir() if is_output_name(p.name) and p.name not in names),
                           reverse=True)
        for name in previous:
            final = self.out / name
            if final.is_symlink() or final.exists():
                final.unlink()
                _pause()
        _fsync_dir(self.out)
        for path in staged:
            os.replace(path, self.out / path.name)
            _pause()
        _fsync_dir(self.out)
        self.discard()
        self._done = True

    def discard(self) -> None:
        """Remove the staging directory and anything left in it."""
        shutil.rmtree(self.path, ignore_errors=True)


def write_lines(handle: Any, lines: Iterable[str]) -> None:
    """Write each line followed by ``\\n``."""
    for line in lines:
        handle.write(line)
        handle.write("\n")


def write_outputs(out: Path, files: dict[str, Iterable[str]]) -> None:
    """Write ``{name: lines}`` into ``out`` as one committed set (see the module doc).

    Names must be plain file names: ids or other data never become paths. The
    last name is the commit marker (``stats.json`` for a run).
    """
    stage = OutputDir(out)
    try:
        for name, lines in files.items():
            with stage.open(name) as fh:
                write_lines(fh, lines)
        stage.commit(list(files))
    except BaseException:
        stage.discard()
        raise
