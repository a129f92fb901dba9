"""huikan's user cache: `$XDG_CACHE_HOME/huikan` (or `~/.cache/huikan`), safe to delete at any time.

What the caches keep is plain data (dicts, lists, tuples, strings, bytes, numbers), pickled and read
back by an unpickler that makes no other object: a cache file can run no code.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import shutil
import tempfile
from pathlib import Path


def cache_root() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "huikan"


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"not plain data: {module}.{name}")


def read_plain(path: Path) -> object | None:
    """The plain data kept in PATH; None if it is missing, cut short or not plain data."""
    try:
        return _PlainUnpickler(io.BytesIO(path.read_bytes())).load()
    except Exception:
        return None


def write_plain(path: Path, data: object) -> bool:
    """Keep DATA in PATH (a temporary file, then renamed); False if it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".", suffix=".tmp", delete=False) as file:
            file.write(pickle.dumps(data, protocol=5))
        os.replace(file.name, path)
    except OSError:  # a cache that cannot be written costs time, not the build
        return False
    return True


ISSUES_KEPT = 20  # the issues whose print pages and enrich results are kept: those built last
CONTEXTS_KEPT = 3  # of one issue, the contexts (options, fonts, versions) used last


def issue_cache(kind: str, issue_folder: Path, context: str) -> Path:
    """Where the cache KIND ("print", "enrich") keeps what builds of ISSUE_FOLDER made in CONTEXT:
    `<cache>/<kind>/<hash of the folder's path>/<context>/`."""
    where = hashlib.sha256(str(Path(issue_folder).resolve()).encode()).hexdigest()[:24]
    return cache_root() / kind / where / context


def used_now(folder: Path) -> None:
    """FOLDER (an issue_cache) was used by the build just done: the least recently used contexts of its issue
    and issues of its kind beyond CONTEXTS_KEPT and ISSUES_KEPT are removed. A folder that is not where
    issue_cache puts one has nothing removed beside it: nothing outside the cache is ever removed."""
    try:
        if Path(folder).resolve().parents[2] != cache_root().resolve():
            return
        os.utime(folder)
        os.utime(folder.parent)
    except OSError:
        return
    keep_newest(folder.parent, CONTEXTS_KEPT)
    keep_newest(folder.parent.parent, ISSUES_KEPT)


def keep_only(folder: Path, used: set[str]) -> None:
    """Remove the files of FOLDER (an issue_cache) that a build did not use, then the least recently used
    contexts and issues of its kind (used_now)."""
    try:
        for path in folder.iterdir():
            if path.name not in used:
                path.unlink(missing_ok=True)
    except OSError:
        return
    used_now(folder)


def keep_newest(folder: Path, count: int) -> None:
    """Remove the subfolders of FOLDER but the COUNT used last."""
    try:
        subfolders = sorted((p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime,
                            reverse=True)
    except OSError:
        return
    for old in subfolders[count:]:
        shutil.rmtree(old, ignore_errors=True)
