"""WeasyPrint's native libraries (GObject, Pango, HarfBuzz, fontconfig) opened without a search per name.

WeasyPrint 70 tries several names for each library, for every platform at once (libgobject-2.0-0,
gobject-2.0, …, libgobject-2.0.so.0). cffi hands each name that is not a loadable file to
`ctypes.util.find_library`, which on Linux runs `ldconfig -p` (and gcc and ld, where installed) for
every name it is asked: 22 processes, 54 where gcc is installed, about 0.06 s of a 1.2 s build. While
WeasyPrint opens its libraries here, find_library answers from one reading of the loader's cache
instead. A name not in that cache is not found, and WeasyPrint goes on to the library's own file name,
which the loader opens directly: the same file gcc or ld would have named, since they look where the
loader looks.

Imported before anything else of WeasyPrint (render/pdf/__init__.py); elsewhere than on Linux, or
without ldconfig, WeasyPrint searches as it always does.
"""

from __future__ import annotations

import ctypes.util
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def loader_cache() -> bytes | None:
    """What `ldconfig -p` lists (every library the loader knows by name), run as ctypes runs it, or None
    where it cannot say (no ldconfig, or one without -p, as on musl)."""
    try:
        return subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, stdin=subprocess.DEVNULL,
                              env={"LC_ALL": "C", "LANG": "C"}, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def finder(listing: bytes) -> Callable[[str], str | None]:
    """find_library over LISTING: the file name ctypes' first step (`ldconfig -p`) would give NAME, or None."""
    def find_library(name: str) -> str | None:
        found = re.search(rb"\s(lib%s\.[^\s]+)\s" % re.escape(os.fsencode(name)), listing)
        return os.fsdecode(found.group(1)) if found else None
    return find_library


@contextmanager
def found_in_loader_cache() -> Iterator[None]:
    """ctypes.util.find_library answering from one reading of the loader's cache, on Linux, while inside."""
    listing = loader_cache() if sys.platform.startswith("linux") else None
    if listing is None:
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = finder(listing)  # type: ignore[assignment]
    try:
        yield
    finally:
        ctypes.util.find_library = original


if "weasyprint.text.ffi" not in sys.modules:  # (else WeasyPrint was imported first: its libraries are open)
    with found_in_loader_cache():
        import weasyprint.text.ffi  # noqa: F401  (opens the libraries once; later imports find the module)
