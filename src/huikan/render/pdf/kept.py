"""The print cache: the painted pages of each unit (an article that starts a page, or a run of run-on
items), kept from one build to the next so that an edit lays out only what it changed.

A unit is kept under what decides its pages: its HTML (the theme's CSS with the page geometry, the
article's words, its pictures by their content) and, for the whole cache of a build, the PDF options,
the theme's files, the fonts installed and the versions of huikan and WeasyPrint (`context`): a change
to any of these lays out everything. The
head's title and meta elements name every article of the issue and lay out nothing: they are left
out of a unit's key, so that a new title does not lay out every article again. The page a unit starts
on is not in its key: where its pages' furniture (folios, running heads) is painted apart
(furniture.py), it is placed on any page; else only on the one it was painted for (in its file name).
The furniture painted for each page is kept too, by its inputs (`furniture`).

The cache of an issue is `$XDG_CACHE_HOME/huikan/print/<issue folder>/<context>/`; a build keeps
there what it placed and removes what it did not use. Safe to delete at any time.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import weasyprint

from huikan import __version__
from huikan.cache import issue_cache, keep_only, read_plain, write_plain
from huikan.render.pdf.painted import PaintedFurniture, PaintedUnit
from huikan.render.pdf.subsets import Subset, writing_libraries

FORMAT = "3"  # of the records: a change to what a record holds makes every key new
FURNITURE = "furniture"  # the file that keeps the pages' furniture
SUBSETS = "subsets"  # the file that keeps the fonts' subsets
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts")
_HEAD_NAMES = re.compile(r"<title>.*?</title>|<meta name=[^>]*>", re.DOTALL)


def html_digest(html: str) -> str:
    """What a unit's key keeps of its HTML: all of it but the head's title and meta elements."""
    return hashlib.sha256(_HEAD_NAMES.sub("", html).encode()).hexdigest()[:32]


def fonts_installed() -> str:
    """A digest of the font files fontconfig finds (where each is, its size and time), and of its settings."""
    digest = hashlib.sha256(os.environ.get("FONTCONFIG_FILE", "").encode())
    for top in FONT_FOLDERS:
        for folder, _, names in sorted(os.walk(os.path.expanduser(top))):
            for name in sorted(names):
                try:
                    stat = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                digest.update(f"{folder}/{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def files_digest(folders: list[Path]) -> str:
    digest = hashlib.sha256()
    for root in folders:
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
            digest.update(f"{path.relative_to(root).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def context(options: dict, themes: list[Path]) -> str:
    """The key of everything a build's units share: OPTIONS (variant, marks, colour…), the theme's files,
    the fonts installed, the versions (of the libraries that subset and deflate too)."""
    parts = [f"huikan {__version__}", f"weasyprint {weasyprint.__version__}", writing_libraries(), f"format {FORMAT}",
             *(f"{key}={options[key]!r}" for key in sorted(options)), files_digest(themes), fonts_installed()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


class KeptUnits:
    """The units an issue's earlier builds painted, for this build to place again (and to keep its own)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.used: set[str] = set()
        self._subsets: dict[str, Subset] = {}
        try:
            names = os.listdir(folder)
        except OSError:
            names = []
        # digest → the page it was kept at and its page count, from the file names
        self.pages: dict[str, tuple[int, int]] = {}
        # the 目录's first layout (with stand-in page numbers): its digest → its page count
        self.fronts: dict[str, int] = {}
        for name in names:
            match = re.fullmatch(r"([0-9a-f]{32})-(\d+)-(\d+)\.unit", name)
            if match:
                self.pages[match[1]] = (int(match[2]), int(match[3]))
            match = re.fullmatch(r"front-([0-9a-f]{32})-(\d+)", name)
            if match:
                self.fronts[match[1]] = int(match[2])

    @classmethod
    def for_issue(cls, issue_folder: Path, context_key: str) -> KeptUnits:
        return cls(issue_cache("print", issue_folder, context_key))

    def front_pages(self, digest: str) -> int | None:
        """How many pages the front matter DIGEST took, laid out with stand-in page numbers, if known. (Not
        a guess from another: the articles start after it, and the 目录 may fit both of two counts.)"""
        used = f"front-{digest}-{self.fronts.get(digest)}"
        if digest in self.fronts:
            self.used.add(used)
        return self.fronts.get(digest)

    def keep_front_pages(self, digest: str, pages: int) -> None:
        name = f"front-{digest}-{pages}"
        if write_plain(self.folder / name, None):
            self.used.add(name)

    def furniture(self) -> dict[str, PaintedFurniture]:
        """The pages' furniture kept by the last build, by its inputs (furniture.Furnishing.key)."""
        plain = read_plain(self.folder / FURNITURE)
        kept = {}
        for key, record in plain.items() if isinstance(plain, dict) else ():
            furniture = PaintedFurniture.from_plain(record)
            if furniture is not None:
                kept[key] = furniture
        return kept

    def keep_furniture(self, used: dict[str, PaintedFurniture]) -> None:
        """Keep the furniture this build placed (USED), for the next."""
        if write_plain(self.folder / FURNITURE, {key: furniture.to_plain() for key, furniture in used.items()}):
            self.used.add(FURNITURE)

    def subsets(self) -> dict[str, Subset]:
        """The fonts' subsets the last build embedded, by their keys (subsets.py)."""
        plain = read_plain(self.folder / SUBSETS)
        self._subsets = {key: (value[0], value[1]) for key, value in plain.items()
                         if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], bytes)
                         and isinstance(value[1], bytes | None)} if isinstance(plain, dict) else {}
        return self._subsets

    def keep_subsets(self, used: dict[str, Subset]) -> None:
        """Keep the subsets this build embedded (USED), for the next: written only if they are others."""
        if used.keys() == self._subsets.keys() or write_plain(self.folder / SUBSETS, used):
            self.used.add(SUBSETS)

    def get(self, digest: str) -> tuple[PaintedUnit, int] | None:
        """The unit DIGEST and the page it was painted from, if it was kept (and reads back whole)."""
        kept = self.pages.get(digest)
        if kept is None:
            return None
        unit = PaintedUnit.from_plain(read_plain(self.folder / self._name(digest, *kept)))
        if unit is None:  # (a file cut short or from elsewhere: laid out again)
            return None
        return unit, kept[0]

    def placed(self, digest: str) -> None:
        """The unit DIGEST (got) was placed: it stays kept."""
        self.used.add(self._name(digest, *self.pages[digest]))

    def put(self, digest: str, first_page: int, unit: PaintedUnit) -> None:
        """Keep UNIT, painted from FIRST_PAGE on."""
        name = self._name(digest, first_page, len(unit.pages))
        if unit.keepable and write_plain(self.folder / name, unit.to_plain()):
            self.used.add(name)

    def prune(self) -> None:
        """Remove what this build did not use (the units of earlier versions of the articles), and the
        least recently used contexts and issues (cache.keep_only)."""
        keep_only(self.folder, self.used)

    @staticmethod
    def _name(digest: str, first_page: int, count: int) -> str:
        return f"{digest}-{first_page}-{count}.unit"

