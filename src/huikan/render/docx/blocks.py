"""The Word edition's lists, tables and preformatted text, as Word itself makes them.

Lists are real Word numbering (numbering.xml), so that Word renumbers when an editor inserts an item;
each list is numbered in the source's own style (1. （一） ① •) from the number it starts at. Tables
are Word tables in the 三线表 table style (rules above and below, a thinner one under the header
row), with the header row repeated on every page.
"""

from __future__ import annotations

import re

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.table import Table

from huikan.model import Block

CHINESE_DIGITS = "一二三四五六七八九十"
ALIGNMENTS = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
              "right": WD_ALIGN_PARAGRAPH.RIGHT}
TABLE_STYLE = "三线表"
INDENT_TWIPS = 420  # two characters of 五号 (10.5 pt)


def chinese_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20 (list numbers go no higher)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CHINESE_DIGITS.index(tens) + 1 if tens else 1) * 10 + (CHINESE_DIGITS.index(ones) + 1 if ones else 0)
    return CHINESE_DIGITS.index(text) + 1 if text in CHINESE_DIGITS else 1


def number_format(marker: str) -> tuple[str, str, int]:
    """Word's (numFmt, lvlText, start) for a list marker as the source wrote it."""
    if m := re.fullmatch(r"(\d+)([.．)）、])", marker):
        return "decimal", f"%1{m.group(2)}", int(m.group(1))
    if m := re.fullmatch(r"[（(]([一二三四五六七八九十]+)[)）]", marker):
        return "chineseCounting", "（%1）", chinese_number(m.group(1))
    if m := re.fullmatch(r"([一二三四五六七八九十]+)([、是])", marker):
        return "chineseCounting", f"%1{m.group(2)}", chinese_number(m.group(1))
    if re.fullmatch("[\u2460-\u2473]", marker):
        return "decimalEnclosedCircleChinese", "%1", ord(marker) - 0x2460 + 1
    return "bullet", marker or "•", 1


def _level(ilvl: int, marker: str) -> str:
    fmt, text, start = number_format(marker)
    left = INDENT_TWIPS * ilvl
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:suff w:val="nothing"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{left}" w:firstLine="{INDENT_TWIPS}"/></w:pPr></w:lvl>')


class Numbering:
    """The document's numbering part, to which each list adds its own definition."""

    def __init__(self, document):
        self.root = document.part.numbering_part.element
        ids = [int(n.get(qn("w:numId"))) for n in self.root.findall(qn("w:num"))]
        abstract = [int(n.get(qn("w:abstractNumId"))) for n in self.root.findall(qn("w:abstractNum"))]
        self.next_num = max(ids, default=0) + 1
        self.next_abstract = max(abstract, default=0) + 1

    def new_list(self, first: str, nested: str) -> int:
        """A numbering for one list whose first marker is FIRST (NESTED: its second level's): its numId."""
        abstract_id, num_id = self.next_abstract, self.next_num
        self.next_abstract += 1
        self.next_num += 1
        abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
                             '<w:multiLevelType w:val="hybridMultilevel"/>'
                             f'{_level(0, first)}{_level(1, nested)}</w:abstractNum>')
        # Schema order: every abstractNum before the first num.
        nums = self.root.findall(qn("w:num"))
        if nums:
            nums[0].addprevious(abstract)
        else:
            self.root.append(abstract)
        self.root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                                   f'<w:abstractNumId w:val="{abstract_id}"/></w:num>'))
        return num_id


def number_paragraph(paragraph, num_id: int, ilvl: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


def list_runs(blocks: list[Block], start: int) -> tuple[list[Block], str]:
    """The list items from START on that form one list, and the first marker of its second level."""
    items: list[Block] = []
    nested = ""
    for block in blocks[start:]:
        if block.type != "list_item" or (items and block.level == 1 and block.ordered != items[0].ordered):
            break
        if block.level > 1 and not nested:
            nested = block.marker or "•"
        items.append(block)
    return items, nested or "•"


def add_table_style(document) -> None:
    """三线表: 1 pt rules at the top and bottom of the table, 0.5 pt under the header row, no others."""
    if TABLE_STYLE in [s.name for s in document.styles]:
        return
    style = parse_xml(
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="ThreeLineTable">'
        f'<w:name w:val="{TABLE_STYLE}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>'
        '<w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>'
        '<w:tblPr><w:jc w:val="center"/><w:tblBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
        '<w:bottom w:val="single" w:sz="8" w:space="0" w:color="000000"/></w:tblBorders>'
        '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr><w:tcPr><w:tcBorders>'
        '<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tcBorders></w:tcPr></w:tblStylePr>'
        '</w:style>')
    document.styles.element.append(style)


def add_table(document, block: Block, write_cell) -> Table:
    """BLOCK's rows as a Word table at the end of the document.

    WRITE_CELL(paragraph, cell) writes a cell's text with its links and emphasis.
    """
    columns = max((sum(c.colspan for c in row) for row in block.rows), default=1)
    table = document.add_table(rows=len(block.rows), cols=columns)  # before the closing section properties
    table.style = document.styles[TABLE_STYLE]
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        table._tbl.tblPr.append(look)
    look.set(qn("w:firstRow"), "1" if block.header_rows else "0")
    look.set(qn("w:val"), "0020" if block.header_rows else "0000")
    covered: set[tuple[int, int]] = set()
    for r, row in enumerate(block.rows):
        if r < block.header_rows:
            header = OxmlElement("w:tblHeader")  # repeated at the top of each page
            table.rows[r]._tr.get_or_add_trPr().append(header)
        c = 0
        for cell in row:
            while (r, c) in covered:
                c += 1
            if c >= columns:
                break
            target = table.cell(r, c)
            last_col, last_row = min(columns - 1, c + cell.colspan - 1), min(len(block.rows) - 1, r + cell.rowspan - 1)
            if (last_col, last_row) != (c, r):
                target = target.merge(table.cell(last_row, last_col))
                covered.update((rr, cc) for rr in range(r, last_row + 1) for cc in range(c, last_col + 1))
            paragraph = target.paragraphs[0]
            align = block.align[c] if c < len(block.align) else ""
            if align:
                paragraph.alignment = ALIGNMENTS[align]
            write_cell(paragraph, cell)
            c = last_col + 1
    return table
