"""The print edition as an editor checks it: every page as a thumbnail, in facing pairs as the printed
issue opens (the cover alone, then 2–3, 4–5 …).

Thumbnails are drawn with pypdfium2 (PDFium in the wheel: no program to install, a page in 10–25 ms,
in this process). A page is drawn again only when its look may have changed: its key, as the build
lists it in build.json (render/pdf/parts.py page_keys, made as the PDF is written), or else read from
the PDF (proofs/pages.py page_keys, which also tells the proof rounds which pages changed; 0.3 s for
the realistic issue). The spreads of a new PDF are shown at once: a thumbnail not drawn yet is drawn
when the page asks for it (its <img> scrolled into view) or, one after another, beside that
(`Thumbnails`): a page added early in a long issue moves 170 pages, some 3 s of drawing.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from typing import Any

from huikan.proofs.pages import PageKey as Page
from huikan.proofs.pages import page_keys as pages_of

THUMBNAIL_DPI = 48
KEY = re.compile(r"[0-9a-f]{32}")
PDFIUM = threading.Lock()  # PDFium is not thread-safe: one of this process's threads in it at a time
__all__ = ["PDFIUM", "THUMBNAIL_DPI", "Page", "Thumbnails", "draw", "facing", "forget", "pages_in"]


def pages_in(pdf: Path, entry: dict) -> list[Page]:
    """PDF's pages with their keys and sizes: as ENTRY (build.json's outputs.pdf) lists them, else read."""
    listed = entry.get("page_keys")
    if listed:
        return [Page(key, width, height) for key, width, height in listed]
    return pages_of(pdf)


class Thumbnails:
    """The thumbnails in FOLDER of the PDF the spreads show (<key>.png), each drawn once: when it is asked
    for (`get`), or in turn (`draw_next`). A thumbnail is written beside its name and renamed: never seen
    half-written."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.document: Any = None  # the PDF read (pypdfium2), while some of its thumbnails are to be drawn
        self.waiting: dict[str, int] = {}  # key → the 0-based number of a page not drawn yet

    def show(self, pdf: Path, pages: list[Page]) -> int:
        """From now on, PDF and its PAGES; return how many of their thumbnails are to be drawn."""
        self.folder.mkdir(parents=True, exist_ok=True)
        # (pages that look the same, such as the blank ones that make the count a multiple of four, share one)
        first = {page.key: number for number, page in reversed(list(enumerate(pages)))}
        with PDFIUM:
            self.close()
            self.waiting = {key: first[key] for key in sorted(first, key=first.__getitem__)
                            if not (self.folder / f"{key}.png").is_file()}
            if self.waiting:  # read now: the next build puts its PDF where this one is
                import pypdfium2

                self.document = pypdfium2.PdfDocument(pdf.read_bytes())
            return len(self.waiting)

    def get(self, key: str) -> Path | None:
        """The thumbnail of KEY, drawn now if it is to be; None if it is not one of the PDF's pages."""
        if not KEY.fullmatch(key):  # (a name from a request: nothing but a key names a file here)
            return None
        with PDFIUM:
            number = self.waiting.pop(key, None)
            if number is not None:
                self._draw(key, number)
        path = self.folder / f"{key}.png"
        return path if path.is_file() else None

    def draw_next(self) -> bool:
        """Draw the first thumbnail still to be drawn; False if there is none."""
        with PDFIUM:
            if not self.waiting:
                return False
            key = next(iter(self.waiting))
            self._draw(key, self.waiting.pop(key))
            return True

    def close(self) -> None:
        if self.document is not None:
            self.document.close()
            self.document = None

    def _draw(self, key: str, number: int) -> None:
        picture = self.document[number].render(scale=THUMBNAIL_DPI / 72).to_pil()
        temporary = self.folder / f".{key}.png.tmp"
        picture.save(temporary, format="PNG", compress_level=1)
        os.replace(temporary, self.folder / f"{key}.png")


def draw(pdf: Path, pages: list[Page], folder: Path) -> int:
    """Thumbnails of PDF's pages in FOLDER as <key>.png, for the keys not drawn yet, all now; return how
    many were drawn."""
    thumbnails = Thumbnails(folder)
    count = thumbnails.show(pdf, pages)
    while thumbnails.draw_next():
        pass
    with PDFIUM:
        thumbnails.close()
    return count


def forget(folder: Path, keep: set[str]) -> None:
    """Remove the thumbnails of pages that are no longer in the PDF."""
    for path in folder.glob("*.png"):
        if path.stem not in keep:
            path.unlink(missing_ok=True)


def facing(pages: int) -> list[list[int]]:
    """The page numbers as the printed issue opens: page 1 alone on the right, then pairs; the last page
    alone if the count is even (the back cover)."""
    spreads = [[1]] if pages else []
    spreads += [[n, n + 1] if n + 1 <= pages else [n] for n in range(2, pages + 1, 2)]
    return spreads
