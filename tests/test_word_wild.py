"""Word files from the wild: constructs that real contributors' files hold, each read as Word shows it and,
where Pandoc reads it right, as Pandoc's docx reader does (`pandoc -t plain`): the title block, headings
with bookmarks and nested links, pictures captioned by alt text or a text box, fields, notes in headings
and cells, m² in code, list numbers that continue or restart, text kept in frames, and damaged parts."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import unicodedata

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm

from conftest import new_issue, run_huikan

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SHAPES = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
          'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:v="urn:schemas-microsoft-com:vml"')
NOT_COMPARED = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")
needs_pandoc = pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc (apt-get install pandoc) not here")


def plain(path) -> str:
    """What Pandoc reads from a Word file, as comparable text: its title block and body, m² and CO₂ as m2 and
    CO2, without note marks and without the numbers it gives list items (it counts them itself)."""
    text = subprocess.run(["pandoc", "-s", "-t", "plain", str(path)], capture_output=True, text=True,
                          check=True).stdout
    text = re.sub(r"(?m)^\s*\d+\.\s+", "", re.sub(r"\[\d+\]", "", text))
    return NOT_COMPARED.sub("", unicodedata.normalize("NFKC", text))


def inspect(folder) -> dict:
    process = run_huikan("inspect", str(folder), "--json")
    assert process.returncode == 0, process.stderr
    return json.loads(process.stdout)


def one_article(tmp_path, make, name="a.docx") -> tuple[dict, list[dict], object]:
    folder = new_issue(tmp_path / "issue")
    make(folder / name)
    data = inspect(folder)
    return data["articles"][0], data["diagnostics"], folder / name


def body_text(article: dict) -> str:
    return NOT_COMPARED.sub("", "".join(b["text"] for b in article["blocks"]))


def run(xml: str):
    return parse_xml(f'<w:r {W}>{xml}</w:r>')


def text_box(lines: list[str]):
    """A text box as Word writes it: a shape, and the same box again as VML for older readers."""
    paragraphs = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in lines)
    return parse_xml(
        f'<w:r {SHAPES}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" '
        'distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" '
        'allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0'
        '</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset>'
        '</wp:positionV><wp:extent cx="3000000" cy="300000"/><wp:wrapNone/><wp:docPr id="9" name="文本框 9"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        f'<wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx><w:txbxContent>{paragraphs}</w:txbxContent></wps:txbx>'
        '<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback>'
        f'<w:pict><v:shape><v:textbox><w:txbxContent>{paragraphs}</w:txbxContent></v:textbox></v:shape></w:pict>'
        '</mc:Fallback></mc:AlternateContent></w:r>')


def photo() -> io.BytesIO:
    from PIL import Image

    data = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 30, 30)).save(data, "PNG")
    data.seek(0)
    return data


# The title block ---------------------------------------------------------------------------------------------

def title_block(path):
    document = docx.Document()
    document.add_paragraph("质量强国建设的路径选择", style="Title")
    document.add_paragraph("——以长三角为例", style="Subtitle")
    for name in ("Author", "Date", "Abstract"):
        document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("王明　李华", style="Author")
    document.add_paragraph("2020年6月18日", style="Date")
    document.add_paragraph("摘要：本文讨论长三角质量强国建设的路径。", style="Abstract")
    document.add_paragraph("质量是发展的基础。")
    document.save(str(path))


@needs_pandoc
def test_the_title_block_gives_title_subtitle_authors_date_and_abstract(tmp_path):
    article, _, path = one_article(tmp_path, title_block)
    assert (article["title"], article["subtitle"], article["authors"], article["date"]) == \
        ("质量强国建设的路径选择", "以长三角为例", ["王明", "李华"], "2020年6月18日")
    assert article["summary"] == "本文讨论长三角质量强国建设的路径。"  # without its label
    assert [b["text"] for b in article["blocks"]] == ["质量是发展的基础。"]
    # Pandoc's plain text shows the title, author and date of the title block, then the body.
    ours = NOT_COMPARED.sub("", article["title"] + "".join(article["authors"]) + article["date"]) + body_text(article)
    assert ours == plain(path)


def test_the_date_is_under_the_byline_in_every_edition(tmp_path):
    folder = new_issue(tmp_path / "issue", "d")
    title_block(folder / "a.docx")
    process = run_huikan("build", str(folder), "-o", str(tmp_path / "out"), "--formats", "pdf,docx,html,wechat")
    assert process.returncode == 0, process.stderr
    out = tmp_path / "out" / "d"
    pdf = subprocess.run(["pdftotext", str(out / "d.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "王明李华2020年6月18日摘要" in NOT_COMPARED.sub("", pdf)
    written = docx.Document(str(out / "d.docx"))
    assert [p.text for p in written.paragraphs if p.style.name == "Date"] == ["2020年6月18日"]
    assert '<p class="article-date">2020年6月18日</p>' in (out / "d.html").read_text(encoding="utf-8")
    wechat = (out / "wechat" / "a.html").read_text(encoding="utf-8")
    assert "王明李华2020年6月18日" in NOT_COMPARED.sub("", re.sub(r"<[^>]+>", "", wechat))
    again = new_issue(tmp_path / "again")  # huikan's own Word file reads back the same
    shutil.copyfile(out / "d.docx", again / "d.docx")
    assert inspect(again)["articles"][0]["date"] == "2020年6月18日"


# Headings with bookmarks and links inside -------------------------------------------------------------------

def bookmarked_heading(path):
    document = docx.Document()
    document.add_paragraph("标准化工作要点", style="Title")
    heading = document.add_heading("", level=1)
    for xml in (f'<w:bookmarkStart {W} w:id="0" w:name="_Toc1"/>', f'<w:r {W}><w:t>一、质量</w:t></w:r>',
                f'<w:hyperlink {W} w:anchor="_Toc2"><w:r><w:t>提升</w:t></w:r><w:bookmarkStart w:id="1" w:name="b"/>'
                '<w:hyperlink w:anchor="_Ref3"><w:r><w:t>行动</w:t></w:r></w:hyperlink></w:hyperlink>',
                f'<w:bookmarkEnd {W} w:id="0"/>', f'<w:r {W}><w:t>的成效</w:t></w:r>'):
        heading._p.append(parse_xml(xml))
    document.add_paragraph("今年各项工作稳步推进。")
    document.save(str(path))


@needs_pandoc
def test_a_heading_keeps_all_of_its_text_around_bookmarks_and_nested_links(tmp_path):
    article, _, path = one_article(tmp_path, bookmarked_heading)
    assert article["blocks"][0] == {"type": "heading", "level": 1, "text": "一、质量提升行动的成效", "line": 2}
    assert NOT_COMPARED.sub("", article["title"]) + body_text(article) == plain(path)


# Pictures: alt text, and a caption in a text box -----------------------------------------------------------

def pictures(path):
    document = docx.Document()
    document.add_paragraph("活动掠影", style="Title")
    document.add_paragraph("第一段。")
    document.add_picture(photo(), width=Cm(6))  # its alt text is its caption
    document.paragraphs[-1]._p.xpath(".//wp:docPr")[0].set("descr", "质量月活动现场")
    document.add_paragraph("第二段。")
    document.add_picture(photo(), width=Cm(6))  # a caption in a text box under it
    document.add_paragraph()._p.append(text_box(["图2 颁奖仪式"]))
    document.add_paragraph("第三段。")
    document.add_picture(photo(), width=Cm(6))  # a text box in its own paragraph; Word's own alt text ignored
    document.paragraphs[-1]._p.append(text_box(["图3 合影"]))
    document.paragraphs[-1]._p.xpath(".//wp:docPr")[0].set("descr", "图片包含 人员 描述已自动生成")
    document.add_paragraph("第四段。")
    document.add_picture(photo(), width=Cm(6))  # the article ends with a picture
    document.save(str(path))


def test_pictures_take_their_alt_text_or_a_text_box_beside_them_as_caption_and_stay_in_place(tmp_path):
    article, diagnostics, _ = one_article(tmp_path, pictures)
    shown = [(b["type"], b["text"], bool(b.get("image"))) for b in article["blocks"]]
    assert shown == [("paragraph", "第一段。", False), ("caption", "质量月活动现场", True),
                     ("paragraph", "第二段。", False), ("caption", "图2 颁奖仪式", True),
                     ("paragraph", "第三段。", False), ("caption", "图3 合影", True),
                     ("paragraph", "第四段。", False), ("caption", "", True)]
    assert not [d for d in diagnostics if d["code"] == "text-box"]


# Fields ------------------------------------------------------------------------------------------------------

def fields(path):
    begin, separate, end = (run(f'<w:fldChar w:fldCharType="{k}"/>') for k in ("begin", "separate", "end"))
    document = docx.Document()
    document.add_paragraph("交叉引用", style="Title")
    shapes = {
        "pageref": ["详见第", begin, run('<w:instrText xml:space="preserve"> PAGEREF _Ref1 \\h </w:instrText>'),
                    separate, run("<w:t>3</w:t>"), end, run("<w:t>页。</w:t>")],
        "ref in a link": ["如", parse_xml(
            f'<w:hyperlink {W} w:anchor="_Ref2"><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>'
            ' REF _Ref2 \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>表2'
            '</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink>'), run("<w:t>所示。</w:t>")],
        "simple": ["见", parse_xml(f'<w:fldSimple {W} w:instr=" REF _Ref3 \\h "><w:r><w:t>图1</w:t></w:r>'
                                   '</w:fldSimple>'), run("<w:t>。</w:t>")],
    }
    for parts in shapes.values():
        p = document.add_paragraph(parts[0])
        for part in parts[1:]:
            p._p.append(parse_xml(part.xml) if hasattr(part, "xml") else part)
    # A field nested in another's code: Word shows the outer field's result only.
    p = document.add_paragraph("参见第")
    for part in (begin, run("<w:instrText> PAGEREF </w:instrText>"), begin, run("<w:instrText> REF x </w:instrText>"),
                 separate, run("<w:t>_Ref9</w:t>"), end, separate, run("<w:t>12</w:t>"), end, run("<w:t>页。</w:t>")):
        p._p.append(parse_xml(part.xml))
    document.save(str(path))


@needs_pandoc
def test_fields_are_read_as_the_text_they_show(tmp_path):
    article, _, path = one_article(tmp_path, fields)
    assert [b["text"] for b in article["blocks"]] == ["详见第3页。", "如表2所示。", "见图1。", "参见第12页。"]
    # Pandoc agrees on the first two; it leaves out a simple field's result (图1) and shows a nested field's
    # result from the code of the field around it (_Ref9 before 12), which Word does not show.
    assert plain(path) == "交叉引用详见第3页如表2所示见参见第Ref912页"


# Notes in headings, table cells and the title ----------------------------------------------------------------

def notes_everywhere(path):
    from huikan.model import Note
    from huikan.render.docx.notes import Footnotes

    document = docx.Document()
    notes = Footnotes(document)
    notes.add(document.add_paragraph("小微企业质量提升调查", style="Title"), Note(0, "基金项目：市科委软科学课题。"))
    notes.add(document.add_heading("一、调查概况", level=1), Note(0, "本节数据截至2020年5月。"))
    document.add_paragraph("调查覆盖五个区。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "数值"
    table.cell(1, 0).text = "合格率"
    notes.add(table.cell(1, 0).paragraphs[0], Note(0, "按抽检批次计。"))
    table.cell(1, 1).text = "98.5%"
    document.save(str(path))


@needs_pandoc
def test_notes_in_a_title_a_heading_and_a_table_cell_are_carried(tmp_path):
    article, diagnostics, path = one_article(tmp_path, notes_everywhere)
    heading, _, table = article["blocks"]
    assert [(n["at"], n["text"], n["number"]) for n in heading["notes"]] == \
        [(0, "基金项目：市科委软科学课题。", 1), (6, "本节数据截至2020年5月。", 2)]
    cell = table["rows"][1][0]
    assert (cell["text"], [(n["at"], n["text"], n["number"]) for n in cell["notes"]]) == \
        ("合格率", [(3, "按抽检批次计。", 3)])
    assert not [d for d in diagnostics if d["code"] == "note-left-out"]
    assert [d["code"] for d in diagnostics if d["code"] == "head-note"] == ["head-note"]
    notes = [n["text"] for n in heading["notes"]] + [n["text"] for n in cell["notes"]]
    their_notes = re.findall(r"^\[\d+\] (.+)$", subprocess.run(["pandoc", "-t", "plain", str(path)],
                             capture_output=True, text=True, check=True).stdout, re.M)
    assert notes == their_notes


def test_notes_of_headings_and_cells_are_footnotes_in_print_word_and_web(tmp_path):
    folder = new_issue(tmp_path / "issue", "n")
    notes_everywhere(folder / "a.docx")
    process = run_huikan("build", str(folder), "-o", str(tmp_path / "out"))
    assert process.returncode == 0, process.stderr
    out = tmp_path / "out" / "n"
    pdf = subprocess.run(["pdftotext", "-layout", str(out / "n.pdf"), "-"], capture_output=True, text=True,
                         check=True).stdout
    foot = [NOT_COMPARED.sub("", line) for line in pdf.splitlines() if re.match(r"\s*[123] \S", line)]
    assert foot == ["1基金项目市科委软科学课题", "2本节数据截至2020年5月", "3按抽检批次计"]  # at the page's foot
    from pypdf import PdfReader

    assert "一、调查概况" in [item.title for item in _outline(PdfReader(str(out / "n.pdf")).outline)]
    word = subprocess.run(["pandoc", "-t", "plain", str(out / "n.docx")], capture_output=True, text=True,
                          check=True).stdout
    assert "合格率[3]" in word and "[3] 按抽检批次计。" in word
    html = (out / "n.html").read_text(encoding="utf-8")
    assert 'id="note-a-3" value="3">按抽检批次计。' in html


def _outline(items):
    for item in items:
        yield from _outline(item) if isinstance(item, list) else [item]


# m² in code ------------------------------------------------------------------------------------------------------

def raised_in_code(path):
    document = docx.Document()
    document.add_paragraph("车间面积", style="Title")
    document.styles.add_style("Superscript Char", WD_STYLE_TYPE.CHARACTER).font.superscript = True
    verbatim = document.styles.add_style("Verbatim Char", WD_STYLE_TYPE.CHARACTER)
    verbatim.base_style = document.styles["Superscript Char"]
    p = document.add_paragraph("洁净车间面积为1200 m")
    p.add_run("2", style="Verbatim Char")  # raised by its code style's base
    p.add_run("。")
    document.styles.add_style("HTML Preformatted", WD_STYLE_TYPE.PARAGRAPH)
    p = document.add_paragraph("area = 1200 m", style="HTML Preformatted")
    p.add_run("2").font.superscript = True
    document.save(str(path))


@needs_pandoc
def test_m2_in_a_code_style_or_a_preformatted_line_stays_raised(tmp_path):
    article, _, path = one_article(tmp_path, raised_in_code)
    paragraph, code = article["blocks"]
    [span] = paragraph["spans"]
    assert (paragraph["text"][:span["start"]], paragraph["text"][span["start"]:span["end"]], span["style"]) == \
        ("洁净车间面积为1200 m", "2", "superscript")
    assert code == {"type": "preformatted", "text": "area = 1200 m²", "line": 3}
    ours = NOT_COMPARED.sub("", unicodedata.normalize("NFKC", article["title"] + paragraph["text"] + code["text"]))
    assert ours == plain(path)


# List numbers ------------------------------------------------------------------------------------------------

def numbered(path):
    document = docx.Document()
    document.add_paragraph("年度工作安排", style="Title")
    numbering = document.part.numbering_part.element
    numbering.find(qn("w:num")).addprevious(parse_xml(
        f'<w:abstractNum {W} w:abstractNumId="80"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt '
        'w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:lvlRestart '
        'w:val="0"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%2"/></w:lvl></w:abstractNum>'))
    for num, override in (("81", ""), ("82", ""), ("83", '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>'
                                                          '</w:lvlOverride>')):
        numbering.append(parse_xml(f'<w:num {W} w:numId="{num}"><w:abstractNumId w:val="80"/>{override}</w:num>'))

    def item(text, num, level=0):
        p = document.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {W}><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/>'
                                               '</w:numPr>'))

    item("总体要求", "81")
    item("稳中求进", "81", 1)
    document.add_paragraph("以上为总的原则。")
    item("重点任务", "81")  # continues across the paragraph
    item("培训", "81", 1)  # never restarts (lvlRestart 0)
    item("保障措施", "82")  # another instance of the same list: continues
    document.add_paragraph("附：分工安排")
    item("组织领导", "83")  # restarts where its instance first numbers
    item("经费保障", "83")
    document.save(str(path))


@needs_pandoc
def test_list_numbers_continue_and_restart_as_word_counts_them(tmp_path):
    article, _, path = one_article(tmp_path, numbered)
    items = [(b.get("marker", ""), b["text"]) for b in article["blocks"]]
    assert items == [("一、", "总体要求"), ("①", "稳中求进"), ("", "以上为总的原则。"), ("二、", "重点任务"),
                     ("②", "培训"), ("三、", "保障措施"), ("", "附：分工安排"), ("一、", "组织领导"),
                     ("二、", "经费保障")]
    assert NOT_COMPARED.sub("", article["title"]) + body_text(article) == plain(path)


# Text in frames ----------------------------------------------------------------------------------------------

def in_a_one_cell_table(path):
    document = docx.Document()
    document.add_paragraph("关于推进质量管理小组活动的通知", style="Title")
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].text = "各会员单位："
    cell.add_paragraph("为进一步推进群众性质量管理活动，现将有关事项通知如下。")
    cell.add_paragraph("请于六月底前报送成果材料，逾期不再受理。")
    document.save(str(path))


def in_text_boxes(path):
    document = docx.Document()
    document.add_paragraph("企业质量信用建设经验谈", style="Title")
    document.add_paragraph()._p.append(text_box(["质量信用是企业的立身之本，近年来协会组织会员单位开展了信用评价。",
                                                 "评价覆盖制造、服务和建筑三大行业，共有一百二十家企业参加。"]))
    document.save(str(path))


def test_text_kept_in_a_layout_table_is_read_as_paragraphs(tmp_path):
    article, diagnostics, _ = one_article(tmp_path, in_a_one_cell_table)
    assert [(b["type"], b["text"]) for b in article["blocks"]] == [
        ("paragraph", "各会员单位："), ("paragraph", "为进一步推进群众性质量管理活动，现将有关事项通知如下。"),
        ("paragraph", "请于六月底前报送成果材料，逾期不再受理。")]
    assert [d["code"] for d in diagnostics] == ["frames"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (libreoffice-writer-nogui) not installed")
def test_a_doc_whose_text_is_in_text_boxes_is_read_whole(tmp_path):
    in_text_boxes(tmp_path / "boxes.docx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "doc",
                    "--outdir", str(tmp_path), str(tmp_path / "boxes.docx")], capture_output=True, check=True,
                   timeout=180)
    folder = new_issue(tmp_path / "issue")
    shutil.copyfile(tmp_path / "boxes.doc", folder / "boxes.doc")
    article = inspect(folder)["articles"][0]
    assert article["title"] == "企业质量信用建设经验谈"
    assert [b["text"] for b in article["blocks"]] == [
        "质量信用是企业的立身之本，近年来协会组织会员单位开展了信用评价。",
        "评价覆盖制造、服务和建筑三大行业，共有一百二十家企业参加。"]


# Damaged files -----------------------------------------------------------------------------------------------

def test_a_header_reference_without_its_part_does_not_stop_the_reader(tmp_path):
    import zipfile

    document = docx.Document()
    document.add_paragraph("页眉损坏的文件", style="Title")
    document.add_paragraph("正文照常读出。")
    document.sections[0].header.paragraphs[0].text = "内部资料"
    document.save(str(tmp_path / "whole.docx"))
    folder = new_issue(tmp_path / "issue")
    with zipfile.ZipFile(tmp_path / "whole.docx") as source, zipfile.ZipFile(folder / "a.docx", "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":  # the reference loses its r:id, as a broken tool writes it
                data = re.sub(rb'(<w:headerReference[^>]*?) r:id="[^"]*"', rb"\1", data)
            target.writestr(item, data)
    article = inspect(folder)["articles"][0]
    assert [b["text"] for b in article["blocks"]] == ["正文照常读出。"]


def test_inspect_exits_1_when_a_file_cannot_be_read_as_check_does(tmp_path):
    folder = new_issue(tmp_path / "issue")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not a zip at all")
    for command in (["inspect"], ["inspect", "--json"], ["check"]):
        process = run_huikan(*command, str(folder))
        assert process.returncode == 1, (command, process.stdout, process.stderr)
        said = process.stdout + process.stderr
        assert "broken.docx" in said and "not a readable Word file" in said and "bad-docx" in said, said
        assert "Traceback" not in process.stderr


def test_a_note_where_no_edition_can_set_it_is_named(tmp_path):
    from huikan.model import Note
    from huikan.render.docx.notes import Footnotes

    def caption_with_note(path):
        document = docx.Document()
        notes = Footnotes(document)
        document.add_paragraph("活动掠影", style="Title")
        document.add_paragraph("正文。")
        notes.add(document.add_paragraph("图1 现场", style="Caption"), Note(0, "摄影：王明。"))
        document.save(str(path))

    _, diagnostics, _ = one_article(tmp_path, caption_with_note)
    assert [(d["code"], d["line"]) for d in diagnostics if d["code"] == "note-left-out"] == [("note-left-out", 3)]
