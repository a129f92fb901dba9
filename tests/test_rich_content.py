"""Tables, lists, emphasis and pictures come through every output, from Markdown and from Word."""

import json
import re
import subprocess

import docx
import pdfplumber
import pypdf
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Inches
from PIL import Image

from conftest import new_issue, run_huikan

MARKDOWN = """---
title: 质量工作要点
authors: [张伟]
---

本文说明**加粗的重点**和*强调*的写法。

1. 第一条措施。
2. 第二条措施。
   - 子项甲
   - 子项乙

- 要点甲
- 要点乙

表1 主要质量指标

| 指标 | 2019年 | 2020年 |
| :--- | ---: | ---: |
| 合格率 | 96.5% | 99.2% |
| 满意度 | 80.1 | 82.3 |

![质量月活动现场](images/scene.png)

```
设备编号  状态
A-01     正常
```

全文完。
"""


def word_article(path, picture):
    """A contributor's Word file: a table with a merged cell, Word's own list numbering, bold and italic runs."""
    document = docx.Document()
    document.add_paragraph("标准化工作简报", style="Title")
    p = document.add_paragraph("今年的工作")
    p.add_run("重点").bold = True
    p.add_run("在于")
    p.add_run("落实").italic = True
    p.add_run("。")
    for text in ("第一项任务。", "第二项任务。"):
        document.add_paragraph(text, style="List Number")
    for text in ("要点甲", "要点乙"):
        document.add_paragraph(text, style="List Bullet")
    document.add_paragraph("表2 标准制定情况")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["类别", "2019年", "2020年"], ["国家标准", "12", "15"], ["团体标准", "30", ""]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(2, 1).merge(table.cell(2, 2)).paragraphs[0].text = "合计45"
    document.add_picture(str(picture), width=Inches(3))
    document.add_paragraph("标准化论坛现场", style="Caption")
    document.add_paragraph("简报到此结束。")
    document.save(str(path))


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rich") / "issue"
    (folder / "images").mkdir(parents=True)
    Image.new("RGB", (900, 600), (30, 90, 160)).save(folder / "images" / "scene.png")
    Image.new("RGB", (900, 600), (160, 90, 30)).save(folder.parent / "forum.png")  # only inside the Word file
    (folder / "a.md").write_text(MARKDOWN, encoding="utf-8")
    word_article(folder / "b.docx", folder.parent / "forum.png")
    new_issue(folder, "rich", '\n[[sections]]\ntitle = "工作研究"\narticles = ["a.md", "b.docx"]\n')
    out = folder.parent / "build"
    process = run_huikan("build", str(folder), "-o", str(out))
    assert process.returncode == 0, process.stderr
    return folder, out / "rich", process


def pictures_in(path) -> int:
    """Picture objects in a PDF, each counted once however many pages share the resources."""
    reader = pypdf.PdfReader(str(path))
    return len({ref.idnum for page in reader.pages
                for ref in page["/Resources"].get("/XObject", {}).values()
                if ref.get_object().get("/Subtype") == "/Image"})


def model(folder) -> list[dict]:
    process = run_huikan("inspect", str(folder), "--json")
    assert process.returncode == 0, process.stderr
    return json.loads(process.stdout)["articles"]


def blocks_of(articles, kind):
    return [b for a in articles for b in a["blocks"] if b["type"] == kind]


