"""Reading inputs: directories, glob patterns, ``.txt``, ``.html``/``.htm``,
``.jsonl`` (plain, ``.gz`` or ``.zst``) and ``.parquet`` files, and ``-`` for
JSONL on stdin.

A many-file corpus is read as a directory (walked recursively, in sorted
order) or a quoted glob (``'shards/*.jsonl.gz'``, matches in sorted order).
``.zst`` needs the ``zstandard`` package and ``.parquet`` needs ``pyarrow``
(``pip install 'dedupe[parquet]'``); a Parquet file is read a batch of rows
at a time, and its errors name the file and the row (1-based, where a JSONL
error names the line).

Every record met is yielded once, either as a :class:`~dedupe.types.Document`
or as a :class:`~dedupe.types.RecordError` naming its file and line, so the
caller can count ``read == kept + duplicates + rejected``. Nothing is dropped
silently.

Ids: a file found under a directory input gets its path relative to that
directory (``a/b.txt``), a file matched by a glob its path relative to the
pattern's first directory without wildcards; a file named directly gets its
file name; a JSONL or Parquet record gets its id field, or ``FILE:LINE``
(with a warning) when it has none.
"""

from __future__ import annotations

import codecs
import glob
import io
import json
import os
import sys
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from .config import InputConfig
from .errors import InputError
from .types import Document, RecordError

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
ZSTD_SUFFIXES = (".zst", ".zstd")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz") + tuple(
    base + z for base in (".jsonl", ".ndjson") for z in ZSTD_SUFFIXES
)
PARQUET_SUFFIXES = (".parquet",)
#: Rows of a Parquet file decoded at a time.
PARQUET_BATCH = 1024

Record = Document | RecordError


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if name.endswith(HTML_SUFFIXES):
        return "html"
    if name.endswith(TEXT_SUFFIXES):
        return "text"
    return None


