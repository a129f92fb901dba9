"""How far a build has got: the stages tell a Progress; the command shows it as a bar or as lines.

The stages only call `start` (a stage begins, with how many steps it has) and `advance`; what the
user sees is chosen by the command: a bar on a terminal (`Bar`, rich), the stage lines in a log
(`Lines`), or nothing (`Progress` itself, and `--quiet`).
"""

from __future__ import annotations

import sys
import threading
from typing import TextIO


class Progress:
    """Tells nothing: what a build reports to when nobody is watching."""

    def start(self, stage: str, total: int | None = None) -> None:
        """STAGE begins; TOTAL steps, if known."""

    def advance(self, steps: int = 1) -> None:
        """STEPS more of the current stage are done."""

    def say(self, message: str) -> None:
        """A message that is not a step (waiting for another build)."""

    def close(self) -> None:
        """The build is over: leave the display as its last state."""


class Lines(Progress):
    """A line as each stage begins, as a log wants it: `huikan: <issue>: PDF`."""

    def __init__(self, name: str, stream: TextIO | None = None):
        self.name, self.stream = name, stream

    def start(self, stage: str, total: int | None = None) -> None:
        self.say(stage)

    def say(self, message: str) -> None:
        print(f"huikan: {self.name}: {message}", file=self.stream or sys.stderr, flush=True)


class Bar(Progress):
    """A bar per stage with its count and the time left (rich), shown once the build has taken longer
    than DELAY seconds: a build found up to date, or a short one, prints no bar at all."""

    DELAY = 1.0

    def __init__(self, name: str, stream: TextIO | None = None):
        from rich.console import Console
        from rich.markup import escape
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
        from rich.progress import Progress as RichProgress

        console = Console(file=stream or sys.stderr)
        self.name = name
        self.display = RichProgress(TextColumn(f"{escape(name)}: {{task.description}}"), BarColumn(),
                                    MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("left"),
                                    TimeRemainingColumn(), console=console, refresh_per_second=8)
        self.task: object | None = None
        self.lock = threading.Lock()
        self.shown = False
        self.timer = threading.Timer(self.DELAY, self._show)
        self.timer.daemon = True
        self.timer.start()

    def _show(self) -> None:
        with self.lock:
            if not self.shown:
                self.shown = True
                self.display.start()

    def start(self, stage: str, total: int | None = None) -> None:
        with self.lock:
            self._finish_task()
            self.task = self.display.add_task(stage, total=total if total is not None else 1)

    def advance(self, steps: int = 1) -> None:
        with self.lock:
            if self.task is not None:
                self.display.advance(self.task, steps)  # type: ignore[arg-type]

    def say(self, message: str) -> None:
        self.display.console.print(f"huikan: {self.name}: {message}", markup=False, highlight=False)

    def _finish_task(self) -> None:
        if self.task is not None:  # a stage that ends early (fewer steps than said) shows as complete
            total = self.display.tasks[-1].total
            self.display.update(self.task, completed=total)  # type: ignore[arg-type]

    def close(self) -> None:
        self.timer.cancel()
        with self.lock:
            self._finish_task()
            if self.shown:
                self.display.stop()
