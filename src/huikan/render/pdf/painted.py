"""Painted pages as data: what the print cache keeps of a unit, and what the PDF is written from.

A unit is an article that starts a page, or a run of run-on items. Its pages are painted by
WeasyPrint's drawing code into content streams; `PaintedUnit` keeps their operators beside what the
streams name (fonts and the glyphs used of them, pictures, transparency states) and what the pages
carry (links, anchors, bookmarks), as plain data. The PDF is always written from these records, so a
unit painted in an earlier build and one painted now give the same bytes.

For that, what a unit paints must not depend on the units painted before it. WeasyPrint keeps each
font's glyph widths and text mapping for the whole document, and reads a width back once it has one;
here each unit paints with views of the fonts (`UnitFonts`) that have widths and mappings of their
own, merged into the issue's fonts when the PDF is written, first come first kept, as WeasyPrint keeps
them. What a record cannot hold (a group, a pattern, a shading or a mask, a glyph missing from every
font, a picture that is not the issue's, a tagged page, form fields, attachments) makes the unit not
keepable: it is painted anew in every build.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from types import SimpleNamespace

import pydyf
from weasyprint.pdf.fonts import Font
from weasyprint.text.ffi import _dlopen, ffi, pango
from weasyprint.text.fonts import get_pango_font_key

from huikan.render.pdf.furniture import Furnishing

# Not in WeasyPrint's declarations: how a font is found again from its description. Pango is open
# already; by its Linux file name the loader finds it without a search (libraries.py).
ffi.cdef("PangoFontDescription * pango_font_description_from_string (const char *str);")
try:
    _pango = ffi.dlopen("libpango-1.0.so.0")
except OSError:
    _pango = _dlopen(ffi, "libpango-1.0-0", "pango-1.0-0", "pango-1.0", "libpango-1.0.dylib", "libpango-1.0-0.dll")

_STATE = re.compile(rb"/([^\s/]+) gs")


@dataclass
class PaintedPage:
    """One page as painted: its size, its content stream's operators and what the page carries."""

    width: float
    height: float
    bleed: dict[str, float]
    operators: bytes  # the content stream, deflated as pydyf deflates it when the PDF is compressed
    links: list[tuple[str, str, tuple[float, float, float, float]]]  # internal and external: type, target, box
    anchors: list[tuple[str, float, float]]  # every anchor on the page, in order: name, x, y
    bookmarks: list[tuple]  # (level, label, (x, y), state), as WeasyPrint's page has them
    live: SimpleNamespace | None = None  # the laid-out page, its stream and tags, where a record cannot do
    # (a tagged PDF, form fields, attachments): never kept
    furnishing: Furnishing | None = None  # its furniture, painted where the page is placed (furniture.py);
    # None: the operators paint the whole page


@dataclass
class UsedFont:
    """A font as a unit used it: how to find it again, and the glyphs it painted."""

    key: int  # Pango's hash of the font's description, WeasyPrint's key for it
    description: str  # Pango's, with the absolute size
    size: float  # the size it was first painted at in the unit
    widths: dict[int, int] = field(default_factory=dict)
    to_unicode: dict[int, str] = field(default_factory=dict)


@dataclass
class UsedPicture:
    """One of the issue's pictures as painted: the variant (pixel size) and how WeasyPrint named it."""

    sha: str
    width: int
    height: int
    interpolate: bool
    ratio: float


@dataclass
class PaintedUnit:
    pages: list[PaintedPage]
    fonts: list[UsedFont]  # in the order first used
    states: dict[str, dict[str, float]]  # the transparency states the pages name ('A0.5': {'CA': 0.5})
    pictures: list[UsedPicture]
    lowest: dict[str, float]  # picture sha256 → the lowest ppi it is printed at
    keepable: bool = True
    moves: bool = False  # it starts a page by a break to any side: it may start on either
    fresh: bool = field(default=False, compare=False)  # painted in this build (not kept: never written)

    def to_plain(self) -> dict:
        """The unit as plain data, for the cache (cache.write_plain). (Not dataclasses.asdict: it copies
        every list and dict deep down, which are plain already.)"""
        return {"pages": [{name: vars(value) if name == "furnishing" and value else value
                           for name, value in vars(page).items() if name != "live"} for page in self.pages],
                "fonts": [vars(font) for font in self.fonts], "states": self.states,
                "pictures": [vars(picture) for picture in self.pictures], "lowest": self.lowest,
                "keepable": self.keepable, "moves": self.moves}

    @classmethod
    def from_plain(cls, plain: object) -> PaintedUnit | None:
        """The unit TO_PLAIN made, or None if PLAIN is not one."""
        try:
            assert isinstance(plain, dict)
            pages = plain.pop("pages")
            for page in pages:
                if page["furnishing"] is not None:
                    page["furnishing"] = Furnishing(**page["furnishing"])
            return cls(pages=[PaintedPage(**page) for page in pages],
                       fonts=[UsedFont(**font) for font in plain.pop("fonts")],
                       pictures=[UsedPicture(**picture) for picture in plain.pop("pictures")], **plain)
        except (AssertionError, KeyError, TypeError):
            return None


@dataclass
class PaintedFurniture:
    """A page's furniture as painted for one number (furniture.py): the operators of the stream after its
    body, the fonts they use and the transparency states they name. Kept by its inputs (Furnishing.key)."""

    operators: bytes
    fonts: list[UsedFont]
    states: dict[str, dict[str, float]]

    def to_plain(self) -> dict:
        return {"operators": self.operators, "fonts": [vars(font) for font in self.fonts], "states": self.states}

    @classmethod
    def from_plain(cls, plain: object) -> PaintedFurniture | None:
        try:
            assert isinstance(plain, dict)
            return cls(plain["operators"], [UsedFont(**font) for font in plain["fonts"]], plain["states"])
        except (AssertionError, KeyError, TypeError):
            return None


