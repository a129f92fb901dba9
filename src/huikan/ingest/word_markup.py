"""The body of a Word file as Word shows it, from what Word stores around the text.

Run on the document's XML before it is read: tracked changes are accepted (or rejected), content
controls, smart tags and custom XML give up their content, a drop cap rejoins its paragraph, symbols
in symbol fonts become Unicode, and the document's own table of contents is dropped. Each change of
that kind is counted so that the reader can tell the editor what the file held.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

INSERTED = (qn("w:ins"), qn("w:moveTo"))
DELETED = (qn("w:del"), qn("w:moveFrom"))
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


def normalise(body: Any, accept: bool = True) -> Markup:
    """Rewrite BODY (w:body, or any part's root) in place as Word shows it; ACCEPT or reject changes."""
    found = Markup()
    _tracked_changes(body, accept, found)
    _content_controls(body, found)
    for wrapper in list(body.iter(*WRAPPERS)):
        _unwrap(wrapper)
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
