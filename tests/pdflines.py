"""Body lines of a PDF read back from pdfplumber's character boxes, for typography checks."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mode

import pdfplumber

BODY_SIZE = 10.5


@dataclass
class Line:
    page: int
    top: float
    x0: float
    x1: float
    text: str
    chars: list


def body_lines(path, first_page: int = 3) -> list[Line]:
    """Lines set in the body size (五号) from FIRST_PAGE on, in reading order."""
    lines: list[Line] = []
    with pdfplumber.open(str(path)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            if number < first_page:
                continue
            rows: dict[float, list] = {}
            for char in page.chars:
                if abs(char["size"] - BODY_SIZE) > 0.05 or not char["text"].strip():
                    continue
                rows.setdefault(round(char["top"], 0), []).append(char)
            for top in sorted(rows):
                chars = sorted(rows[top], key=lambda c: c["x0"])
                lines.append(Line(number, top, chars[0]["x0"], chars[-1]["x1"],
                                  "".join(c["text"] for c in chars), chars))
    return lines


def text_block_edges(lines: list[Line]) -> dict[int, tuple[float, float]]:
    """Per page, the left and right edge of the text block: the most common line start and end."""
    edges = {}
    for page in {line.page for line in lines}:
        on_page = [line for line in lines if line.page == page]
        edges[page] = (mode(round(line.x0, 1) for line in on_page), mode(round(line.x1, 1) for line in on_page))
    return edges
