"""The issue imposed as a booklet for an office duplex printer: two pages up on the next larger sheet.

Made from the finished PDF with pypdf, not by a second layout. Each page's trim (its TrimBox: no
bleed, no marks) goes on one half of a landscape sheet, scaled to fit where it is larger (B5 on A4),
in saddle-stitch order: the first sheet's front holds the last page and the first, its back the second
and the second-to-last, and so on inwards. Printed on both sides, flipped on the short edge, the stack
folds in the middle into the issue. A short mark at the top and bottom of each side shows the fold.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, IndirectObject, NameObject

MM = 72 / 25.4
FOLD_MARK = 4 * MM


def booklet_sheet(page_mm: tuple[float, float]) -> str:
    """The sheet two pages go up on: A3 for A4 pages, A4 for smaller ones (B5 and 16K scaled to fit)."""
    return "A3" if page_mm[0] > 190 else "A4"


def sheet_order(pages: int) -> list[tuple[int | None, int | None]]:
    """(left, right) 0-based page indexes for each side of each sheet, front then back; None is a blank
    half where the page count is not a multiple of four."""
    total = 4 * math.ceil(pages / 4)

    def page(i: int) -> int | None:
        return i if i < pages else None

    sides = []
    for sheet in range(total // 4):
        outer, inner = 2 * sheet, total - 1 - 2 * sheet
        sides.append((page(inner), page(outer)))  # front: the last page left, the first right
        sides.append((page(outer + 1), page(inner - 1)))  # back: the second left, the second-to-last right
    return sides


def make_booklet(pdf: bytes, sheet_mm: tuple[float, float], target: Path) -> int:
    """Write the booklet of PDF on landscape sheets of SHEET_MM to TARGET; return the number of sides."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    width, height = sheet_mm[0] * MM, sheet_mm[1] * MM
    forms: dict[int, IndirectObject] = {}
    for left, right in sheet_order(len(reader.pages)):
        side = writer.add_blank_page(width=width, height=height)
        drawn, names = [], DictionaryObject()
        for index, x in ((left, 0.0), (right, width / 2)):
            if index is None:
                continue
            if index not in forms:
                forms[index] = _as_form(writer, reader.pages[index])
            name = f"/P{len(names)}"
            names[NameObject(name)] = forms[index]
            drawn.append(f"q {_placement(reader.pages[index], x, width / 2, height)} cm {name} Do Q")
        drawn.append(_fold_marks(width, height))
        side[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): names})
        content = DecodedStreamObject()
        content.set_data("\n".join(drawn).encode())
        side[NameObject("/Contents")] = writer._add_object(content)
        side.compress_content_streams()
    title = reader.metadata.get("/Title") if reader.metadata is not None else None
    writer.add_metadata({"/Producer": "huikan", "/Title": str(title or "")})
    out = io.BytesIO()
    writer.write(out)
    target.write_bytes(out.getvalue())
    return len(writer.pages)


def _as_form(writer: PdfWriter, page: PageObject) -> IndirectObject:
    """PAGE as a form XObject clipped to its trim (bleed and marks are cut off, as the guillotine would).

    Its content is copied as it is, never parsed; its resources (the fonts and pictures every page of
    a huikan PDF shares) are copied into the booklet once."""
    content = page.get_contents()
    resources = page["/Resources"].clone(writer)  # cloned once when pages share them
    form = DecodedStreamObject()
    form.set_data(content.get_data() if content is not None else b"")
    form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                 NameObject("/BBox"): ArrayObject(FloatObject(v) for v in page.trimbox),
                 NameObject("/Resources"): resources.indirect_reference or resources})
    return writer._add_object(form.flate_encode())


def _placement(page: PageObject, x: float, half: float, height: float) -> str:
    """The matrix that puts PAGE's trim centred on the half of a side that starts at X, scaled down if it
    does not fit."""
    trim = page.trimbox
    w, h = float(trim.width), float(trim.height)
    scale = min(1.0, half / w, height / h)
    dx = x + (half - w * scale) / 2 - float(trim.left) * scale
    dy = (height - h * scale) / 2 - float(trim.bottom) * scale
    return f"{scale:.6f} 0 0 {scale:.6f} {dx:.4f} {dy:.4f}"


def _fold_marks(width: float, height: float) -> str:
    """A short black line at the middle of the sheet's top and bottom edges: where to fold."""
    return (f"q 0 0 0 1 K 0.3 w {width / 2:.3f} 0 m {width / 2:.3f} {FOLD_MARK:.3f} l S "
            f"{width / 2:.3f} {height:.3f} m {width / 2:.3f} {height - FOLD_MARK:.3f} l S Q")
