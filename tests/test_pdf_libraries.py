"""WeasyPrint's native libraries are found with one reading of the loader's cache, not a search per name."""

import ctypes.util
import subprocess
import sys
import textwrap

import pytest

from huikan.render.pdf import libraries
from huikan.render.pdf.libraries import finder, found_in_loader_cache, loader_cache

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldconfig is Linux's")


@linux
def test_the_cache_names_the_same_files_as_ctypes():
    find = finder(loader_cache() or b"")
    for name in ("pango-1.0", "gobject-2.0", "harfbuzz", "fontconfig"):
        assert find(name) == ctypes.util.find_library(name) is not None
    # WeasyPrint's names for other platforms are not found, as ctypes does not find them either.
    assert find("libpango-1.0-0") is None and find("pango-1.0-0") is None


@linux
def test_importing_the_pdf_writer_starts_one_process_where_weasyprint_alone_starts_dozens():
    count = textwrap.dedent("""
        import sys
        started = []
        sys.addaudithook(lambda event, args: started.append(args[0]) if event == "subprocess.Popen" else None)
        import {module}
        import ctypes.util
        from weasyprint.text.ffi import pango
        assert pango.pango_version() > 0
        assert ctypes.util.find_library.__module__ == "ctypes.util"  # searching as before once they are open
        print(len(started))
    """)
    ours = subprocess.run([sys.executable, "-c", count.format(module="huikan.render.pdf")], capture_output=True,
                          text=True, timeout=120, check=True)
    bare = subprocess.run([sys.executable, "-c", count.format(module="weasyprint")], capture_output=True, text=True,
                          timeout=120, check=True)
    assert int(ours.stdout) == 1  # ldconfig -p, once
    assert int(bare.stdout) >= 7  # at least one search for each of WeasyPrint's seven libraries


def test_the_lookup_is_ctypes_own_outside_and_where_there_is_no_loader_cache(monkeypatch):
    original = ctypes.util.find_library
    listing = b"\tlibpango-1.0.so.0 (libc6,x86-64) => /usr/lib/libpango-1.0.so.0\n"
    monkeypatch.setattr(libraries, "loader_cache", lambda: listing)
    monkeypatch.setattr(libraries.sys, "platform", "linux")
    with found_in_loader_cache():
        assert ctypes.util.find_library("pango-1.0") == "libpango-1.0.so.0"
        assert ctypes.util.find_library("gobject-2.0") is None  # not in this cache: not searched for
    assert ctypes.util.find_library is original
    monkeypatch.setattr(libraries, "loader_cache", lambda: None)  # no ldconfig, or no -p (musl)
    with found_in_loader_cache():
        assert ctypes.util.find_library is original
    monkeypatch.setattr(libraries.sys, "platform", "darwin")
    monkeypatch.setattr(libraries, "loader_cache", lambda: pytest.fail("ldconfig is run only on Linux"))
    with found_in_loader_cache():
        assert ctypes.util.find_library is original
