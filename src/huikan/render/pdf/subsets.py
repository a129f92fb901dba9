"""The fonts' subsets, kept from one build to the next.

Writing the PDF, WeasyPrint subsets each font file to the glyphs the issue uses (HarfBuzz) and pydyf
deflates it (zlib, level 9): some 0.6 s for the realistic issue's fonts, in every build, though an
edit seldom changes the glyphs a font must hold. `clean_fonts` does WeasyPrint's cleaning ahead of
`build_fonts_dictionary` (weasyprint/pdf/fonts.py: the first font of each file, with the glyphs of
all of its fonts), taking the font file and its deflated bytes from what an earlier build kept under
the same font and glyphs; `deflate_font_files` then gives the font streams those bytes, which are the
bytes pydyf writes. The print cache's context (kept.py) holds the fonts installed and the libraries'
versions: a key names a font by its description, not by its file.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import pydyf
from weasyprint.text.ffi import ffi, harfbuzz

from huikan.render.pdf.painted import deflated

Subset = tuple[bytes, bytes | None]  # the font file as embedded, and deflated (None in an uncompressed PDF)

# Not in WeasyPrint's declarations: which HarfBuzz subsets.
ffi.cdef("const char * hb_version_string (void);")


def writing_libraries() -> str:
    """The versions of the libraries that subset the fonts and deflate the streams."""
    return (f"harfbuzz {ffi.string(harfbuzz.hb_version_string()).decode()}, zlib {zlib.ZLIB_RUNTIME_VERSION}, "
            f"pydyf {pydyf.__version__}")


def subset_key(font, glyphs: list[int], hinting: bool) -> str:
    """What decides the font file WeasyPrint embeds for FONT holding GLYPHS."""
    parts = [font.name, font.index, glyphs, hinting, bool(font.missing), sorted(font.variations.items()),
             font.weight, font.font_size, font.style]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


@contextmanager
def clean_fonts(fonts: dict, hinting: bool, subset: bool, compress: bool,
                kept: dict[str, Subset]) -> Iterator[dict[str, Subset]]:
    """Clean the fonts build_fonts_dictionary will embed, as it would, each from KEPT if there; yield the
    subsets embedded, by their keys. Inside, build_fonts_dictionary finds them clean."""
    by_file: dict[str, list] = {}
    for font in fonts.values():
        by_file.setdefault(font.hash, []).append(font)
    used: dict[str, Subset] = {}
    cleaned = []
    for group in by_file.values():
        font = group[0]
        if font.bitmap:
            continue
        to_unicode: dict = {}
        if subset and not font.used_in_forms:
            for each in group:
                to_unicode = {**to_unicode, **each.to_unicode}
        key = subset_key(font, sorted(to_unicode), hinting)
        found = kept.get(key)
        if found is None or (compress and found[1] is None):
            font.clean(to_unicode, hinting)
            found = (font.file_content, deflated(font.file_content) if compress else None)
        font.file_content = found[0]
        font.clean = _already_clean  # (on the instance: build_fonts_dictionary's call does nothing)
        cleaned.append(font)
        used[key] = found
    try:
        yield used
    finally:
        for font in cleaned:
            del font.clean


def _already_clean(to_unicode: dict, hinting: bool) -> None:
    pass


def deflate_font_files(pdf: pydyf.PDF, used: dict[str, Subset]) -> None:
    """Give the font file streams of PDF their deflated bytes from USED, as pydyf would deflate them."""
    deflated_of = {id(content): packed for content, packed in used.values() if packed is not None}
    for item in pdf.objects:
        if (isinstance(item, pydyf.Stream) and item.compress and len(item.stream) == 1
                and id(item.stream[0]) in deflated_of):
            # pydyf.Stream.data, compressing: the extra entries, then Filter, then Length
            item.stream = [deflated_of[id(item.stream[0])]]
            item.compress = False
            item.extra["Filter"] = "/FlateDecode"
