"""The Word edition as an editor uses it: same text as the PDF, restylable, readable back by huikan."""

import json
import re
import subprocess
import sys

import docx
import pdfplumber
from docx.oxml.ns import qn
from docx.shared import Pt

from conftest import SEEDS, run_huikan

MM = 72 / 25.4
INVISIBLE = re.compile(r"[\s\u2060\u200b]+")
BODY_STYLES = {"栏目", "Heading 1", "Subtitle", "作者", "摘要", "关键词", "Normal", "Heading 2", "Heading 3",
               "Caption", "编者按", "Quote", "附注", "署名"}


def docx_articles(path) -> list[list]:
    """The DOCX's paragraphs after the 目录, one list of (style, text) per article."""
    paragraphs = [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]
    styles = [s for s, _ in paragraphs]
    start = styles.index("TOC Heading") + 1
    while styles[start] not in ("栏目", "Heading 1"):
        start += 1
    groups: list[list] = []
    for style, text in paragraphs[start:]:
        if not groups or style == "栏目" or (style == "Heading 1" and any(s == "Heading 1" for s, _ in groups[-1])):
            groups.append([])
        groups[-1].append((style, text))
    return groups


def pdf_article_text(pdf, first: int, last: int) -> str:
    """The text of pages FIRST..LAST without the running heads (top margin) and folios (bottom)."""
    text = ""
    for number in range(first, last + 1):
        page = pdf.pages[number - 1]
        x0, top, x1, bottom = page.trimbox  # the page as trimmed: the bleed around it holds no text
        text += page.crop((x0, top + 20 * MM, x1, bottom - 18 * MM)).extract_text() or ""
    return INVISIBLE.sub("", text)


def test_docx_text_equals_pdf_text_article_by_article(built):
    groups = docx_articles(built.docx)
    articles = built.manifest["articles"]
    assert len(groups) == len(articles)
    with pdfplumber.open(str(built.pdf)) as pdf:
        for article, paragraphs in zip(articles, groups, strict=True):
            assert {style for style, _ in paragraphs} <= BODY_STYLES
            in_docx = INVISIBLE.sub("", "".join(text for _, text in paragraphs))
            in_pdf = pdf_article_text(pdf, article["start_page"], article["end_page"])
            assert in_docx == in_pdf, article["title"]


def model(folder) -> list[dict]:
    process = run_huikan("inspect", str(folder), "--json")
    assert process.returncode == 0, process.stderr
    keep = ("title", "subtitle", "authors", "section", "signature", "truncated", "summary", "keywords")
    return [{**{k: a[k] for k in keep},
             "blocks": [(b["type"], b.get("level"), b["text"], b.get("lead", "")) for b in a["blocks"]]}
            for a in json.loads(process.stdout)["articles"]]


def test_the_word_file_reads_back_as_the_same_articles(built, tmp_path):
    folder = tmp_path / "corrected"
    folder.mkdir()
    (folder / "issue.docx").write_bytes(built.docx.read_bytes())
    (folder / "issue.toml").write_text('[publication]\ntitle = "上海质量"\n\n[issue]\nid = "corrected"\n',
                                       encoding="utf-8")
    assert model(folder) == model(SEEDS)


def test_openxml_validator_finds_nothing(built):
    process = subprocess.run([sys.executable, "-m", "openxml_audit", str(built.docx), "-o", "json", "-m", "0"],
                             capture_output=True, text=True, timeout=300)
    report = json.loads(process.stdout)[0]
    assert report["error_count"] == 0 and report["warning_count"] == 0, report["errors"][:5]
    assert report["valid"] is True