def decode_bytes(data: bytes) -> tuple[str, str | None]:
    """Text of ``data`` and a warning when it was not plain UTF-8.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are decoded exactly;
    anything else is detected with charset-normalizer. Raises ``ValueError``
    for binary data.

    >>> decode_bytes("café".encode("cp1252"))[0]
    'café'
    >>> decode_bytes(b"\\xef\\xbb\\xbfhi")
    ('hi', None)
    >>> decode_bytes("café crème".encode() + b"\\xff")
    ('café crème\ufffd', 'invalid UTF-8: 1 byte sequence(s) replaced by U+FFFD')
    """
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            text = data.decode(codec, errors="replace")
            warn = None if codec == "utf-8-sig" else f"decoded as {codec} (byte-order mark)"
            if "\ufffd" in text:
                warn = f"decoded as {codec} with invalid bytes replaced by U+FFFD"
            return text, warn
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    sample = data[:65536]
    if sample.count(b"\x00") > len(sample) // 100 + 1:
        raise ValueError("binary data (NUL bytes), not text")
    lossy = data.decode("utf-8", errors="replace")
    bad = lossy.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in lossy if ch >= "\x80") - lossy.count("\ufffd")
    if good > bad:
        # Valid multi-byte sequences outnumber the broken ones: UTF-8 with corruption,
        # not another encoding (decoding it as cp1252 would garble every accent).
        return lossy, f"invalid UTF-8: {bad} byte sequence(s) replaced by U+FFFD"
    high = sum(1 for b in sample if b >= 0x80)
    if high <= max(len(sample) // 10, 8):
        # Mostly ASCII with a few high bytes (or too short to detect): far more
        # often a Western single-byte text than CJK (detectors guess badly here).
        return data.decode("cp1252", errors="replace"), "not valid UTF-8; decoded as cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1 << 20]).best()
    if best is None:
        text = data.decode("utf-8", errors="replace")
        return text, "not valid UTF-8 and no encoding detected; invalid bytes replaced by U+FFFD"
    encoding = best.encoding
    return data.decode(encoding, errors="replace"), f"not valid UTF-8; decoded as {encoding}"


def _str_field(obj: dict[str, Any], name: str) -> str | None:
    value = obj.get(name)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and name != "text":
        return str(value)
    if not isinstance(value, str):
        raise ValueError(f"field {name!r} must be a string, got {type(value).__name__}")
    return value


class _Salvage(io.RawIOBase):
    """A gzip or zstd stream that hands out every byte it could decompress
    before raising ``EOFError`` on a truncated file (``gzip.open`` loses its
    read-ahead buffer, so the complete records just before the cut; zstandard's
    stream reader ends a truncated file silently).

    ``decompressor`` makes a decompressor for one member (gzip) or frame
    (zstd): ``decompress``, ``eof`` and ``unused_data`` as in :mod:`zlib`.
    """

    def __init__(self, raw: IO[bytes], decompressor: Any = None) -> None:
        self._raw = raw
        self._new = decompressor or (lambda: zlib.decompressobj(wbits=31))
        self._z = self._new()
        self._buf = b""
        self._started = False

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self._buf:
            chunk = self._raw.read(1 << 16)
            if not chunk:
                if self._started and not self._z.eof:
                    raise EOFError("compressed file ended before the end-of-stream marker was reached")
                return 0
            while chunk:
                if self._z.eof:  # a concatenated gzip member or zstd frame
                    self._z = self._new()
                self._started = True
                try:
                    self._buf += self._z.decompress(chunk)
                except zlib.error:
                    raise
                except Exception as exc:  # zstandard.ZstdError: the same "corrupt" to the caller
                    raise OSError(str(exc)) from exc
                chunk = self._z.unused_data if self._z.eof else b""
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def _lines(stream: IO[bytes], limit: int) -> Iterator[tuple[bytes | None, int]]:
    """Lines of ``stream`` as (bytes, size); a line over ``limit`` bytes is
    skipped without being held in memory and yields (None, size)."""
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        if len(raw) <= limit or raw.endswith(b"\n"):
            yield raw, len(raw)
            continue
        size = len(raw)
        while raw and not raw.endswith(b"\n"):
            raw = stream.readline(1 << 20)
            size += len(raw)
        yield None, size


def _jsonl_records(stream: IO[bytes], source: str, config: InputConfig) -> Iterator[Record]:
    lineno = 0
    try:
        for lineno, (raw, size) in enumerate(_lines(stream, config.max_bytes), start=1):
            if raw is None:
                yield RecordError(source, lineno, f"record is {size} bytes, over the {config.max_bytes}-byte limit (--max-bytes)")
                continue
            if not raw.strip():
                continue
            try:
                text_line, warn = decode_bytes(raw)
                obj = json.loads(text_line.rstrip("\r\n"))
            except (ValueError, RecursionError) as exc:
                yield RecordError(source, lineno, f"not valid JSON: {exc}")
                continue
            if not isinstance(obj, dict):
                yield RecordError(source, lineno, f"expected a JSON object, got {type(obj).__name__}")
                continue
            try:
                yield _record_from(obj, source, lineno, config, warn)
            except ValueError as exc:
                yield RecordError(source, lineno, str(exc))
    except (EOFError, OSError, zlib.error) as exc:
        yield RecordError(source, lineno + 1, f"file is truncated or corrupt: {exc}")


def _record_from(
    obj: dict[str, Any], source: str, lineno: int, config: InputConfig, warn: str | None
) -> Document:
    warnings = [warn] if warn else []
    raw_id = obj.get(config.id_field)
    if raw_id is None or raw_id == "":
        doc_id = f"{source}:{lineno}"
        warnings.append(f"no {config.id_field!r} field; id set to {doc_id!r}")
    elif isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool):
        doc_id = str(raw_id)
    else:
        raise ValueError(f"field {config.id_field!r} must be a string or integer, got {type(raw_id).__name__}")
    text = _str_field(obj, config.text_field)
    html = _str_field(obj, config.html_field)
    if text is None and html is None:
        raise ValueError(f"record has neither a {config.text_field!r} nor an {config.html_field!r} field (see --text-field / --html-field)")
    if "\x00" in (text or "") or "\x00" in (html or ""):
        text = text.replace("\x00", "") if text is not None else None
        html = html.replace("\x00", "") if html is not None else None
        warnings.append("NUL characters removed")
    known = {
        config.id_field, config.text_field, config.html_field, config.title_field, config.date_field,
        config.author_field, config.source_field, config.url_field,
    }
    return Document(
        id=doc_id,
        text=text,
        html=html,
        title=_str_field(obj, config.title_field),
        date=_str_field(obj, config.date_field),
        author=_str_field(obj, config.author_field),
        source=_str_field(obj, config.source_field),
        url=_str_field(obj, config.url_field),
        origin=source,
        line=lineno,
        warnings=tuple(warnings),
        meta={k: v for k, v in obj.items() if k not in known},
    )


