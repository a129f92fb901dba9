"""Where the texts of the model are, in reading order, and how a fix is written back into each: the text
replaced, and the links, emphasis and note marks over it moved with it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from huikan.copyedit.findings import Finding
from huikan.model import Article, Block, Cell, Issue, Link, Note, Span

ORDINAL_MARKER = re.compile(r"^(\d{1,2})、$|^([（(][一二三四五六七八九十\d]{1,3}[）)])[、.．，,]$")


@dataclass
class Place:
    """One text of the model: where it is from, what kind of text it is, and how to change it."""

    path: str
    line: int
    source: str  # the article's file name (for per-article settings)
    kind: str  # title, subtitle, heading, paragraph, quote, list_item, caption, cell, note, summary, keyword …
    text: str
    write: Callable[[str, list[tuple[int, int, str]]], None]
    quote_goes_on: bool = False  # the next paragraph opens with “: a quotation of several paragraphs

    def fix(self, findings: list[Finding]) -> None:
        edits = [(f.start, f.end, f.right) for f in findings]
        self.text = apply(self.text, edits)
        self.write(self.text, edits)


def apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, right in sorted(edits, reverse=True):
        text = text[:start] + right + text[end:]
    return text


def moved(at: int, edits: list[tuple[int, int, str]]) -> int:
    """Where offset AT of the old text stands in the new one."""
    shift = 0
    for start, end, right in edits:
        if end <= at:
            shift += len(right) - (end - start)
        elif start < at:
            return start + shift + len(right)
    return at + shift


def _inline_writer(owner: Block | Cell) -> Callable[[str, list[tuple[int, int, str]]], None]:
    def write(text: str, edits: list[tuple[int, int, str]]) -> None:
        edits = sorted(edits)
        owner.links = [Link(moved(k.start, edits), moved(k.end, edits), k.href) for k in owner.links]
        owner.spans = [Span(moved(s.start, edits), moved(s.end, edits), s.style) for s in owner.spans]
        owner.notes = [Note(moved(n.at, edits), n.text, n.kind, n.number, n.anchor) for n in owner.notes]
        if isinstance(owner, Block) and owner.lead:
            owner.lead = text[:moved(len(owner.lead), edits)]
        owner.text = text
    return write


def _setter(owner, name: str) -> Callable[[str, list[tuple[int, int, str]]], None]:
    return lambda text, edits: setattr(owner, name, text)


def _keyword_setter(article: Article, n: int) -> Callable[[str, list[tuple[int, int, str]]], None]:
    def write(text: str, edits: list[tuple[int, int, str]]) -> None:
        article.keywords[n] = text
    return write


def places(issue: Issue) -> Iterator[Place]:
    folder = Path(issue.folder)
    for article in issue.articles:
        yield from _article_places(article, str(folder / article.source))


def _article_places(article: Article, path: str) -> Iterator[Place]:
    source = article.source
    yield Place(path, article.line, source, "title", article.title, _setter(article, "title"))
    if article.subtitle:
        yield Place(path, article.line, source, "subtitle", article.subtitle, _setter(article, "subtitle"))
    if article.summary:  # the author's own: a computed one is made after this stage, from checked text
        yield Place(path, article.line, source, "summary", article.summary, _setter(article, "summary"))
    for n, keyword in enumerate(article.keywords):
        yield Place(path, article.line, source, "keyword", keyword, _keyword_setter(article, n))
    for index, block in enumerate(article.blocks):
        following = article.blocks[index + 1] if index + 1 < len(article.blocks) else None
        goes_on = following is not None and following.type == "paragraph" and following.text.startswith("“")
        if block.type == "table":
            if block.text:
                yield Place(path, block.line, source, "caption", block.text, _setter(block, "text"))
            for row in block.rows:
                for cell in row:
                    yield Place(path, block.line, source, "cell", cell.text, _inline_writer(cell))
                    yield from _note_places(cell.notes, path, block.line, source)
            continue
        if block.type == "list_item" and ORDINAL_MARKER.match(block.marker):
            yield Place(path, block.line, source, "marker", block.marker, _setter(block, "marker"))
        kind = "caption" if block.type == "caption" else block.type
        if block.type in ("editor_note", "preformatted"):
            kind = block.type
        yield Place(path, block.line, source, kind, block.text,
                    _setter(block, "text") if block.type in ("editor_note", "preformatted") else _inline_writer(block),
                    goes_on)
        yield from _note_places(block.notes, path, block.line, source)


def _note_places(notes: list[Note], path: str, line: int, source: str) -> Iterator[Place]:
    for note in notes:
        yield Place(path, line, source, "note", note.text, _setter(note, "text"))
