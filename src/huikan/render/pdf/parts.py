"""One PDF from documents laid out one part at a time, so a long issue's layout is never all in memory.

WeasyPrint lays out a whole document before it paints a page, and holds every page's boxes until the
PDF is written: about 0.5 MiB a page. `PartsWriter` takes the issue in parts (runs of articles, then
the front matter): each part is laid out, its pages are painted into the one PDF at their place in
the issue, and its boxes are dropped before the next part is laid out. Fonts, pictures and named
destinations are shared by all parts, so every font is embedded once, subset over the whole issue.

The painting follows `weasyprint.pdf.generate_pdf` of WeasyPrint 70.x (pinned in pyproject.toml),
whose helpers it calls; `tests/test_pdf_parts.py` checks that an issue written in parts has the same
pages, folios, links and bookmarks as one laid out whole.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import uuid
from dataclasses import dataclass, field
from importlib.resources import files
from types import SimpleNamespace

import pydyf
import weasyprint
import weasyprint.pdf.metadata
from tinycss2.color5 import D50, D65
from weasyprint import CSS, DEFAULT_OPTIONS, HTML, Document
from weasyprint.css import ColorProfile
from weasyprint.document import DocumentMetadata
from weasyprint.draw import draw_page, draw_stacking_context
from weasyprint.matrix import Matrix
from weasyprint.pdf import VARIANTS, _use_references, _w3c_date_to_pdf
from weasyprint.pdf.anchors import add_annotations, add_forms, add_links, add_outlines
from weasyprint.pdf.fonts import build_fonts_dictionary
from weasyprint.pdf.stream import Stream
from weasyprint.pdf.tags import add_tags
from weasyprint.stacking import StackingContext
from weasyprint.text.fonts import FontConfiguration

from huikan.render.pdf.furniture import Furniture, recording, replaced
from huikan.render.pdf.painted import (
    Deflated,
    PaintedFurniture,
    PaintedPage,
    PaintedUnit,
    UnitFonts,
    UsedFont,
    UsedPicture,
    deflated,
    find_font,
    states_named,
)
from huikan.render.pdf.subsets import Subset, clean_fonts, deflate_font_files

if not weasyprint.__version__.startswith("70."):
    raise ImportError(f"huikan writes PDFs with WeasyPrint 70.x, not {weasyprint.__version__}")


SCALE = 0.75  # PDF points per CSS pixel (zoom 1)
MM = 72 / 25.4
MARK_OFFSET = 3 * MM  # a crop mark starts this far from the trim, at least (outside a 3 mm bleed)
MARK_LENGTH = 5 * MM
MARK_ROOM = MARK_OFFSET + MARK_LENGTH + 2 * MM  # what the MediaBox adds beyond the bleed for the marks


def printer_marks(stream: Stream, width: float, height: float, bleed: float, marks: tuple[str, ...]) -> None:
    """Crop marks at the trim's corners and registration crosses at the middle of each side, outside the
    bleed, in registration black (all four inks) and without transparency, as PDF/X-1a wants them.

    Drawn in the page's coordinates as generate_pdf leaves them: points, y down from the trim's top."""
    offset, length = max(MARK_OFFSET, bleed + MM), MARK_LENGTH
    ops = ["q", "1 1 1 1 K", "0.25 w", "0 J"]

    def line(x0: float, y0: float, x1: float, y1: float) -> None:
        ops.append(f"{x0:.3f} {y0:.3f} m {x1:.3f} {y1:.3f} l S")

    if "crop" in marks:
        for x, sx in ((0.0, -1), (width, 1)):
            for y, sy in ((0.0, -1), (height, 1)):
                line(x + sx * offset, y, x + sx * (offset + length), y)  # along the top or bottom edge's line
                line(x, y + sy * offset, x, y + sy * (offset + length))  # along the side's line
    if "cross" in marks:
        middle = offset + length / 2
        radius = length / 4
        for cx, cy in ((width / 2, -middle), (width / 2, height + middle), (-middle, height / 2),
                       (width + middle, height / 2)):
            line(cx - length / 2, cy, cx + length / 2, cy)
            line(cx, cy - length / 2, cx, cy + length / 2)
            k = radius * 0.5523  # a circle in four Bézier curves
            ops.append(f"{cx + radius:.3f} {cy:.3f} m "
                       f"{cx + radius:.3f} {cy + k:.3f} {cx + k:.3f} {cy + radius:.3f} {cx:.3f} {cy + radius:.3f} c "
                       f"{cx - k:.3f} {cy + radius:.3f} {cx - radius:.3f} {cy + k:.3f} {cx - radius:.3f} {cy:.3f} c "
                       f"{cx - radius:.3f} {cy - k:.3f} {cx - k:.3f} {cy - radius:.3f} {cx:.3f} {cy - radius:.3f} c "
                       f"{cx + k:.3f} {cy - radius:.3f} {cx + radius:.3f} {cy - k:.3f} {cx + radius:.3f} {cy:.3f} c S")
    ops.append("Q")
    stream.stream.extend(op.encode() for op in ops)


class FontsChanged(Exception):
    """A font a kept page names is no longer the one the fonts installed find."""


@dataclass
class PaintedPart:
    """What is kept of a part once its pages are painted."""

    first_page: int  # 1-based number of its first page in the issue
    pages: int
    anchors: dict[str, int] = field(default_factory=dict)  # anchor name → 1-based page number


def part_stylesheet(first_page: int) -> CSS:
    """Number the part's pages from FIRST_PAGE and put its first page on the side that number has."""
    side = "right" if first_page % 2 else "left"
    return CSS(string=f"@page :first {{ counter-reset: page {first_page} !important; }}\n"
                      f":root {{ break-before: {side} !important; }}")