def _file_record(path: Path, doc_id: str, kind: str, source: str, config: InputConfig) -> Record:
    try:
        size = path.stat().st_size
        if size > config.max_bytes:
            return RecordError(source, None, f"file is {size} bytes, over the {config.max_bytes}-byte limit (--max-bytes)")
        data = path.read_bytes()
        text, warn = decode_bytes(data)
    except (OSError, ValueError) as exc:
        return RecordError(source, None, f"cannot read: {exc}")
    if not text.strip():
        return RecordError(source, None, "empty file (no text)")
    if "\x00" in text:
        text = text.replace("\x00", "")
        warn = (warn + "; " if warn else "") + "NUL characters removed"
    warnings = (warn,) if warn else ()
    if kind == "html":
        return Document(id=doc_id, html=text, origin=source, warnings=warnings)
    return Document(id=doc_id, text=text, origin=source, warnings=warnings)


def _walk(root: Path, skip: frozenset[Path] = frozenset()) -> Iterator[Path]:
    """Files under ``root`` in sorted order; symlinked directories and ``skip`` are not entered."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        if skip:
            dirnames[:] = [d for d in dirnames if (Path(dirpath) / d).resolve() not in skip]
        dirnames.sort()
        for name in sorted(filenames):
            yield Path(dirpath) / name


_MAGIC = ("*", "?", "[")


def _is_glob(item: str) -> bool:
    return any(ch in item for ch in _MAGIC)


def _glob_base(pattern: str) -> Path:
    """The pattern's leading directories without wildcards (what glob match ids are relative to)."""
    parts = Path(pattern).parts
    head = [p for p in parts[: next(i for i, p in enumerate(parts) if _is_glob(p))]]
    return Path(*head) if head else Path(".")


def _check(inputs: Sequence[str | os.PathLike[str]]) -> None:
    for item in inputs:
        text = str(item)
        if text == "-" or Path(item).exists():
            continue
        if _is_glob(text):
            if not glob.glob(text, recursive=True):
                raise InputError("no file matches this pattern", source=text)
            continue
        raise InputError("no such file or directory", source=text)


def _sources(
    inputs: Sequence[str | os.PathLike[str]], skip: frozenset[Path]
) -> Iterator[tuple[Path | None, str, bool]]:
    """``(file, id, listed)`` for every file the inputs name, in reading order
    (``(None, "-", False)`` for stdin). ``listed`` is true for a file found by
    walking a directory or matching a glob: there, unsupported types are skipped."""
    for item in inputs:
        text = str(item)
        if text == "-":
            yield None, "-", False
            continue
        path = Path(item)
        if path.is_dir():
            for p in _walk(path, skip):
                yield p, p.relative_to(path).as_posix(), True
        elif path.exists() or not _is_glob(text):
            yield path, path.name, False
        else:
            base = _glob_base(text)
            for match in sorted(glob.glob(text, recursive=True)):
                found = Path(match)
                if skip and any(found.resolve().is_relative_to(d) for d in skip):
                    continue
                files = _walk(found, skip) if found.is_dir() else [found]
                for p in files:
                    yield p, os.path.relpath(p, base).replace(os.sep, "/"), True


def input_files(
    inputs: Sequence[str | os.PathLike[str]], *, skip_dirs: Sequence[str | os.PathLike[str]] = ()
) -> list[Path]:
    """Every file :func:`iter_records` would open for ``inputs``, in reading order (stdin left out).

    Raises :class:`~dedupe.errors.InputError` as :func:`iter_records` does.

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.jsonl", "a.jsonl", "notes.md"):
    ...     _ = (root / name).write_text("")
    >>> [p.name for p in input_files([str(root / "*.jsonl")])]
    ['a.jsonl', 'b.jsonl']
    """
    _check(inputs)
    skip = frozenset(Path(d).resolve() for d in skip_dirs)
    return [p for p, _, _ in _sources(inputs, skip) if p is not None]


