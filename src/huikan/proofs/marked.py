"""<id>-changes.pdf: the new proof with every change marked where it stands — a light highlight over the
characters added or changed, a bar in the outer margin beside each changed line — after a first page that
lists the pages to replace (改动的页：5、9–12、37) and says whether the pagination shifted."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Highlight, Rectangle
from pypdf.generic import ArrayObject, FloatObject, NameObject

MARK = "fff59d"  # a light yellow, drawn by viewers beneath the text's black (multiply)
BAR = "e53935"
BAR_WIDTH = 2.5  # points
BAR_GAP = 6  # points between the text block and the bar


def character_boxes(pdf: Path, wanted: dict[int, list[int]]) -> dict[int, list[tuple[float, float, float, float]]]:
    """For each page number, the boxes (left, bottom, right, top, in the page's own coordinates) of the
    characters WANTED there (indexes among the page's characters)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        boxes: dict[int, list[tuple[float, float, float, float]]] = {}
        for number, indexes in wanted.items():
            page = document[number - 1]
            textpage = page.get_textpage()
            boxes[number] = [textpage.get_charbox(i, loose=False) for i in indexes]
            textpage.close()
            page.close()
        return boxes
    finally:
        document.close()


def lines_of(boxes: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """Boxes of characters on one line merged into one box per line (a highlight per line, as a pen would)."""
    merged: list[list[float]] = []
    for left, bottom, right, top in sorted(boxes, key=lambda b: (-b[3], b[0])):
        last = merged[-1] if merged else None
        if last is not None and abs(last[3] - top) < 2 and left - last[2] < 15:
            last[2], last[1], last[3] = max(last[2], right), min(last[1], bottom), max(last[3], top)
        else:
            merged.append([left, bottom, right, top])
    return [tuple(box) for box in merged]  # type: ignore[misc]


def write_marked(pdf: Path, summary: Path, marks: dict[int, list[tuple[float, float, float, float]]],
                 target: Path) -> None:
    """PDF with a highlight over each box of MARKS (by page number) and a bar beside each line, after the
    one-page SUMMARY; written to TARGET in one step."""
    reader = PdfReader(pdf)
    writer = PdfWriter()
    writer.append(PdfReader(summary))
    writer.append(reader)
    for number, boxes in sorted(marks.items()):
        page_index = number  # the summary page comes first
        trim = reader.pages[number - 1].trimbox
        left_page = number % 2 == 0  # even pages are left-hand: the outer margin is on the left
        for left, bottom, right, top in lines_of(boxes):
            pad = (top - bottom) * 0.15
            rect = (left - pad, bottom - pad, right + pad, top + pad)
            quad = ArrayObject(FloatObject(v) for v in (rect[0], rect[3], rect[2], rect[3], rect[0], rect[1],
                                                        rect[2], rect[1]))
            writer.add_annotation(page_index, Highlight(rect=rect, quad_points=quad, highlight_color=MARK,
                                                        printing=True))
            x = float(trim.left) + BAR_GAP if left_page else float(trim.right) - BAR_GAP - BAR_WIDTH
            bar = Rectangle(rect=(x, rect[1], x + BAR_WIDTH, rect[3]), interior_color=BAR)
            bar[NameObject("/C")] = ArrayObject([FloatObject(0.9), FloatObject(0.22), FloatObject(0.21)])
            writer.add_annotation(page_index, bar)
    temporary = target.with_name(f".{target.name}.tmp")
    with temporary.open("wb") as handle:
        writer.write(handle)
    temporary.replace(target)

