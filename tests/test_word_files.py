"""Word files as contributors send them: tracked changes, content controls, comments, symbols, drop caps,
superscripts, their own 目录, Title styles, and .doc/.rtf/.odt. The text huikan reads is compared with
what Pandoc's docx reader (`--track-changes=accept`) reads, the reference a Word user would trust."""

from __future__ import annotations

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

from conftest import new_issue, run_huikan

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
NOT_COMPARED = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")
needs_pandoc = pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc (apt-get install pandoc) not here")


def tracked(path):
    document = docx.Document()
    document.add_paragraph("质量提升行动的新进展", style="Title")
    p = document.add_paragraph("本市企业")
    p._p.append(parse_xml(f'<w:ins {W} w:id="1" w:author="张三" w:date="2020-06-01T00:00:00Z">'
                          '<w:r><w:t>积极</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:r {W}><w:t>推进质量管理体系建设，</w:t></w:r>'))
    p._p.append(parse_xml(f'<w:del {W} w:id="2" w:author="李四" w:date="2020-06-01T00:00:00Z">'
                          '<w:r><w:delText>已经基本完成，</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:r {W}><w:t>取得明显成效。</w:t></w:r>'))
    document.save(str(path))


def controls(path):
    """An institutional template: the body in content controls, at block, run and cell level, nested."""
    document = docx.Document()
    document.add_paragraph("标准化工作年度总结", style="Title")
    body = document.element.body
    block = parse_xml(f'<w:sdt {W}><w:sdtPr><w:alias w:val="正文"/></w:sdtPr><w:sdtContent>'
                      '<w:p><w:r><w:t>一年来，协会围绕团体标准开展了大量工作。</w:t></w:r></w:p>'
                      '<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>共发布团体标准</w:t></w:r>'
                      '<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>十二项</w:t></w:r></w:sdtContent></w:sdt>'
                      '<w:r><w:t>，覆盖多个行业。</w:t></w:r></w:p></w:sdtContent></w:sdt>'
                      '</w:sdtContent></w:sdt>')
    body.insert(len(body) - 1, block)
    table = document.add_table(rows=1, cols=2)
    cell = table.cell(0, 0)._tc
    cell.remove(cell.p_lst[0])
    cell.append(parse_xml(f'<w:sdt {W}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>标准数量</w:t></w:r></w:p>'
                          '</w:sdtContent></w:sdt>'))
    table.cell(0, 1).text = "12"
    document.save(str(path))


def scripts(path):
    document = docx.Document()
    document.add_paragraph("检测指标说明", style="Title")
    p = document.add_paragraph("车间面积为1200 m")
    p.add_run("2").font.superscript = True
    p.add_run("，CO")
    p.add_run("2").font.subscript = True
    p.add_run("排放限值为10")
    p.add_run("-6").font.superscript = True
    p.add_run("。")
    document.save(str(path))


def drop_cap_and_symbols(path):
    document = docx.Document()
    document.add_paragraph("质量文化建设漫谈", style="Title")
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(f'<w:p {W}><w:pPr><w:framePr w:dropCap="drop" w:lines="3"/></w:pPr>'
                                         '<w:r><w:t>质</w:t></w:r></w:p>'))
    p = document.add_paragraph("量是企业的生命，温度控制在20")
    p._p.append(parse_xml(f'<w:r {W}><w:sym w:font="Symbol" w:char="F0B0"/></w:r>'))
    p.add_run("C")
    p._p.append(parse_xml(f'<w:r {W}><w:sym w:font="Symbol" w:char="F0B1"/></w:r>'))
    p.add_run("2")
    p._p.append(parse_xml(f'<w:r {W}><w:sym w:font="Symbol" w:char="F0B0"/></w:r>'))
    p.add_run("C以内。")
    document.save(str(path))