def test_headers_alternate_like_print_and_openers_have_none(built):
    document = docx.Document(str(built.docx))
    assert document.settings.odd_and_even_pages_header_footer
    assert document.settings.element.find(qn("w:mirrorMargins")) is not None
    titles = [a["title"] for a in built.manifest["articles"]]
    sections = document.sections[1:]
    assert len(sections) == len(titles)
    for section, title in zip(sections, titles, strict=True):
        assert section.different_first_page_header_footer
        assert section.header.paragraphs[0].text == title
        assert section.even_page_header.paragraphs[0].text == "上海质量　2020年第6期"
        assert section.first_page_header.paragraphs[0].text == ""
        for footer in (section.footer, section.even_page_footer, section.first_page_footer):
            assert "PAGE" in "".join(t.text for t in footer.paragraphs[0]._p.iter(qn("w:instrText")))
    assert round(sections[0].page_width.mm) == 210 and round(sections[0].page_height.mm) == 297
    # Only the odd-page header is each article's own: the rest is defined once, to change in one place.
    parts = [rel.target_ref for rel in document.part.rels.values() if not rel.is_external]
    assert sum(name.startswith("header") for name in parts) == len(titles) + 2
    assert sum(name.startswith("footer") for name in parts) == 3


def test_a_reference_docx_replaces_the_styles_and_page_setup(issue_copy, tmp_path):
    reference = issue_copy / "templates" / "reference.docx"
    process = run_huikan("reference-docx", str(reference), "--page-size", "B5")
    assert process.returncode == 0, process.stderr
    again = tmp_path / "again.docx"
    run_huikan("reference-docx", str(again), "--page-size", "B5")
    assert again.read_bytes() == reference.read_bytes()
    # An editor restyles it in Word: body text at 小四 (12 pt).
    document = docx.Document(str(reference))
    assert "编者按" in [s.name for s in document.styles]
    document.styles["Normal"].font.size = Pt(12)
    document.save(str(reference))
    process = run_huikan("build", str(issue_copy), "-o", str(tmp_path / "out"), "--formats", "docx")
    assert process.returncode == 0, process.stderr
    built = docx.Document(str(tmp_path / "out" / "2020-06" / "2020-06.docx"))
    assert built.styles["Normal"].font.size == Pt(12)
    assert round(built.sections[0].page_width.mm) == 176 and round(built.sections[0].page_height.mm) == 250
    assert not any("示例文字" in p.text for p in built.paragraphs)
    assert any(p.style.name == "Heading 1" and p.text == "全国质量强市示范城市创建工作现场会在深圳召开"
               for p in built.paragraphs)


def test_reference_docx_rejects_an_unknown_page_size(tmp_path):
    process = run_huikan("reference-docx", str(tmp_path / "r.docx"), "--page-size", "A3")
    assert process.returncode == 2
    assert "huikan: error:" in process.stderr and "[usage]" in process.stderr and "Traceback" not in process.stderr
    assert not (tmp_path / "r.docx").exists()


def test_the_word_file_leaves_han_latin_spacing_to_word(built):
    text = "".join(p.text for p in docx.Document(str(built.docx)).paragraphs)
    assert "自2013年以来" in text and "自 2013 年以来" not in text


QUOTED = """---
title: 引文与署名
section: 协会动态
---

会上宣读了倡议书。

> 质量是企业的生命，是城市的名片。

本刊记者整理。
"""


def test_quotations_keep_their_style_and_come_back_as_quotations(issue_copy, tmp_path):
    (issue_copy / "zz_quote.md").write_text(QUOTED, encoding="utf-8")
    process = run_huikan("build", str(issue_copy), "-o", str(tmp_path / "out"), "--formats", "docx")
    assert process.returncode == 0, process.stderr
    path = tmp_path / "out" / "2020-06" / "2020-06.docx"
    styles = {p.text: p.style.name for p in docx.Document(str(path)).paragraphs}
    assert styles["质量是企业的生命，是城市的名片。"] == "Quote"
    folder = tmp_path / "again"
    folder.mkdir()
    (folder / "issue.docx").write_bytes(path.read_bytes())
    (folder / "issue.toml").write_text('[publication]\ntitle = "上海质量"\n', encoding="utf-8")
    last = model(folder)[-1]
    assert last["title"] == "引文与署名"
    assert ("quote", None, "质量是企业的生命，是城市的名片。", "") in last["blocks"]
