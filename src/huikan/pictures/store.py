"""Variants kept under the issue's build folder (.pictures/), by the picture's hash and the settings.

A build makes its outputs in a staging folder that then replaces the build folder whole (swap.py): the
variants this build uses are linked over from the previous build's .pictures/ (or made), so a rebuild
makes none it made before, and variants no build uses any more go with the old folder.
"""

from __future__ import annotations

import os
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from huikan.model import Picture, Web
from huikan.pictures.survey import source_bytes
from huikan.pictures.variants import WEB_WIDTHS, Want, fitted, make, suffix

CACHE = ".pictures"


class PictureStore:
    def __init__(self, folder: Path, staging: Path, previous: Path | None = None):
        self.folder = Path(folder)  # the sources, where the originals are
        self.staging = Path(staging)
        self.here = self.staging / CACHE
        self.before = Path(previous) / CACHE if previous is not None else None
        self.made = self.reused = 0
        self._counting = threading.Lock()  # the build makes screen pictures in two threads

    def variant(self, picture: Picture, want: Want) -> Path:
        """The file of PICTURE's variant for WANT: this build's, the previous build's, or made now."""
        name = f"{picture.sha256[:32]}-{want.key()}{suffix(picture, want)}"
        target = self.here / name
        if target.is_file():
            return target
        self.here.mkdir(parents=True, exist_ok=True)
        if self.before is not None and (self.before / name).is_file():
            _link(self.before / name, target)
            with self._counting:
                self.reused += 1
            return target
        # (by process and thread: the PDF's process beside may make a variant while this one does)
        temporary = target.with_name(f".{name}.{os.getpid()}.{threading.get_ident()}.tmp")
        temporary.write_bytes(make(source_bytes(picture, self.folder), picture, want))
        os.replace(temporary, target)
        with self._counting:
            self.made += 1
        return target

    def web(self, picture: Picture, folder: str = "images") -> list[Web]:
        """PICTURE for screens, beside the HTML in FOLDER: sRGB, at most 1600 px wide, and 800 px wide for
        small screens when it is wider than that; largest first."""
        files: list[Web] = []
        for limit in WEB_WIDTHS:
            want = Want(limit)
            width, height = fitted(picture, want)
            if files and width >= files[-1].width:
                break  # no smaller than the one before: no variant
            source = self.variant(picture, want)
            path = f"{folder}/{picture.sha256[:16]}-{width}{source.suffix}"
            target = self.staging / path
            if not target.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                _link(source, target)  # (the same picture under two names: one thread links it first)
            files.append(Web(path, width, height))
        return files


def make_screen_pictures(store: PictureStore, pictures: list[Picture]) -> None:
    """Each usable picture's files for screens (`Picture.web`), two at a time: Pillow works without the GIL."""
    usable = [picture for picture in pictures if not picture.problem]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for picture, web in zip(usable, pool.map(store.web, usable), strict=True):
            picture.web = web


def _link(source: Path, target: Path) -> None:
    """TARGET as a hard link to SOURCE (no copy on the same disk), else a copy."""
    try:
        os.link(source, target)
    except FileExistsError:
        pass
    except OSError:
        shutil.copyfile(source, target)
