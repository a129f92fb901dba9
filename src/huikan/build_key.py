"""An issue's build key: a hash of everything its outputs depend on (build.json keeps it).

Content hashes, not modification times: a CI checkout gives every file a new time.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from huikan import __version__
from huikan.confine import escapes
from huikan.theme import default_theme_dir

# Stamped into the key so that a change in what a build writes rebuilds every issue.
FORMAT = "4"


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def issue_key(folder: Path, extra: str = "") -> str:
    """sha256 over the tool version, the issue folder's files and the default theme's files."""
    digest = hashlib.sha256(f"huikan {__version__} format {FORMAT} {extra}\n".encode())
    for label, root in (("issue", Path(folder)), ("theme", default_theme_dir())):
        for path in _files(root):
            digest.update(f"{label}/{path.relative_to(root).as_posix()}\0".encode())
            # A link out of the folder is never read (ingest refuses it); where it points is what counts.
            content = str(path.resolve()).encode() if escapes(root, path) else path.read_bytes()
            digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()
