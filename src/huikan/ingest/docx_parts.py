"""What a Word body holds beyond runs of text: list numbers from numbering.xml, tables, and the texts of
footnotes and endnotes from their parts.

Word keeps a list's numbers out of the text (a paragraph names a numbering and a level); the number
a reader sees is worked out here the way Word counts, in the format the list defines (1. （一） ①).
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from huikan.ingest.word_markup import normalise
from huikan.model import Block, Cell

CHINESE = "一二三四五六七八九十"
BULLETS = {"\uf06c": "•", "\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "o": "◦", "": "•"}


def chinese_counting(n: int) -> str:
    if n <= 10:
        return CHINESE[n - 1]
    tens, ones = divmod(n, 10)
    return (CHINESE[tens - 1] if tens > 1 else "") + "十" + (CHINESE[ones - 1] if ones else "")


def roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "chineseLegalSimplified"):
        return chinese_counting(n) if n <= 99 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return roman(n).upper() if fmt == "upperRoman" else roman(n)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    return str(n)


class ListNumbers:
    """Counts list paragraphs as Word does and gives each its number as shown.

    Word keeps one count per abstract numbering definition (ECMA-376 §17.9): the numbering instances
    (w:num) that share one continue each other's numbers, across any paragraphs between them; an instance
    that overrides a level's start restarts it where it is first used. A level starts again after a
    higher level is used, unless its lvlRestart says otherwise (0: never; n: only after level n or higher).
    """

    def __init__(self, document):
        self.levels: dict[tuple[str, int], Level] = {}  # (numId, ilvl) → its level, from the abstract definition
        self.abstract_of: dict[str, str] = {}  # numId → abstractNumId
        self.restarts: dict[tuple[str, int], int] = {}  # (numId, ilvl) → startOverride, until first used
        self.values: dict[str, dict[int, int]] = {}  # abstractNumId → ilvl → the number last shown
        root = _numbering_root(document)
        if root is None:
            return
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.findall(qn("w:abstractNum"))}
        for num in root.findall(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            ref = num.find(qn("w:abstractNumId"))
            abstract_id = ref.get(qn("w:val")) if ref is not None else None
            definition = abstract.get(abstract_id)
            if num_id is None or definition is None:
                continue
            self.abstract_of[num_id] = abstract_id or ""
            for override in num.findall(qn("w:lvlOverride")):
                start = _val(override, "w:startOverride", "")
                if start.isdigit() and (ilvl := override.get(qn("w:ilvl"), "0")).isdigit():
                    self.restarts[(num_id, int(ilvl))] = int(start)
            for lvl in definition.findall(qn("w:lvl")):
                ilvl = lvl.get(qn("w:ilvl"), "0")
                if not ilvl.isdigit():
                    continue
                start, restart = _val(lvl, "w:start", "1"), _val(lvl, "w:lvlRestart", "")
                self.levels[(num_id, int(ilvl))] = Level(
                    _val(lvl, "w:numFmt", "decimal"), _val(lvl, "w:lvlText", ""), int(start) if start.isdigit() else 1,
                    int(restart) if restart.isdigit() else None, lvl.find(qn("w:isLgl")) is not None)

    def number(self, paragraph) -> tuple[str, bool, int] | None:
        """(the number as shown, ordered, level 1 or 2) of a list paragraph; None for any other."""
        num_pr = _num_pr(paragraph)
        if num_pr is None or num_pr.numId is None:
            return None
        num_id = str(num_pr.numId.val)
        ilvl = int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
        level = self.levels.get((num_id, ilvl))
        if num_id == "0" or level is None:
            return None  # numbering switched off, or a definition the file does not have
        values = self.values.setdefault(self.abstract_of[num_id], {})
        restart = self.restarts.pop((num_id, ilvl), None)
        values[ilvl] = restart if restart is not None else values[ilvl] + 1 if ilvl in values else level.start
        for deeper in [d for d in values if d > ilvl]:
            after = self.levels[(num_id, deeper)].restart if (num_id, deeper) in self.levels else None
            if after is None or (after and ilvl < after):
                del values[deeper]
        if level.format == "bullet":
            return BULLETS.get(level.text, level.text or "•"), False, min(ilvl + 1, 2)

        def level_number(m: re.Match) -> str:
            shown = int(m.group(1)) - 1
            other = self.levels.get((num_id, shown), Level("decimal", "", 1, None, False))
            value = values.get(shown, other.start)
            return str(value) if level.legal else format_number(value, other.format)

        return re.sub(r"%([1-9])", level_number, level.text), True, min(ilvl + 1, 2)


@dataclass(frozen=True)
class Level:
    """One level of a numbering definition: w:numFmt, w:lvlText, w:start, w:lvlRestart, w:isLgl."""

    format: str
    text: str
    start: int
    restart: int | None  # None: after any higher level; 0: never; n: after level n or higher
    legal: bool  # every level's number in Arabic digits (1.1 rather than 一.1)


def _numbering_root(document):
    """The numbering part's root; None for a file without one, or with one python-docx cannot find (more
    than one relationship to it, or one to an outside file): its lists are then read as paragraphs."""
    part = getattr(document.part, "_numbering_part", None)
    try:
        return document.part.numbering_part.element if part is None else part.element
    except (KeyError, ValueError, NotImplementedError):
        return None


def _num_pr(paragraph):
    """The paragraph's numbering: its own, or its style's (List Number, List Bullet), or a base style's."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return ppr.numPr
    style = paragraph_style(paragraph) if paragraph.part is not None else None
    while style is not None:
        style_ppr = style.element.pPr
        if style_ppr is not None and style_ppr.numPr is not None:
            return style_ppr.numPr
        style = style.base_style
    return None


_STYLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # a document part → (default, by id)


def paragraph_style(paragraph):
    """`paragraph.style`, looked up in a table made once per document: python-docx scans every style of
    the file for each paragraph that names none (most of them), which was most of the time of reading a
    long Word file."""
    part = paragraph.part
    if not hasattr(part, "styles"):  # a header's or a note's part: python-docx's own way
        return paragraph.style
    table = _STYLES.get(part)
    if table is None:
        styles = part.styles
        by_id = {s.style_id: s for s in styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
        table = _STYLES[part] = (styles.default(WD_STYLE_TYPE.PARAGRAPH), by_id)
    default, by_id = table
    ppr = paragraph._p.pPr
    style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None
    return by_id.get(style_id, default) if style_id is not None else default


_CHARACTER_STYLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # a document part → styles by id
EMPHASIS = ("bold", "italic", "superscript", "subscript")


def run_emphasis(run) -> dict[str, bool]:
    """Bold, italic, raised and lowered as Word shows RUN: its own properties, else its character style's
    (Verbatim Char, a 上标 style), else the styles that one is based on."""
    font = run.font
    shown = {"bold": font.bold, "italic": font.italic, "superscript": font.superscript,
             "subscript": font.subscript}
    rpr = run._r.rPr
    style_id = rpr.rStyle.val if rpr is not None and rpr.rStyle is not None else None
    part = run.part
    if style_id is not None and hasattr(part, "styles"):
        by_id = _CHARACTER_STYLES.get(part)
        if by_id is None:
            by_id = _CHARACTER_STYLES[part] = {s.style_id: s for s in part.styles
                                               if s.type == WD_STYLE_TYPE.CHARACTER}
        style, seen = by_id.get(style_id), set()
        while style is not None and style.style_id not in seen and None in shown.values():
            seen.add(style.style_id)
            for name, value in shown.items():
                if value is None:
                    shown[name] = getattr(style.font, name)
            style = style.base_style
    return {name: bool(value) for name, value in shown.items()}


def _val(element, tag: str, default: str) -> str:
    child = element.find(qn(tag))
    value = child.get(qn("w:val")) if child is not None else None
    return value if value is not None else default


def read_table(table, title: str, line: int, write_cell) -> Block:
    """A Word table as a table block: merged cells as spans, header rows as Word marks them.

    WRITE_CELL(cell element's paragraphs) gives a Cell's text, links and emphasis.
    """
    rows: list[list[Cell]] = []
    header_rows = 0
    open_cells: dict[int, Cell] = {}  # grid column → the cell a vertical merge continues
    for r, tr in enumerate(table._tbl.tr_lst):
        trpr = tr.trPr
        if trpr is not None and trpr.find(qn("w:tblHeader")) is not None and header_rows == r:
            header_rows += 1
        row: list[Cell] = []
        column = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            merge = tc.vMerge  # "restart", "continue" or None
            if merge == "continue" and column in open_cells:
                open_cells[column].rowspan += 1
            else:
                cell = write_cell(tc)
                cell.colspan = span
                row.append(cell)
                if merge == "restart":
                    open_cells[column] = cell
                else:
                    open_cells.pop(column, None)
            column += span
        rows.append(row)
    if header_rows == 0 and _looks_like_header_row(table):
        header_rows = 1
    return Block("table", title, line, rows=rows, header_rows=header_rows, align=_alignments(table))


JC = {"center": "center", "right": "right", "end": "right", "left": "left", "start": "left"}


def _alignments(table) -> list[str]:
    """Each column's alignment, as the first row's cells set it."""
    trs = table._tbl.tr_lst
    if not trs:
        return []
    align: list[str] = []
    for tc in trs[0].tc_lst:
        ppr = tc.p_lst[0].pPr if tc.p_lst else None
        jc = ppr.find(qn("w:jc")) if ppr is not None else None
        align += [JC.get(jc.get(qn("w:val")), "") if jc is not None else ""] * tc.grid_span
    return align if any(align) else []


def _looks_like_header_row(table) -> bool:
    """A table style's first-row look on (Word's default for a new table with a style)."""
    look = table._tbl.tblPr.find(qn("w:tblLook")) if table._tbl.tblPr is not None else None
    if look is None:
        return False
    first_row = look.get(qn("w:firstRow"))
    if first_row is not None:
        return first_row in ("1", "true", "on")
    val = look.get(qn("w:val"))
    return bool(val) and int(val, 16) & 0x0020 != 0


def note_texts(document) -> dict[tuple[str, str], str]:
    """The footnotes' and endnotes' texts by (kind, id), as Word shows them (changes accepted)."""
    texts: dict[tuple[str, str], str] = {}
    for relationship in document.part.rels.values():
        kind = relationship.reltype.rsplit("/", 1)[-1]
        if relationship.is_external or kind not in ("footnotes", "endnotes"):
            continue
        root = parse_xml(relationship.target_part.blob)
        normalise(root)
        for note in root:
            if note.get(qn("w:type")) in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            paragraphs = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in note.iter(qn("w:p"))]
            texts[(kind[:-1], note.get(qn("w:id")) or "")] = "\n".join(x.strip() for x in paragraphs if x.strip())
    return texts
