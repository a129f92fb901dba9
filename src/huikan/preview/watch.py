"""The issue folder and its theme, watched: a burst of saves (an editor's Ctrl-S twice, a program that
writes a file in three steps) is one change."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

QUIET_MS = 300  # a change is reported once nothing more has changed for this long
MOST_MS = 2000  # ... or after this long, if changes keep coming


def ignored(path: str) -> bool:
    """Editors' and Word's lock and swap files, hidden files: not sources."""
    name = Path(path).name
    return name.startswith(("~$", ".", "#")) or name.endswith(("~", ".swp", ".tmp"))


def watch(folders: list[Path], changed: Callable[[set[str]], None], stop: threading.Event,
          skip: Sequence[Path] = ()) -> None:
    """Call CHANGED with the paths of each burst of changes under FOLDERS (but not under SKIP) until STOP."""
    from watchfiles import DefaultFilter
    from watchfiles import watch as watch_files

    skipped = [p.resolve() for p in skip]

    class Sources(DefaultFilter):
        def __call__(self, change, path: str) -> bool:
            resolved = Path(path).resolve()
            return (super().__call__(change, path) and not ignored(path)
                    and not any(resolved.is_relative_to(s) for s in skipped))

    for changes in watch_files(*folders, watch_filter=Sources(), step=QUIET_MS, debounce=MOST_MS,
                               stop_event=stop, yield_on_timeout=False, raise_interrupt=False):
        changed({path for _, path in changes})
