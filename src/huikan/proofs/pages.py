"""The PDFs' pages read back (PDFium, through pypdfium2): each page's text without its spaces and line
ends, for telling which pages changed and finding where a passage stands, and its characters' boxes, for
marking them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
from pypdf import PdfReader


@dataclass
class Page:
    text: str  # the page's characters, white space left out
    index: list[int]  # for each of them, its index among the page's characters (for their boxes)


class PageTexts:
    """The texts of a PDF's pages, each read when first asked for (PDFium takes some 20 ms a page)."""

    def __init__(self, pdf: Path):
        self.document = pypdfium2.PdfDocument(pdf)
        self.count = len(self.document)
        self.read: dict[int, Page] = {}

    def __getitem__(self, number: int) -> Page:
        if number not in self.read:
            page = self.document[number - 1]
            textpage = page.get_textpage()
            raw = textpage.get_text_range()
            kept = [(i, ch) for i, ch in enumerate(raw) if not ch.isspace()]
            self.read[number] = Page("".join(ch for _, ch in kept), [i for i, _ in kept])
            textpage.close()
            page.close()
        return self.read[number]

    def close(self) -> None:
        self.document.close()


def changed_pages(old: list[str], new: list[str]) -> list[int]:
    """The new proof's pages (numbered from 1) that do not look like the old one's page of the same number
    (OLD and NEW: page keys): the pages the print shop must replace."""
    return [n for n, key in enumerate(new, 1) if n > len(old) or old[n - 1] != key]


def squeeze(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def locate(pages: PageTexts, text: str, start: int, end: int, first: int = 1, last: int | None = None,
           context: int = 12, taken: set[tuple[int, int]] | None = None) -> tuple[int, int, int] | None:
    """Where TEXT[start:end] stands in PAGES, searched with a few characters around it, from page FIRST to
    LAST: (page number, start, end) in that page's squeezed text; None if it is not found. A place in TAKEN
    ((page, start), found for another change: the same words in a 摘要 and in the text) is passed over,
    and the place found is added to it."""
    taken = taken if taken is not None else set()
    last = min(last or pages.count, pages.count)
    for before, after in ((context, context), (context, 0), (0, context), (4, 4), (0, 0)):
        head = squeeze(text[max(0, start - before):start])
        body = squeeze(text[start:end])
        tail = squeeze(text[end:end + after])
        needle = head + body + tail
        if not needle:
            continue
        for number in range(max(first, 1), last + 1):
            at = pages[number].text.find(needle)
            while at >= 0 and (number, at + len(head)) in taken:
                at = pages[number].text.find(needle, at + 1)
            if at >= 0:
                taken.add((number, at + len(head)))
                return number, at + len(head), at + len(head) + len(body)
    return None


@dataclass(frozen=True)
class PageKey:
    key: str  # changes when the page's look may have changed
    width: float  # in points
    height: float


def page_keys(pdf: Path) -> list[PageKey]:
    """Each page of PDF, with its key and size. The key is the hash of the page's content stream, size,
    fonts' names and pictures' data (pypdf reads these in about 1 ms a page): WeasyPrint keeps each glyph's
    id when it subsets a font, so the same content stream with the same fonts is the same page."""
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
        pages.append(PageKey(digest.hexdigest()[:32], box[2] - box[0], box[3] - box[1]))
    return pages


def _resolved(value) -> dict:
    """A dictionary of the PDF, followed if it is a reference; an empty one if it is absent."""
    return value.get_object() if value is not None else {}
