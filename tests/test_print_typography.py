"""Chinese print typography, measured on the sample issue's PDF from pdfplumber's character boxes."""

import itertools
import subprocess

import pdfplumber
import pypdf
import pytest

from conftest import run_huikan
from huikan.render.pdf.glyphs import Coverage
from huikan.typeset import for_print, halved, space_han_latin
from pdflines import body_lines, text_block_edges

EM = 10.5
NO_LINE_START = "。，、；：？！）》」』”…"
NO_LINE_END = "（《「『“"


@pytest.fixture(scope="module")
def lines(built):
    """Body lines in the serif body face (boxes such as the 编者按 have their own edges)."""
    return [line for line in body_lines(built.pdf) if "Serif" in line.chars[0]["fontname"]]


def paragraph_ends(lines) -> set[int]:
    """Indexes of lines that end a paragraph: the next line is indented, elsewhere, or after a gap."""
    edges = text_block_edges(lines)
    ends = set()
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else None
        if (following is None or following.page != line.page
                or following.x0 > edges[line.page][0] + 1.5 * EM or following.top - line.top > 2 * EM):
            ends.add(i)
    return ends


def test_body_lines_are_justified_to_the_right_edge(lines):
    edges = text_block_edges(lines)
    ends = paragraph_ends(lines)
    inner = [line for i, line in enumerate(lines) if i not in ends]
    assert len(inner) > 200
    flush = [line for line in inner if abs(line.x1 - edges[line.page][1]) <= 0.5]
    assert len(flush) / len(inner) >= 0.99, [(line.page, line.x1, line.text) for line in inner if line not in flush]


def test_no_line_starts_or_ends_with_forbidden_punctuation(built):
    with pdfplumber.open(str(built.pdf)) as pdf:
        for page in pdf.pages[2:]:
            for text_line in page.extract_text_lines():
                text = text_line["text"].replace(" ", "")
                if not text:
                    continue
                assert text[0] not in NO_LINE_START, (page.page_number, text)
                assert text[-1] not in NO_LINE_END, (page.page_number, text)


def test_no_paragraph_ends_with_one_han_character_alone(lines):
    for i in paragraph_ends(lines):
        han = [c for c in lines[i].text if "\u4e00" <= c <= "\u9fff"]
        assert len(han) != 1, lines[i].text


def test_adjacent_punctuation_takes_one_and_a_half_em(lines):
    pairs = 0
    for line in lines:
        for a, b in itertools.pairwise(line.chars):
            if a["text"] in "。，）”" and b["text"] in "”“（，":
                pairs += 1
                assert b["x0"] - a["x0"] < 0.5 * EM + 1.0, (line.page, a["text"] + b["text"], line.text)
    assert pairs >= 5


def test_titles_in_the_toc_and_on_the_opener_are_compressed_too(built):
    """质量：“追求善… is a title: its colon and quotation mark take 1.5 em in the 目录 and on the opener."""
    article = next(a for a in built.manifest["articles"] if a["title"].startswith("质量：“"))
    with pdfplumber.open(str(built.pdf)) as pdf:
        for number in (2, article["start_page"]):
            chars = [c for c in pdf.pages[number - 1].chars if c["text"].strip()]
            pairs = [(a, b) for a, b in itertools.pairwise(chars) if a["text"] + b["text"] == "：“"
                     and abs(a["top"] - b["top"]) < 1]
            assert pairs, f"no ：“ on page {number}"
            for a, b in pairs:
                assert b["x0"] - a["x0"] < 0.5 * a["size"] + 1.0, (number, b["x0"] - a["x0"], a["size"])


