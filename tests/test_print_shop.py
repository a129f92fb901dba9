"""For the print shop and the office printer: bleed and marks, PDF/X, pages in fours, covers and colophon,
the booklet. Everything is read back from the files, as a prepress operator would check them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import docx
import pdfplumber
import pypdf
import pytest
from PIL import Image

from conftest import SEEDS, run_huikan

MM = 72 / 25.4
NOT_COMPARED = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")
COLOPHON = '''
[colophon]
"主办" = "上海市质量协会"
"编辑" = "《上海质量》编辑部"
"地址" = "上海市长宁区某某路100号"
"电话" = "021-62345678"
"准印证号" = "沪（K）0123"
"印数" = "3000册"
"编委会" = { "主任" = "唐晓芬", "委员" = ["张伟", "刘芳", "黄蓉"] }
'''


def press_issue(folder, extra: str):
    shutil.copytree(SEEDS, folder)
    (folder / "images").mkdir()
    Image.new("RGB", (1240, 1754), (200, 40, 40)).save(folder / "images" / "ad.png")
    with (folder / "issue.toml").open("a", encoding="utf-8") as config:
        config.write(extra)
    return folder


class Press:
    """The sample issue for a print shop: PDF/X-1a with crop marks, a colophon on 封二, 封三 blank, an
    advertisement on 封底, and its booklet."""

    def __init__(self, root):
        self.folder = press_issue(root / "issue", '\n[print]\npdf_variant = "pdf/x-1a"\nmarks = ["crop", "cross"]\n'
                                                  'booklet = "A3"\n\n[covers]\ninside_back = "blank"\n'
                                                  'back = "images/ad.png"\n' + COLOPHON)
        self.process = run_huikan("build", str(self.folder), "-o", str(root / "build"))
        assert self.process.returncode == 0, self.process.stdout + self.process.stderr
        self.out = root / "build" / "2020-06"
        self.pdf = self.out / "2020-06.pdf"
        self.booklet = self.out / "2020-06-booklet.pdf"
        self.manifest = json.loads((self.out / "build.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def press(tmp_path_factory) -> Press:
    return Press(tmp_path_factory.mktemp("press"))


def boxes(page) -> dict[str, list[float]]:
    return {name: [float(v) for v in getattr(page, name)] for name in ("mediabox", "bleedbox", "trimbox")}


def page_text(pdf, number: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_every_page_has_a_3mm_bleed_around_its_trim_and_room_for_the_marks(press):
    for page in pypdf.PdfReader(press.pdf).pages:
        box = boxes(page)
        assert box["trimbox"] == pytest.approx([0, 0, 210 * MM, 297 * MM], abs=0.01)
        bleed = [t - b for t, b in zip(box["trimbox"][:2], box["bleedbox"][:2], strict=True)]
        bleed += [b - t for t, b in zip(box["trimbox"][2:], box["bleedbox"][2:], strict=True)]
        assert bleed == pytest.approx([3 * MM] * 4, abs=0.01)
        assert box["mediabox"][0] < box["bleedbox"][0] and box["mediabox"][2] > box["bleedbox"][2]


def test_the_cover_picture_is_the_trimmed_cover_without_bleed_or_marks(press):
    with Image.open(press.out / "cover.png") as cover:  # 36 dpi of the A4 trim
        width, height = 210 / 25.4 * 36, 297 / 25.4 * 36
        assert abs(cover.width - width) < 1 and abs(cover.height - height) < 1, cover.size
        corners = [cover.getpixel(xy) for xy in ((0, 0), (cover.width - 1, 0), (0, cover.height - 1),
                                                 (cover.width - 1, cover.height - 1))]
    assert all(b > 60 and r < 60 for r, _, b in corners), corners  # the cover's blue, no white sheet or marks


def test_crop_marks_are_drawn_outside_the_trim_at_each_corner(press):
    with pdfplumber.open(str(press.pdf)) as pdf:
        page = pdf.pages[5]
        left, top, right, bottom = page.trimbox
        lines = [(line["x0"], line["top"], line["x1"], line["bottom"]) for line in page.lines]
    outside = [ln for ln in lines if ln[2] < left or ln[0] > right or ln[3] < top or ln[1] > bottom]
    # Two marks at each corner, one along each trim line: 8 crop marks, each well clear of the 3 mm bleed.
    crops = [ln for ln in outside if any(abs(ln[0] - x) < 0.1 and abs(ln[2] - x) < 0.1 for x in (left, right))
             or any(abs(ln[1] - y) < 0.1 and abs(ln[3] - y) < 0.1 for y in (top, bottom))]
    assert len(crops) == 8
    for x0, y0, x1, y1 in crops:
        # How far the mark stays from the trim along its own direction: never into the 3 mm bleed.
        gap = max(left - x1, x0 - right) if abs(y0 - y1) < 0.1 else max(top - y1, y0 - bottom)
        assert gap >= 3 * MM - 0.1, (x0, y0, x1, y1)


@pytest.mark.parametrize(("page_size", "bleed", "option", "trim", "bleed_mm"), [
    ('"21cm x 28.5cm"', '"0.5cm"', [], (210, 285), 5),
    ('"210x285 mm"', '"3mm"', [], (210, 285), 3),
    ('"B5"', "2", ["--bleed", "8.5pt"], (176, 250), 3),  # the command line's wins
])
def test_lengths_are_taken_with_their_units(tmp_path, page_size, bleed, option, trim, bleed_mm):
    folder = press_issue(tmp_path / "issue", f"\n[print]\nbleed = {bleed}\n")
    config = folder / "issue.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('page_size = "A4"', f"page_size = {page_size}"),
                      encoding="utf-8")
    process = run_huikan("build", str(folder), "-o", str(tmp_path / "out"), "--formats", "pdf", *option)
    assert process.returncode == 0, process.stderr
    box = boxes(pypdf.PdfReader(tmp_path / "out" / "2020-06" / "2020-06.pdf").pages[1])
    width, height = box["trimbox"][2] - box["trimbox"][0], box["trimbox"][3] - box["trimbox"][1]
    assert (width / MM, height / MM) == pytest.approx(trim, abs=0.05)
    assert (box["trimbox"][0] - box["bleedbox"][0]) / MM == pytest.approx(bleed_mm, abs=0.01)
    assert box["mediabox"] == box["bleedbox"]  # no marks: the page is the trim and the bleed


def test_a_length_in_another_unit_is_refused_naming_the_units_taken(tmp_path):
    folder = press_issue(tmp_path / "issue", '\n[print]\nbleed = "1in"\n')
    process = run_huikan("check", str(folder))
    assert process.returncode == 2
    assert re.search(r"issue\.toml:\d+: error: print\.bleed must be a length in mm, cm or pt, .*not '1in' "
                     r"\[bad-value\]", process.stdout + process.stderr)
    build = run_huikan("build", str(SEEDS), "-o", str(tmp_path / "out"), "--bleed", "12mm")
    assert build.returncode == 2 and "'12mm': give a length in mm, cm or pt" in build.stderr


def test_the_cover_colour_runs_into_the_bleed(tmp_path):
    folder = press_issue(tmp_path / "issue", "")  # the default: 3 mm bleed, no marks
    assert run_huikan("build", str(folder), "-o", str(tmp_path / "out"), "--formats", "pdf").returncode == 0
    pdf = tmp_path / "out" / "2020-06" / "2020-06.pdf"
    box = boxes(pypdf.PdfReader(pdf).pages[0])
    assert box["mediabox"] == box["bleedbox"] and box["mediabox"][0] == pytest.approx(-3 * MM, abs=0.01)
    subprocess.run(["pdftoppm", "-png", "-r", "20", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(tmp_path / "cover")], check=True)
    with Image.open(tmp_path / "cover.png") as cover:  # a pixel in from each corner of the media
        corners = [cover.getpixel(xy) for xy in ((1, 1), (cover.width - 2, 1), (1, cover.height - 2),
                                                 (cover.width - 2, cover.height - 2))]
    assert all(b > 90 and r < 40 for r, _, b in corners), corners  # the masthead's blue, to the very edge


@pytest.mark.parametrize(("variant", "version", "header"), [("pdf/x-1a", "PDF/X-1a:2003", "%PDF-1.4"),
                                                            ("pdf/x-3", "PDF/X-3:2003", "%PDF-1.4"),
                                                            ("pdf/x-4", "PDF/X-4", "%PDF-1.6")])
def test_a_pdf_x_says_its_version_and_has_a_cmyk_output_intent(tmp_path, variant, version, header):
    process = run_huikan("build", str(SEEDS), "-o", str(tmp_path), "--formats", "pdf", "--pdf-variant", variant)
    assert process.returncode == 0, process.stderr
    reader = pypdf.PdfReader(tmp_path / "2020-06" / "2020-06.pdf")
    assert reader.pdf_header == header
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert f"<pdfxid:GTS_PDFXVersion>{version}</pdfxid:GTS_PDFXVersion>" in xmp
    if variant != "pdf/x-4":  # X-1a and X-3 also name it in the document information
        assert reader.metadata["/GTS_PDFXVersion"] == version
    (intent,) = reader.trailer["/Root"]["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFX" and intent["/DestOutputProfile"].get_object()["/N"] == 4  # CMYK
    assert intent["/OutputConditionIdentifier"] == "Artifex CMYK SWOP Profile"


def test_a_pdf_x_1a_has_no_rgb_colour_and_no_rgb_picture(press):
    reader = pypdf.PdfReader(press.pdf)
    rgb_operator = re.compile(rb"(?:^|\s)[\d.]+\s+[\d.]+\s+[\d.]+\s+(?:rg|RG)\b|/DeviceRGB\s+(?:cs|CS)\b")
    seen_pictures = 0
    for number, page in enumerate(reader.pages, 1):
        assert not rgb_operator.search(page.get_contents().get_data()), f"RGB colour on page {number}"
        for obj in (page["/Resources"].get("/XObject") or {}).values():
            obj = obj.get_object()
            if obj["/Subtype"] == "/Image":
                seen_pictures += 1
                assert obj["/ColorSpace"] == "/DeviceCMYK" and "/SMask" not in obj
            else:
                assert not rgb_operator.search(obj.get_data()), f"RGB colour in a form on page {number}"
    assert seen_pictures  # the advertisement on 封底


def test_the_page_count_is_made_a_multiple_of_four_with_blank_unnumbered_pages(tmp_path, built):
    reader = pypdf.PdfReader(built.pdf)
    assert len(reader.pages) == 20  # 17 pages of cover, 目录 and articles, then three blank ones
    last_article = max(a["end_page"] for a in built.manifest["articles"])
    assert last_article == 17
    for number in (18, 19, 20):
        assert page_text(built.pdf, number).strip() == ""  # no folio, no running head
    assert page_text(built.pdf, 17).split()[-1] == "17"  # the last page of text keeps its folio


def test_the_colophon_is_on_the_inside_front_cover_in_print_word_and_web(press, tmp_path):
    second = NOT_COMPARED.sub("", page_text(press.pdf, 2))
    for field in ("主办上海市质量协会", "准印证号沪K0123", "编委会主任唐晓芬委员张伟刘芳黄蓉"):
        assert field in second
    assert "目录" in NOT_COMPARED.sub("", page_text(press.pdf, 3))  # the 目录 follows on page 3
    document = docx.Document(str(press.out / "2020-06.docx"))
    body = list(document.element.body)
    table = next(i for i, e in enumerate(body) if e.tag.endswith("}tbl"))
    heading = next(i for i, e in enumerate(body) if e.tag.endswith("}p") and "目　录" in "".join(e.itertext()))
    assert table < heading  # before the 目录, as in print
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert cells[0] == ["主办", "上海市质量协会"] and cells[-1] == ["编委会", "主任　唐晓芬\n委员　张伟　刘芳　黄蓉"]
    site = tmp_path / "site"
    assert run_huikan("publish", str(press.folder), "-o", str(site), "--build",
                      str(press.out.parent)).returncode == 0
    page = (site / "2020-06" / "index.html").read_text(encoding="utf-8")
    assert '<th scope="row">主办</th><td>上海市质量协会</td>' in page
    assert re.search(r'<span class="role">委员</span>\s*张伟　刘芳　黄蓉', page)
    assert 'href="2020-06-booklet.pdf"' in page and (site / "2020-06" / "2020-06-booklet.pdf").is_file()
    one_page = (press.out / "2020-06.html").read_text(encoding="utf-8")  # the issue as one web page
    assert '<footer class="colophon-section" id="colophon">' in one_page and "准印证号" in one_page


def test_the_colophon_can_go_on_the_back_cover(tmp_path):
    folder = press_issue(tmp_path / "issue", '\n[covers]\nback = "colophon"\n' + COLOPHON)
    assert run_huikan("build", str(folder), "-o", str(tmp_path / "out"), "--formats", "pdf,docx").returncode == 0
    pdf = tmp_path / "out" / "2020-06" / "2020-06.pdf"
    pages = len(pypdf.PdfReader(pdf).pages)
    assert pages % 4 == 0
    assert "主办" in page_text(pdf, pages) and "主办" not in page_text(pdf, 2)
    document = docx.Document(str(tmp_path / "out" / "2020-06" / "2020-06.docx"))
    assert document.element.body[-2].tag.endswith("}tbl")  # last, after the articles (then the section setup)


def test_covers_show_a_picture_and_a_page_left_blank(press):
    reader = pypdf.PdfReader(press.pdf)
    pages = len(reader.pages)
    assert pages % 4 == 0
    assert page_text(press.pdf, pages - 1).strip() == ""  # 封三 left blank on purpose
    with pdfplumber.open(str(press.pdf)) as pdf:
        back = pdf.pages[-1]
        (picture,) = back.images
        # Full page and into the bleed: it covers the trim and 3 mm beyond it on every side.
        x0, top, x1, bottom = back.trimbox
        bleed = 3 * MM - 0.5
        assert picture["x0"] <= x0 - bleed and picture["top"] <= top - bleed
        assert picture["x1"] >= x1 + bleed and picture["bottom"] >= bottom + bleed


def test_the_booklet_puts_the_pages_two_up_in_saddle_stitch_order(press):
    pages = len(pypdf.PdfReader(press.pdf).pages)
    booklet = pypdf.PdfReader(press.booklet)
    assert len(booklet.pages) == -(-pages // 4) * 2
    width, height = (float(v) for v in booklet.pages[0].mediabox[2:])
    assert (width, height) == pytest.approx((420 * MM, 297 * MM), abs=0.01)  # A3 landscape

    def words(text: str) -> str:
        return NOT_COMPARED.sub("", text)

    with pdfplumber.open(str(press.pdf)) as issue, pdfplumber.open(str(press.booklet)) as sheets:

        def original(number: int) -> str:
            page = issue.pages[number - 1]
            return words(page.crop(page.trimbox).extract_text())

        def half(side: int, right: bool) -> str:
            page = sheets.pages[side]
            box = (width / 2, 0, width, height) if right else (0, 0, width / 2, height)
            return words(page.crop(box).extract_text())

        # The first sheet: the last page and the first on its front, the second and the second-to-last behind.
        assert half(0, right=True) == original(1) and "上海质量" in half(0, right=True)
        assert half(0, right=False) == original(pages)
        assert half(1, right=False) == original(2) and "主办" in half(1, right=False)
        assert half(1, right=True) == original(pages - 1)
        # The second sheet: pages 3 and n-2 on its front, 4 and n-3 behind.
        assert half(2, right=True) == original(3) and half(2, right=False) == original(pages - 2)
        assert half(3, right=False) == original(4) and half(3, right=True) == original(pages - 3)


def test_a_screen_edition_has_no_bleed_no_padding_and_no_inside_covers(tmp_path):
    folder = press_issue(tmp_path / "issue", COLOPHON)
    assert run_huikan("build", str(folder), "-o", str(tmp_path / "out"), "--for", "screen",
                      "--formats", "pdf").returncode == 0
    reader = pypdf.PdfReader(tmp_path / "out" / "2020-06" / "2020-06.pdf")
    assert len(reader.pages) == 17
    box = boxes(reader.pages[0])
    assert box["mediabox"] == box["trimbox"]
    assert "主办" not in page_text(tmp_path / "out" / "2020-06" / "2020-06.pdf", 2)


@pytest.mark.parametrize("variant", ["pdf/x-4", "pdf/x-1a"])
def test_a_print_build_gives_the_same_bytes_every_time(tmp_path, variant):
    folder = press_issue(tmp_path / "issue", '\n[print]\nmarks = ["crop", "cross"]\nbooklet = "A3"\n' + COLOPHON)
    made = []
    for run in ("a", "b"):
        assert run_huikan("build", str(folder), "-o", str(tmp_path / run), "--formats", "pdf,booklet",
                          "--pdf-variant", variant).returncode == 0
        made.append([(tmp_path / run / "2020-06" / name).read_bytes()
                     for name in ("2020-06.pdf", "2020-06-booklet.pdf")])
    assert made[0] == made[1]


@pytest.mark.parametrize(("extra", "message"), [
    ("[print]\nbleed = 30\n", "print.bleed must be a length in mm, cm or pt, such as 3, \"3mm\" or \"0.3cm\", "
                               "from 0 to 10 mm; not 30 [bad-value]"),
    ('[print]\nbleed = true\n', "'print.bleed' must be a number or a whole number or a string [bad-value]"),
    ('[print]\nmarks = "crop"\n', "'print.marks' must be a list [bad-value]"),
    ('[print]\nmarks = ["stars"]\n', "print.marks must be a list of crop, cross [bad-value]"),
    ('[print]\nbooklet = "A0"\n', "print.booklet must be one of A3, A4, B4"),
    ('[covers]\nback = "images/none.jpg"\n', "cover 'images/none.jpg' is not in"),
    ('[covers]\nback = "../outside.md"\n', "cover '../outside.md' is outside the issue folder [outside-issue]"),
    ('[covers]\nback = "colophon"\n', "covers name the colophon, but [colophon] is empty [missing-key]"),
])
def test_a_bad_print_setting_is_named_with_its_line(issue_copy, extra, message):
    with (issue_copy / "issue.toml").open("a", encoding="utf-8") as config:
        config.write("\n" + extra)
    process = run_huikan("check", str(issue_copy))
    assert process.returncode in (1, 2)
    assert re.search(r"issue\.toml:\d+: error: " + re.escape(message), process.stdout + process.stderr), \
        process.stdout + process.stderr
    assert (process.stdout + process.stderr).count(": error: ") == 1  # one mistake, one message


def test_a_markdown_file_can_be_a_cover_page_and_is_then_not_an_article(tmp_path):
    folder = press_issue(tmp_path / "issue", '\n[covers]\ninside_back = "notice.md"\n')
    (folder / "notice.md").write_text("# 征稿启事\n\n本刊常年征集质量管理方面的稿件，来稿请寄编辑部。\n",
                                      encoding="utf-8")
    process = run_huikan("build", str(folder), "-o", str(tmp_path / "out"), "--formats", "pdf")
    assert process.returncode == 0, process.stderr
    assert "notice.md" not in process.stderr  # not reported as an article missing from the sections
    manifest = json.loads((tmp_path / "out" / "2020-06" / "build.json").read_text(encoding="utf-8"))
    assert "征稿启事" not in [a["title"] for a in manifest["articles"]]
    pdf = tmp_path / "out" / "2020-06" / "2020-06.pdf"
    pages = manifest["outputs"]["pdf"]["pages"]
    assert pages % 4 == 0
    assert "征稿启事" in page_text(pdf, pages) and "本刊常年征集" in page_text(pdf, pages)  # 封三, the last page
