"""A progress bar on stderr, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Progress:
    """Progress bars for long stages (rich, which typer already depends on).

    Disabled (a no-op) unless ``enabled`` and stderr is a terminal.

    >>> with Progress(enabled=False).task("clean", None) as tick:
    ...     tick()
    """

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()

    @contextmanager
    def task(self, name: str, total: int | None) -> Iterator[Callable[[], None]]:
        """A bar for one stage; the yielded function advances it by one.

        ``total`` may be ``None`` when the input is streamed and its size unknown
        (the bar then counts documents and shows the rate).
        """
        if not self.enabled or (total is not None and total < 2):
            yield lambda: None
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TaskProgressColumn, TimeRemainingColumn
        from rich.progress import Progress as RichProgress

        columns = (
            ("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
            if total is not None
            else ("[progress.description]{task.description}", "{task.completed} docs", TaskProgressColumn(show_speed=True))
        )
        with RichProgress(*columns, console=Console(stderr=True), transient=True) as bar:
            task_id = bar.add_task(name, total=total)
            yield lambda: bar.advance(task_id)