def own_contents_and_styles(path):
    """A report with its own table of contents (a content control, as Word inserts it, and TOC-styled
    entries), Title/Subtitle/作者 paragraphs and a comment."""
    document = docx.Document()
    document.add_paragraph("关于开展质量月活动的报告", style="Title")
    document.add_paragraph("——2020年工作回顾", style="Subtitle")
    document.styles.add_style("作者", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("王建国　李明", style="作者")
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(
        f'<w:sdt {W}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        '<w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>'
        '<w:p><w:r><w:t>目录</w:t></w:r></w:p><w:p><w:r><w:t>一、总体情况 1</w:t></w:r></w:p>'
        '</w:sdtContent></w:sdt>'))
    document.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("二、主要做法 2", style="toc 1")
    document.add_heading("一、总体情况", level=1)
    p = document.add_paragraph("今年质量月活动覆盖全市各区。")
    document.add_comment(p.runs[0], text="请核实覆盖范围", author="编辑部")
    document.add_heading("二、主要做法", level=1)
    document.add_paragraph("各区组织了形式多样的质量宣传活动。")
    document.save(str(path))


FIXTURES = {"tracked.docx": tracked, "controls.docx": controls, "scripts.docx": scripts,
            "dropcap.docx": drop_cap_and_symbols, "report.docx": own_contents_and_styles}


@pytest.fixture(scope="module")
def word_issue(tmp_path_factory):
    folder = new_issue(tmp_path_factory.mktemp("word") / "issue", "word")
    for name, make in FIXTURES.items():
        make(folder / name)
    process = run_huikan("inspect", str(folder), "--json")
    assert process.returncode == 0, process.stderr
    data = json.loads(process.stdout)
    return folder, {a["source"]: a for a in data["articles"]}, data["diagnostics"]


def read_text(article: dict) -> str:
    parts = [article["title"], article.get("subtitle", ""), *article.get("authors", [])]
    for block in article["blocks"]:
        parts.append(block["text"])
        parts += [cell["text"] for row in block.get("rows", []) for cell in row]
    return NOT_COMPARED.sub("", "".join(parts))


def pandoc_text(path) -> str:
    plain = subprocess.run(["pandoc", "-s", "-t", "plain", "--track-changes=accept", str(path)],
                           capture_output=True, text=True, check=True).stdout
    # Pandoc writes m² and CO₂ with Unicode's raised and lowered digits; the model keeps 2 and a span.
    return NOT_COMPARED.sub("", unicodedata.normalize("NFKC", plain))


@needs_pandoc
@pytest.mark.parametrize("name", ["tracked.docx", "controls.docx", "scripts.docx", "dropcap.docx"])
def test_huikan_reads_what_pandoc_reads(word_issue, name):
    folder, articles, _ = word_issue
    assert read_text(articles[name]) == pandoc_text(folder / name)


def test_tracked_changes_are_read_accepted_and_the_editor_is_told(word_issue):
    _, articles, diagnostics = word_issue
    text = articles["tracked.docx"]["blocks"][0]["text"]
    assert text == "本市企业积极推进质量管理体系建设，取得明显成效。"
    (warned,) = [d for d in diagnostics if d["code"] == "tracked-changes"]
    assert "2 tracked changes by 张三、李四" in warned["message"] and warned["path"].endswith("tracked.docx")


def test_a_file_can_have_its_changes_rejected(tmp_path):
    folder = new_issue(tmp_path / "issue", "t", '\n[articles."tracked.docx"]\ntrack_changes = "reject"\n')
    tracked(folder / "tracked.docx")
    data = json.loads(run_huikan("inspect", str(folder), "--json").stdout)
    assert data["articles"][0]["blocks"][0]["text"] == "本市企业推进质量管理体系建设，已经基本完成，取得明显成效。"


def test_content_controls_give_up_their_paragraphs_runs_and_cells(word_issue):
    _, articles, _ = word_issue
    blocks = articles["controls.docx"]["blocks"]
    assert [b["text"] for b in blocks if b["type"] == "paragraph"] == [
        "一年来，协会围绕团体标准开展了大量工作。", "共发布团体标准十二项，覆盖多个行业。"]
    (table,) = [b for b in blocks if b["type"] == "table"]
    assert [c["text"] for c in table["rows"][0]] == ["标准数量", "12"]


