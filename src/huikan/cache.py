"""huikan's user cache: `$XDG_CACHE_HOME/huikan` (or `~/.cache/huikan`), safe to delete at any time."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "huikan"
