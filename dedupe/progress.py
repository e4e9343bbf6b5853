"""A progress bar on stderr, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Progress:
    """Progress bars for long stages (rich, which typer already depends on).

    Disabled (a no-op) unless ``enabled`` and stderr is a terminal.
    """

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()

    @contextmanager
    def task(self, name: str, total: int) -> Iterator[Callable[[], None]]:
        """A bar for one stage; the yielded function advances it by one."""
        if not self.enabled or total < 2:
            yield lambda: None
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TimeRemainingColumn
        from rich.progress import Progress as RichProgress

        with RichProgress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task_id = bar.add_task(name, total=total)
            yield lambda: bar.advance(task_id)
