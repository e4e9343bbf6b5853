"""Stage artifacts under ``OUT/.stages/``, so a failed run resumes from the last finished stage.

A run into ``OUT`` writes each finished stage into its own directory:
``OUT/.stages/clean/`` (the cleaned rows, the per-document metadata dedup
needs, the rejections, warnings and counts) and ``OUT/.stages/dedup/`` (the
clusters, which document stands for which, and the canonical copies' merged
metadata). A stage is written into a hidden temporary directory and renamed
into place when complete, its ``stage.json`` last, so a run killed at any
moment leaves only finished stages (temporary directories of dead runs are
removed by the next run).

Each stage is identified by a *fingerprint*: a SHA-256 over the package
version, the mode, every input file's path, size and modification time (in
nanoseconds), and the options the stage's result depends on (reading and
cleaning options for ``clean``; those plus the dedup options and canonical
policy for ``dedup``). Options that do not change the result (workers, batch
size, executor, output layout) are left out. ``--resume`` reuses a finished
stage only when its fingerprint matches; otherwise the stage is computed
again. Without ``--resume`` a run removes the stages it finds and starts
over. After a successful run the stages are removed unless ``--keep-stages``.

Inputs that cannot be fingerprinted (stdin, or documents passed to the
library as objects) are not checkpointed, and ``--resume`` refuses them.

Test support: ``DEDUPE_TEST_STAGE_PAUSE=SECONDS`` sleeps after each stage is
committed, so a test can kill a run between stages.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import OutputError
from .readers import input_files
from .writers import _fsync_dir, _pid_alive

STAGES_DIR = ".stages"
META = "stage.json"
_TMP = ".tmp-"


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot fingerprint a {type(value).__name__}")


def fingerprint(*parts: Any) -> str:
    """SHA-256 of ``parts`` as canonical JSON (dataclasses and sets included).

    >>> from dedupe.config import CleanConfig
    >>> fingerprint("clean", CleanConfig()) == fingerprint("clean", CleanConfig())
    True
    >>> fingerprint("clean", CleanConfig()) == fingerprint("clean", CleanConfig(min_words=5))
    False
    """
    text = json.dumps(parts, sort_keys=True, default=_plain, ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def input_state(
    inputs: Sequence[str | os.PathLike[str]], *, skip_dirs: Sequence[str | os.PathLike[str]] = ()
) -> list[tuple[str, int, int]] | None:
    """``(path, size, mtime_ns)`` of every input file, or ``None`` when the
    inputs cannot be read twice (stdin)."""
    if any(str(item) == "-" for item in inputs):
        return None
    state = []
    for path in input_files(inputs, skip_dirs=skip_dirs):
        try:
            st = path.stat()
        except OSError:  # unreadable now: the reader rejects it; its absence is the state
            state.append((str(path), -1, -1))
            continue
        state.append((str(path), st.st_size, st.st_mtime_ns))
    return state


def _pause() -> None:
    delay = os.environ.get("DEDUPE_TEST_STAGE_PAUSE")
    if delay:
        time.sleep(float(delay))


class StageStore:
    """The finished stages of runs into ``out`` (see the module doc).

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> store = StageStore(out, resume=False)
    >>> tmp = store.begin("clean")
    >>> _ = (tmp / "rows").write_text("...")
    >>> final = store.finish("clean", tmp, "fp1", {"read": 3})
    >>> store.load("clean", "fp1")["read"], store.load("clean", "other")
    (3, None)
    """

    def __init__(self, out: str | os.PathLike[str], *, resume: bool) -> None:
        self.root = Path(out) / STAGES_DIR
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if not resume:
                self._remove_finished()
        except OSError as exc:
            raise OutputError(f"cannot write stage files into {self.root}: {exc.strerror or exc}") from exc
        self._remove_stale()
        self._open: list[Path] = []

    def _remove_finished(self) -> None:
        """Delete the finished stages (temporary directories, maybe a live run's, stay)."""
        for entry in self.root.iterdir():
            if entry.name.startswith(_TMP):
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()

    def _remove_stale(self) -> None:
        """Delete temporary stage directories of runs that were killed (their process is gone)."""
        for entry in self.root.glob(f"{_TMP}*"):
            pid_text = entry.name[len(_TMP):].split("-", 1)[0]
            if entry.is_dir() and not entry.is_symlink() and pid_text.isdigit() and not _pid_alive(int(pid_text)):
                shutil.rmtree(entry, ignore_errors=True)

    def path(self, name: str) -> Path:
        """Where the finished stage ``name`` lives."""
        return self.root / name

    def load(self, name: str, fp: str) -> dict[str, Any] | None:
        """The metadata of finished stage ``name`` if its fingerprint is ``fp``, else ``None``."""
        meta = self.path(name) / META
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("fingerprint") != fp:
            return None
        return data

    def begin(self, name: str) -> Path:
        """A fresh temporary directory to write stage ``name`` into."""
        tmp = Path(tempfile.mkdtemp(prefix=f"{_TMP}{os.getpid()}-{name}-", dir=self.root))
        self._open.append(tmp)
        return tmp

    def finish(self, name: str, tmp: Path, fp: str, meta: dict[str, Any]) -> Path:
        """Make ``tmp`` the finished stage ``name``: ``stage.json`` last, fsynced, then renamed."""
        for entry in tmp.iterdir():
            with open(entry, "rb+") as fh:
                os.fsync(fh.fileno())
        with open(tmp / META, "w", encoding="utf-8") as fh:
            json.dump({"stage": name, "fingerprint": fp, **meta}, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        _fsync_dir(tmp)
        final = self.path(name)
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp, final)
        _fsync_dir(self.root)
        self._open.remove(tmp)
        _pause()
        return final

    def discard_unfinished(self) -> None:
        """Remove the temporary directories of this run's unfinished stages."""
        for tmp in self._open:
            shutil.rmtree(tmp, ignore_errors=True)
        self._open.clear()

    def remove(self) -> None:
        """Remove the finished stages (after a successful run without ``--keep-stages``), then
        ``.stages`` itself unless another run is writing a stage into it."""
        try:
            self._remove_finished()
            self.root.rmdir()
        except OSError:
            pass
