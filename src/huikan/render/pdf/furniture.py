"""A page's furniture (its folio and running heads, in the margin boxes, and its own background) made
apart from its body, so that a page placed at another number is not laid out again.

The articles are laid out with every page given the margins of a right-hand page and without margin
boxes (`recording`): what the margin boxes would show there is recorded per page instead (`Furnishing`:
the page's type, each named string as string() resolves it there, the counters). When a page is placed
at its number, `Furniture.page` makes its margin boxes for that number and side from the record, with
WeasyPrint's own make_margin_boxes, and the page's body is shifted from the right-hand page's margins
to its own side's. A full build and one that moves kept pages do the same, so both give the same bytes.

A theme whose pages cannot be furnished so (left and right pages of different sizes, margin boxes that
show what a record cannot hold: running elements, target counters, pictures, attr()) is laid out as
before, its margin boxes with its pages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import weasyprint.layout
from weasyprint import CSS
from weasyprint.formatting_structure import boxes
from weasyprint.layout.background import layout_backgrounds, layout_box_backgrounds
from weasyprint.layout.page import PageType, make_margin_boxes, page_height, page_width, set_page_type_computed_styles
from weasyprint.layout.percent import resolve_percentages


@contextmanager
def replaced(owner: object, name: str, value: object) -> Iterator[None]:
    """OWNER.NAME is VALUE for the block (unittest.mock's patch.object would cost 20 ms of imports)."""
    saved = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, saved)


MARGIN_BOXES = tuple(f"@{edge}-{where}" for edge, places in (
    ("top", ("left", "center", "right")), ("bottom", ("left", "center", "right")),
    ("left", ("top", "middle", "bottom")), ("right", ("top", "middle", "bottom"))) for where in places) + tuple(
    f"@{corner}-corner" for corner in ("top-left", "top-right", "bottom-left", "bottom-right"))
RECORDABLE = {"string", "counter()", "counters()", "string()", "quote"}  # what content: a record can give
STRING_KEYWORDS = ("first", "start", "last", "first-except", "all-once")
FURNITURE_INDEX = 1  # the index of every page type furniture is made for: not the first page's 0


@dataclass
class Furnishing:
    """What a page's margin boxes show, as recorded where it was laid out, and where its body lies."""

    number: int  # the page number it was laid out as
    side: str
    blank: bool
    name: str
    groups: list[list]  # [page group name, index of the page in it]
    overflow: str
    strings: dict[str, dict[str, tuple[str, ...]]]  # name → keyword → what string(name, keyword) gives
    quote_depth: list[int]
    counters: dict[str, list[int]]
    scopes: list[list[str]]
    body_x: float  # where the body's content box starts (a right-hand page's margins)
    body_y: float
    size: list[float]  # of the content box, the page and its bleed

    @classmethod
    def of(cls, context, page, state, number: int) -> Furnishing:
        quote_depth, counters, scopes, _ = state
        page_type = page.page_type
        return cls(number, page_type.side, page_type.blank, page_type.name,
                   [list(group) for group in page_type.groups], page.style["overflow"],
                   {name: {keyword: tuple(context.get_string_set_for(page, name, keyword))
                           for keyword in STRING_KEYWORDS} for name in context.string_set},
                   list(quote_depth), {name: list(values) for name, values in counters.items()},
                   [sorted(scope) for scope in scopes], page.content_box_x(), page.content_box_y(),
                   list(_size(page)))

    def key(self, number: int) -> str:
        """What decides the page's furniture at NUMBER, as a digest: its type there, its strings, counters
        and where its body lies."""
        inputs = {name: value for name, value in vars(self).items() if name != "number"}
        inputs["side"] = self.page_type(number).side
        inputs["counters"] = self.counters_at(number)
        return hashlib.sha256(repr(sorted(inputs.items())).encode()).hexdigest()[:32]

    def counters_at(self, number: int) -> dict[str, list[int]]:
        """The counters on the page were it numbered NUMBER: the page counter moves with it."""
        counters = {name: list(values) for name, values in self.counters.items()}
        if counters.get("page"):
            counters["page"][-1] += number - self.number
        return counters

    def page_type(self, number: int) -> PageType:
        """The page's type were it numbered NUMBER: the side changes with an odd move. Its index is not the
        page's: articles are laid out in parts, and a part's first page is no :first or :nth() of the issue."""
        side = self.side if (number - self.number) % 2 == 0 else {"left": "right", "right": "left"}[self.side]
        return PageType(side, self.blank, self.name, FURNITURE_INDEX, tuple(tuple(group) for group in self.groups))


def _recordable(context, page) -> bool:
    """Whether every margin box of PAGE shows only text, counters and named strings."""
    for keyword in MARGIN_BOXES:
        style = context.style_for(page.page_type, keyword)
        if style is None or style["content"] in ("normal", "inhibit", "none"):
            continue
        if any(kind not in RECORDABLE for kind, _ in style["content"]):
            return False
    return True


