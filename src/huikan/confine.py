"""The one rule for every file an issue names: it must lie inside the issue folder (or the theme's).

A name is resolved the way the system would open it, symlinks followed, and refused unless the
result is inside the root. Absolute paths, drive letters (C:) and URLs are refused before that. Hard
links cannot be told from ordinary files and are not detected: whoever can make one inside the issue
folder can already copy the file there.
"""

from __future__ import annotations

import re
from pathlib import Path, PureWindowsPath

WEB_SCHEMES = ("http://", "https://", "mailto:")  # the only links an edition carries
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")  # file:, http:, C: (a drive letter looks like one)


def inside(root: Path, path: Path) -> bool:
    """Whether PATH, symlinks resolved, is ROOT or lies under it."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return False


def plain_relative(name: str) -> bool:
    """Whether NAME, as written, is a relative path that does not climb out (no /x, C:, URL or ..)."""
    if not name or SCHEME.match(name) or name.startswith(("/", "\\")) or PureWindowsPath(name).drive:
        return False
    return ".." not in name.replace("\\", "/").split("/")


def confined(root: Path, name: str) -> Path | None:
    """ROOT/NAME if NAME is a relative path that stays inside ROOT, symlinks followed; None for any way out."""
    if not plain_relative(name):
        return None
    path = root / name
    return path if inside(root, path) else None


def escapes(root: Path, path: Path) -> bool:
    """Whether PATH, found in ROOT, leads out of it (it or a folder on the way is such a link)."""
    return not inside(root, path)


def is_web_link(url: str) -> bool:
    """Whether URL is a link a reader may follow (http, https, mailto), never a file: or javascript: one."""
    return url.strip().lower().startswith(WEB_SCHEMES)
