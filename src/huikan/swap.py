"""Output folders replaced whole, or not at all, and one writer at a time.

A build or a publish writes its new folder beside the old one (`.NAME.tmp`) and then swaps the two
with one atomic rename (Linux's renameat2 RENAME_EXCHANGE), so a run killed at any moment leaves
the old folder or the new one, never a mix. Where the exchange is not available, the old folder is
first renamed to `.NAME.old`; `recover()`, at the start of the next run, puts it back if the run was
killed between the two renames. A lock file (`.NAME.lock`) makes a second run into the same folder
wait for the first; the system releases it when the process that holds it dies, so it never goes
stale. It is a POSIX record lock (lockf), not flock: a process forked by the build (enrich, the Word
file) does not hold it too, so one left behind by a build that was killed cannot keep it.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2


def staging_of(target: Path) -> Path:
    return target.with_name(f".{target.name}.tmp")


def _old_of(target: Path) -> Path:
    return target.with_name(f".{target.name}.old")


@contextmanager
def locked(target: Path, waiting: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold TARGET's lock; WAITING is called once if another process holds it and this one must wait."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_name(f".{target.name}.lock"), "a") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:  # (EAGAIN or EACCES: held by another process)
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            waiting()
            fcntl.lockf(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN)


def recover(target: Path) -> None:
    """Undo what a killed run left beside TARGET (call with the lock held)."""
    old = _old_of(target)
    if old.exists() and not target.exists():
        os.replace(old, target)  # killed between the two renames of the fallback
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(staging_of(target), ignore_errors=True)


def fresh_staging(target: Path) -> Path:
    staging = staging_of(target)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def _exchange(a: Path, b: Path) -> bool:
    """Swap A and B in one step; False where the system or the file system cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def put_in_place(staging: Path, target: Path) -> None:
    """Make STAGING the new TARGET and remove the old one (call with the lock held)."""
    if not target.exists():
        os.replace(staging, target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging)  # now the old folder
        return
    old = _old_of(target)
    os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old)


def protected_paths(extra: list[Path]) -> list[Path]:
    """Folders no run may replace, whatever its options: EXTRA (the issue sources), the current
    folder and the folders above it, and the home folder."""
    cwd = Path.cwd().resolve()
    return [*(Path(p).resolve() for p in extra), cwd, *cwd.parents, Path.home().resolve()]


def holds_protected(target: Path, protected: list[Path]) -> Path | None:
    """The first protected folder that replacing TARGET would remove (TARGET itself or one inside it)."""
    root = target.resolve()
    return next((p for p in protected if p.is_relative_to(root)), None)
