"""The issue as HTML from the theme's Jinja templates: one page for screens, one for the PDF."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, select_autoescape
from jinja2.bccache import Bucket, FileSystemBytecodeCache
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from huikan import __version__
from huikan.cache import cache_root
from huikan.diagnostics import UsageError
from huikan.model import Article, Block, Cell, Issue, Note, Picture, number_label
from huikan.render.colour import cmyk_profile, ink, is_cmyk
from huikan.render.geometry import PageGeometry
from huikan.typeset import for_print


@dataclass(frozen=True)
class Part:
    """What one print document holds: the front matter (cover, 封二, 目录), some or all of the articles,
    and the back matter (BLANKS pages left blank to make up the page count, then 封三 and 封底)."""

    front: bool = True
    article_ids: frozenset[str] | None = None  # None: every article
    back: bool = True
    blanks: int = 0

    def has(self, article: Article) -> bool:
        return self.article_ids is None or article.id in self.article_ids


WHOLE = Part()
PICTURE_SCHEME = "huikan-picture:"  # the print HTML's name for a picture: render/pdf/pictures.py paints it


@dataclass(frozen=True)
class Shown:
    """A picture as a template shows it: its src (and srcset on screens) and pixel size, or, in place of a
    missing or broken one (--allow-missing-pictures), the problem and the picture's name."""

    src: str
    srcset: str = ""
    width: int = 0
    height: int = 0
    problem: str = ""
    name: str = ""


def shown(pictures: Mapping[str, Picture], ref: str, medium: str) -> Shown:
    """How MEDIUM ("print" or "screen") shows the picture REF, as the pictures stage described it."""
    picture = pictures.get(ref)
    if picture is None:  # not surveyed (a model read back without its pictures): as the source names it
        return Shown(ref)
    if picture.problem:
        return Shown("", problem=picture.problem.split(" ", 1)[-1], name=picture.name)
    if medium == "print":
        return Shown(PICTURE_SCHEME + picture.sha256, width=picture.width, height=picture.height, name=picture.name)
    if not picture.web:
        return Shown(ref, width=picture.width, height=picture.height, name=picture.name)
    largest = picture.web[0]
    srcset = ", ".join(f"{w.path} {w.width}w" for w in picture.web) if len(picture.web) > 1 else ""
    return Shown(largest.path, srcset, largest.width, largest.height, name=picture.name)


def render_inline(block: Block | Cell, medium: str, *, last: bool = True) -> Markup:
    """A block's (or a cell's) text as HTML: escaped, with its links, emphasis and note marks, the run-in
    head bold, print typesetting applied. In print a note is set where its mark stands and floated to the
    foot of the page; on screen the mark links to the note under the article (notes())."""
    text = block.text
    notes = getattr(block, "notes", [])
    cuts = sorted({0, len(text), *(k.start for k in block.links), *(k.end for k in block.links),
                   *(s.start for s in block.spans), *(s.end for s in block.spans),
                   *(min(n.at, len(text)) for n in notes)})
    pieces: list[Markup] = []
    for start, end in itertools.pairwise(cuts):
        pieces.extend(_note_mark(n, medium) for n in notes if n.at == start)
        piece = _text(text[start:end], medium, paragraph_end=last and end == len(text) and not notes)
        for span in block.spans:
            if span.start <= start and end <= span.end:
                piece = Markup(EMPHASIS_TAGS[span.style]).format(piece)
        link = next((k for k in block.links if k.start <= start and end <= k.end), None)
        if link is not None:
            piece = Markup('<a href="{}">{}</a>').format(link.href, piece)
        pieces.append(piece)
    pieces.extend(_note_mark(n, medium) for n in notes if n.at >= len(text))
    html = Markup("").join(pieces)
    lead = getattr(block, "lead", "")
    if lead and text.startswith(lead):
        lead_html = _text(lead, medium)
        if html.startswith(lead_html):
            html = Markup('<b class="lead">{}</b>').format(lead_html) + Markup(html[len(lead_html):])
    return html


def _note_mark(note: Note, medium: str) -> Markup:
    if medium == "print":
        return Markup('<span class="footnote">{}</span>').format(for_print(note.text))
    return Markup('<sup class="note-ref" id="ref-{0}"><a href="#note-{0}">{1}</a></sup>').format(note.anchor,
                                                                                                note.number)


EMPHASIS_TAGS = {"bold": "<strong>{}</strong>", "italic": "<em>{}</em>", "superscript": "<sup>{}</sup>",
                 "subscript": "<sub>{}</sub>"}


@dataclass
class ListGroup:
    """Consecutive list items of one kind, for one <ol>/<ul>: each item with its nested items."""

    ordered: bool
    items: list[tuple[Block, list[Block]]]
    type: str = "list"


@dataclass
class Numbered:
    """A table or a picture with its number in the article (表1, 图1), as Chinese journals number them."""

    block: Block
    label: str

    @property
    def type(self) -> str:
        return self.block.type


def grouped(blocks: list[Block]) -> list[Block | ListGroup | Numbered]:
    """The blocks as templates lay them out: list items gathered into lists (a second-level item inside
    the item before it), tables and pictures numbered."""
    out: list[Block | ListGroup | Numbered] = []
    tables = figures = 0
    for block in blocks:
        if block.type == "list_item":
            last = out[-1] if out else None
            if isinstance(last, ListGroup) and last.items and block.level > 1:
                last.items[-1][1].append(block)
            elif isinstance(last, ListGroup) and last.ordered == block.ordered:
                last.items.append((block, []))
            else:
                out.append(ListGroup(block.ordered, [(block, [])]))
        elif block.type == "table":
            tables += 1
            out.append(Numbered(block, number_label(block, tables)))
        elif block.type == "caption" and block.image:
            figures += 1
            out.append(Numbered(block, number_label(block, figures)))
        else:
            out.append(block)
    return out


