"""Pictures that do not fit where they stand go to the top of the next page, with text filling the gap.

WeasyPrint has no top/bottom floats (CSS GCPM's `float: top`), so a picture too tall for the rest of its
page moves whole to the next page and leaves the rest of this one blank. A journal sets the text that
follows into that gap instead and puts the picture at the head of the next page (LaTeX's `t` placement).
Done here in two layouts: the first measures each such gap and the paragraphs after the picture; the
second is laid out from the model with the picture moved past as many of those paragraphs as fill it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from weasyprint.document import Document

from huikan.model import Article, Block, Issue
from huikan.render.html import ListGroup, Numbered, grouped

MIN_GAP = 0.15  # of the text block's height: a smaller gap is left as it is
SPLIT_GAP = 0.35  # a gap larger than this is filled even if the last paragraph moved has to run on


@dataclass
class Placed:
    """Where one top-level element of an article body was laid out: its fragments, page by page."""

    page: int
    top: float
    bottom: float


@dataclass
class Body:
    """One article body as laid out: its elements in order, and where each one's fragments went."""

    elements: list
    fragments: dict[int, list[Placed]]  # by id() of the element

    def placed(self, element) -> list[Placed]:
        return self.fragments.get(id(element), [])


def laid_out_bodies(document: Document) -> tuple[dict[str, Body], list[tuple[float, float]]]:
    """Every article body of DOCUMENT by article id, and each page's text block (top, bottom)."""
    bodies: dict[str, Body] = {}
    pages: list[tuple[float, float]] = []
    for number, page in enumerate(document.pages):
        page_box = page._page_box
        pages.append((page_box.content_box_y(), page_box.content_box_y() + page_box.height))
        for article, body_box in _article_bodies(page_box):
            body = bodies.setdefault(article, Body(list(body_box.element), {}))
            known = {id(e) for e in body.elements}
            for child in _flat(body_box):
                element = getattr(child, "element", None)
                if id(element) in known:
                    body.fragments.setdefault(id(element), []).append(
                        Placed(number, child.position_y, child.position_y + child.margin_height()))
    return bodies, pages


def _article_bodies(page_box: Any) -> Iterator[tuple[str, Any]]:
    """(article id, article-body box) for each article on the page (article elements have id art-<id>)."""
    stack = [page_box]
    while stack:
        box = stack.pop()
        ident = box.element.get("id") or "" if getattr(box, "element", None) is not None else ""
        if getattr(box, "element_tag", None) == "article" and ident.startswith("art-"):
            for child in box.children:
                if _has_class(getattr(child, "element", None), "article-body"):
                    yield ident[4:], child
            continue
        stack.extend(getattr(box, "children", None) or [])


def _has_class(element: Any, name: str) -> bool:
    return element is not None and name in (element.get("class") or "").split()


def _flat(body: Any) -> Iterator[Any]:
    """BODY's block children, through any column or anonymous boxes WeasyPrint puts between."""
    for child in body.children:
        if getattr(child, "element", None) is body.element:
            yield from _flat(child)
        else:
            yield child


def _is_paragraph(element: Any) -> bool:
    return element.tag == "p" and _has_class(element, "para")


def moves(document: Document) -> dict[str, dict[int, int]]:
    """Per article id: each stranded picture's index among the body's elements (= its grouped blocks)
    and how many paragraphs to move it past."""
    bodies, pages = laid_out_bodies(document)
    result: dict[str, dict[int, int]] = {}
    for article_id, body in bodies.items():
        for i, element in enumerate(body.elements):
            if i == 0 or element.tag != "figure" or element.find("img") is None:
                continue
            here, before = body.placed(element), body.placed(body.elements[i - 1])
            if not here or not before or here[0].page == before[-1].page:
                continue
            top, bottom = pages[before[-1].page]
            gap = bottom - before[-1].bottom
            if gap < MIN_GAP * (bottom - top):
                continue
            count = _paragraphs_filling(body, body.elements[i + 1:], gap, SPLIT_GAP * (bottom - top))
            if count:
                result.setdefault(article_id, {})[i] = count
    return result


def _paragraphs_filling(body: Body, following: list, gap: float, split_gap: float) -> int:
    """How many of the paragraphs FOLLOWING fill GAP; one more, to run on past it, if what is left
    is still larger than SPLIT_GAP."""
    count, filled = 0, 0.0
    for element in following:
        fragments = body.placed(element)
        if not _is_paragraph(element) or not fragments:
            break
        size = sum(f.bottom - f.top for f in fragments)
        if filled + size > gap:
            return count + 1 if gap - filled > split_gap else count
        filled += size
        count += 1
    return count


def moved(issue: Issue, plan: dict[str, dict[int, int]]) -> Issue:
    """ISSUE with each planned picture moved past its paragraphs (indices are those of grouped blocks)."""
    if not plan:
        return issue
    sections = [replace(s, articles=[replace(a, blocks=_move(a, plan[a.id])) if a.id in plan else a
                                     for a in s.articles]) for s in issue.sections]
    return replace(issue, sections=sections)


def _move(article: Article, shifts: dict[int, int]) -> list[Block]:
    groups: list[list[Block]] = []
    for item in grouped(article.blocks):
        if isinstance(item, ListGroup):
            groups.append([b for first, nested in item.items for b in (first, *nested)])
        else:
            groups.append([item.block if isinstance(item, Numbered) else item])
    for index in sorted(shifts, reverse=True):
        figure = groups.pop(index)
        groups.insert(index + shifts[index], figure)
    return [block for group in groups for block in group]
