"""Exceptions raised by dedupe, each saying what to fix."""

from __future__ import annotations


class DedupeError(Exception):
    """Base class of every error dedupe raises on purpose."""


class ConfigError(DedupeError, ValueError):
    """An option has a value that cannot work; the message says which and why."""


class InputError(DedupeError):
    """An input path or record cannot be read.

    ``source`` names the file (or ``-`` for stdin) and ``line`` the 1-based line
    number where that makes sense (JSONL), else ``None``.

    >>> str(InputError("bad JSON", source="a.jsonl", line=3))
    'a.jsonl:3: bad JSON'
    """

    def __init__(self, message: str, *, source: str, line: int | None = None) -> None:
        self.message = message
        self.source = source
        self.line = line
        where = source if line is None else f"{source}:{line}"
        super().__init__(f"{where}: {message}")


class OutputError(DedupeError):
    """The output directory cannot be used; the message says which and why.

    >>> str(OutputError("out.txt exists and is not a directory; choose a directory"))
    'out.txt exists and is not a directory; choose a directory'
    """


class NestingError(DedupeError, RecursionError):
    """A page's markup is nested deeper than the HTML cleaner will parse.

    A ``RecursionError`` too, so every caller that already turns "nested too
    deeply" into a rejected record (the pipeline does) handles it.

    >>> isinstance(NestingError("markup nested 100000 deep"), RecursionError)
    True
    """