CHANGED_BY_PAINTING = ("widths", "to_unicode", "missing")


class FontView:
    """A font of the issue as one unit paints with it: the glyph widths and text it maps are its own."""

    def __init__(self, font: Font, fonts: UnitFonts):
        # What painting reads for every glyph and never changes (hash, bitmap, svg…) is the font's own,
        # copied here: looked up through __getattr__ it cost a tenth of the painting.
        self.__dict__.update((name, value) for name, value in vars(font).items()
                             if name not in CHANGED_BY_PAINTING)
        self.font, self.fonts = font, fonts
        self.widths: dict[int, int] = {}
        self.to_unicode: dict[int, str] = {}

    def __getattr__(self, name):  # what is not copied: the font's own
        return getattr(self.font, name)

    def get_unused_glyph_id(self, codepoint: int) -> int:
        # Missing glyphs are numbered over the issue: this unit depends on the ones before it.
        self.fonts.keepable = False
        return self.font.get_unused_glyph_id(codepoint)


class UnitFonts(dict):
    """The fonts a unit's streams paint with, keyed as WeasyPrint's Stream keeps them: views of fonts made
    once a build (PAINTING), with the description of each as the unit first used it."""

    def __init__(self, painting: dict[int, Font], font_config):
        super().__init__()
        self.painting, self.font_config = painting, font_config
        self.described: dict[int, tuple[str, float]] = {}  # key → description and size, in order of use
        self.keepable = True

    def add(self, pango_font) -> tuple[FontView, float]:
        """The view of PANGO_FONT's font, and its size (what Stream.add_font returns)."""
        key, description, size = get_pango_font_key(pango_font)
        if not dict.__contains__(self, key):
            described = describe(pango_font)
            if key not in self.painting:
                # Made as the PDF's fonts are made (find_font), so that the PDF may embed this one.
                font = find_font(self.font_config, UsedFont(key, described, size))
                if font is None:  # (Pango does not find it again by its description: the laid-out one)
                    font = Font(pango_font, description, size)
                self.painting[key] = font
            dict.__setitem__(self, key, FontView(self.painting[key], self))
            self.described[key] = (described, size)
        return dict.__getitem__(self, key), size

    # WeasyPrint's own Stream.add_font, from the stream of a group or pattern the unit's stream cloned:
    # the unit is not keepable then, and the font is the one that stream made.
    def __contains__(self, key) -> bool:
        self.keepable = False
        return dict.__contains__(self, key) or key in self.painting

    def __getitem__(self, key):
        if not dict.__contains__(self, key):
            dict.__setitem__(self, key, FontView(self.painting[key], self))
        return dict.__getitem__(self, key)

    def __setitem__(self, key, font) -> None:
        self.painting.setdefault(key, font)
        dict.__setitem__(self, key, FontView(self.painting[key], self))

    def used(self) -> list[UsedFont]:
        """Each font the unit painted with, with its glyphs; a font only a clone used has no description."""
        fonts = []
        for key in dict.keys(self):
            view = dict.__getitem__(self, key)
            description, size = self.described.get(key, ("", 0.0))
            fonts.append(UsedFont(key, description, size, dict(view.widths), dict(view.to_unicode)))
        return fonts


def describe(pango_font) -> str:
    """Pango's description of PANGO_FONT with its absolute size: what finds the font again."""
    description = ffi.gc(pango.pango_font_describe_with_absolute_size(pango_font), pango.pango_font_description_free)
    return ffi.string(pango.pango_font_description_to_string(description)).decode()


def find_font(font_config, used: UsedFont) -> Font | None:
    """The font USED describes, from FONT_CONFIG's fonts, as WeasyPrint makes it at the size it was first
    painted at; None if the description now finds another font."""
    description = ffi.gc(_pango.pango_font_description_from_string(used.description.encode()),
                         pango.pango_font_description_free)
    # Kept alive with the font: WeasyPrint's Font holds the Pango font's HarfBuzz font without a reference.
    context = pango.pango_font_map_create_context(font_config.font_map)
    pango_font = pango.pango_font_map_load_font(font_config.font_map, context, description)
    if pango_font == ffi.NULL:
        return None
    key, font_description, _ = get_pango_font_key(pango_font)
    if key != used.key:
        return None
    font = Font(pango_font, font_description, used.size)
    font.pango_objects = (context, pango_font)
    font.found_as = (used.description, used.size)
    return font


def deflated(operators: bytes) -> bytes:
    """OPERATORS compressed as pydyf compresses a stream (zlib, level 9)."""
    compressor = zlib.compressobj(level=9)
    return compressor.compress(operators) + compressor.flush()


class Deflated(pydyf.Stream):
    """A content stream compressed when it was painted: what pydyf.Stream would write of it, without
    compressing it again (every build would, for every page)."""

    def __init__(self, data: bytes):
        super().__init__(compress=True)
        self.deflated = data

    @property
    def data(self) -> bytes:
        extra = pydyf.Dictionary(self.extra.copy())
        extra["Filter"] = "/FlateDecode"
        extra["Length"] = len(self.deflated)
        return b"\n".join((extra.data, b"stream", self.deflated, b"endstream"))


def states_named(operators: bytes) -> list[str]:
    """The graphics states a content stream names, in the order it first names them."""
    if b" gs" not in operators:  # (most pages: no regular expression run over all their operators)
        return []
    return list(dict.fromkeys(name.decode() for name in _STATE.findall(operators)))