def _open_jsonl(path: Path) -> IO[bytes]:
    """A JSONL file's bytes, decompressed as its name says (``.gz``, ``.zst``)."""
    name = path.name.lower()
    if name.endswith(ZSTD_SUFFIXES):
        try:
            import zstandard
        except ImportError:
            raise OSError("reading .zst needs the zstandard package: pip install 'dedupe[parquet]' "
                          "(or decompress it first)") from None
        raw = open(path, "rb")  # noqa: SIM115
        return io.BufferedReader(_Salvage(raw, lambda: zstandard.ZstdDecompressor().decompressobj()), 1 << 16)
    stream: IO[bytes] = open(path, "rb")  # noqa: SIM115
    if name.endswith(".gz"):
        stream = io.BufferedReader(_Salvage(stream), 1 << 16)  # type: ignore[assignment]
    return stream


def _record_size(obj: dict[str, Any], config: InputConfig) -> int:
    """UTF-8 bytes of a record's text and HTML (what ``--max-bytes`` bounds for a Parquet row)."""
    size = 0
    for name in (config.text_field, config.html_field):
        value = obj.get(name)
        if isinstance(value, str):
            size += len(value) if len(value) * 4 <= config.max_bytes else len(value.encode("utf-8", "replace"))
    return size


def _parquet_records(path: Path, source: str, config: InputConfig) -> Iterator[Record]:
    """The rows of a Parquet file as records; ``line`` is the 1-based row number."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield RecordError(source, None, "reading Parquet needs pyarrow: pip install 'dedupe[parquet]'")
        return
    try:
        reader = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises ArrowInvalid, OSError, ...
        yield RecordError(source, None, f"not a readable Parquet file: {exc}")
        return
    row = 0
    with reader:
        try:
            for batch in reader.iter_batches(batch_size=PARQUET_BATCH):
                for obj in batch.to_pylist():
                    row += 1
                    size = _record_size(obj, config)
                    if size > config.max_bytes:
                        yield RecordError(source, row, f"row is {size} bytes, over the {config.max_bytes}-byte limit (--max-bytes)")
                        continue
                    date = obj.get(config.date_field)
                    if date is not None and hasattr(date, "isoformat"):  # a Parquet date or timestamp column
                        obj[config.date_field] = date.isoformat()
                    try:
                        yield _record_from(obj, source, row, config, None)
                    except ValueError as exc:
                        yield RecordError(source, row, f"row {row}: {exc}")
        except Exception as exc:  # noqa: BLE001 - a corrupt row group: the rows before it went through
            yield RecordError(source, row + 1, f"file is truncated or corrupt from row {row + 1}: {exc}")


def iter_records(
    inputs: Sequence[str | os.PathLike[str]],
    config: InputConfig | None = None,
    *,
    skip_dirs: Sequence[str | os.PathLike[str]] = (),
) -> Iterator[Record]:
    """Every record of every input, in a deterministic order.

    Directories in ``skip_dirs`` are not entered when walking a directory
    input or matching a glob (the pipeline passes its ``--out``, so an output
    directory inside an input directory is never read back as input).

    Raises :class:`~dedupe.errors.InputError` for an input path that does not
    exist or a glob that matches nothing (a usage error, before anything is read).
    """
    config = config or InputConfig()
    skip = frozenset(Path(d).resolve() for d in skip_dirs)
    _check(inputs)
    for file_path, rel, listed in _sources(inputs, skip):
        if file_path is None:
            yield from _jsonl_records(sys.stdin.buffer, "-", config)
            continue
        kind = _kind(file_path)
        source = str(file_path)
        if kind is None:
            if not listed:
                yield RecordError(source, None, "unsupported file type; expected .txt, .html, .htm, "
                                                ".jsonl (.gz, .zst) or .parquet")
            continue
        if kind == "jsonl":
            try:
                stream = _open_jsonl(file_path)
            except OSError as exc:
                yield RecordError(source, None, f"cannot open: {exc}")
                continue
            with stream:
                yield from _jsonl_records(stream, source, config)
        elif kind == "parquet":
            yield from _parquet_records(file_path, source, config)
        else:
            yield _file_record(file_path, rel, kind, source, config)