def test_superscripts_and_subscripts_are_spans_in_every_output(word_issue, tmp_path):
    folder, articles, _ = word_issue
    block = articles["scripts.docx"]["blocks"][0]
    shifted = [(block["text"][s["start"]:s["end"]], s["style"]) for s in block["spans"]]
    assert shifted == [("2", "superscript"), ("2", "subscript"), ("-6", "superscript")]
    only = new_issue(tmp_path / "one", "one")
    shutil.copyfile(folder / "scripts.docx", only / "scripts.docx")
    assert run_huikan("build", str(only), "-o", str(tmp_path / "out")).returncode == 0
    html = (tmp_path / "out" / "one" / "one.html").read_text(encoding="utf-8")
    assert "m<sup>2</sup>" in html.replace(" ", "") and "CO<sub>2</sub>" in html
    written = docx.Document(str(tmp_path / "out" / "one" / "one.docx"))
    runs = [r for p in written.paragraphs for r in p.runs]
    assert [r.text for r in runs if r.font.superscript] == ["2", "-6"]
    assert [r.text for r in runs if r.font.subscript] == ["2"]
    import pdfplumber

    with pdfplumber.open(str(tmp_path / "out" / "one" / "one.pdf")) as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    body = max(c["size"] for c in chars if c["text"] == "车")
    small = [c["text"] for c in chars if c["text"] in "26-" and c["size"] < body * 0.8]
    assert small.count("2") >= 2 and "6" in small  # set smaller, raised or lowered


def test_a_drop_cap_rejoins_its_paragraph_and_symbols_become_characters(word_issue):
    _, articles, diagnostics = word_issue
    (paragraph,) = articles["dropcap.docx"]["blocks"]
    assert paragraph["text"] == "质量是企业的生命，温度控制在20°C±2°C以内。"
    assert any(d["code"] == "drop-cap" for d in diagnostics)


def test_an_unknown_symbol_is_named(tmp_path):
    folder = new_issue(tmp_path / "issue")
    document = docx.Document()
    document.add_paragraph("符号", style="Title")
    p = document.add_paragraph("见")
    p._p.append(parse_xml(f'<w:r {W}><w:sym w:font="Webdings" w:char="F021"/></w:r>'))
    document.save(str(folder / "s.docx"))
    process = run_huikan("check", str(folder))
    assert "s.docx: warning: a Webdings font symbol (code F021, 1×) has no Unicode character" in process.stdout


def test_the_files_own_contents_is_left_out_and_its_title_styles_are_read(word_issue):
    _, articles, diagnostics = word_issue
    article = articles["report.docx"]
    assert (article["title"], article["subtitle"], article["authors"]) == \
        ("关于开展质量月活动的报告", "2020年工作回顾", ["王建国", "李明"])
    assert [b["text"] for b in article["blocks"]] == ["一、总体情况", "今年质量月活动覆盖全市各区。", "二、主要做法",
                                                      "各区组织了形式多样的质量宣传活动。"]
    assert any(d["code"] == "own-contents" for d in diagnostics)


def test_comments_are_listed_for_the_editor_and_never_printed(word_issue):
    _, articles, diagnostics = word_issue
    (comment,) = [d for d in diagnostics if d["code"] == "comment"]
    assert comment["severity"] == "warning" and comment["line"] > 0
    assert "comment by 编辑部 on '今年质量月活动覆盖全市各区。': '请核实覆盖范围'" in comment["message"]
    assert "请核实" not in json.dumps(articles["report.docx"], ensure_ascii=False)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (libreoffice-writer-nogui) not installed")
def test_doc_rtf_and_odt_files_build_like_docx(tmp_path):
    source = tmp_path / "made"
    source.mkdir()
    scripts(source / "article.docx")
    folder = new_issue(tmp_path / "issue", "conv")
    for fmt in ("doc", "rtf", "odt"):
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                        "--convert-to", fmt, "--outdir", str(source), str(source / "article.docx")],
                       capture_output=True, check=True, timeout=300)
        shutil.copyfile(source / f"article.{fmt}", folder / f"a-{fmt}.{fmt}")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    process = run_huikan("build", str(folder), "-o", str(tmp_path / "out"), "--formats", "pdf", env=env)
    assert process.returncode == 0, process.stdout + process.stderr
    manifest = json.loads((tmp_path / "out" / "conv" / "build.json").read_text(encoding="utf-8"))
    assert [a["title"] for a in manifest["articles"]] == ["检测指标说明"] * 3
    assert len(list((tmp_path / "cache" / "huikan" / "converted").glob("*.docx"))) == 3  # converted once each
    data = json.loads(run_huikan("inspect", str(folder), "--json", env=env).stdout)
    for article in data["articles"]:
        assert article["blocks"][0]["text"].startswith("车间面积为1200 m2，CO2排放限值为10-6")


