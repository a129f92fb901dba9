"""Reader for Markdown articles with YAML front matter (title, subtitle, authors, section, summary, keywords,
intro, date)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import yaml
from markdown_it import MarkdownIt

from huikan.confine import is_web_link, plain_relative
from huikan.diagnostics import Report
from huikan.ingest import cleanup
from huikan.ingest.text import is_subtitle, parse_byline
from huikan.model import Article, Block, Cell, Link, Span

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?---[ \t]*(\n|\Z)", re.S)
FRONT_KEYS = {"title", "subtitle", "authors", "section", "summary", "keywords", "intro", "date"}
LIST_KEYS = {"authors", "keywords"}
SURROGATE = re.compile("[\ud800-\udfff]")
# markdown-it drops, without a word, what is nested deeper than maxNesting; reading up to 100 levels and
# refusing more than MAX_LEVEL (a quote is a level, a list item two) means nothing is lost unsaid.
MAX_LEVEL = 40
# GFM tables on; html on, so that raw HTML is found and left out with a word.
PARSER = MarkdownIt("commonmark", {"html": True, "maxNesting": 100}).enable("table")
# Every URL is judged below, with a message for the editor, instead of silently left as text.
PARSER.validateLink = lambda url: True  # type: ignore[method-assign]


def _front_matter(text: str, path: str, report: Report) -> tuple[dict, str, int]:
    """The front matter, the body, and how many lines the front matter took."""
    m = FRONT_MATTER.match(text)
    if not m:
        return {}, text, 0
    offset = text[: m.end()].count("\n")
    try:
        data = yaml.safe_load(m.group("yaml") or "") or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 2
        report.error(path, line, "bad-front-matter", f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}")
        return {}, text[m.end():], offset
    if not isinstance(data, dict):
        report.error(path, 2, "bad-front-matter", "front matter must be key: value lines")
        return {}, text[m.end():], offset
    rows = m.group(0).split("\n")
    values: dict = {}
    for key, value in data.items():
        line = next((i for i, row in enumerate(rows, 1) if row.startswith(f"{key}:")), 2)
        if key not in FRONT_KEYS:
            known = ", ".join(sorted(FRONT_KEYS))
            report.error(path, line, "unknown-key", f"unknown front matter key '{key}' (known: {known})")
        elif (checked := _front_value(key, value, path, line, report)) is not None:
            values[key] = checked
    return values, text[m.end():], offset


SCALARS = (str, int, float, dt.date)


def _front_value(key: str, value, path: str, line: int, report: Report) -> str | list[str] | None:
    """VALUE as text (or a list of texts for authors and keywords); None, with an error, if it is neither."""
    if value is None:
        return None
    if key in LIST_KEYS:
        if isinstance(value, SCALARS):
            items = [v for v in re.split(r"[、，,;；]\s*", str(value)) if v.strip()]
        elif isinstance(value, list) and all(isinstance(v, SCALARS) for v in value):
            items = [str(v).strip() for v in value if str(v).strip()]
        else:
            report.error(path, line, "bad-front-matter", f"'{key}' must be a list of names or words")
            return None
        return [_valid_text(v, path, line, report) for v in items]
    if not isinstance(value, SCALARS):
        report.error(path, line, "bad-front-matter", f"'{key}' must be text, not a {type(value).__name__}")
        return None
    return _valid_text(str(value).strip(), path, line, report)


def _valid_text(text: str, path: str, line: int, report: Report) -> str:
    """TEXT without lone surrogates (YAML's "\\ud800" escapes make them; no file or font can hold one)."""
    if not SURROGATE.search(text):
        return text
    report.warning(path, line, "bad-character", "a character that is not Unicode text (a lone surrogate) "
                   "became U+FFFD")
    return SURROGATE.sub("\ufffd", text)


def _local_picture(src: str, path: str, line: int, report: Report) -> str | None:
    """SRC if it names a file inside the issue folder (images/…); anything else is left out."""
    if not plain_relative(src):
        report.warning(path, line, "picture-outside",
                       f"picture '{src}' left out: pictures must be files in the issue's images/ folder")
        return ""
    return src


@dataclass
class Inline:
    """A paragraph's or a cell's inline content, cleaned: text with its links and emphasis."""

    text: str
    links: list[Link] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    image: str | None = None  # the picture, when the paragraph is one picture alone
    alt: str = ""


EMPHASIS = {"em_open": "italic", "strong_open": "bold"}


def _inline(children, path: str, line: int, report: Report) -> Inline:
    """Text, links, emphasis and the picture (if the paragraph is one picture alone), from inline tokens."""
    text, href_start, href = "", 0, ""
    links: list[tuple[int, int, str]] = []
    spans: list[tuple[int, int, str]] = []
    opened: list[tuple[str, int]] = []
    images: list[tuple[str | None, str]] = []
    for token in children or []:
        if token.type in ("text", "code_inline"):
            text += token.content
        elif token.type in ("softbreak", "hardbreak"):
            text += "" if text and not text[-1].isascii() else " "
        elif token.type == "link_open":
            href_start, href = len(text), token.attrGet("href") or ""
            if href and not is_web_link(href):
                report.warning(path, line, "bad-link", f"link '{href}' left out: only http, https and mailto links")
                href = ""
        elif token.type == "link_close" and href:
            links.append((href_start, len(text), href))
            href = ""
        elif token.type in EMPHASIS:
            opened.append((EMPHASIS[token.type], len(text)))
        elif token.type in ("em_close", "strong_close") and opened:
            style, start = opened.pop()
            if len(text) > start:
                spans.append((start, len(text), style))
        elif token.type == "image":
            images.append((_local_picture(token.attrGet("src") or "", path, line, report), token.content))
        elif token.type == "html_inline":
            report.warning(path, line, "raw-html", f"raw HTML left out: {token.content.strip()[:40]}")
    if images and not text.strip() and len(images) == 1:
        return Inline("", image=images[0][0], alt=images[0][1])
    for _, alt in images:  # a picture in the middle of text: its alt text stays, the picture cannot
        report.warning(path, line, "picture-in-text", f"picture '{alt[:30]}' inside a paragraph left out: "
                       "put a picture in a paragraph of its own")
    bounds = [b for start, end, _ in links + spans for b in (start, end)]
    cleaned, moved = cleanup.clean_marked(text, bounds)
    at = iter(moved)
    return Inline(cleaned, [Link(next(at), next(at), h) for _, _, h in links],
                  [Span(next(at), next(at), style) for _, _, style in spans])


def _line(token, offset: int) -> int:
    return (token.map[0] + 1 + offset) if token.map else 0


def read_markdown(text: str, source: str, path: str, report: Report) -> list[Article]:
    data, body, offset = _front_matter(text, path, report)
    article = Article(id=source.rsplit(".", 1)[0], source=source, line=1)
    article.title = data.get("title", "")
    article.subtitle = cleanup.strip_subtitle_dash(data.get("subtitle", ""))
    article.authors = data.get("authors", [])
    article.summary = data.get("summary", "")
    article.keywords = data.get("keywords", [])
    article.intro = data.get("intro", "")
    article.date = data.get("date", "")
    article.section = data.get("section", "")
    tokens = PARSER.parse(body)
    deep = next((t for t in tokens if t.level > MAX_LEVEL), None)
    if deep is not None:
        report.error(path, _line(deep, offset), "too-deep", f"quotes or lists nested too deep inside one another "
                     f"(over {MAX_LEVEL} levels): not read; flatten them")
        return []
    _Blocks(article, path, offset, report).read(tokens)
    _take_subtitle_and_byline(article)
    return [article]


@dataclass
class _List:
    ordered: bool
    delimiter: str  # "." or ")" after the number
    number: int  # of the next item


@dataclass
class _Blocks:
    """Markdown block tokens → the article's blocks, one token at a time."""

    article: Article
    path: str
    offset: int
    report: Report
    title_level: int | None = None
    quote_depth: int = 0
    quote_flattened: bool = False  # said once a quote: its list, table or heading is set outside it
    lists: list[_List] = field(default_factory=list)
    marker: str | None = None  # the marker of the list item whose first paragraph comes next
    table: Block | None = None
    row: list[Cell] = field(default_factory=list)

    def read(self, tokens) -> None:
        for i, token in enumerate(tokens):
            line = _line(token, self.offset)
            kind = token.type
            self.check_quote(kind, line)
            if kind == "blockquote_open":
                self.quote_depth += 1
            elif kind == "blockquote_close":
                self.quote_depth -= 1
            elif kind in ("bullet_list_open", "ordered_list_open"):
                start = int(token.attrGet("start") or 1)
                self.lists.append(_List(kind == "ordered_list_open", token.markup or ".", start))
                if len(self.lists) == 3:
                    self.report.warning(self.path, line, "list-flattened",
                                        "a list inside a list inside a list is set as the second level")
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "list_item_open":
                current = self.lists[-1]
                self.marker = f"{current.number}{current.delimiter}" if current.ordered else "•"
                current.number += 1
            elif kind == "html_block":
                self.report.warning(self.path, line, "raw-html", "raw HTML left out")
            elif kind in ("fence", "code_block"):
                self.article.blocks.append(Block("preformatted", token.content.rstrip("\n"), line))
            elif kind == "hr":
                self.report.warning(self.path, line, "rule-left-out", "a rule (---) is not carried into the editions")
            elif kind == "heading_open":
                self.heading(token, tokens[i + 1], line)
            elif kind == "paragraph_open" and self.table is None:
                self.paragraph(tokens[i + 1], line)
            elif kind == "table_open":
                self.table = Block("table", self.table_title(), line)
            elif kind == "thead_close" and self.table is not None:
                self.table.header_rows = len(self.table.rows)
            elif kind == "tr_close" and self.table is not None:
                self.table.rows.append(self.row)
                self.row = []
            elif kind in ("th_open", "td_open") and self.table is not None:
                if not self.table.rows:  # the first row gives each column's alignment
                    self.table.align.append(ALIGN.get(token.attrGet("style") or "", ""))
                content = _inline(tokens[i + 1].children, self.path, line, self.report)
                self.row.append(Cell(content.text, content.links, content.spans))
            elif kind == "table_close" and self.table is not None:
                self.table.align = self.table.align[: max(map(len, self.table.rows), default=0)]
                self.article.blocks.append(self.table)
                self.table = None

    def check_quote(self, kind: str, line: int) -> None:
        """Say once a quote when it holds what the model's quotes cannot (a list, a table, a heading)."""
        if kind == "blockquote_open" and not self.quote_depth:
            self.quote_flattened = False
        elif self.quote_depth and not self.quote_flattened and kind in QUOTE_FLATTENED:
            self.quote_flattened = True
            self.report.warning(self.path, line, "quote-flattened", f"{QUOTE_FLATTENED[kind]} inside a quote is set "
                                "in the article's body: the quote keeps its paragraphs only")

    def heading(self, token, inline, line: int) -> None:
        level = int(token.tag[1])
        content = _inline(inline.children, self.path, line, self.report)
        if not self.article.title and self.title_level is None:
            self.article.title, self.article.line, self.title_level = content.text, line, level
            return
        base = (self.title_level or 1) + 1
        self.article.blocks.append(Block("heading", content.text, line, level=1 if level <= base else 2,
                                         links=content.links, spans=content.spans))

    def paragraph(self, inline, line: int) -> None:
        content = _inline(inline.children, self.path, line, self.report)
        if content.image is not None or (content.alt and not content.text):
            self.article.blocks.append(Block("caption", content.alt, line, image=content.image or None))
            return
        if self.lists:
            block = Block("list_item", content.text, line, level=min(len(self.lists), 2), links=content.links,
                          spans=content.spans, marker=self.marker or "", ordered=self.lists[-1].ordered)
            self.marker = None  # a second paragraph of the item has no marker of its own
        else:
            kind = "quote" if self.quote_depth else "paragraph"
            block = Block(kind, content.text, line, links=content.links, spans=content.spans)
            block.lead = cleanup.run_in_head(block.text) if kind == "paragraph" else ""
        self.article.blocks.append(block)

    def table_title(self) -> str:
        """表1 …: a short paragraph just before a table that names it becomes the table's title."""
        blocks = self.article.blocks
        if blocks and blocks[-1].type == "paragraph" and cleanup.TABLE_TITLE.match(blocks[-1].text):
            return blocks.pop().text
        return ""


QUOTE_FLATTENED = {"bullet_list_open": "a list", "ordered_list_open": "a list", "table_open": "a table",
                   "heading_open": "a heading", "fence": "a code block", "code_block": "a code block"}
ALIGN = {"text-align:left": "left", "text-align:center": "center", "text-align:right": "right"}


def _take_subtitle_and_byline(article: Article) -> None:
    """A dashed subtitle (——记…) and a byline (◆某某 / 文) written as the first paragraphs after the
    title are article fields, as in a .txt article, unless the front matter gave them."""
    while article.title and article.blocks and article.blocks[0].type == "paragraph":
        first = article.blocks[0].text
        if not article.subtitle and is_subtitle(first):
            article.subtitle = cleanup.strip_subtitle_dash(first)
        elif not article.authors and (names := parse_byline(first)):
            article.authors = names
        else:
            return
        article.blocks.pop(0)
