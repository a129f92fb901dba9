"""Text for the 公众号 edition: escaped, with the web edition's repairs and the Chinese rules that need no
font feature (the 公众号 reader has none of ours): Han–Latin spacing, an interpunct kept to the word
before it, and 标点挤压 by a negative letter-spacing after the mark whose blank half faces the next one."""

from __future__ import annotations

import itertools

from markupsafe import Markup, escape

from huikan.model import Block, Cell
from huikan.render.wechat.styles import Styles
from huikan.typeset import CLOSING, OPENING, STOPS, keep_interpunct, space_han_latin


def squeezed(text: str) -> set[int]:
    """Positions after whose mark the next mark moves half an em closer (。” ）， （“)."""
    out = set()
    for i in range(len(text) - 1):
        a, b = text[i], text[i + 1]
        if (a in CLOSING + STOPS and b in OPENING + CLOSING + STOPS) or (a in OPENING and b in OPENING):
            out.add(i)
    return out


def plain(text: str, styles: Styles) -> Markup:
    """TEXT as the 公众号 edition sets it."""
    text = space_han_latin(keep_interpunct(text))
    pieces: list[Markup] = []
    cursor = 0
    for i in sorted(squeezed(text)):
        pieces += [escape(text[cursor:i]), Markup("<span{}>{}</span>").format(styles.attribute("halved"), text[i])]
        cursor = i + 1
    pieces.append(escape(text[cursor:]))
    return Markup("").join(pieces)


class Marks:
    """An article's links and notes, numbered in order as they are set: the 公众号 keeps neither, so the
    text gets a mark [n] and the end of the article lists them."""

    def __init__(self):
        self.links: list[str] = []
        self.notes: list[str] = []

    def link(self, href: str) -> int:
        if href not in self.links:
            self.links.append(href)
        return self.links.index(href) + 1

    def note(self, text: str) -> int:
        self.notes.append(text)
        return len(self.notes)


TAGS = {"bold": "strong", "italic": "em", "superscript": "span", "subscript": "span"}


def inline(block: Block | Cell, styles: Styles, marks: Marks) -> Markup:
    """A block's or a cell's text with its emphasis, its links and notes as marks, and its run-in head."""
    text = block.text
    notes = getattr(block, "notes", [])
    lead = getattr(block, "lead", "")
    cuts = sorted({0, len(text), *(k.start for k in block.links), *(k.end for k in block.links),
                   *(s.start for s in block.spans), *(s.end for s in block.spans),
                   *(min(n.at, len(text)) for n in notes), *([len(lead)] if lead and text.startswith(lead) else [])})
    pieces: list[Markup] = []
    for start, end in itertools.pairwise(cuts):
        pieces.extend(_mark(f"注{marks.note(n.text)}", styles) for n in notes if n.at == start)
        piece = plain(text[start:end], styles)
        for span in block.spans:
            if span.start <= start and end <= span.end:
                piece = Markup("<{0}{1}>{2}</{0}>").format(TAGS[span.style], styles.attribute(
                    "strong" if span.style == "bold" else "em" if span.style == "italic" else span.style), piece)
        if lead and text.startswith(lead) and end <= len(lead):
            piece = Markup("<strong{}>{}</strong>").format(styles.attribute("lead"), piece)
        pieces.append(piece)
        link = next((k for k in block.links if k.start <= start and end == k.end), None)
        if link is not None:
            pieces.append(_mark(str(marks.link(link.href)), styles))
    pieces.extend(_mark(f"注{marks.note(n.text)}", styles) for n in notes if n.at >= len(text))
    return Markup("").join(pieces)


def _mark(label: str, styles: Styles) -> Markup:
    return Markup("<span{}>[{}]</span>").format(styles.attribute("mark"), label)
