"""The document model every stage shares: ingest fills it, enrich adds to it, render reads it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

# How the editions mark an article whose source ends mid-sentence (the Word reader looks for it).
TRUNCATED_NOTE = "（本文原稿不完整）"


@dataclass
class Link:
    """A link over text[start:end] of its block."""

    start: int
    end: int
    href: str


@dataclass
class Span:
    """Emphasis over text[start:end] of its block or cell: "bold", "italic", "superscript" (m²) or "subscript" (CO₂)."""

    start: int
    end: int
    style: str


@dataclass
class Cell:
    """A table cell: its text with links, emphasis and notes, and how many columns and rows it spans."""

    text: str
    links: list[Link] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    colspan: int = 1
    rowspan: int = 1
    notes: list[Note] = field(default_factory=list)

    def to_json(self) -> dict:
        out: dict = {"text": self.text}
        _inline_json(out, self.links, self.spans)
        if self.notes:
            out["notes"] = _notes_json(self.notes)
        if self.colspan > 1:
            out["colspan"] = self.colspan
        if self.rowspan > 1:
            out["rowspan"] = self.rowspan
        return out

    @classmethod
    def from_json(cls, data: dict) -> Cell:
        links, spans = _inline_from_json(data)
        return cls(data["text"], links, spans, data.get("colspan", 1), data.get("rowspan", 1),
                   _notes_from_json(data))


BLOCK_TYPES = ("paragraph", "heading", "quote", "caption", "editor_note", "list_item", "table", "preformatted")


@dataclass
class Note:
    """A footnote or endnote whose mark stands before text[at] of its block (at == len(text): at the end)."""

    at: int
    text: str
    kind: str = "footnote"  # or "endnote", as the source had it; the editions set both as notes
    number: int = 0  # 1, 2 … through the article (number_notes)
    anchor: str = ""  # "<article id>-<number>", for the web edition's links between mark and note


@dataclass
class Block:
    """One block of an article's body.

    heading (level 1 for 一、, 2 for （一）), paragraph (a run-in `lead`), quote, caption (`image` when
    the source has the picture), editor_note (编者按), list_item (`marker` as the source numbers it,
    1. （一） ① or "•"; `ordered`; `level` 1 or 2 when nested), table (`rows` of cells, `header_rows`,
    `align` per column; `text` is the table's title, 表题), preformatted (text kept line for line).
    """

    type: str
    text: str
    line: int = 0
    level: int = 0
    lead: str = ""  # a run-in head the paragraph starts with, set in bold
    links: list[Link] = field(default_factory=list)
    image: str | None = None  # captions: the picture, when the source has one
    spans: list[Span] = field(default_factory=list)
    marker: str = ""
    ordered: bool = False
    rows: list[list[Cell]] = field(default_factory=list)
    header_rows: int = 0
    align: list[str] = field(default_factory=list)  # "left", "center", "right" or "" per column
    notes: list[Note] = field(default_factory=list)  # numbered 1, 2 … through the article by the writers
    image_at: str = ""  # "path:line" of the picture's reference when not in the article (issue.toml); not saved

    def to_json(self) -> dict:
        out: dict = {"type": self.type}
        if self.type in ("heading", "list_item"):
            out["level"] = self.level
        out["text"] = self.text
        if self.lead:
            out["lead"] = self.lead
        _inline_json(out, self.links, self.spans)
        if self.image:
            out["image"] = self.image
        if self.notes:
            out["notes"] = _notes_json(self.notes)
        if self.type == "list_item":
            out["marker"], out["ordered"] = self.marker, self.ordered
        if self.type == "table":
            out["header_rows"] = self.header_rows
            out["align"] = list(self.align)
            out["rows"] = [[cell.to_json() for cell in row] for row in self.rows]
        out["line"] = self.line
        return out

    @classmethod
    def from_json(cls, data: dict) -> Block:
        links, spans = _inline_from_json(data)
        rows = [[Cell.from_json(c) for c in row] for row in data.get("rows", [])]
        return cls(data["type"], data["text"], data.get("line", 0), data.get("level", 0), data.get("lead", ""),
                   links, data.get("image"), spans, data.get("marker", ""), data.get("ordered", False), rows,
                   data.get("header_rows", 0), list(data.get("align", [])), _notes_from_json(data))

    def every_note(self) -> list[Note]:
        """The block's notes in reading order: its own, then its table cells' row by row."""
        own = sorted(self.notes, key=lambda n: n.at)
        return own + [n for row in self.rows for cell in row for n in sorted(cell.notes, key=lambda n: n.at)]


def _notes_json(notes: list[Note]) -> list[dict]:
    return [{"at": n.at, "text": n.text, "kind": n.kind, "number": n.number, "anchor": n.anchor} for n in notes]


def _notes_from_json(data: dict) -> list[Note]:
    return [Note(n["at"], n["text"], n.get("kind", "footnote"), n.get("number", 0), n.get("anchor", ""))
            for n in data.get("notes", [])]


def _inline_json(out: dict, links: list[Link], spans: list[Span]) -> None:
    if links:
        out["links"] = [{"start": k.start, "end": k.end, "href": k.href} for k in links]
    if spans:
        out["spans"] = [{"start": k.start, "end": k.end, "style": k.style} for k in spans]


def _inline_from_json(data: dict) -> tuple[list[Link], list[Span]]:
    return ([Link(k["start"], k["end"], k["href"]) for k in data.get("links", [])],
            [Span(k["start"], k["end"], k["style"]) for k in data.get("spans", [])])


@dataclass
class Article:
    id: str
    source: str  # file name inside the issue folder
    title: str = ""
    subtitle: str = ""
    kicker: str = ""
    authors: list[str] = field(default_factory=list)
    affiliation: str = ""  # the authors' unit, e.g. （上海市质量协会，上海 200000）
    date: str = ""  # the date the source's title block gives, as written (2020年6月18日)
    summary: str = ""
    keywords: list[str] = field(default_factory=list)
    signature: str = ""  # end signature, e.g. （上海市质协秘书处）
    truncated: bool = False
    blocks: list[Block] = field(default_factory=list)
    line: int = 1  # where the article starts in its source
    section: str = ""
    intro: str = ""  # 导读: one short line for the 目录 and the web edition
    layout: str = "page"  # "page": from a new page; "run-on": right after the article before
    abstract: bool = True  # whether the editions print its 摘要 and 关键词 under the title
    computed: list[str] = field(default_factory=list)  # of summary, keywords, intro: those enrich made

    def mark_computed(self) -> None:
        """Note which of the 摘要, 关键词 and 导读 enrich will make: those no one gave (mark_computed is
        called before enrich, which fills only what is empty)."""
        self.computed = [name for name in ("summary", "keywords", "intro") if not getattr(self, name)]

    def body_text(self) -> str:
        """The article's running text, one block a line (for enrich and checks); a table gives its cells,
        a row a line, so that its terms count and no sentence is made of them."""
        lines = []
        for b in self.blocks:
            if b.type in ("paragraph", "heading", "quote", "list_item"):
                lines.append(b.text)
            elif b.type == "table":
                lines.extend("　".join(cell.text for cell in row) for row in b.rows)
        return "\n".join(lines)

    def to_json(self) -> dict:
        out = {
            "id": self.id,
            "source": self.source,
            "section": self.section,
            "title": self.title,
            "subtitle": self.subtitle,
            "kicker": self.kicker,
            "authors": list(self.authors),
            "signature": self.signature,
            "summary": self.summary,
            "keywords": list(self.keywords),
            "intro": self.intro,
            "truncated": self.truncated,
            "layout": self.layout,
            "line": self.line,
            "blocks": [b.to_json() for b in self.blocks],
        }
        if self.affiliation:
            out["affiliation"] = self.affiliation
        if self.date:
            out["date"] = self.date
        if self.computed:
            out["computed"] = list(self.computed)
        return out


# A table's or a picture's number as Chinese journals give it (表1, 图1), unless its title has one already.
NUMBERED = {"table": re.compile(r"^附?表\s*[0-9０-９一二三四五六七八九十]"),
            "caption": re.compile(r"^图\s*[0-9０-９一二三四五六七八九十]")}


def number_notes(article: Article) -> None:
    """Number the article's notes 1, 2 … in reading order, as a journal numbers them per article."""
    notes = [note for block in article.blocks for note in block.every_note()]
    for n, note in enumerate(notes, 1):
        note.number, note.anchor = n, f"{article.id}-{n}"


def number_label(block: Block, n: int) -> str:
    """表N or 图N for the Nth table or picture of an article; "" when BLOCK's text starts with its own."""
    if NUMBERED[block.type].match(block.text):
        return ""
    return f"{'表' if block.type == 'table' else '图'}{n}"


def runs_on(before: Article | None, article: Article) -> bool:
    """Whether ARTICLE is set right after BEFORE, on the same page: short items of one run-on 栏目."""
    return (before is not None and before.layout == article.layout == "run-on"
            and before.section == article.section)


@dataclass
class Section:
    title: str
    articles: list[Article] = field(default_factory=list)


@dataclass
class Cover:
    """What 封二, 封三 or 封底 holds: the colophon, a page left blank, a full-page picture, or a page of text."""

    kind: str  # "colophon", "blank", "picture" or "page"
    image: str = ""  # picture: the file, under images/
    line: int = 0  # of issue.toml, where it is named
    title: str = ""  # page: the Markdown file's title and blocks
    blocks: list[Block] = field(default_factory=list)


COVER_PLACES = ("inside_front", "inside_back", "back")  # 封二, 封三, 封底
# The colophon's fields: (label, text), or (label, [(role, names)]) for a list of roles such as 编委会.
Colophon = list[tuple[str, str | list[tuple[str, list[str]]]]]


@dataclass
class Press:
    """How the print PDF is made: for the press (bleed, marks, pages in fours, covers) or for a screen."""

    medium: str = "print"  # or "screen": no bleed, no marks, no padding, no covers but the front one
    bleed_mm: float = 0.0
    marks: tuple[str, ...] = ()  # "crop", "cross"
    pages_multiple_of: int = 1
    booklet: str | None = None  # the sheet size the booklet is imposed on
    covers: dict[str, Cover] = field(default_factory=dict)  # by COVER_PLACES
    colophon: Colophon = field(default_factory=list)

    def cover(self, place: str) -> Cover | None:
        return self.covers.get(place)


@dataclass
class Web:
    """One file of a picture for screens, beside the HTML: its path from the HTML and its pixel size."""

    path: str
    width: int
    height: int


@dataclass
class Picture:
    """A picture as the pictures stage found it (pictures/survey.py), the one every output is made from."""

    ref: str  # as the source names it: images/a.jpg, or a data: URI (a picture of a Word file)
    name: str  # as messages name it: images/a.jpg, or 图 in a.docx
    uses: list[tuple[str, int]] = field(default_factory=list)  # (path, line) of each reference
    sha256: str = ""
    format: str = ""  # as Pillow names it: JPEG, PNG, HEIF, …
    width: int = 0  # upright, after its EXIF orientation
    height: int = 0
    orientation: int = 1  # the EXIF tag, 1 (upright) to 8
    mode: str = ""  # Pillow's: RGB, L, CMYK, RGBA, P, …
    icc: bool = False  # it has an ICC profile of its own
    alpha: bool = False  # it has transparency
    photo: bool = True  # lossy variants (JPEG); screenshots and line art (PNG, GIF, …) stay lossless
    problem: str = ""  # why it cannot be used (missing, broken): it stands as a placeholder, if allowed
    web: list[Web] = field(default_factory=list)  # largest first, once the build has made them

    def to_json(self) -> dict:
        out: dict = {"name": self.name, "sha256": self.sha256, "width": self.width, "height": self.height}
        if self.problem:
            out["problem"] = self.problem
        out["web"] = [{"path": w.path, "width": w.width, "height": w.height} for w in self.web]
        return out

    @classmethod
    def from_json(cls, ref: str, data: dict) -> Picture:
        return cls(ref, data["name"], sha256=data["sha256"], width=data["width"], height=data["height"],
                   problem=data.get("problem", ""), web=[Web(**w) for w in data.get("web", [])])


@dataclass
class Issue:
    id: str
    title: str  # the publication's title, the masthead
    publisher: str = ""
    number: str = ""
    date: dt.date | None = None
    page_size: str = "A4"
    page_mm: tuple[float, float] = (210, 297)
    columns: int = 1
    summary_length: int = 150  # characters a computed 摘要 aims at
    keyword_count: int = 5  # computed 关键词 per article
    pdf_variant: str | None = None  # "pdf/a-3b", "pdf/ua-1" or a plain PDF
    pdf_tags: bool = False  # a tagged (structured) PDF
    sections: list[Section] = field(default_factory=list)
    folder: str = ""
    press: Press = field(default_factory=Press)
    pictures: dict[str, Picture] = field(default_factory=dict)  # by reference, filled by the pictures stage

    @property
    def articles(self) -> list[Article]:
        return [a for s in self.sections for a in s.articles]

    def header_json(self) -> dict:
        out: dict = {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "number": self.number,
            "date": self.date.isoformat() if self.date else None,
        }
        if self.press.colophon:  # [label, text] or [label, [[role, [names]], …]], as issue.toml orders them
            out["colophon"] = [[label, value] for label, value in self.press.colophon]
        return out
