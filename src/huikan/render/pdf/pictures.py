"""The issue's pictures in the print PDF: laid out at their upright size, painted with the pixels the
place they got needs, at most PRINT_PPI there (a print shop asks for 300; more only makes the file big).

WeasyPrint makes an image object from each <img> when it lays out (images.get_image_from_uri). The
print HTML names the issue's pictures as huikan-picture:<sha256>, and for those a PlacedPicture comes
back instead: its size is the survey's, so nothing is decoded to lay out; when a page is painted, it
asks the picture store for the variant that fits where it stands. Pins WeasyPrint 70 (pyproject).
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from weasyprint import DEFAULT_OPTIONS
from weasyprint import document as weasy_document
from weasyprint.images import RasterImage

from huikan.model import Picture
from huikan.pictures.store import PictureStore
from huikan.pictures.variants import PRINT_PPI, Want
from huikan.render.html import PICTURE_SCHEME

LOW_PPI = 200  # below this, a picture prints soft: the editor is told


@dataclass
class PrintPictures:
    """The issue's pictures for one print PDF; what resolution each got where it was placed."""

    store: PictureStore
    pictures: dict[str, Picture]  # by sha256
    colour: str = "keep"  # "cmyk" for a PDF/X
    ppi: int = PRINT_PPI
    lowest: dict[str, float] = field(default_factory=dict)  # sha256: the lowest ppi it is printed at
    _images: dict[str, PlacedPicture] = field(default_factory=dict)

    def image(self, sha: str) -> PlacedPicture | None:
        if sha not in self._images:
            picture = self.pictures.get(sha)
            if picture is None:
                return None
            self._images[sha] = PlacedPicture(picture, self)
        return self._images[sha]

    def raster(self, sha: str, size: tuple[int, int]) -> RasterImage:
        """The variant of picture SHA SIZE pixels large, as WeasyPrint embeds it (for a page painted in an
        earlier build)."""
        image = self.image(sha)
        if image is None:
            raise KeyError(sha)
        return image.variant(size)


class PlacedPicture(RasterImage):
    """A picture as WeasyPrint lays it out and paints it (a RasterImage made without decoding it)."""

    def __init__(self, picture: Picture, pictures: PrintPictures):  # not RasterImage.__init__: it decodes
        self.picture, self.pictures = picture, pictures
        self.id = picture.sha256[:32]
        self.width, self.height = picture.width, picture.height
        self.ratio = self.width / self.height if self.height else math.inf
        self._variants: dict[tuple[int, int], RasterImage] = {}

    def draw(self, stream, concrete_width, concrete_height, style):
        to_inches = 1 / 72  # concrete sizes × the page's scale are points, as images.RasterImage.draw has it
        wide = abs(concrete_width * stream.ctm[0][0] * to_inches)
        high = abs(concrete_height * stream.ctm[1][1] * to_inches)
        if wide <= 0 or high <= 0:
            return
        sha = self.picture.sha256
        ppi = min(self.width / wide, self.height / high)
        self.pictures.lowest[sha] = min(ppi, self.pictures.lowest.get(sha, math.inf))
        size = (math.ceil(wide * self.pictures.ppi), math.ceil(high * self.pictures.ppi))
        self.variant(size).draw(stream, concrete_width, concrete_height, style)

    def variant(self, size: tuple[int, int]) -> RasterImage:
        """The picture SIZE pixels large, as WeasyPrint embeds a file: JPEG as it is, PNG's pixels."""
        if size not in self._variants:
            path = self.pictures.store.variant(self.picture, Want(*size, colour=self.pictures.colour))
            self._variants[size] = _raster(path, f"{self.id}{size[0]}x{size[1]}")
            self._variants[size].huikan_picture = (self.picture.sha256, *size)  # what a painted page records
        return self._variants[size]


def _raster(path: Path, image_id: str) -> RasterImage:
    """The file as WeasyPrint embeds it, read from disk when the PDF is written."""
    options = {**DEFAULT_OPTIONS, "dpi": None, "jpeg_quality": None, "optimize_images": False}
    return StoredRaster(Image.open(path), image_id, path.read_bytes(), str(path), orientation="none", options=options)


class StoredRaster(RasterImage):
    """A variant file as WeasyPrint embeds it. Of a PNG of 8-bit RGB or grey pixels, its compressed pixels
    (the IDAT chunks) are embedded as they are: WeasyPrint would decode them and compress them again
    (some 25 ms a picture, in every build) into what Pillow, which wrote the variant, writes."""

    def _get_png_data(self, pillow_image) -> bytes:
        pixels = png_pixels(self.image_data.data)
        if pixels is None or pillow_image.size != pixels[0]:
            return RasterImage._get_png_data(pillow_image)
        return pixels[1]


def png_pixels(data: bytes) -> tuple[tuple[int, int], bytes] | None:
    """The size and compressed pixels of a PNG of 8-bit RGB or grey pixels, not interlaced; else None."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    at, chunks, size = 8, [], None
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            if len(body) != 13:
                return None
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (0, 2) or interlace:
                return None
            size = (width, height)
        elif kind == b"IDAT":
            chunks.append(body)
        at += 12 + length
    return (size, b"".join(chunks)) if size and chunks else None


_weasy_get_image = weasy_document.original_get_image_from_uri


def _get_image(cache, url_fetcher, options, url, forced_mime_type=None, context=None, orientation="from-image"):
    pictures = getattr(url_fetcher, "pictures", None)
    if url.startswith(PICTURE_SCHEME) and pictures is not None:
        return pictures.image(url[len(PICTURE_SCHEME):])
    return _weasy_get_image(cache, url_fetcher, options, url, forced_mime_type, context, orientation)


def install() -> None:
    weasy_document.original_get_image_from_uri = _get_image
