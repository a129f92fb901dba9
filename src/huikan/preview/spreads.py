"""The print edition as an editor checks it: every page as a thumbnail, in facing pairs as the printed
issue opens (the cover alone, then 2–3, 4–5 …).

Thumbnails are drawn with pypdfium2 (PDFium in the wheel: no program to install, a page in about
10 ms, in this process). A page is drawn again only when its look may have changed: its key is the
hash of its content stream, its size, its fonts' names and its pictures' data (pypdf reads these in
about 1 ms a page). WeasyPrint keeps each glyph's id when it subsets a font, so the same content
stream with the same fonts is the same page.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

THUMBNAIL_DPI = 48


@dataclass(frozen=True)
class Page:
    key: str  # changes when the page's look may have changed
    width: float  # in points
    height: float


def pages_of(pdf: Path) -> list[Page]:
    """Each page of PDF, with its key and size."""
    pages = []
    hashed: dict[int, bytes] = {}  # a picture on many pages (a running head's logo) is hashed once
    for page in PdfReader(pdf).pages:
        box = [float(x) for x in page.mediabox]
        digest = hashlib.sha256(repr(box).encode())
        contents = page.get_contents()
        digest.update(contents.get_data() if contents is not None else b"")
        resources = _resolved(page.get("/Resources"))
        for name, font in sorted(_resolved(resources.get("/Font")).items()):
            digest.update(f"{name}={font.get_object().get('/BaseFont')}".encode())
        for name, xobject in sorted(_resolved(resources.get("/XObject")).items()):
            number = getattr(xobject, "idnum", None)
            data = hashed.get(number) if number is not None else None
            if data is None:
                data = hashlib.sha256(xobject.get_object().get_data()).digest()
                if number is not None:
                    hashed[number] = data
            digest.update(name.encode() + data)
        pages.append(Page(digest.hexdigest()[:32], box[2] - box[0], box[3] - box[1]))
    return pages


def _resolved(value) -> dict:
    """A dictionary of the PDF, followed if it is a reference; an empty one if it is absent."""
    return value.get_object() if value is not None else {}


def draw(pdf: Path, pages: list[Page], folder: Path) -> int:
    """Thumbnails of PDF's pages in FOLDER as <key>.png, for the keys not drawn yet; return how many
    were drawn. A thumbnail is written beside its name and renamed: never seen half-written."""
    import pypdfium2

    folder.mkdir(parents=True, exist_ok=True)
    # (pages that look the same, such as the blank ones that make the count a multiple of four, share one)
    first = {page.key: number for number, page in reversed(list(enumerate(pages)))}
    missing = [(number, key) for key, number in first.items() if not (folder / f"{key}.png").is_file()]
    if not missing:
        return 0
    document = pypdfium2.PdfDocument(pdf)
    try:
        for number, key in missing:
            picture = document[number].render(scale=THUMBNAIL_DPI / 72).to_pil()
            temporary = folder / f".{key}.png.tmp"
            picture.save(temporary, format="PNG", compress_level=1)
            os.replace(temporary, folder / f"{key}.png")
    finally:
        document.close()
    return len(missing)


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
