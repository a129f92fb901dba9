"""`huikan build seeds`: the outputs exist and the PDF reads back as a finished issue."""

import hashlib
import re

import pypdf

from pdftext import page_lines, page_texts, squash


def test_build_writes_the_three_outputs_and_a_truthful_build_json(built):
    outputs = built.manifest["outputs"]
    assert set(outputs) == {"pdf", "docx", "html"}
    for entry in outputs.values():
        path = built.folder / entry["path"]
        data = path.read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert outputs["pdf"]["pages"] == len(pypdf.PdfReader(str(built.pdf)).pages)
    assert built.manifest["issue"] == {"id": "2020-06", "title": "上海质量", "publisher": "上海市质量协会",
                                       "number": "2020年第6期", "date": "2020-06-30"}


def test_pdf_has_a_cover_then_a_table_of_contents(built):
    pages = page_texts(built.pdf)
    assert "上海质量" in pages[0] and "2020年第6期" in pages[0] and "上海市质量协会" in pages[0]
    assert pages[1].startswith("目录")


def test_every_title_is_on_the_page_the_toc_and_build_json_give(built):
    pages = page_texts(built.pdf)
    toc = page_lines(built.pdf)[1]
    articles = built.manifest["articles"]
    assert len(articles) >= 5
    for article in articles:
        title = squash(article["title"])
        start = article["start_page"]
        # In the 目录 the title is followed (after its authors and dot leaders) by its page number.
        # The title may wrap; the number ends its line.
        pattern = "\n?".join(map(re.escape, title)) + r"[^\d]*?\.{3,}(\d+)\n"
        m = re.search(pattern, toc)
        assert m, f"{title} not in the 目录"
        assert int(m.group(1)) == start
        assert title in pages[start - 1], f"{title} not on page {start}"
        if start - 2 > 1:  # the page before, unless it is the 目录
            assert title not in pages[start - 2]
        assert article["end_page"] >= start


def test_articles_start_on_new_pages_in_order(built):
    starts = [a["start_page"] for a in built.manifest["articles"]]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    ends = [a["end_page"] for a in built.manifest["articles"]]
    assert all(end < nxt for end, nxt in zip(ends[:-1], starts[1:], strict=True))


def outline_tree(items) -> list[tuple[str, list]]:
    """pypdf's flat outline list (a list after an item holds its children) as (title, children) pairs."""
    tree: list[tuple[str, list]] = []
    for item in items:
        if isinstance(item, list):
            tree[-1][1].extend(outline_tree(item))
        else:
            tree.append((item.title, []))
    return tree


def test_bookmarks_are_sections_then_articles_then_headings(built):
    tree = outline_tree(pypdf.PdfReader(str(built.pdf)).outline)
    sections = dict(tree)
    assert list(sections) == ["目录", "协会动态", "工作报告", "质量政策", "质量之窗"]
    for article in built.manifest["articles"]:
        titles = [title for title, _ in sections[article["section"]]]
        assert titles.count(article["title"]) == 1
    report = dict(sections["工作报告"])["不忘初心，牢记使命 为推动高质量发展作出新贡献"]
    assert next(title for title, _ in report) == "一、服务国家质量强国战略，取得新成绩"


def test_all_fonts_are_embedded_subsets(built):
    reader = pypdf.PdfReader(str(built.pdf))
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            assert re.match(r"^/[A-Z]{6}\+", font["/BaseFont"]), font["/BaseFont"]
            seen.add(font["/BaseFont"][8:])
    assert any("Serif-CJK-SC" in name for name in seen)


def test_metadata_has_title_and_chinese_language(built):
    reader = pypdf.PdfReader(str(built.pdf))
    assert reader.metadata.title == "上海质量 2020年第6期"
    assert reader.metadata.author == "上海市质量协会"
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    assert reader.metadata["/CreationDate"].startswith("D:20200630")


def test_openers_have_no_running_head_and_following_pages_do(built):
    pages = page_texts(built.pdf)
    first = built.manifest["articles"][0]
    opener = pages[first["start_page"] - 1]
    assert "上海质量2020年第6期" not in opener
    if first["end_page"] > first["start_page"]:
        assert "上海质量2020年第6期" in pages[first["start_page"]]
