"""Colours and pictures in CMYK for PDF/X, converted through the CMYK profile the PDF names as its output.

A print shop's RIP reads a PDF/X's colours as the output intent's CMYK. The default theme writes its
colours as hex through `ink()`; for a PDF/X build each becomes `device-cmyk()`, a grey becoming black
ink only (text in four inks would blur), and every picture is converted to a CMYK JPEG. The profile is
Ghostscript's SWOP-based CMYK profile from the Debian package libgs-common (AGPL, in Debian main).
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from markupsafe import Markup
from PIL import Image, ImageCms

from huikan.diagnostics import UsageError

CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # apt-get install libgs-common
X_VARIANTS = ("pdf/x-1a", "pdf/x-3", "pdf/x-4")


def is_cmyk(variant: str | None) -> bool:
    return variant in X_VARIANTS


def cmyk_profile() -> Path:
    """The CMYK output profile; a clear message where the package that has it is not installed."""
    if not CMYK_PROFILE.is_file():
        raise UsageError.single(str(CMYK_PROFILE), 0, "no-cmyk-profile",
                                "a PDF/X needs a CMYK output profile: install it with 'apt-get install libgs-common'")
    return CMYK_PROFILE


@cache
def _transform() -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(ImageCms.createProfile("sRGB"), str(cmyk_profile()), "RGB", "CMYK",
                                   renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)


def ink(value: str, variant: str | None) -> Markup:
    """The CSS colour VALUE (#rgb or #rrggbb) as the print theme writes it for VARIANT."""
    if not is_cmyk(variant):
        return Markup(value)
    hexes = value.lstrip("#")
    if len(hexes) == 3:
        hexes = "".join(ch * 2 for ch in hexes)
    r, g, b = (int(hexes[i:i + 2], 16) for i in (0, 2, 4))
    if r == g == b:  # grey: black ink only
        return Markup(f"device-cmyk(0 0 0 {1 - r / 255:.3f})")
    c, m, y, k = _converted(Image.new("RGB", (1, 1), (r, g, b))).getpixel((0, 0))  # type: ignore[misc]
    return Markup(f"device-cmyk({c / 255:.3f} {m / 255:.3f} {y / 255:.3f} {k / 255:.3f})")


def _converted(picture: Image.Image) -> Image.Image:
    converted = ImageCms.applyTransform(picture, _transform())
    assert converted is not None  # None only when converting in place
    return converted


def to_cmyk(picture: Image.Image) -> Image.Image:
    """PICTURE in CMYK: converted through the output profile, transparency set on white paper (a PDF/X-1a
    allows none); a CMYK picture stays as it is."""
    if picture.mode == "CMYK":
        return picture
    rgb = picture.convert("RGBA") if picture.mode in ("P", "LA") else picture
    if rgb.mode == "RGBA":
        white = Image.new("RGB", rgb.size, (255, 255, 255))
        white.paste(rgb, mask=rgb.getchannel("A"))
        rgb = white
    return _converted(rgb.convert("RGB"))


@cache
def _to_srgb() -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(str(cmyk_profile()), ImageCms.createProfile("sRGB"), "CMYK", "RGB",
                                   renderingIntent=ImageCms.Intent.PERCEPTUAL)


def cmyk_to_srgb(picture: Image.Image) -> Image.Image:
    """A CMYK picture with no profile of its own, read as the output profile's CMYK, in sRGB."""
    converted = ImageCms.applyTransform(picture, _to_srgb())
    assert converted is not None
    return converted


def cmyk_picture(data: bytes) -> bytes:
    """A picture (any format Pillow reads) as a CMYK JPEG, converted through the output profile."""
    with Image.open(io.BytesIO(data)) as picture:
        picture.load()
        converted = to_cmyk(picture)
    out = io.BytesIO()
    converted.save(out, "JPEG", quality=92)
    return out.getvalue()