def test_without_libreoffice_a_doc_file_is_a_clear_error(tmp_path):
    folder = new_issue(tmp_path / "issue")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 not really a Word 97 file")
    process = run_huikan("check", str(folder), env={"PATH": "/nonexistent", "XDG_CACHE_HOME": str(tmp_path)})
    assert process.returncode == 1
    assert "old.doc: error: a .doc file is read through LibreOffice, which is not installed" in process.stdout
    assert "Traceback" not in process.stderr


def noted(path):
    """Footnotes as Word stores them: a footnotes part and a reference run where each mark stands."""
    from huikan.model import Note
    from huikan.render.docx.notes import Footnotes

    document = docx.Document()
    document.add_paragraph("团体标准的作用", style="Title")
    notes = Footnotes(document)
    p = document.add_paragraph("团体标准是市场自主制定的标准")
    notes.add(p, Note(0, "见《中华人民共和国标准化法》第二条。"))
    p.add_run("，由社会团体发布。")
    p = document.add_paragraph("截至2019年底，全国已发布团体标准一万余项")
    notes.add(p, Note(0, "数据来自全国团体标准信息平台。"))
    p.add_run("。")
    document.save(str(path))


@needs_pandoc
def test_footnotes_are_read_with_their_marks_where_pandoc_reads_them(tmp_path):
    folder = new_issue(tmp_path / "issue")
    noted(folder / "noted.docx")
    data = json.loads(run_huikan("inspect", str(folder), "--json").stdout)
    blocks = data["articles"][0]["blocks"]
    marks = [(b["text"][:b["notes"][0]["at"]], b["notes"][0]["text"], b["notes"][0]["number"]) for b in blocks]
    assert marks == [("团体标准是市场自主制定的标准", "见《中华人民共和国标准化法》第二条。", 1),
                     ("截至2019年底，全国已发布团体标准一万余项", "数据来自全国团体标准信息平台。", 2)]
    ours = NOT_COMPARED.sub("", "".join([data["articles"][0]["title"], *(b["text"] for b in blocks),
                                         *(n["text"] for b in blocks for n in b["notes"])]))
    plain = subprocess.run(["pandoc", "-s", "-t", "plain", str(folder / "noted.docx")], capture_output=True, text=True,
                           check=True).stdout
    theirs = NOT_COMPARED.sub("", re.sub(r"\[\d+\]", "", plain))
    assert ours == theirs


def test_footnotes_come_out_as_notes_in_print_word_and_web(tmp_path):
    import pdfplumber

    folder = new_issue(tmp_path / "issue", "n")
    noted(folder / "noted.docx")
    assert run_huikan("build", str(folder), "-o", str(tmp_path / "out")).returncode == 0
    out = tmp_path / "out" / "n"
    with pdfplumber.open(str(out / "n.pdf")) as pdf:
        page = next(p for p in pdf.pages if "全国团体标准信息平台" in (p.extract_text() or "").replace(" ", ""))
        text = page.extract_text().replace(" ", "")
        note_chars = [c for c in page.chars if c["text"] == "台"]
        mark_line = min(c["top"] for c in page.chars if c["text"] == "截")
    assert "见《中华人民共和国标准化法》第二条。" in text  # both notes on the page of their marks
    assert note_chars[-1]["top"] > mark_line and note_chars[-1]["size"] < 10  # at its foot, smaller
    written = docx.Document(str(out / "n.docx"))
    part = next(r.target_part for r in written.part.rels.values() if r.reltype.endswith("/footnotes"))
    footnotes = part.blob.decode("utf-8")
    assert "数据来自全国团体标准信息平台。" in footnotes and footnotes.count("<w:footnote ") == 4  # with 2 separators
    references = [p for p in written.paragraphs if p._p.findall(".//" + qn("w:footnoteReference"))]
    assert [p.text for p in references] == ["团体标准是市场自主制定的标准，由社会团体发布。",
                                            "截至2019年底，全国已发布团体标准一万余项。"]
    html = (out / "n.html").read_text(encoding="utf-8")
    assert '<sup class="note-ref" id="ref-noted-1"><a href="#note-noted-1">1</a></sup>' in html
    assert re.search(r'<li id="note-noted-2" value="2">数据来自全国团体标准信息平台。 <a class="note-back" '
                     r'href="#ref-noted-2"', html)


