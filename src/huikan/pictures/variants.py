"""The pixels each output wants of a picture, made from the original: upright, resized, in its colours.

Photographs (JPEG, HEIC, WebP) become JPEG at quality 90; screenshots and line art (PNG, GIF, BMP, TIFF)
stay lossless as PNG, and so does anything with transparency. No metadata is carried over: the EXIF
orientation is applied to the pixels (word processors differ in whether they honour the tag), and a
phone's GPS position and camera details stay out of the issue.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageCms

from huikan.diagnostics import UsageError
from huikan.model import Picture
from huikan.pictures.formats import open_picture
from huikan.pictures.survey import TURNED
from huikan.render.colour import cmyk_to_srgb, to_cmyk

VERSION = 1  # raise when what a variant holds changes, so that cached variants are made again
JPEG_QUALITY = 90
PRINT_PPI, WORD_PPI = 300, 220
WEB_WIDTHS = (1600, 800)  # the page's picture and its srcset variant
WECHAT_WIDTH = 1080
UNBOUNDED = 20_000  # a limit no side reaches

TURN = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_90}
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True)
class Want:
    """What one output asks: at most WIDTH × HEIGHT pixels, upright, in COLOUR: "srgb" (screens and
    Word), "keep" (print: a CMYK picture stays CMYK, the rest become sRGB) or "cmyk" (PDF/X)."""

    width: int
    height: int = UNBOUNDED
    colour: str = "srgb"

    def key(self) -> str:
        return f"{self.width}x{self.height}-{self.colour}-v{VERSION}"


def fitted(picture: Picture, want: Want) -> tuple[int, int]:
    """The variant's pixel size: the picture scaled down (never up) to fit WANT, its shape kept."""
    scale = min(1.0, want.width / picture.width, want.height / picture.height)
    return max(1, round(picture.width * scale)), max(1, round(picture.height * scale))


def suffix(picture: Picture, want: Want) -> str:
    """The variant's file type: JPEG for photographs and for CMYK, PNG for the rest and for transparency."""
    if want.colour == "cmyk" or (picture.mode == "CMYK" and want.colour == "keep"):
        return ".jpg"
    return ".jpg" if picture.photo and not picture.alpha else ".png"


def make(data: bytes, picture: Picture, want: Want) -> bytes:
    """The variant of PICTURE (whose original is DATA) that WANT asks for, encoded."""
    width, height = fitted(picture, want)
    box = (height, width) if picture.orientation in TURNED else (width, height)
    with open_picture(data) as original:
        icc = original.info.get("icc_profile")
        original.draft(original.mode, box)  # a JPEG decodes at the nearest scale above BOX: far faster
        image = original.convert("RGBA") if original.mode in ("P", "PA") else original.copy()
    if image.size != box:
        image = image.resize(box, Image.Resampling.LANCZOS)
    if picture.orientation in TURN:
        image = image.transpose(TURN[picture.orientation])
    image = _in_colour(image, want.colour, icc)
    out = io.BytesIO()
    if suffix(picture, want) == ".jpg":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        image.save(out, "PNG", optimize=False)
    return out.getvalue()


def _in_colour(image: Image.Image, colour: str, icc: bytes | None) -> Image.Image:
    if image.mode in ("I", "I;16", "F"):  # 16-bit and float scans: eight bits per channel suffice
        image = image.convert("L")
    if image.mode == "CMYK" and colour in ("keep", "cmyk"):
        return image
    if colour == "cmyk":
        return to_cmyk(_srgb(image, icc))
    return _srgb(image, icc)


def _srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """IMAGE in sRGB (grey stays grey), through its own profile where it has one."""
    if image.mode == "L" or image.mode == "LA":
        return image
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            mode = "RGBA" if image.mode == "RGBA" else "RGB"
            converted = ImageCms.profileToProfile(image, source, SRGB, outputMode=mode,
                                                  renderingIntent=ImageCms.Intent.PERCEPTUAL)
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a damaged profile: read the numbers as they are
    if image.mode == "CMYK":
        try:
            return cmyk_to_srgb(image)
        except UsageError:  # no CMYK profile installed: a plain conversion
            return image.convert("RGB")
    return image if image.mode in ("RGB", "RGBA") else image.convert("RGB")
