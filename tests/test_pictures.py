"""Pictures as contributors send them: each bad one named with its file and line, and every output given
pixels that suit it (print at most 300 ppi where placed, Word 220 ppi, the web 1600 px and sRGB), upright."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile

import pytest
from lxml import etree
from PIL import Image

from conftest import run_huikan
from phone_photos import heic, jpeg, photo, write_phone_issue

EMU_PER_INCH = 914400


def is_red(rgb) -> bool:
    r, g, b = rgb[:3]
    return r > 150 and g < 110 and b < 110


def is_blue(rgb) -> bool:
    r, _, b = rgb[:3]
    return b > 150 and r < 110


def upright(picture: Image.Image) -> bool:
    """The test photo's red corner is at its top left and its blue one at its top right."""
    rgb = picture.convert("RGB")
    w, _ = rgb.size
    return is_red(rgb.getpixel((w // 40, w // 40))) and is_blue(rgb.getpixel((w - 1 - w // 40, w // 40)))


@pytest.fixture(scope="module")
def phone(tmp_path_factory):
    """Seven phone photos of 4000 × 3000 (one turned by EXIF, one CMYK), a screenshot, and four bad pictures, built
    with --allow-missing-pictures."""
    folder = write_phone_issue(tmp_path_factory.mktemp("phone") / "issue")
    out = folder.parent / "build"
    process = run_huikan("build", str(folder), "-o", str(out), "--allow-missing-pictures")
    assert process.returncode == 0, process.stderr
    return folder, out / "phone", process


def test_each_bad_picture_is_an_error_with_its_file_and_line(phone, tmp_path):
    folder, _, _ = phone
    issue = tmp_path / "issue"
    shutil.copytree(folder, issue)
    Image.new("RGB", (64, 64), (0, 0, 0)).save(issue / "images" / "logo.ico", "ICO")
    with (issue / "photos.md").open("a", encoding="utf-8") as md:
        md.write("\n![图标](images/logo.ico)\n")
    checked = run_huikan("check", str(issue))
    lines = checked.stdout.splitlines()
    md = issue / "photos.md"
    assert checked.returncode == 1
    assert any(re.fullmatch(rf"{md}:37: error: images/fake\.jpg is not a picture huikan can read .*\[picture-broken\]",
                            line) for line in lines)
    assert any(re.fullmatch(rf"{md}:39: error: images/cut\.jpg is damaged or cut short .*\[picture-broken\]", line)
               for line in lines)
    assert f"{md}:41: error: picture 'images/gone.jpg' is not there (looked for {issue}/images/gone.jpg) " \
           "[picture-missing]" in lines
    assert any(line.startswith(f"{md}:43: error: picture 'images/gone2.png' is not there") for line in lines)
    assert any(re.fullmatch(rf"{md}:45: error: images/logo\.ico is a picture in ICO format, which the outputs "
                            r"cannot carry.*\[picture-broken\]", line) for line in lines)
    built = run_huikan("build", str(issue), "-o", str(tmp_path / "build"))
    assert built.returncode == 1 and "[picture-missing]" in built.stderr and "Traceback" not in built.stderr
    assert not (tmp_path / "build" / "phone" / "phone.pdf").exists()


def test_allowed_missing_pictures_stand_as_placeholders_in_every_output(phone):
    _, out, process = phone
    assert process.stderr.count("a placeholder stands in its place") == 4
    text = subprocess.run(["pdftotext", str(out / "phone.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "图片缺失：images/gone.jpg" in text and "图片缺失：images/cut.jpg" in text
    html = (out / "phone.html").read_text(encoding="utf-8")
    assert html.count('<div class="picture-missing"') == 4
    document = zipfile.ZipFile(out / "phone.docx").read("word/document.xml").decode()
    assert "［图片缺失：images/fake.jpg］" in document


def pdf_images(path) -> list[dict]:
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in listing.splitlines()[2:]:
        cells = line.split()
        rows.append({"page": int(cells[0]), "width": int(cells[3]), "height": int(cells[4]), "color": cells[5],
                     "x_ppi": int(cells[12]), "y_ppi": int(cells[13])})
    return rows


def test_the_print_pdf_has_each_photo_at_300_ppi_where_placed_upright_and_small(phone):
    folder, out, _ = phone
    images = pdf_images(out / "phone.pdf")
    assert len(images) == 8  # seven photos and the screenshot
    assert all(row["x_ppi"] <= 301 and row["y_ppi"] <= 301 for row in images)
    assert [row["width"] < row["height"] for row in images[:3]] == [False, True, False]  # the turned one upright
    assert images[2]["color"] == "cmyk"  # the CMYK photo stays CMYK for the press
    originals = sum(p.stat().st_size for p in (folder / "images").iterdir())
    assert (out / "phone.pdf").stat().st_size < originals / 4
    extracted = out.parent / "turned"
    subprocess.run(["pdfimages", "-png", "-f", str(images[1]["page"]), "-l", str(images[1]["page"]),
                    str(out / "phone.pdf"), str(extracted)], check=True)
    with Image.open(f"{extracted}-000.png") as turned:
        assert upright(turned)


def test_a_pdf_x_keeps_the_cmyk_photo_and_turns_the_rest_to_cmyk(phone, tmp_path):
    folder, _, _ = phone
    process = run_huikan("build", str(folder), "-o", str(tmp_path), "--formats", "pdf", "--pdf-variant", "pdf/x-4",
                         "--allow-missing-pictures")
    assert process.returncode == 0, process.stderr
    images = pdf_images(tmp_path / "phone" / "phone.pdf")
    assert {row["color"] for row in images} == {"cmyk"} and all(row["x_ppi"] <= 301 for row in images)


def test_the_word_file_has_each_picture_once_upright_at_most_220_ppi(phone):
    _, out, _ = phone
    package = zipfile.ZipFile(out / "phone.docx")
    media = sorted(n for n in package.namelist() if n.startswith("word/media/"))
    assert len(media) == 8
    root = etree.fromstring(package.read("word/document.xml"))
    ns = {"wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
          "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
    target = {rel.get("Id"): "word/" + rel.get("Target") for rel in rels}
    sizes = []
    for inline in root.iterfind(".//wp:inline", ns):
        extent = inline.find("wp:extent", ns)
        blip = inline.find(".//a:blip", ns).get(f"{{{ns['r']}}}embed")
        with Image.open(package.open(target[blip])) as picture:
            picture.load()
            ppi = picture.width / (int(extent.get("cx")) / EMU_PER_INCH)
            assert ppi <= 221 and picture.mode in ("RGB", "L", "RGBA")
            sizes.append(picture.size)
            if len(sizes) == 2:
                assert picture.height > picture.width and upright(picture)  # the EXIF-turned photo
    assert len(sizes) == 8


def test_the_html_pictures_are_beside_it_srgb_and_at_most_1600_wide(phone):
    _, out, _ = phone
    html = (out / "phone.html").read_text(encoding="utf-8")
    files = set(re.findall(r'src="([^"]+)"', html))
    for srcset in re.findall(r'srcset="([^"]+)"', html):
        files.update(item.split()[0] for item in srcset.split(", "))
    assert len(files) >= 15  # seven photos twice, and the screenshot
    for name in files:
        with Image.open(out / name) as picture:
            assert picture.width <= 1600 and picture.mode in ("RGB", "RGBA", "L")
            assert "icc_profile" not in picture.info and not picture.getexif()
    turned = re.findall(r'<img src="([^"]+)"[^>]*alt="现场照片2"', html)[0]
    with Image.open(out / turned) as picture:
        assert upright(picture) and picture.height > picture.width


def test_a_rebuild_reuses_the_pictures_and_gives_the_same_bytes(phone, tmp_path):
    folder, out, _ = phone
    first = json.loads((out / "build.json").read_text(encoding="utf-8"))
    again = run_huikan("build", str(folder), "-o", str(out.parent), "--allow-missing-pictures", "--force")
    assert again.returncode == 0, again.stderr
    second = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert first["pictures"]["made"] > 0 and second["pictures"]["made"] == 0
    assert second["pictures"]["reused"] == first["pictures"]["made"]
    assert second["outputs"]["pdf"]["sha256"] == first["outputs"]["pdf"]["sha256"]
    assert second["outputs"]["docx"]["sha256"] == first["outputs"]["docx"]["sha256"]


def test_a_small_picture_is_named_with_its_resolution_and_heic_is_read(tmp_path):
    issue = tmp_path / "issue"
    (issue / "images").mkdir(parents=True)
    (issue / "issue.toml").write_text('[publication]\ntitle = "会刊"\n\n[issue]\nid = "s"\n', encoding="utf-8")
    Image.new("RGB", (300, 200), (10, 120, 60)).save(issue / "images" / "tiny.png")
    (issue / "images" / "phone.heic").write_bytes(heic(photo(1200, 900, seed=3)))
    (issue / "a.md").write_text("# 标题\n\n正文。\n\n![小图](images/tiny.png)\n\n![苹果手机](images/phone.heic)\n",
                                encoding="utf-8")
    process = run_huikan("build", str(issue), "-o", str(tmp_path / "build"))
    assert process.returncode == 0, process.stderr
    assert re.search(rf"{issue}/a\.md:5: warning: images/tiny\.png prints at \d+ ppi where it stands .*"
                     r"\[low-resolution\]", process.stderr)
    html = (tmp_path / "build" / "s" / "s.html").read_text(encoding="utf-8")
    heic_web = re.findall(r'<img src="([^"]+)"[^>]*alt="苹果手机"', html)[0]
    with Image.open(tmp_path / "build" / "s" / heic_web) as picture:
        assert picture.format == "JPEG" and picture.size == (1200, 900) and upright(picture)


def test_a_picture_file_over_the_size_limit_is_refused_before_it_is_opened(tmp_path):
    issue = tmp_path / "issue"
    (issue / "images").mkdir(parents=True)
    (issue / "issue.toml").write_text('[publication]\ntitle = "会刊"\n\n[issue]\nid = "s"\n\n[limits]\n'
                                      'picture_mb = 1\n', encoding="utf-8")
    (issue / "images" / "big.jpg").write_bytes(jpeg(photo(2000, 1500, seed=4)))
    (issue / "a.md").write_text("# 标题\n\n正文。\n\n![大图](images/big.jpg)\n", encoding="utf-8")
    process = run_huikan("check", str(issue))
    assert process.returncode == 1
    assert re.search(rf"{issue}/a\.md:5: error: a picture file of \d+ MB is not used \(limits\.picture_mb = 1\) "
                     r"\[too-large\]", process.stdout)


def test_a_bad_picture_named_in_issue_toml_is_named_at_its_line_there(tmp_path):
    issue = tmp_path / "issue"
    (issue / "images").mkdir(parents=True)
    (issue / "images" / "back.jpg").write_text("不是图片", encoding="utf-8")
    (issue / "issue.toml").write_text('[publication]\ntitle = "会刊"\n\n[issue]\nid = "s"\n\n[covers]\n'
                                      'back = "images/back.jpg"\n\n[articles."a.txt"]\n'
                                      'pictures = [{ file = "images/forum.jpg", caption = "论坛现场" }]\n',
                                      encoding="utf-8")
    (issue / "a.txt").write_text("标题\n\n正文一段。\n", encoding="utf-8")
    process = run_huikan("check", str(issue))
    toml = issue / "issue.toml"
    assert process.returncode == 1
    assert re.search(rf"^{toml}:8: error: images/back\.jpg is not a picture huikan can read .*\[picture-broken\]$",
                     process.stdout, re.M)
    assert f"{toml}:10: error: picture 'images/forum.jpg' is not there (looked for {issue}/images/forum.jpg) " \
           "[picture-missing]" in process.stdout


def test_lossless_pictures_print_with_their_own_pixels(tmp_path):
    """A screenshot (RGB), a scanned chart (grey) and a logo with transparency, each small enough to print at
    its own size: the PDF holds each one's pixels exactly, as pdfimages reads them back."""
    issue = tmp_path / "issue"
    (issue / "images").mkdir(parents=True)
    (issue / "issue.toml").write_text('[publication]\ntitle = "会刊"\n\n[issue]\nid = "p"\n', encoding="utf-8")
    noise = photo(240, 160, seed=5).convert("RGB")  # (varied pixels: a flat colour compresses to anything)
    pictures = {"screen.png": noise, "chart.png": noise.convert("L"), "logo.png": noise.convert("RGBA")}
    pictures["logo.png"].putalpha(Image.linear_gradient("L").resize((240, 160)))
    for name, picture in pictures.items():
        picture.save(issue / "images" / name)
    (issue / "a.md").write_text("# 标题\n\n正文。\n\n" + "\n\n".join(f"![{name}](images/{name})" for name in pictures)
                                + "\n", encoding="utf-8")
    process = run_huikan("build", str(issue), "-o", str(tmp_path / "build"), "--formats", "pdf")
    assert process.returncode == 0, process.stderr
    subprocess.run(["pdfimages", "-png", str(tmp_path / "build" / "p" / "p.pdf"), str(tmp_path / "x")], check=True)
    extracted = sorted(tmp_path.glob("x-*.png"))
    with Image.open(extracted[0]) as screen, Image.open(extracted[1]) as chart, Image.open(extracted[2]) as logo, \
            Image.open(extracted[3]) as mask:
        assert screen.convert("RGB").tobytes() == pictures["screen.png"].tobytes()
        assert chart.convert("L").tobytes() == pictures["chart.png"].tobytes()
        assert logo.convert("RGB").tobytes() == pictures["logo.png"].convert("RGB").tobytes()
        assert mask.convert("L").tobytes() == pictures["logo.png"].getchannel("A").tobytes()


def test_only_a_whole_png_of_8_bit_rgb_or_grey_pixels_is_embedded_as_it_is():
    import io

    from huikan.render.pdf.pictures import png_pixels

    def png(picture: Image.Image) -> bytes:
        out = io.BytesIO()
        picture.save(out, "PNG")
        return out.getvalue()

    assert png_pixels(png(Image.new("RGB", (30, 20), (1, 2, 3))))[0] == (30, 20)
    assert png_pixels(png(Image.new("L", (30, 20), 9)))[0] == (30, 20)
    assert png_pixels(png(Image.new("RGBA", (30, 20)))) is None  # its transparency is taken apart
    assert png_pixels(png(Image.new("I;16", (30, 20)))) is None  # 16-bit
    assert png_pixels(png(Image.new("RGB", (30, 20)))[:20]) is None  # cut short in its header
