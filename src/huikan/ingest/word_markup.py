"""The body of a Word file as Word shows it, from what Word stores around the text.

Run on the document's XML before it is read: tracked changes are accepted (or rejected), content
controls, smart tags and custom XML give up their content, a hyperlink nested in another gives up its
text to it, a field shows its result and never its code (a cross-reference reads 见第3页), a drop cap
rejoins its paragraph, symbols in symbol fonts become Unicode, and the document's own table of contents
is dropped. Each change of that kind is counted so that the reader can tell the editor what the file held.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

INSERTED = (qn("w:ins"), qn("w:moveTo"))
DELETED = (qn("w:del"), qn("w:moveFrom"))
HYPERLINK = qn("w:hyperlink")
FIELD_CHAR = qn("w:fldChar")
# What a run shows: left out where it stands in a field's code (between its begin and its separate).
SHOWN = (qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:sym"), qn("w:noBreakHyphen"), qn("w:softHyphen"))
WRAPPERS = (qn("w:smartTag"), qn("w:customXml"), qn("w:fldSimple"), qn("w:bdo"), qn("w:dir"))

# Symbol-font characters Word writes as w:sym (the font's private-use code, F0xx): their Unicode.
SYMBOL = {
    "Symbol": dict(zip(
        range(0xF041, 0xF05B),
        "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ", strict=True)) | dict(zip(
        range(0xF061, 0xF07B),
        "αβχδεφγηιϕκλμνοπθρστυϖωξψζ", strict=True)) | {
        0xF0B0: "°", 0xF0B1: "±", 0xF0B4: "×", 0xF0B8: "÷", 0xF0A3: "≤", 0xF0B3: "≥", 0xF0B9: "≠",
        0xF0BB: "≈", 0xF0A5: "∞", 0xF0D6: "√", 0xF0E5: "∑", 0xF0D5: "∏", 0xF0F2: "∫", 0xF0B6: "∂",
        0xF0AE: "→", 0xF0AC: "←", 0xF0AD: "↑", 0xF0AF: "↓", 0xF0DE: "⇒", 0xF0DB: "⇔", 0xF0B7: "•",
        0xF0A2: "′", 0xF0B2: "″", 0xF0CE: "∈", 0xF0C7: "∩", 0xF0C8: "∪", 0xF0D8: "¬", 0xF0D9: "∧",
        0xF0DA: "∨", 0xF020: " ", 0xF02B: "+", 0xF02D: "−", 0xF03D: "=", 0xF03C: "<", 0xF03E: ">"},
    "Wingdings": {0xF06C: "●", 0xF06E: "■", 0xF075: "◆", 0xF09F: "•", 0xF0A7: "▪", 0xF0D8: "➢",
                  0xF0FC: "✓", 0xF0FB: "✗", 0xF0A8: "◻", 0xF06F: "□", 0xF0E0: "→", 0xF0E8: "➔"},
}


@dataclass
class Markup:
    """What the normalising found: pending tracked changes and their authors, symbols without a
    mapping, and how many content controls, tables of contents and drop caps there were."""

    changes: int = 0
    authors: set[str] = field(default_factory=set)
    unknown_symbols: Counter = field(default_factory=Counter)  # (font, code) → times
    controls: int = 0
    contents_dropped: int = 0
    drop_caps: int = 0
    frames: int = 0  # layout tables and text boxes whose text was read as the body's


def normalise(body: Any, accept: bool = True) -> Markup:
    """Rewrite BODY (w:body, or any part's root) in place as Word shows it; ACCEPT or reject changes."""
    found = Markup()
    _tracked_changes(body, accept, found)
    _content_controls(body, found)
    _frames(body, found)
    for wrapper in list(body.iter(*WRAPPERS)):
        _unwrap(wrapper)
    for link in list(body.iter(HYPERLINK)):
        if any(a.tag == HYPERLINK for a in link.iterancestors()):
            _unwrap(link)  # python-docx reads a hyperlink's own runs only: the inner one's text was lost
    _field_codes(body)
    _symbols(body, found)
    _drop_caps(body, found)
    return found


def _tracked_changes(body, accept: bool, found: Markup) -> None:
    for element in list(body.iter(*INSERTED, *DELETED)):
        found.changes += 1
        if element.get(qn("w:author")):
            found.authors.add(element.get(qn("w:author")))
        parent = element.getparent()
        if parent is not None and parent.tag in (qn("w:rPr"), qn("w:trPr"), qn("w:pPr")):
            # A mark on a paragraph, a run or a table row: a row inserted (rejected) or deleted
            # (accepted) goes; the marks on paragraphs and runs only say they changed.
            if parent.tag == qn("w:trPr") and (element.tag in DELETED) == accept:
                row = parent.getparent()
                if row is not None and row.getparent() is not None:
                    row.getparent().remove(row)
            else:
                parent.remove(element)
            continue
        keep = (element.tag in INSERTED) == accept
        if keep:
            for deleted in element.iter(qn("w:delText")):  # a rejected deletion shows its text again
                deleted.tag = qn("w:t")
            _unwrap(element)
        elif element.getparent() is not None:
            element.getparent().remove(element)


def _content_controls(body, found: Markup) -> None:
    while True:
        controls = list(body.iter(qn("w:sdt")))
        if not controls:
            return
        for sdt in controls:
            if sdt.getparent() is None:
                continue
            gallery = sdt.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
            if gallery is not None and gallery.get(qn("w:val")) == "Table of Contents":
                found.contents_dropped += 1
                sdt.getparent().remove(sdt)
                continue
            found.controls += 1
            content = sdt.find(qn("w:sdtContent"))
            if content is None:
                sdt.getparent().remove(sdt)
            else:
                _unwrap(content)
                _unwrap(sdt, drop=qn("w:sdtPr"))


BOX = qn("w:txbxContent")
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
PROSE_CHARS = 60  # a text box or a one-column table's cell with this much text holds body text


def text_boxes(element) -> list:
    """The text boxes in ELEMENT, each once: Word writes a box twice, as a shape and as its VML fallback."""
    return [box for box in element.iter(BOX) if not any(a.tag == FALLBACK for a in box.iterancestors())]


def text_box_text(element) -> str:
    """The text of the text boxes in ELEMENT (a paragraph), their paragraphs joined by a space."""
    paragraphs = (p for box in text_boxes(element) for p in box.iter(qn("w:p")))
    return " ".join(t for t in ("".join(x.text or "" for x in p.iter(qn("w:t"))).strip() for p in paragraphs) if t)


def _frames(body, found: Markup) -> None:
    """Body text that a file keeps in a frame, as files converted from .doc or laid out by hand do: a table
    of one column whose cells hold prose, and text boxes that hold more than a caption. Their paragraphs
    take the frame's place (a text box's after the paragraph it is anchored in), in reading order."""
    for table in [t for t in body if t.tag == qn("w:tbl")]:
        rows = table.findall(qn("w:tr"))
        cells = [tc for tr in rows for tc in tr.findall(qn("w:tc"))]
        if not rows or len(cells) != len(rows) or not any(_prose(tc) for tc in cells):
            continue
        found.frames += 1
        for tc in cells:
            for child in [c for c in tc if c.tag != qn("w:tcPr")]:
                table.addprevious(child)
        body.remove(table)
    for paragraph in [p for p in body.iter(qn("w:p")) if p.getparent() is not None]:
        boxes = [box for box in text_boxes(paragraph) if _prose(box)]
        for box in reversed(boxes):
            found.frames += 1
            for child in reversed([c for c in box if c.tag in (qn("w:p"), qn("w:tbl"))]):
                paragraph.addnext(child)
            holder = next((a for a in box.iterancestors() if a.tag in (ALTERNATE, qn("w:drawing"), qn("w:pict"))),
                          None)
            if holder is not None and holder.getparent() is not None:
                holder.getparent().remove(holder)


def _prose(element) -> bool:
    """Whether a cell or a text box holds body text: several paragraphs, or one of some length."""
    texts = ["".join(t.text or "" for t in p.iter(qn("w:t"))).strip() for p in element.iter(qn("w:p"))]
    texts = [t for t in texts if t]
    return len(texts) > 1 or sum(map(len, texts)) >= PROSE_CHARS


def _field_codes(body) -> None:
    """A field (PAGEREF, REF, a date) shows its result, the runs between its separate and its end; the runs
    of its code, between begin and separate, are not text, and that holds for a field nested in the code of
    another too (Word shows the outer result only). A file whose fields do not pair up is left as it is."""
    marks = list(body.iter(FIELD_CHAR, *SHOWN))
    depth = 0
    for mark in marks:
        if mark.tag == FIELD_CHAR:
            kind = mark.get(qn("w:fldCharType"))
            depth += 1 if kind == "begin" else -1 if kind == "end" else 0
            if depth < 0:
                return
    if depth:
        return
    in_code: list[bool] = []  # per open field: still in its code
    for mark in marks:
        if mark.tag == FIELD_CHAR:
            kind = mark.get(qn("w:fldCharType"))
            if kind == "begin":
                in_code.append(True)
            elif kind == "separate" and in_code:
                in_code[-1] = False
            elif kind == "end" and in_code:
                in_code.pop()
        elif any(in_code) and mark.getparent() is not None:
            mark.getparent().remove(mark)


def _symbols(body, found: Markup) -> None:
    for sym in list(body.iter(qn("w:sym"))):
        font, code = sym.get(qn("w:font")) or "", sym.get(qn("w:char")) or ""
        try:
            number = int(code, 16)
        except ValueError:
            number = -1
        if number < 0xF000 and number > 0:
            number += 0xF000  # Word writes both 00B0 and F0B0 for the same character
        char = SYMBOL.get(font, {}).get(number)
        text = OxmlElement("w:t")
        sym.addnext(text)
        text.text = char if char is not None else ""
        if char is None:
            found.unknown_symbols[(font, code)] += 1
        sym.getparent().remove(sym)


def _drop_caps(body, found: Markup) -> None:
    """A drop cap is a paragraph of its own in a frame: its letters go back to the start of the next."""
    for frame in list(body.iter(qn("w:framePr"))):
        if frame.get(qn("w:dropCap")) not in ("drop", "margin"):
            continue
        paragraph = frame.getparent().getparent()
        following = paragraph.getnext()
        while following is not None and following.tag != qn("w:p"):
            following = following.getnext()
        if following is None:
            continue
        found.drop_caps += 1
        runs = [r for r in paragraph if r.tag == qn("w:r")]
        ppr = following.find(qn("w:pPr"))
        at = 0 if ppr is None else list(following).index(ppr) + 1
        for offset, run in enumerate(runs):
            following.insert(at + offset, run)
        paragraph.getparent().remove(paragraph)


def _unwrap(element, drop: str | None = None) -> None:
    """Put ELEMENT's children in its place (leaving out a DROP child, such as properties)."""
    parent = element.getparent()
    if parent is None:
        return
    index = list(parent).index(element)
    for offset, child in enumerate([c for c in element if c.tag != drop and c.tag != qn("w:sdtPr")
                                    and c.tag != qn("w:sdtEndPr")]):
        parent.insert(index + offset, child)
    parent.remove(element)
