"""Find, open and check every picture of an issue once; describe each in the model.

A picture that is not there, is not a picture, is cut short or is in a format the outputs cannot
carry is an error with the file and line that name it (`[picture-missing]`, `[picture-broken]`);
with allow_missing it is a warning instead and the outputs show a placeholder box where it stands.
The limits (issue.toml [limits]) are checked on the file's size and the header's pixel count before
anything is decoded.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageFile, UnidentifiedImageError

from huikan.config import DEFAULT_LIMITS, Limits
from huikan.confine import confined
from huikan.diagnostics import Report
from huikan.ingest.limits import MB
from huikan.model import Issue, Picture
from huikan.pictures.formats import LOSSY, SUPPORTED, open_picture

ORIENTATION = 0x0112  # the EXIF tag
TURNED = (5, 6, 7, 8)  # orientations that swap width and height


def references(issue: Issue) -> Iterator[tuple[str, str, int]]:
    """(reference, path, line) of every picture the issue shows: in articles, cover pages and covers."""
    folder = Path(issue.folder)
    for article in issue.articles:
        for block in article.blocks:
            if block.image:
                where = block.image_at.rsplit(":", 1) if block.image_at else None
                if where:
                    yield block.image, where[0], int(where[1])
                else:
                    yield block.image, str(folder / article.source), block.line
    for cover in issue.press.covers.values():
        if cover.kind == "picture" and cover.image:
            yield cover.image, str(folder / "issue.toml"), cover.line
        for block in cover.blocks:
            if block.image:
                yield block.image, str(folder / "issue.toml"), block.line


def survey(issue: Issue, report: Report, limits: Limits = DEFAULT_LIMITS, allow_missing: bool = False) -> None:
    """Fill ISSUE.pictures; say what is wrong with any picture (errors, or warnings if ALLOW_MISSING)."""
    folder = Path(issue.folder)
    named = list(references(issue))
    first = {ref: path for ref, path, _ in reversed(named)}
    # Pillow decodes without the GIL: two threads check two pictures at once.
    with _strict(), ThreadPoolExecutor(max_workers=2) as pool:
        described = dict(zip(first, pool.map(lambda ref: describe(ref, folder, first[ref], limits), first),
                             strict=True))
    for ref, path, line in named:
        picture = issue.pictures.get(ref)
        if picture is None:
            picture = issue.pictures[ref] = described[ref]
            if picture.problem:
                code, message = picture.problem.split(" ", 1)
                if code == "too-large" or not allow_missing:
                    report.error(path, line, code, message)
                else:
                    report.warning(path, line, code, message + "; a placeholder stands in its place")
        picture.uses.append((path, line))


def describe(ref: str, folder: Path, path: str, limits: Limits) -> Picture:
    """The picture REF names, opened and checked; `problem` says what is wrong ("code message")."""
    picture = Picture(ref, ref if not ref.startswith("data:") else f"a picture in {Path(path).name}")
    data = _read(picture, folder, limits)
    if data is None:
        return picture
    picture.sha256 = hashlib.sha256(data).hexdigest()
    try:
        with open_picture(data) as image:
            picture.format = image.format or ""
            if picture.format not in SUPPORTED:
                return _problem(picture, "picture-broken", f"{picture.name} is a picture in {picture.format} format, "
                                "which the outputs cannot carry; save it as JPEG or PNG")
            width, height = image.size
            if width * height > limits.picture_megapixels * 1_000_000:
                return _problem(picture, "too-large", f"a picture of {width * height / 1e6:.0f} million pixels is "
                                f"not used (limits.picture_megapixels = {limits.picture_megapixels})")
            picture.orientation = int(image.getexif().get(ORIENTATION, 1) or 1)
            picture.mode = image.mode
            picture.icc = bool(image.info.get("icc_profile"))
            picture.alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            picture.photo = picture.format in LOSSY
            if picture.format == "JPEG":
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))  # decodes an eighth: fast, and
            image.load()  # a file cut short still fails
    except Image.DecompressionBombError as exc:  # Pillow refuses to open it at all; its message has the size
        found = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(found.group(1)) / 1e6:.0f} million" if found else "too many"
        return _problem(picture, "too-large", f"a picture of {size} pixels is not used "
                        f"(limits.picture_megapixels = {limits.picture_megapixels})")
    except UnidentifiedImageError:
        return _problem(picture, "picture-broken", f"{picture.name} is not a picture huikan can read (not JPEG, "
                        "PNG, GIF, WebP, TIFF, BMP or HEIC inside); open and save it again in a picture editor")
    except (OSError, ValueError, SyntaxError) as exc:
        return _problem(picture, "picture-broken", f"{picture.name} is damaged or cut short ({exc}); ask for the "
                        "file again")
    picture.width, picture.height = (height, width) if picture.orientation in TURNED else (width, height)
    return picture


def _read(picture: Picture, folder: Path, limits: Limits) -> bytes | None:
    ref = picture.ref
    if ref.startswith("data:"):
        try:
            return base64.b64decode(ref.split(",", 1)[1], validate=False)
        except (IndexError, binascii.Error, ValueError):
            _problem(picture, "picture-broken", f"{picture.name} could not be unpacked")
            return None
    target = confined(folder, ref)
    if target is None:
        _problem(picture, "outside-issue", f"picture '{ref}' is outside the issue folder (or links there): not read")
        return None
    try:
        size = target.stat().st_size
        if not target.is_file():
            raise FileNotFoundError
    except OSError:
        _problem(picture, "picture-missing", f"picture '{ref}' is not there (looked for {target})")
        return None
    if size > limits.picture_mb * MB:
        _problem(picture, "too-large", f"a picture file of {size // MB} MB is not used (limits.picture_mb = "
                 f"{limits.picture_mb})")
        return None
    try:
        return target.read_bytes()
    except OSError as exc:
        _problem(picture, "picture-broken", f"picture '{ref}' cannot be read: {exc.strerror or exc}")
        return None


def _problem(picture: Picture, code: str, message: str) -> Picture:
    picture.problem = f"{code} {message}"
    return picture


@contextmanager
def _strict() -> Iterator[None]:
    """A truncated file is an error while the survey runs (WeasyPrint, once imported, lets Pillow accept
    them); the setting is Pillow's global one, so it is made once around all the survey's threads."""
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def source_bytes(picture: Picture, folder: Path) -> bytes:
    """The original file's bytes, for making a variant (the survey checked it)."""
    if picture.ref.startswith("data:"):
        return base64.b64decode(picture.ref.split(",", 1)[1])
    target = confined(folder, picture.ref)
    assert target is not None
    return target.read_bytes()

