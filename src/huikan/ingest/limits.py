"""Refuse contributed files that would make a build hang or run out of memory (issue.toml [limits]).

Each check reads only what it needs to judge: a Word file's zip directory (the sizes its parts
declare, which also bound what reading them can inflate to), a picture's header (Pillow reads its
size without decoding it), an article's length. Each refusal is an error with the file and the
setting that raises the limit.
"""

from __future__ import annotations

import base64
import io
import re
import sys
import zipfile
from pathlib import Path

from huikan.config import Limits
from huikan.diagnostics import Report
from huikan.model import Article

MB = 1024 * 1024


def word_file_fits(raw: bytes, path: str, limits: Limits, report: Report) -> bool:
    """Whether a .docx's parts are few and small enough to read (a zip bomb is neither)."""
    try:
        members = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return True  # not a zip at all: the Word reader says so
    if len(members) > limits.docx_members:
        report.error(path, 0, "too-large", f"a Word file of {len(members)} parts is not read (limits.docx_members "
                     f"= {limits.docx_members})")
        return False
    size = sum(member.file_size for member in members)
    if size > limits.docx_mb * MB:
        report.error(path, 0, "too-large", f"a Word file that unpacks to {size // MB} MB is not read "
                     f"(limits.docx_mb = {limits.docx_mb})")
        return False
    return True


def article_fits(article: Article, path: str, limits: Limits, report: Report) -> bool:
    chars = sum(len(block.text) for block in article.blocks)
    if chars > limits.article_chars:
        report.error(path, article.line, "too-large", f"《{article.title[:30]}》 has {chars} characters, more than "
                     f"an article may (limits.article_chars = {limits.article_chars})")
        return False
    return True


def picture_pixels(source: str | Path) -> int | None:
    """The pixel count of a picture file or data: URI, from its header; None if it is not a picture."""
    from PIL import Image, UnidentifiedImageError

    try:
        data = io.BytesIO(base64.b64decode(str(source).split(",", 1)[1])) if str(source).startswith("data:") else None
        with Image.open(data or Path(source)) as image:
            width, height = image.size
    except Image.DecompressionBombError as exc:  # Pillow refuses to open it at all: its message has the size
        found = re.search(r"\((\d+) pixels\)", str(exc))
        return int(found.group(1)) if found else sys.maxsize
    except (OSError, ValueError, UnidentifiedImageError, IndexError):
        return None
    return width * height


def picture_fits(source: str | Path, path: str, line: int, limits: Limits, report: Report) -> bool:
    pixels = picture_pixels(source)
    if pixels is not None and pixels > limits.picture_megapixels * 1_000_000:
        report.error(path, line, "too-large", f"a picture of {pixels / 1e6:.0f} million pixels is not used "
                     f"(limits.picture_megapixels = {limits.picture_megapixels})")
        return False
    return True
