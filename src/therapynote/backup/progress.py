"""Progress reporting for long backup steps: silent by default, a rich bar on a terminal."""

from __future__ import annotations

import time
from typing import Any, Protocol


class Reporter(Protocol):
    def start(self, label: str, total: int | None) -> None: ...

    def advance(self, n: int) -> None: ...

    def done(self) -> None: ...


class NullReporter:
    def start(self, label: str, total: int | None) -> None:
        return None

    def advance(self, n: int) -> None:
        return None

    def done(self) -> None:
        return None


class RichReporter:
    """A progress bar on stderr that appears only once the operation has run for `delay` s."""

    def __init__(self, delay: float = 1.0) -> None:
        self._delay = delay
        self._t0 = time.monotonic()
        self._progress: Any = None
        self._task: Any = None
        self._label = ""
        self._total: int | None = None
        self._completed = 0

    def start(self, label: str, total: int | None) -> None:
        self._label, self._total, self._completed = label, total, 0
        if self._progress is not None:
            self._task = self._progress.add_task(label, total=total)
        else:
            self._maybe_show()

    def advance(self, n: int) -> None:
        self._completed += n
        if self._progress is None:
            self._maybe_show()
        elif self._task is not None:
            self._progress.update(self._task, completed=self._completed)

    def _maybe_show(self) -> None:
        if time.monotonic() - self._t0 < self._delay:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True, markup=False, highlight=False),
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task(
            self._label, total=self._total, completed=self._completed
        )

    def done(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
            self._task = None