TABLE_SIZES = (("", 9.0), ("table-small", 8.0), ("table-wide", 7.0))  # 小五号, then down to the floor


def table_size(block: Block, chars: int, body_pt: float = 10.5) -> str:
    """The class of the largest table font (9, 8 or 7 pt) at which BLOCK's columns fit CHARS body
    characters, each column as wide as its longest cell; the floor when none does (the cells then wrap).
    No class where the width is not known (the screen)."""
    if not chars or not block.rows:
        return ""
    natural = table_chars(block)
    for name, size in TABLE_SIZES:
        if natural * size / body_pt <= chars:
            return name
    return TABLE_SIZES[-1][0]


def table_chars(block: Block) -> float:
    """How many characters wide BLOCK's table is set naturally: each column as wide as its longest cell
    (a Latin letter or digit about half a character), and a character of padding each."""
    columns: dict[int, float] = {}
    for row in block.rows:
        for c, cell in enumerate(row):
            longest = max((sum(0.55 if ch.isascii() else 1.0 for ch in line) for line in cell.text.split("\n")),
                          default=0.0)
            columns[c] = max(columns.get(c, 0.0), longest / cell.colspan + 1.0)
    return sum(columns.values())


def _text(text: str, medium: str, *, paragraph_end: bool = False) -> Markup:
    if medium == "print":
        return for_print(text, paragraph_end=paragraph_end)
    return escape(text)


OPTIONS = {"trim_blocks": True, "lstrip_blocks": True}


class TemplateCache(FileSystemBytecodeCache):
    """Compiled templates kept in the user cache (Jinja checks each against its source): compiling the
    theme's templates costs 0.08 s of every build. A cache that cannot be read or written is no cache."""

    def __init__(self) -> None:
        # The compiled code depends on Jinja and on the environment's options: each has its own files.
        options = hashlib.sha1(repr((jinja2.__version__, sorted(OPTIONS.items()))).encode()).hexdigest()[:12]
        folder = cache_root() / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(str(folder), f"%s-{options}.cache")

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError):  # unreadable or cut short: compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _template_cache() -> TemplateCache | None:
    try:
        return TemplateCache()
    except (OSError, RuntimeError):  # RuntimeError: no home folder to put it in
        return None


def environment(theme_dirs: list[Path]) -> Environment:
    """The theme's templates; one environment per process and list of theme folders (Jinja reloads a
    template whose file has changed)."""
    return _environment(tuple(str(d) for d in theme_dirs))


@lru_cache(maxsize=16)
def _environment(theme_dirs: tuple[str, ...]) -> Environment:
    # Sandboxed: an issue's templates/ comes with its articles, from contributors, and must not reach
    # Python's internals ({{ ''.__class__.__mro__ }}) on the machine that builds it.
    env = SandboxedEnvironment(
        loader=FileSystemLoader(list(theme_dirs)),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        bytecode_cache=_template_cache(),
        **OPTIONS,
    )
    env.filters["css_string"] = css_string
    env.filters["print_text"] = for_print
    env.globals["grouped"] = grouped
    env.globals["table_size"] = table_size
    env.filters["list_entry"] = lambda block: (block, [])
    return env


def css_string(value: str) -> Markup:
    """VALUE as a quoted CSS string, safe inside a stylesheet."""
    safe = " 　-_.,，。：:"
    escaped = "".join(c if c.isalnum() or c in safe or ord(c) > 127 else f"\\{ord(c):x} " for c in str(value))
    return Markup(f'"{escaped}"')


def render_html(issue: Issue, theme_dirs: list[Path], medium: str, part: Part = WHOLE,
                page_of: Mapping[str, int | str] | None = None) -> str:
    """The issue (or PART of it) as one HTML document; MEDIUM is 'print' (for WeasyPrint) or 'screen'.

    PAGE_OF maps article ids to the page numbers the 目录 shows.
    """
    try:
        return _render(issue, theme_dirs, medium, part, page_of or {})
    except TemplateError as exc:
        raise UsageError.single(*template_place(exc), "template", f"the theme's template failed: {exc}") from None


def template_place(exc: TemplateError) -> tuple[str, int]:
    """The template file and line an error comes from (Jinja puts them in the traceback)."""
    filename, lineno = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if filename and lineno:
        return filename, lineno
    place = ("issue.html", 0)
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".css")):
            place = (name, tb.tb_lineno)
        tb = tb.tb_next
    return place


def _render(issue: Issue, theme_dirs: list[Path], medium: str, part: Part, page_of: Mapping[str, int | str]) -> str:
    env = environment(theme_dirs)
    template = env.get_template("issue.html")
    date = issue.date or dt.date(1970, 1, 1)
    return template.render(
        issue=issue,
        medium=medium,
        page=PageGeometry.for_page(*issue.page_mm, issue.columns),
        language="zh-CN",
        timestamp=f"{date.isoformat()}T00:00:00+08:00",
        version=__version__,
        inline=lambda block, last=True: render_inline(block, medium, last=last),
        typeset=lambda text: _text(text, medium),  # titles and 导读 get the print preparation too
        lead_articles=issue.articles[:4],
        press=issue.press,
        ink=lambda value: ink(value, issue.pdf_variant if medium == "print" else None),
        cmyk_profile=cmyk_profile().as_uri() if medium == "print" and is_cmyk(issue.pdf_variant) else "",
        part=part,
        page_of=page_of,
        picture=lambda ref: shown(issue.pictures, ref, medium),
    )