def test_han_and_latin_are_a_quarter_em_apart_in_the_pdf(lines):
    gaps = []
    for line in lines:
        for a, b in itertools.pairwise(line.chars):
            if "\u4e00" <= a["text"] <= "\u9fff" and b["text"].isdigit():
                gaps.append(b["x0"] - a["x1"])
    assert len(gaps) >= 20
    gaps.sort()
    median = gaps[len(gaps) // 2]
    assert 0.2 * EM <= median <= 0.4 * EM, gaps


def test_print_preparation_of_text():
    assert space_han_latin("其中2020年有ISO认证") == "其中 2020 年有 ISO 认证"
    assert space_han_latin("增长5%以上，达到1:78。") == "增长 5% 以上，达到 1:78。"
    assert halved("他说：“好。”（注）") == [2, 5, 6]
    assert halved("（“引文”），") == [1, 4, 5]
    assert "好\u2060" not in for_print("他说：“好。”", paragraph_end=True)
    assert "说\u2060" not in for_print("他说：“好。”")


def test_fonts_are_embedded_subsets_listed_by_pdffonts(built):
    out = subprocess.run(["pdffonts", str(built.pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        name, *_, emb, sub, _uni, _obj, _gen = row.split()
        assert (emb, sub) == ("yes", "yes"), row
        assert name[6] == "+", row


def test_font_coverage_is_read_from_fontconfig_charsets():
    coverage = Coverage.parse("20-7e a0 4e00-9fa5 ff01-ff5e")
    assert 0x41 in coverage and 0xA0 in coverage and ord("质") in coverage and ord("，") in coverage
    assert 0x7F not in coverage and 0xA1 not in coverage and 0xE000 not in coverage and 0x1F not in coverage


def test_a_title_with_figures_is_spaced_in_print_and_bookmarked_as_written(issue_copy, tmp_path):
    config = issue_copy / "issue.toml"
    config.write_text(config.read_text(encoding="utf-8")
                      + '\n[articles."000_5c2f2025e9d3839a.txt"]\ntitle = "2020年质量工作要点"\n', encoding="utf-8")
    process = run_huikan("build", str(issue_copy), "-o", str(tmp_path / "out"), "--formats", "pdf")
    assert process.returncode == 0, process.stderr
    pdf = tmp_path / "out" / "2020-06" / "2020-06.pdf"
    reader = pypdf.PdfReader(str(pdf))
    bookmarks = [item.title for group in reader.outline if isinstance(group, list) for item in group
                 if not isinstance(item, list)]
    assert "2020年质量工作要点" in bookmarks
    with pdfplumber.open(str(pdf)) as document:
        chars = [c for c in document.pages[2].chars if c["size"] == 18 and c["text"].strip()]  # the title
    title = sorted(chars, key=lambda c: c["x0"])
    digit, han = next((a, b) for a, b in itertools.pairwise(title) if a["text"] == "0" and b["text"] == "年")
    assert han["x0"] - digit["x1"] > 0.2 * 18, "no space between the figures and 年 on the opener"


def test_a_character_no_font_has_fails_the_build_unless_allowed(issue_copy, tmp_path):
    article = issue_copy / "001_aa18179e77685e74.txt"
    with article.open("a", encoding="utf-8") as f:
        f.write("\n\n私用区的字\ue000也要印出来。\n")
    line = next(n for n, text in enumerate(article.read_text(encoding="utf-8").splitlines(), 1) if "\ue000" in text)
    process = run_huikan("build", str(issue_copy), "-o", str(tmp_path / "out"), "--formats", "pdf")
    assert process.returncode == 1, process.stderr
    assert f"001_aa18179e77685e74.txt:{line}: error: no font of the print theme has U+E000" \
        in process.stderr
    assert "[missing-glyph]" in process.stderr and "Traceback" not in process.stderr
    assert not (tmp_path / "out" / "2020-06" / "2020-06.pdf").exists()
    process = run_huikan("build", str(issue_copy), "-o", str(tmp_path / "out"), "--formats", "pdf",
                         "--allow-missing-glyphs")
    assert process.returncode == 0, process.stderr
    assert "warning: no font of the print theme has U+E000" in process.stderr


def test_pdf_a_variant_and_tags(issue_copy, tmp_path):
    process = run_huikan("build", str(issue_copy), "-o", str(tmp_path / "a"), "--formats", "pdf",
                         "--pdf-variant", "pdf/a-3b")
    assert process.returncode == 0, process.stderr
    root = pypdf.PdfReader(str(tmp_path / "a" / "2020-06" / "2020-06.pdf")).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "/OutputIntents" in root
    config = issue_copy / "issue.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('page_size = "A4"', 'page_size = "A4"\npdf_tags = true'), encoding="utf-8")
    process = run_huikan("build", str(issue_copy), "-o", str(tmp_path / "t"), "--formats", "pdf")
    assert process.returncode == 0, process.stderr
    root = pypdf.PdfReader(str(tmp_path / "t" / "2020-06" / "2020-06.pdf")).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


@pytest.mark.parametrize("size, mm", [("B5", (176, 250)), ("16K", (185, 260)), ("大16K", (210, 285)),
                                      ("200x280 mm", (200, 280))])
def test_page_sizes_and_two_columns(issue_copy, tmp_path, size, mm):
    config = issue_copy / "issue.toml"
    extra = "\ncolumns = 2" if size == "16K" else ""
    config.write_text(config.read_text(encoding="utf-8").replace('page_size = "A4"', f'page_size = "{size}"{extra}'),
                      encoding="utf-8")
    process = run_huikan("build", str(issue_copy), "-o", str(tmp_path), "--formats", "pdf")
    assert process.returncode == 0, process.stderr
    pdf = tmp_path / "2020-06" / "2020-06.pdf"
    box = pypdf.PdfReader(str(pdf)).pages[3].trimbox  # the page as trimmed; the bleed lies around it
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == mm
    lines = [line for line in body_lines(pdf) if "Serif" in line.chars[0]["fontname"]]
    starts = sorted({round(line.x0) for line in lines if line.page == 6})
    widths = {round(line.x1 - line.x0) for line in lines if line.page == 6}
    if extra:
        # Two columns side by side: lines start at two places half a page apart.
        assert max(starts) - min(starts) > float(box.width) * 0.35, starts
    else:
        assert max(widths) < float(box.width) * 0.8 and max(starts) - min(starts) < 3 * EM