def test_the_model_holds_tables_lists_emphasis_and_pictures(rich):
    folder, _, _ = rich
    md, word = model(folder)
    [table] = blocks_of([md], "table")
    assert table["text"] == "表1主要质量指标" and table["header_rows"] == 1
    assert table["align"] == ["left", "right", "right"]
    assert [[c["text"] for c in row] for row in table["rows"]][1] == ["合格率", "96.5%", "99.2%"]
    items = blocks_of([md], "list_item")
    assert [(b["marker"], b["level"], b["text"]) for b in items] == [
        ("1.", 1, "第一条措施。"), ("2.", 1, "第二条措施。"), ("•", 2, "子项甲"), ("•", 2, "子项乙"),
        ("•", 1, "要点甲"), ("•", 1, "要点乙")]
    first = md["blocks"][0]
    assert [(first["text"][s["start"]:s["end"]], s["style"]) for s in first["spans"]] == [("加粗的重点", "bold"),
                                                                                          ("强调", "italic")]
    assert blocks_of([md], "preformatted")[0]["text"] == "设备编号  状态\nA-01     正常"
    [word_table] = blocks_of([word], "table")
    assert word_table["text"] == "表2标准制定情况"
    assert [(c["text"], c.get("colspan", 1)) for c in word_table["rows"][2]] == [("团体标准", 1), ("合计45", 2)]
    assert [(b["marker"], b["ordered"]) for b in blocks_of([word], "list_item")] == [
        ("1.", True), ("2.", True), ("•", False), ("•", False)]
    para = word["blocks"][0]
    assert [(para["text"][s["start"]:s["end"]], s["style"]) for s in para["spans"]] == [("重点", "bold"),
                                                                                        ("落实", "italic")]
    assert [b["text"] for b in blocks_of([word], "caption") if b.get("image")] == ["标准化论坛现场"]


