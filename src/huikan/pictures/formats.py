"""Which picture formats huikan takes, and opening one (HEIC and HEIF through pillow-heif)."""

from __future__ import annotations

import io
from functools import cache

from PIL import Image

# What Pillow (with pillow-heif) decodes and every output can be given, once converted.
SUPPORTED = frozenset({"JPEG", "MPO", "PNG", "GIF", "BMP", "TIFF", "WEBP", "HEIF", "AVIF"})
# Photographs by their format: their variants are JPEG. The rest (screenshots, line art) stay lossless.
LOSSY = frozenset({"JPEG", "MPO", "HEIF", "AVIF", "WEBP"})


@cache
def _heif() -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()


def open_picture(data: bytes) -> Image.Image:
    """DATA opened with Pillow (lazily: the pixels are decoded when asked for)."""
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypmsf1", b"ftypheim", b"ftyphevc", b"ftypavif"):
        _heif()
    return Image.open(io.BytesIO(data))
