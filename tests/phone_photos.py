"""Pictures as contributors send them, made here: phone photos (4000 × 3000, several MB, turned by an
EXIF tag), a CMYK photo, an iPhone HEIC, a screenshot, and the broken kinds. Same seed, same bytes."""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw

ORIENTATION = 0x0112


def photo(width: int = 4000, height: int = 3000, seed: int = 0, mode: str = "RGB") -> Image.Image:
    """A photo-like picture: a gradient with shapes and grain, so that it compresses like a photo. Its
    top left is red and its top right blue, so that a test can tell which way up it stands."""
    rng = random.Random(seed)
    base = Image.merge("RGB", (Image.linear_gradient("L").resize((width, height)),
                               Image.linear_gradient("L").rotate(90).resize((width, height)),
                               Image.radial_gradient("L").resize((width, height))))
    draw = ImageDraw.Draw(base)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(width // 20, width // 6)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    corner = max(8, width // 10)
    draw.rectangle((0, 0, corner, corner), fill=(230, 20, 20))
    draw.rectangle((width - corner, 0, width, corner), fill=(20, 40, 230))
    grain = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    picture = Image.blend(base, grain, 0.18)
    return picture.convert("CMYK") if mode == "CMYK" else picture


def jpeg(picture: Image.Image, orientation: int = 1, quality: int = 95) -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation != 1:
        exif[ORIENTATION] = orientation
    picture.save(out, "JPEG", quality=quality, exif=exif.tobytes())
    return out.getvalue()


def turned_phone_photo(seed: int = 1) -> bytes:
    """A photo taken upright (3000 wide, 4000 high) as a phone stores it: pixels lying on their side
    (4000 × 3000) and EXIF orientation 6, which says turn it 90° clockwise to show it."""
    upright = photo(3000, 4000, seed)
    return jpeg(upright.transpose(Image.Transpose.ROTATE_90), orientation=6)


def heic(picture: Image.Image) -> bytes:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = io.BytesIO()
    picture.save(out, "HEIF", quality=90)
    return out.getvalue()


def screenshot(width: int = 1170, height: int = 2532) -> bytes:
    """A phone screenshot as PNG: flat colours and lines, lossless."""
    picture = Image.new("RGB", (width, height), (245, 245, 245))
    draw = ImageDraw.Draw(picture)
    for y in range(0, height, 120):
        draw.rectangle((40, y + 20, width - 40, y + 100), fill=(255, 255, 255), outline=(200, 200, 200))
        draw.line((80, y + 60, width // 2, y + 60), fill=(30, 30, 30), width=6)
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def write_phone_issue(folder: Path, photos: int = 7, size: tuple[int, int] = (4000, 3000), broken: bool = True,
                      ) -> Path:
    """An issue of one Markdown article with PHOTOS phone photos (the second turned by EXIF, the third CMYK),
    a screenshot, and, if BROKEN, a .jpg that is no JPEG, a JPEG cut short and two pictures not there."""
    images = folder / "images"
    images.mkdir(parents=True)
    (folder / "issue.toml").write_text('[publication]\ntitle = "上海质量"\n\n[issue]\nid = "phone"\n'
                                       'number = "2021年第1期"\ndate = 2021-01-31\n', encoding="utf-8")
    lines = ["# 现场照片", "", "作者：张三", ""]
    for n in range(photos):
        name = f"p{n}.jpg"
        if n == 1:
            data = turned_phone_photo(seed=n)
        elif n == 2:
            data = jpeg(photo(*size, seed=n, mode="CMYK"))
        else:
            data = jpeg(photo(*size, seed=n))
        (images / name).write_bytes(data)
        lines += [f"第{n + 1}张照片前的一段文字，说明现场的情况。" * 3, "", f"![现场照片{n + 1}](images/{name})", ""]
    (images / "shot.png").write_bytes(screenshot())
    lines += ["手机截图如下。", "", "![手机截图](images/shot.png)", ""]
    if broken:
        (images / "fake.jpg").write_text("这不是图片", encoding="utf-8")
        whole = jpeg(photo(800, 600, seed=99))
        (images / "cut.jpg").write_bytes(whole[: len(whole) // 2])
        lines += ["![假图片](images/fake.jpg)", "", "![半张图片](images/cut.jpg)", "",
                  "![不在的图片](images/gone.jpg)", "", "![也不在](images/gone2.png)", ""]
    (folder / "photos.md").write_text("\n".join(lines), encoding="utf-8")
    return folder