class Recorder:
    """Stands for WeasyPrint's make_margin_boxes while a part is laid out: records each page's
    furnishing on its page box (`huikan_furnishing`) and makes no margin box, where it can."""

    def __init__(self, first_page: int):
        self.first_page = first_page  # the number for the part's first page
        self.context = None
        self.recorded = True  # every page's margin boxes were recorded, none made

    def __call__(self, context, page, state):
        self.context = context
        if not _recordable(context, page):
            self.recorded = False
            return make_margin_boxes(context, page, state)
        page.huikan_furnishing = Furnishing.of(context, page, state, self.first_page - 1 + context.current_page)
        return ()


@contextmanager
def recording(first_page: int) -> Iterator[Recorder]:
    recorder = Recorder(first_page)
    with replaced(weasyprint.layout, "make_margin_boxes", recorder):
        yield recorder


def right_hand_margins(page) -> str:
    """A stylesheet that gives left-hand pages the horizontal margins of the right-hand PAGE."""
    return (f"@page :left {{ margin-left: {page.margin_left!r}px !important; "
            f"margin-right: {page.margin_right!r}px !important; }}")


class Furniture:
    """Makes the furniture of pages from their records: the stylesheet and root element of the issue's
    print HTML, from a layout of it without articles (`empty`, laid out within `recording`)."""

    def __init__(self, empty, recorder: Recorder):
        self.context: Any = recorder.context
        self.html = empty._html
        self.root = empty.pages[0]._page_box.children[0]
        self.sizes: dict[tuple, tuple[float, ...]] = {}
        self.styled: set[PageType] = set()
        self.canvases: dict[tuple, Any] = {}
        right = self.page_box(PageType("right", False, "", FURNITURE_INDEX, ()), "visible")
        left = self.page_box(PageType("left", False, "", FURNITURE_INDEX, ()), "visible")
        # Only where both sides have the same size can one side's body be painted on the other's.
        self.usable = self.context is not None and _size(right) == _size(left)
        self.stylesheet = CSS(string=right_hand_margins(right))

    def page_box(self, page_type: PageType, overflow: str) -> boxes.PageBox:
        """An empty page box of PAGE_TYPE, its size and margins resolved as make_page resolves them."""
        context = self.context
        if page_type not in self.styled:  # (the styles of a type, once: a type is made for many pages)
            set_page_type_computed_styles(page_type, self.html, context.style_for)
            self.styled.add(page_type)
        style = context.style_for(page_type)
        style["overflow"] = overflow
        page = boxes.PageBox(page_type, style)
        size = page.style["size"]
        resolve_percentages(page, size)
        page.position_x = page.position_y = 0
        page_width(page, context, size[0])
        page_height(page, context, size[1])
        return page

    def fits(self, furnishing: Furnishing, number: int) -> bool:
        """Whether the body FURNISHING records has the size of the pages of its type at NUMBER."""
        return list(self.size(furnishing, number)[2:]) == furnishing.size

    def size(self, furnishing: Furnishing, number: int) -> tuple[float, ...]:
        """Where the content box of the page FURNISHING records lies at NUMBER, and the page's sizes."""
        page_type = furnishing.page_type(number)
        key = (page_type, furnishing.overflow)
        if key not in self.sizes:
            page = self.page_box(page_type, furnishing.overflow)
            self.sizes[key] = (page.content_box_x(), page.content_box_y(), *_size(page))
        return self.sizes[key]

    def page(self, furnishing: Furnishing, number: int) -> boxes.PageBox:
        """The page FURNISHING records, numbered NUMBER: its margin boxes laid out, its background and the
        canvas's (the root element's) ready to paint."""
        context = self.context
        page = self.page_box(furnishing.page_type(number), furnishing.overflow)
        state: tuple = (list(furnishing.quote_depth), furnishing.counters_at(number),
                        [set(scope) for scope in furnishing.scopes], [])
        strings = furnishing.strings
        context.current_page = number
        context.get_string_set_for = lambda _page, name, keyword="first": strings.get(name, {}).get(keyword, ())
        page.children = tuple(make_margin_boxes(context, page, state))
        layout_box_backgrounds(page, page, context.get_image_from_uri)
        page.canvas_background = self.canvas(page.page_type, furnishing.overflow)
        return page

    def canvas(self, page_type: PageType, overflow: str):
        """The canvas's background on pages of PAGE_TYPE: the root element's (or the body's), over the page."""
        key = (page_type, overflow)
        if key not in self.canvases:
            page = self.page_box(page_type, overflow)
            page.children = (self.root.deepcopy(),)
            layout_backgrounds(page, self.context.get_image_from_uri)
            self.canvases[key] = page.canvas_background
        return self.canvases[key]


def _size(page) -> tuple[float, ...]:
    return (page.width, page.height, page.margin_width(), page.margin_height(), *page.bleed.values())