def test_the_web_editions_article_page_links_each_mark_to_its_note(tmp_path):
    folder = new_issue(tmp_path / "issue", "n")
    noted(folder / "noted.docx")
    assert run_huikan("build", str(folder), "-o", str(tmp_path / "build"), "--formats", "html").returncode == 0
    assert run_huikan("publish", str(folder), "-o", str(tmp_path / "site"), "--build",
                      str(tmp_path / "build")).returncode == 0
    page = (tmp_path / "site" / "n" / "noted.html").read_text(encoding="utf-8")
    note = page.index('<li id="note-noted-1" value="1">见《中华人民共和国标准化法》')
    assert page.index('href="#note-noted-1"') < note


def test_a_title_without_a_style_and_the_authors_unit_are_read_as_such(tmp_path):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    folder = new_issue(tmp_path / "issue", "u")
    document = docx.Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("中小企业质量管理现状调查").font.size = Pt(16)
    document.styles.add_style("作者", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("张伟　刘芳", style="作者")
    document.add_paragraph("（上海市质量协会，上海 200000）")
    document.add_paragraph("本次调查覆盖全市三百余家中小企业。")
    document.save(str(folder / "survey.docx"))
    data = json.loads(run_huikan("inspect", str(folder), "--json").stdout)
    article = data["articles"][0]
    assert (article["title"], article["authors"], article["affiliation"]) == \
        ("中小企业质量管理现状调查", ["张伟", "刘芳"], "（上海市质量协会，上海 200000）")
    assert [b["text"] for b in article["blocks"]] == ["本次调查覆盖全市三百余家中小企业。"]
    assert not [d for d in data["diagnostics"] if d["code"] == "missing-title"]
    assert run_huikan("build", str(folder), "-o", str(tmp_path / "out")).returncode == 0
    out = tmp_path / "out" / "u"
    assert '<p class="affiliation">（上海市质量协会，上海 200000）</p>' in (out / "u.html").read_text(encoding="utf-8")
    written = docx.Document(str(out / "u.docx"))
    assert [p.text for p in written.paragraphs if p.style.name == "作者单位"] == ["（上海市质量协会，上海 200000）"]
    again = new_issue(tmp_path / "again", "a")  # huikan's own Word file reads back the same
    shutil.copyfile(out / "u.docx", again / "u.docx")
    back = json.loads(run_huikan("inspect", str(again), "--json").stdout)["articles"][0]
    assert back["affiliation"] == "（上海市质量协会，上海 200000）"
    text = subprocess.run(["pdftotext", str(out / "u.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "张伟刘芳上海市质量协会上海200000" in NOT_COMPARED.sub("", text)  # under the byline in print


def test_an_equation_is_named_where_it_stands(tmp_path):
    folder = new_issue(tmp_path / "issue")
    document = docx.Document()
    document.add_paragraph("公式", style="Title")
    p = document.add_paragraph("合格率按下式计算：")
    p._p.append(parse_xml('<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">'
                          '<m:r><m:t>P=n/N</m:t></m:r></m:oMath>'))
    document.save(str(folder / "eq.docx"))
    process = run_huikan("check", str(folder))
    assert "eq.docx:2: warning: an equation (公式) is left out: put it in as a picture [not-carried]" in process.stdout
