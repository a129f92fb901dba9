"""The print edition as an editor checks it: every page as a thumbnail, in facing pairs as the printed
issue opens (the cover alone, then 2–3, 4–5 …).

Thumbnails are drawn with pypdfium2 (PDFium in the wheel: no program to install, a page in about
10 ms, in this process). A page is drawn again only when its look may have changed: its key, as the
build lists it in build.json (render/pdf/parts.py page_keys, made as the PDF is written), or else
read from the PDF (proofs/pages.py page_keys, which also tells the proof rounds which pages changed;
0.3 s for the realistic issue).
"""

from __future__ import annotations

import os
from pathlib import Path

from huikan.proofs.pages import PageKey as Page
from huikan.proofs.pages import page_keys as pages_of

THUMBNAIL_DPI = 48
__all__ = ["THUMBNAIL_DPI", "Page", "draw", "facing", "forget", "pages_in"]


def pages_in(pdf: Path, entry: dict) -> list[Page]:
    """PDF's pages with their keys and sizes: as ENTRY (build.json's outputs.pdf) lists them, else read."""
    listed = entry.get("page_keys")
    if listed:
        return [Page(key, width, height) for key, width, height in listed]
    return pages_of(pdf)


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