class PartsWriter:
    """Lays out and paints parts of one issue into one PDF, in the order of their page numbers."""

    def __init__(self, *, base_url: str, url_fetcher, variant: str | None = None, tags: bool = False,
                 identifier: bytes | None = None, marks: tuple[str, ...] = (),
                 font_config: FontConfiguration | None = None):
        options = dict(DEFAULT_OPTIONS, pdf_variant=variant, pdf_tags=tags, pdf_identifier=identifier)
        self.marks = marks  # "crop", "cross": drawn by printer_marks, outside the bleed
        if variant:
            for key, value in VARIANTS[variant][1].items():
                if options.get(key) in (None, False):
                    options[key] = value
        self.options = options
        self.base_url = base_url
        self.url_fetcher = url_fetcher
        # Shared by the writers of one issue (the 目录's trial layout, a second try): fonts loaded and
        # shaped once. It holds the loaded fonts (the theme's @font-face ones too), not what a PDF embeds.
        self.font_config = font_config or FontConfiguration()
        self.color_profiles: dict = {}
        self.furniture: Furniture | None = None  # makes the pages' furniture, where laid out apart
        self.heads: dict[bytes, pydyf.Stream] = {}  # the streams that move a body to its side, by their operators
        self.kept_furniture: dict[str, PaintedFurniture] = {}  # by Furnishing.key: kept, and painted in this build
        self.used_furniture: dict[str, PaintedFurniture] = {}  # what this build placed, to keep for the next
        self.painting_fonts: dict = {}  # key → a font to paint with, made once from the Pango font laid out
        self.used_fonts: dict[int, UsedFont] = {}  # key → its first use, with every unit's glyphs merged
        self.kept_placed = False  # whether a unit painted in an earlier build was placed
        self.kept_subsets: dict[str, Subset] = {}  # the fonts' subsets an earlier build embedded (subsets.py)
        self.used_subsets: dict[str, Subset] = {}  # and those this one embeds, to keep for the next
        self.images: dict = {}
        self.pdf = pydyf.PDF()
        # Made with the first part, once its stylesheet's colour profiles are known.
        self.resources: pydyf.Dictionary | None = None
        self.names: list = []  # named destinations, as generate_pdf collects them
        self.destinations: set[str] = set()
        self.annotation_files: dict = {}
        self.pages: dict[int, object] = {}  # 0-based index → what outlines and tags need of the page
        self.streams: dict[int, Stream] = {}
        self.looks: dict[int, tuple] = {}  # 0-based index → what decides how the page looks (page_keys)
        self.look_context = ""  # and what decides it for every page: the theme, fonts, options (kept.context)
        self.page_objects: dict[int, pydyf.Dictionary] = {}
        self.metadata: DocumentMetadata | None = None

    def layout(self, html: str, first_page: int) -> Document:
        """Lay out one part's HTML with its first page numbered FIRST_PAGE."""
        return self._render(html, [part_stylesheet(first_page)])

    def _render(self, html: str, stylesheets: list[CSS]) -> Document:
        # Each layout reads the stylesheet's @color-profile anew: the PDF keeps the first of each name,
        # whose stream _start() has written.
        profiles: dict = {}
        document = HTML(string=html, base_url=self.base_url, url_fetcher=self.url_fetcher).render(
            font_config=self.font_config, color_profiles=profiles, stylesheets=stylesheets,
            **self._layout_options())
        for name, profile in profiles.items():
            self.color_profiles.setdefault(name, profile)
        return document

    def furnish_apart(self, empty_html: str) -> None:
        """Lay out articles with their furniture apart (furniture.py) from now on, if the theme allows:
        EMPTY_HTML is the issue's print HTML without articles, whose stylesheet makes the furniture."""
        if self.options["pdf_tags"]:  # (a tagged page's structure holds its margin boxes with its body)
            return
        with recording(1) as recorder:
            empty = self._render(empty_html, [part_stylesheet(1)])
        furniture = Furniture(empty, recorder)
        self.furniture = furniture if furniture.usable else None

    def layout_articles(self, html: str, first_page: int) -> Document:
        """Lay out a part of articles as `layout` does, but with their furniture apart where the theme allows."""
        furniture = self.furniture
        if furniture is None:
            return self.layout(html, first_page)
        with recording(first_page) as recorder:
            document = self._render(html, [part_stylesheet(first_page), furniture.stylesheet])
        if recorder.recorded and all(self._apart(page, furniture) for page in document.pages):
            return document
        self.furniture = None  # this theme's pages keep their furniture: laid out as before from now on
        return self.layout(html, first_page)

    @staticmethod
    def _apart(page, furniture: Furniture) -> bool:
        """Whether PAGE was laid out to be painted apart from its furniture: its margin boxes recorded, its
        size its own side's, no form fields or attachments (whose boxes are placed where laid out)."""
        furnishing = getattr(page._page_box, "huikan_furnishing", None)
        return (furnishing is not None and furniture.fits(furnishing, furnishing.number)
                and not any(page.forms.values()) and all(kind in ("internal", "external") for kind, *_ in page.links))

    def _layout_options(self) -> dict:
        return {key: self.options[key] for key in ("pdf_variant", "pdf_tags", "output_intent")}

    def paint(self, document: Document, first_page: int, *, metadata: bool = False) -> PaintedPart:
        """Paint a laid-out part whose first page is FIRST_PAGE, place its pages, then let its boxes go.

        METADATA: the PDF's title, authors and dates come from this part's HTML head.
        """
        if metadata:
            self.metadata = document.metadata
        part = PaintedPart(first_page, 0)
        for unit in self.paint_units(document, [0]):
            self.place(unit, first_page + part.pages, part)
        return part

    def paint_units(self, document: Document, starts: list[int]) -> list[PaintedUnit]:
        """Paint DOCUMENT's pages as units that begin at the page offsets STARTS (the first at 0), then
        let its boxes go. The units are placed in the PDF by `place`, in the order of their pages."""
        if self.resources is None:
            self._start()
        bounds = [*starts, len(document.pages)]
        units = [self._paint_unit(document.pages[begin:end]) for begin, end in itertools.pairwise(bounds)]
        document.pages.clear()
        return units

    def _paint_unit(self, pages: list) -> PaintedUnit:
        assert self.resources is not None, "_start() makes the resources before the first page"
        fonts = UnitFonts(self.painting_fonts, self.font_config)
        pictures: list[UsedPicture] = []
        printed = getattr(self.url_fetcher, "pictures", None)
        if printed is not None:  # the resolution each picture gets, told by this unit alone
            lowest, printed.lowest = printed.lowest, {}
        before = {name: set(self.resources[name]) for name in ("ExtGState", "XObject", "Pattern", "Shading")}
        states: list[str] = []  # the graphics states the pages name
        painted = [self._paint_page(page, fonts, pictures, states) for page in pages]
        added = {name: set(self.resources[name]) - known for name, known in before.items()}
        # A group, pattern, shading, mask or blend state is named by its number in the resources.
        keepable = (fonts.keepable and not self.options["pdf_tags"] and not added["Pattern"]
                    and not added["Shading"] and all(name.startswith("i") for name in added["XObject"])
                    and all(name[:1] in "Aa" for name in [*states, *added["ExtGState"]])
                    and all(page.live is None for page in painted))
        unit = PaintedUnit(painted, fonts.used(), {name: dict(self.resources["ExtGState"][name])
                                                   for name in dict.fromkeys(states) if name[:1] in "Aa"},
                           pictures, {}, keepable, fresh=True)
        if printed is not None:
            unit.lowest, printed.lowest = printed.lowest, lowest
        return unit

    def _paint_page(self, page, fonts: UnitFonts, pictures: list[UsedPicture], states: list[str]) -> PaintedPage:
        """Paint PAGE as generate_pdf paints each page, into a record of its own; add to PICTURES the pictures
        it paints and to STATES the graphics states it names."""
        tags = self.options["pdf_tags"]
        page_tags: dict | None = {} if tags else None
        stream = self._stream(page.width, page.height, page.bleed, fonts, page_tags)

        def add_image(image, interpolate, ratio):
            shown = getattr(image, "huikan_picture", None)  # (sha256, width, height) of the pictures
            if shown is None:
                fonts.keepable = False
            else:
                sha, width, height = shown
                pictures.append(UsedPicture(sha, width, height, interpolate, ratio))
            return Stream.add_image(stream, image, interpolate, ratio)

        stream.add_image = add_image
        furnishing = getattr(page._page_box, "huikan_furnishing", None)
        if furnishing is None:
            stream.transform(d=-1, f=page.height * SCALE)
            page.paint(stream, SCALE)
            self._marks(stream, page.width, page.height, page.bleed)
        else:  # the body alone, as on a right-hand page: `_furnish` paints the rest where the page is placed
            with stream.stacked():
                stream.transform(a=SCALE, d=SCALE)
                draw_stacking_context(stream, StackingContext.from_page(page._page_box))
        links = [(kind, target, tuple(box)) for kind, target, box, _ in page.links if kind in ("internal", "external")]
        live = None  # a page a record cannot hold: tagged, or with attachments or form fields
        if tags or len(links) != len(page.links) or any(page.forms.values()):
            live = SimpleNamespace(page=page, stream=stream, tags=page_tags)
        operators = b"\n".join(map(pydyf._to_bytes, stream.stream))
        states.extend(states_named(operators))
        compress = not self.options["uncompressed_pdf"]
        return PaintedPage(page.width, page.height, dict(page.bleed), deflated(operators) if compress else operators,
                           links, [(name, x, y) for name, (x, y, _, _) in page.anchors.items()],
                           list(page.bookmarks), live, furnishing)

    def _stream(self, width: float, height: float, bleed: dict[str, float], fonts: UnitFonts,
                page_tags: dict | None = None) -> Stream:
        """A content stream for a page of WIDTH × HEIGHT with BLEED, painting with FONTS."""
        left, top = -bleed["left"], -bleed["top"]
        rectangle = (left, top, width + bleed["left"] + bleed["right"], height + bleed["top"] + bleed["bottom"])
        stream = Stream(fonts, rectangle, self.resources, self.images, page_tags, self.color_profiles,
                        self.options["output_intent"], compress=not self.options["uncompressed_pdf"])
        stream.add_font = fonts.add
        return stream

    def _marks(self, stream: Stream, width: float, height: float, bleed: dict[str, float]) -> None:
        if self.marks:
            printer_marks(stream, width * SCALE, height * SCALE, max(bleed.values()) * SCALE, self.marks)

    def _furnish(self, page: PaintedPage, number: int) -> tuple[pydyf.Stream, PaintedFurniture, float, float]:
        """What goes around PAGE's body as page NUMBER: the stream before it, which moves the body to its
        side, and the furniture painted after it (kept from an earlier build where its inputs were the
        same); and how far the body moves (in CSS pixels)."""
        assert self.furniture is not None and page.furnishing is not None
        furnishing = page.furnishing
        x, y = self.furniture.size(furnishing, number)[:2]
        dx, dy = x - furnishing.body_x, y - furnishing.body_y
        head = pydyf.Stream(compress=not self.options["uncompressed_pdf"])
        head.set_matrix(1, 0, 0, -1, 0, page.height * SCALE)
        if dx or dy:
            head.set_matrix(1, 0, 0, 1, dx * SCALE, dy * SCALE)
        head = self.heads.setdefault(b" ".join(map(pydyf._to_bytes, head.stream)), head)  # (shared by a side)
        key = furnishing.key(number)
        painted = self.kept_furniture.get(key)
        if painted is None:
            painted, keepable = self._paint_furniture(page, number, dx, dy)
            if keepable:
                self.kept_furniture[key] = painted
        if key in self.kept_furniture:
            self.used_furniture[key] = painted
        assert self.resources is not None
        for name, state in painted.states.items():
            self.resources["ExtGState"].setdefault(name, pydyf.Dictionary(state))
        return head, painted, dx, dy

    def _paint_furniture(self, page: PaintedPage, number: int, dx: float, dy: float) -> tuple[PaintedFurniture, bool]:
        """PAGE's furniture painted for NUMBER, with its body moved by DX, DY before it (and moved back here);
        and whether it can be kept (it names no picture, pattern or shading: those are numbered per PDF)."""
        assert self.furniture is not None and self.resources is not None and page.furnishing is not None
        fonts = UnitFonts(self.painting_fonts, self.font_config)
        before = {name: set(self.resources[name]) for name in ("XObject", "Pattern", "Shading")}
        stream = self._stream(page.width, page.height, page.bleed, fonts)
        if dx or dy:
            stream.transform(e=-dx * SCALE, f=-dy * SCALE)
        with stream.stacked():
            stream.transform(a=SCALE, d=SCALE)
            draw_page(self.furniture.page(page.furnishing, number), stream)
        self._marks(stream, page.width, page.height, page.bleed)
        operators = b"\n".join(map(pydyf._to_bytes, stream.stream))
        states = states_named(operators)
        keepable = (fonts.keepable and all(set(self.resources[name]) == known for name, known in before.items())
                    and all(name[:1] in "Aa" for name in states))
        return PaintedFurniture(operators, fonts.used(), {name: dict(self.resources["ExtGState"][name])
                                                          for name in states if name[:1] in "Aa"}), keepable

    def furnished(self, unit: PaintedUnit) -> bool:
        """Whether UNIT's pages have their furniture apart, to be made here: placeable on another page."""
        return self.furniture is not None and all(page.furnishing for page in unit.pages)

    def placeable(self, unit: PaintedUnit, first_page: int, painted_at: int) -> bool:
        """Whether UNIT, painted from PAINTED_AT on, can be placed from FIRST_PAGE on: where it was painted,
        or, with its furniture apart, anywhere its pages keep their size (on the same side, if the unit
        starts on a side of its own: it follows a blank page there)."""
        if first_page == painted_at and not any(page.furnishing for page in unit.pages):
            return True
        furniture = self.furniture
        if furniture is None or not self.furnished(unit) or (not unit.moves and (first_page - painted_at) % 2):
            return False
        return all(furniture.fits(page.furnishing, first_page + offset)
                   for offset, page in enumerate(unit.pages) if page.furnishing)

    def place(self, unit: PaintedUnit, first_page: int, part: PaintedPart) -> None:
        """Put UNIT's pages in the PDF from FIRST_PAGE on, and what they name in its resources; count them
        in PART."""
        if self.resources is None:
            self._start()
        assert self.resources is not None
        self.kept_placed = self.kept_placed or not unit.fresh
        tags = self.options["pdf_tags"]
        furniture_fonts: list[UsedFont] = []
        for offset, page in enumerate(unit.pages):
            index = first_page - 1 + offset
            if index in self.page_objects:
                raise ValueError(f"page {index + 1} is painted twice")
            head, tail, dx, dy = None, None, 0.0, 0.0
            if page.furnishing:
                head, furniture, dx, dy = self._furnish(page, index + 1)
                tail = pydyf.Stream([furniture.operators], compress=not self.options["uncompressed_pdf"])
                furniture_fonts += furniture.fonts
            self.streams[index] = self._place_page(index, page, (head, tail), dx, dy)
            for name, _, _ in page.anchors:
                part.anchors.setdefault(name, index + 1)
            # Outlines need only the bookmarks; tags need the boxes, so a tagged PDF keeps them.
            self.pages[index] = page.live.page if tags and page.live else SimpleNamespace(
                bookmarks=[(level, label, (x + dx, y + dy), state) for level, label, (x, y), state in page.bookmarks],
                height=page.height)
        part.pages += len(unit.pages)
        for used in [*unit.fonts, *furniture_fonts]:  # first come, first kept, as WeasyPrint keeps them
            first = self.used_fonts.setdefault(used.key, UsedFont(used.key, used.description, used.size))
            for glyph, width in used.widths.items():
                first.widths.setdefault(glyph, width)
            for glyph, text in used.to_unicode.items():
                first.to_unicode.setdefault(glyph, text)
        for name, state in unit.states.items():
            self.resources["ExtGState"].setdefault(name, pydyf.Dictionary(state))
        printed = getattr(self.url_fetcher, "pictures", None)
        if printed is not None:
            for picture in unit.pictures:
                image = printed.raster(picture.sha, (picture.width, picture.height))
                Stream.add_image(SimpleNamespace(_resources=self.resources, _images=self.images), image,
                                 picture.interpolate, picture.ratio)
            for sha, ppi in unit.lowest.items():
                printed.lowest[sha] = min(ppi, printed.lowest.get(sha, ppi))

    def _start(self) -> None:
        pdf, compress = self.pdf, not self.options["uncompressed_pdf"]
        color_space = pydyf.Dictionary({
            "lab-d50": pydyf.Array(("/Lab", pydyf.Dictionary({"WhitePoint": pydyf.Array(D50),
                                                               "Range": pydyf.Array((-125, 125, -125, 125))}))),
            "lab-d65": pydyf.Array(("/Lab", pydyf.Dictionary({"WhitePoint": pydyf.Array(D65),
                                                               "Range": pydyf.Array((-125, 125, -125, 125))}))),
        })
        if self.options["output_intent"] == "srgb":
            self.color_profiles["srgb"] = ColorProfile(
                (files(weasyprint.pdf.__name__) / "sRGB2014.icc").open("rb"), "sRGB2014.icc",
                "relative-colorimetric", (["r"], ["g"], ["b"]))
        for key, profile in self.color_profiles.items():
            stream = pydyf.Stream([profile.content], pydyf.Dictionary({"N": len(profile.components)}),
                                  compress=compress)
            pdf.add_object(stream)
            profile.pdf_reference = stream.reference
            color_space[key] = pydyf.Array(("/ICCBased", stream.reference))
        pdf.add_object(color_space)
        self.resources = pydyf.Dictionary({
            "ExtGState": pydyf.Dictionary(), "XObject": pydyf.Dictionary(), "Pattern": pydyf.Dictionary(),
            "Shading": pydyf.Dictionary(), "ColorSpace": color_space.reference})
        pdf.add_object(self.resources)

    def _place_page(self, index: int, page: PaintedPage, around: tuple = (None, None), dx: float = 0.0,
                    dy: float = 0.0) -> pydyf.Stream:
        """Put PAGE in the PDF as the page at INDEX, between the streams AROUND it (from `_furnish`, where
        its furniture is apart: they move its body by DX, DY)."""
        assert self.resources is not None, "_start() makes the resources before the first page"
        pdf, compress = self.pdf, not self.options["uncompressed_pdf"]
        tags = self.options["pdf_tags"]
        if page.live:
            stream = page.live.stream
        else:
            stream = Deflated(page.operators) if compress else pydyf.Stream([page.operators])
        matrix = Matrix(SCALE, 0, 0, -SCALE, 0, page.height * SCALE)
        bleed = page.bleed
        left, top = -SCALE * bleed["left"], -SCALE * bleed["top"]
        right = left + SCALE * (page.width + bleed["left"] + bleed["right"])
        bottom = top + SCALE * (page.height + bleed["top"] + bleed["bottom"])
        head, tail = around
        if head is not None and head.number is None:
            pdf.add_object(head)
        pdf.add_object(stream)
        if tail is not None:
            pdf.add_object(tail)
        room = MARK_ROOM if self.marks else 0.0  # the marks stand outside the bleed, on the sheet's margin
        pdf_page = pydyf.Dictionary({
            "Type": "/Page", "Parent": pdf.pages.reference,
            "MediaBox": pydyf.Array([left - room, top - room, right + room, bottom + room]),
            "Contents": stream.reference if head is None else pydyf.Array([head.reference, stream.reference,
                                                                           tail.reference]),
            "Resources": self.resources.reference,
        })
        if tags:
            pdf_page["Tabs"] = "/S"
            pdf_page["StructParents"] = index
        pdf.add_object(pdf_page)
        self.page_objects[index] = pdf_page
        self.looks[index] = (pdf_page["MediaBox"], [part for part in (head, stream, tail) if part is not None])
        # An element split over pages has its anchor on each of them; the first page is the destination.
        anchors = [(name, x + dx, y + dy) for name, x, y in page.anchors if name not in self.destinations]
        self.destinations.update(name for name, _, _ in anchors)
        links = page.live.page.links if page.live else \
            [(kind, target, (x + dx, y + dy, width, height), SimpleNamespace())
             for kind, target, (x, y, width, height) in page.links]
        add_links((links, anchors), matrix, pdf, pdf_page, self.names, page.live.tags if page.live else None)
        if page.live:
            add_annotations(links, matrix, SimpleNamespace(url_fetcher=self.url_fetcher), pdf, pdf_page,
                            self.annotation_files, compress)
            add_forms(page.live.page.forms, matrix, pdf, pdf_page, self.resources, stream, self.font_config.font_map)
        points = {key: value * 0.75 for key, value in bleed.items()}
        trim = [left + points["left"], top + points["top"], right - points["right"], bottom - points["bottom"]]
        pdf_page["TrimBox"] = pydyf.Array(trim)
        # The whole bleed, as the print shop asked for it (WeasyPrint's own writer stops at 10 pt, 3.5 mm).
        pdf_page["BleedBox"] = pydyf.Array([trim[0] - points["left"], trim[1] - points["top"],
                                            trim[2] + points["right"], trim[3] + points["bottom"]])
        return stream

    def _embedded_fonts(self) -> dict:
        """The fonts the PDF embeds, each found again as its first use describes it (whether that page was
        painted in this build or kept from an earlier one), with the glyphs of every unit."""
        fonts = {}
        for key, used in self.used_fonts.items():
            painting = self.painting_fonts.get(key)
            if painting is not None and getattr(painting, "found_as", None) == (used.description, used.size):
                font = painting  # found as the first use describes it: the font find_font would make
            elif used.description:
                font = find_font(self.font_config, used)
            else:
                font = None
            if font is None:
                if self.kept_placed or painting is None:
                    raise FontsChanged(f"the font {used.description!r} is not found again")
                font = painting  # every page painted in this build: the font it was painted with
            font.widths, font.to_unicode = used.widths, used.to_unicode
            if painting is not None and painting.missing:  # (only units painted in this build have these)
                font.missing = painting.missing
            fonts[key] = font
        return fonts

    def page_keys(self) -> list[tuple[str, float, float]]:
        """Each page's key, which changes when the page's look may have changed (the preview draws again the
        pages whose key changed), with its width and height in points: a digest of the page's boxes and
        content streams, and of what decides every page's look (`look_context`: the theme, the fonts
        installed, the options). Fonts and pictures are named in the streams by what they are."""
        keys = []
        for index in sorted(self.looks):
            box, parts = self.looks[index]
            digest = hashlib.sha256(f"{self.look_context}\0{list(box)}".encode())
            for part in parts:
                digest.update(b"\0")
                digest.update(part.deflated if isinstance(part, Deflated)
                              else b"\n".join(pydyf._to_bytes(item) for item in part.stream))
            keys.append((digest.hexdigest()[:32], box[2] - box[0], box[3] - box[1]))
        return keys

    def write(self) -> bytes:
        """The PDF: pages in order, outlines, metadata, fonts, destinations, tags and variant."""
        pdf, options = self.pdf, self.options
        compress = not options["uncompressed_pdf"]
        order = sorted(self.pages)
        if order != list(range(len(order))):
            raise ValueError(f"the parts leave pages out: {sorted(set(range(order[-1] + 1)) - set(order))}")
        for index in order:  # the page objects were added when painted, in the order the parts came
            pdf.pages["Kids"].extend([self.page_objects[index].number, 0, "R"])
        pdf.pages["Count"] = len(order)
        shells = SimpleNamespace(pages=[self.pages[i] for i in order])
        add_outlines(pdf, Document.make_bookmark_tree(shells, SCALE, transform_pages=True))

        metadata = self.metadata
        if metadata is None or self.resources is None:
            raise ValueError("no part was painted with metadata=True")
        pdf.info["Producer"] = pydyf.String(f"WeasyPrint {weasyprint.__version__}")
        for key, value in (("Title", metadata.title), ("Subject", metadata.description),
                           ("Creator", metadata.generator)):
            if value:
                pdf.info[key] = pydyf.String(value)
        if metadata.authors:
            pdf.info["Author"] = pydyf.String(", ".join(metadata.authors))
        if metadata.keywords:
            pdf.info["Keywords"] = pydyf.String(", ".join(metadata.keywords))
        if metadata.created:
            pdf.info["CreationDate"] = pydyf.String(_w3c_date_to_pdf(metadata.created, "created"))
        if metadata.modified:
            pdf.info["ModDate"] = pydyf.String(_w3c_date_to_pdf(metadata.modified, "modified"))
        if metadata.lang:
            pdf.catalog["Lang"] = pydyf.String(metadata.lang)

        fonts = self._embedded_fonts()
        with clean_fonts(fonts, options["hinting"], not options["full_fonts"], compress,
                         self.kept_subsets) as self.used_subsets:
            pdf_fonts = build_fonts_dictionary(pdf, fonts, compress, not options["full_fonts"], options)
            deflate_font_files(pdf, self.used_subsets)
        pdf.add_object(pdf_fonts)
        self.resources["Font"] = pdf_fonts.reference
        _use_references(pdf, self.resources, self.images, self.color_profiles)

        if self.names:
            names = pydyf.Array()
            for name, destination in sorted(self.names, key=lambda item: item[0]):
                names.extend([pydyf.String(name), destination])
            pdf.catalog.setdefault("Names", pydyf.Dictionary())["Dests"] = pydyf.Dictionary({"Names": names})

        streams = [self.streams[i] for i in order]
        document = SimpleNamespace(pages=shells.pages, metadata=metadata, url_fetcher=self.url_fetcher,
                                   color_profiles=self.color_profiles,
                                   output_intent=options["output_intent"], fonts=fonts)
        if options["pdf_tags"]:
            add_tags(pdf, document, options["pdf_version"], streams)
        if self.color_profiles:
            profile = self.color_profiles.get(options["output_intent"]) or next(iter(self.color_profiles.values()))
            variant = options["pdf_variant"]
            subtype = "/GTS_PDFA1" if variant and "pdf/a" in variant else "/GTS_PDFX"
            intent = pydyf.Dictionary({"Type": "/OutputIntent", "S": subtype,
                                       "OutputConditionIdentifier": pydyf.String(profile.name),
                                       "Info": pydyf.String(profile.name),
                                       "DestOutputProfile": profile.pdf_reference})
            pdf.catalog["OutputIntents"] = pydyf.Array([intent])
        if options["pdf_variant"]:
            # PDF/X-4's XMP DocumentID is a random uuid4 in WeasyPrint: the same inputs must give the same bytes.
            seed = (options["pdf_identifier"] or b"huikan").decode("utf-8", "replace")
            with replaced(weasyprint.pdf.metadata, "uuid4", lambda: uuid.uuid5(uuid.NAMESPACE_URL, seed)):
                VARIANTS[options["pdf_variant"]][0](pdf, document, streams, [], compress)

        output = io.BytesIO()
        pdf.write(output, options["pdf_version"], options["pdf_identifier"], compress)
        return output.getvalue()
