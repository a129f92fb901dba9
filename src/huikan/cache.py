"""huikan's user cache: `$XDG_CACHE_HOME/huikan` (or `~/.cache/huikan`), safe to delete at any time.

What the caches keep is plain data (dicts, lists, tuples, strings, bytes, numbers), pickled and read
back by an unpickler that makes no other object: a cache file can run no code.
"""

from __future__ import annotations

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


def keep_newest(folder: Path, count: int) -> None:
    """Remove the subfolders of FOLDER but the COUNT used last."""
    try:
        subfolders = sorted((p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime,
                            reverse=True)
    except OSError:
        return
    for old in subfolders[count:]:
        shutil.rmtree(old, ignore_errors=True)