def test_the_pdf_sets_the_table_in_order_the_list_numbers_and_bold_glyphs(rich):
    _, out, _ = rich
    text = subprocess.run(["pdftotext", "-layout", str(out / "rich.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"指标\s+2019 年\s+2020 年", text) and re.search(r"合格率\s+96\.5%\s+99\.2%", text)
    assert re.search(r"1\.\s*第一条措施", text) and re.search(r"2\.\s*第二条措施", text)
    assert re.search(r"类别\s+2019 年\s+2020 年", text) and "合计 45" in text
    with pdfplumber.open(str(out / "rich.pdf")) as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    bold = "".join(c["text"] for c in chars if "Bold" in c["fontname"] and c["size"] < 11)
    assert "加粗的重点" in bold and "重点" in bold
    assert pictures_in(out / "rich.pdf") == 2  # the Markdown picture and the Word one, each once


def test_a_picture_keeps_its_caption_under_it_in_the_pdf(rich):
    _, out, _ = rich
    with pdfplumber.open(str(out / "rich.pdf")) as pdf:
        for page in pdf.pages:
            words = "".join(c["text"] for c in page.chars)
            if "质量月活动现场" in words:
                image = page.images[0]
                caption = next(c for c in page.chars if c["text"] == "质")
                top = min(c["top"] for c in page.chars if c["text"] == "月" and c["top"] > image["bottom"] - 1)
                assert top >= image["bottom"] and caption is not None
                assert "图1" in words
                return
    raise AssertionError("no page with the picture's caption")


def test_the_word_file_has_real_tables_numbering_runs_and_pictures(rich):
    _, out, _ = rich
    document = docx.Document(str(out / "rich.docx"))
    tables = document.tables
    assert [[c.text for c in row.cells] for row in tables[0].rows][1] == ["合格率", "96.5%", "99.2%"]
    assert all(t.style.name == "三线表" for t in tables)
    assert tables[0].rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
    assert tables[0].rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    wanted = {"第一条措施。", "第二条措施。", "子项甲", "要点甲", "第一项任务。"}
    listed = [p for p in document.paragraphs if p.text in wanted]
    assert {p.text for p in listed} == wanted and all(p._p.pPr.numPr is not None for p in listed)
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "加粗的重点" in bold and "重点" in bold
    italic = [r.text for p in document.paragraphs for r in p.runs if r.italic]
    assert "强调" in italic and "落实" in italic
    pictures = document.element.body.findall(".//" + qn("pic:pic"))
    assert len(pictures) == 2
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption" and p.text]
    assert captions == ["图1　质量月活动现场", "图1　标准化论坛现场"]
    paragraphs = document.paragraphs
    with_picture = [i for i, p in enumerate(paragraphs) if p._p.findall(".//" + qn("pic:pic"))]
    assert [paragraphs[i + 1].text for i in with_picture] == captions  # each caption right under its picture


def test_the_web_page_has_semantic_tables_lists_and_figures(rich):
    _, out, _ = rich
    html = (out / "rich.html").read_text(encoding="utf-8")
    assert '<caption>表1主要质量指标</caption>' in html
    assert html.count('<th scope="col"') == 6
    assert '<div class="table-wrap">' in html  # scrolls sideways on a phone
    assert re.search(r'<ol class="list list-1">\s*<li><span class="marker">1\.</span>第一条措施。', html)
    assert '<ul class="list list-2">' in html and "<strong>加粗的重点</strong>" in html and "<em>强调</em>" in html
    found = re.search(r'<figure class="figure"><img src="(images/[0-9a-f]{16}-900\.png)"[^>]*><figcaption', html)
    assert found and (out / found.group(1)).is_file()  # the picture for screens, beside the page
    assert '<pre class="pre">设备编号  状态\nA-01     正常</pre>' in html


def test_the_word_edition_reads_back_as_the_same_model(rich, tmp_path):
    folder, out, _ = rich
    again = new_issue(tmp_path / "again", "again")
    (again / "issue.docx").write_bytes((out / "rich.docx").read_bytes())

    def comparable(articles):
        return [[{k: v for k, v in b.items() if k not in ("line", "image")} for b in a["blocks"]] for a in articles]

    assert comparable(model(again)) == comparable(model(folder))


def test_what_cannot_be_carried_is_named_with_its_line(tmp_path):
    folder = new_issue(tmp_path / "issue")
    (folder / "a.md").write_text("# 标题\n\n正文。\n\n---\n\n<div>块</div>\n\n文中 ![图](images/x.png) 图。\n\n"
                                 "> 引文。\n>\n> - 引文里的要点\n> - 另一要点\n", encoding="utf-8")
    document = docx.Document()
    document.add_paragraph("文本框", style="Title")
    boxed = document.add_paragraph("正文。")
    boxed.add_run()._r.append(parse_xml(
        '<w:pict xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><v:shape><v:textbox><w:txbxContent><w:p><w:r>'
        '<w:t>框里的字</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>'))
    document.save(str(folder / "b.docx"))
    process = run_huikan("check", str(folder))
    lines = process.stdout.splitlines()
    assert any(":5: warning: a rule (---)" in line for line in lines)
    assert any(":7: warning: raw HTML left out" in line for line in lines)
    assert any(":9: warning: picture '图' inside a paragraph left out" in line for line in lines)
    assert any(":13: warning: a list inside a quote is set in the article's body" in line for line in lines)
    assert sum("quote-flattened" in line for line in lines) == 1  # once a quote, not once an item
    assert any("b.docx:2: warning: a text box ('框里的字" in line for line in lines)


def news_issue(folder, layout=""):
    names = ", ".join(f'"n{n:02d}.txt"' for n in range(10))
    new_issue(folder, "news", f'\n[[sections]]\ntitle = "协会动态"\narticles = [{names}]\n{layout}')
    text = ("上海市质量协会近日组织会员单位开展质量提升交流活动，围绕质量管理体系建设、QC小组活动和用户满意度"
            "测评等内容进行了深入研讨。")
    for n in range(10):
        body = (text * 3)[:300]
        (folder / f"n{n:02d}.txt").write_text(f"简讯第{n + 1}则\n\n{body}。\n", encoding="utf-8")
    return folder


def test_a_column_of_short_items_runs_on_instead_of_a_page_each(tmp_path):
    folder = news_issue(tmp_path / "issue")
    out = tmp_path / "build"
    assert run_huikan("build", str(folder), "-o", str(out)).returncode == 0
    articles = json.loads((out / "news" / "build.json").read_text(encoding="utf-8"))["articles"]
    pages = {p for a in articles for p in range(a["start_page"], a["end_page"] + 1)}
    assert 2 <= len(pages) <= 3, pages
    assert all(a["start_page"] <= a["end_page"] for a in articles)
    # The 目录 still lists every item with the page it starts on.
    toc = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", str(out / "news" / "news.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    listed = re.findall(r"简讯第 (\d+) 则 [ .]*(\d+)\n", toc)
    assert [(f"简讯第{n}则", int(page)) for n, page in listed] == [(a["title"], a["start_page"]) for a in articles]
    # Word: one section for the whole run, each item a Heading 1, no 摘要 block.
    document = docx.Document(str(out / "news" / "news.docx"))
    assert len(document.sections) == 2  # the cover and 目录, then the run
    assert sum(p.style.name == "Heading 1" for p in document.paragraphs) == 10
    assert not any(p.style.name == "摘要" for p in document.paragraphs)


def test_an_editor_can_set_each_item_on_its_own_page(tmp_path):
    folder = news_issue(tmp_path / "issue", 'layout = "page"\n')
    out = tmp_path / "build"
    assert run_huikan("build", str(folder), "-o", str(out)).returncode == 0
    articles = json.loads((out / "news" / "build.json").read_text(encoding="utf-8"))["articles"]
    assert len({a["start_page"] for a in articles}) == 10


def test_a_bad_layout_is_a_configuration_error(tmp_path):
    folder = news_issue(tmp_path / "issue", 'layout = "magazine"\n')
    process = run_huikan("check", str(folder))
    assert process.returncode == 2
    assert "issue.toml:10: error: sections.layout 'magazine' is not one of page, run-on [bad-value]" in \
        process.stdout + process.stderr


def test_list_lines_of_a_text_file_stay_items_and_a_picture_can_be_named_for_a_caption(issue_copy, tmp_path):
    (issue_copy / "zz.txt").write_text("工作要点\n\n今年的工作要点如下：\n\n（一）加强组织领导\n（二）完善制度建设\n\n"
                                       "1．开展质量提升行动\n2．推进标准化建设\n\n会议要求各单位认真落实。\n\n"
                                       "一是强化标准引领；\n二是深化质量攻关。\n\n一是年是质量年，此句不是列表。\n",
                                       encoding="utf-8")
    (issue_copy / "images").mkdir()
    Image.new("RGB", (800, 500), (20, 120, 60)).save(issue_copy / "images" / "forum.jpg")
    with (issue_copy / "issue.toml").open("a", encoding="utf-8") as config:
        config.write('\n[articles."001_aa18179e77685e74.txt"]\n'
                     'pictures = [{ file = "images/forum.jpg", caption = "2018年首届进博会国际质量创新论坛现场" }]\n')
    process = run_huikan("inspect", str(issue_copy), "--json")
    data = json.loads(process.stdout)
    by_source = {a["source"]: a for a in data["articles"]}
    items = [(b["marker"], b["text"]) for b in by_source["zz.txt"]["blocks"] if b["type"] == "list_item"]
    assert items == [("（一）", "加强组织领导"), ("（二）", "完善制度建设"), ("1．", "开展质量提升行动"),
                     ("2．", "推进标准化建设"), ("一是", "强化标准引领；"), ("二是", "深化质量攻关。")]
    captions = [b for b in by_source["001_aa18179e77685e74.txt"]["blocks"] if b["type"] == "caption"]
    assert captions[0]["image"] == "images/forum.jpg" and "image" not in captions[1]
    warned = [d["line"] for d in data["diagnostics"] if d["code"] == "caption-without-picture"]
    assert warned == [99]  # the caption that got its picture is no longer reported
    out = tmp_path / "build"
    assert run_huikan("build", str(issue_copy), "-o", str(out), "--formats", "pdf,docx").returncode == 0
    assert pictures_in(out / "2020-06" / "2020-06.pdf") == 1
    assert len(docx.Document(str(out / "2020-06" / "2020-06.docx")).inline_shapes) == 1


def test_a_picture_named_outside_images_is_refused(issue_copy):
    with (issue_copy / "issue.toml").open("a", encoding="utf-8") as config:
        config.write('\n[articles."001_aa18179e77685e74.txt"]\npictures = [{ file = "../x.jpg" }]\n')
    process = run_huikan("check", str(issue_copy))
    assert process.returncode == 1
    assert "error: picture '../x.jpg' must be a file in the issue's images/ folder [picture-outside]" in process.stdout


def test_the_web_edition_article_pages_carry_tables_lists_and_pictures(rich, tmp_path):
    folder, _, _ = rich
    site = tmp_path / "publish"
    process = run_huikan("publish", str(folder), "-o", str(site), "--build", str(tmp_path / "build"))
    assert process.returncode == 0, process.stderr
    page = (site / "rich" / "a.html").read_text(encoding="utf-8")
    assert '<div class="table-wrap"><table class="table">' in page and "<caption>表1主要质量指标</caption>" in page
    assert '<ol class="list list-1">' in page and "<strong>加粗的重点</strong>" in page
    found = re.search(r'<img src="(images/[0-9a-f]{16}-900\.png)"', page)
    assert found and (site / "rich" / found.group(1)).is_file()


def test_a_table_too_wide_for_the_text_block_is_set_smaller_down_to_a_floor(tmp_path):
    folder = new_issue(tmp_path / "issue")
    wide_header = "| " + " | ".join(f"指标项目{n}" for n in range(9)) + " |"
    wide_row = "| " + " | ".join("1,234,567.8" for _ in range(9)) + " |"
    (folder / "a.md").write_text("# 表格\n\n正文。\n\n| 指标 | 数值 |\n| --- | --- |\n| 合格率 | 99.2% |\n\n"
                                 f"{wide_header}\n|{' --- |' * 9}\n{wide_row}\n", encoding="utf-8")
    out = tmp_path / "build"
    assert run_huikan("build", str(folder), "-o", str(out), "--formats", "pdf").returncode == 0
    with pdfplumber.open(str(out / "t" / "t.pdf")) as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    size_of = {c["text"]: round(c["size"], 1) for c in chars if c["text"] in "合率项"}
    assert size_of["合"] == 9.0 and size_of["项"] == 7.0


@pytest.mark.parametrize(("marker", "shown_as"), [("1.", "decimal"), ("（三）", "chineseCounting"),
                                                  ("④", "decimalEnclosedCircleChinese"), ("十二、", "chineseCounting"),
                                                  ("三是", "chineseCounting")])
def test_list_numbers_are_written_and_read_in_the_same_style(marker, shown_as):
    from huikan.ingest.docx_parts import format_number
    from huikan.render.docx.blocks import number_format

    fmt, text, start = number_format(marker)
    assert fmt == shown_as
    assert text.replace("%1", format_number(start, fmt)) == marker


def test_a_picture_that_does_not_fit_goes_to_the_next_page_top_and_text_fills_the_gap(tmp_path):
    folder = new_issue(tmp_path / "issue")
    (folder / "images").mkdir()
    Image.new("RGB", (900, 700), (30, 90, 160)).save(folder / "images" / "scene.png")
    paragraphs = [f"第{n}段。" + "质量是企业的生命，标准是质量的基础。" * 12 for n in range(1, 12)]
    picture = "![质量月活动现场](images/scene.png)"
    (folder / "a.md").write_text("# 质量提升行动\n\n" + "\n\n".join([*paragraphs[:5], picture, *paragraphs[5:]]) + "\n",
                                 encoding="utf-8")
    process = run_huikan("build", str(folder), "-o", str(tmp_path / "out"))
    assert process.returncode == 0, process.stderr
    with pdfplumber.open(str(tmp_path / "out" / "t" / "t.pdf")) as pdf:
        number = next(i for i, page in enumerate(pdf.pages) if page.images)
        page, before = pdf.pages[number], pdf.pages[number - 1]
        image = page.images[0]
        above = [c for c in page.chars if c["bottom"] < image["top"] and abs(c["size"] - 10.5) < 0.1]
        assert not above  # no body text above the picture: it heads its page
        assert "图1" in page.extract_text()
        last = max(c["bottom"] for c in before.chars if abs(c["size"] - 10.5) < 0.1)
        # The text after the picture filled the page before it, to within a paragraph (five lines, 18 pt each).
        assert last > before.height * 0.9 - 5 * 18
        assert "第6段" in before.extract_text().replace(" ", "")
    text = subprocess.run(["pdftotext", str(tmp_path / "out" / "t" / "t.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(" ", "")
    assert [text.count(f"第{n}段") for n in range(1, 12)] == [1] * 11  # every paragraph once, none lost
