"""Markdown and Word submissions, and the encodings an editor's machine writes."""

import codecs

import docx
import pytest

from huikan.diagnostics import Report
from huikan.ingest import load_issue
from huikan.ingest.decode import decode
from huikan.ingest.markdown import read_markdown

TEXT = "上海市质量协会召开会议，传达学习全国两会精神。\n"


@pytest.mark.parametrize("raw", [
    TEXT.encode("utf-8"), codecs.BOM_UTF8 + TEXT.encode("utf-8"), TEXT.encode("gb18030"), TEXT.encode("gbk"),
    TEXT.encode("utf-16"), TEXT.replace("\n", "\r\n").encode("utf-8"),
])
def test_every_encoding_decodes_to_the_same_text(raw):
    report = Report()
    assert decode(raw, "a.txt", report) == TEXT
    assert not report.items


def test_utf16_without_a_bom_is_guessed_and_said_so():
    report = Report()
    assert decode(TEXT.encode("utf-16-le"), "a.txt", report) == TEXT
    assert [d.code for d in report.items] == ["encoding-guess"]


def test_control_characters_are_removed_with_a_warning():
    report = Report()
    assert decode("第一行\n第二\x00行\x0b。".encode(), "a.txt", report) == "第一行\n第二行。"
    assert [(d.code, d.line) for d in report.items] == [("control-chars", 2)]


MARKDOWN = """---
title: 质量大讲堂走进企业
subtitle: ——2026年第一讲
authors: [张三, 李四]
keywords: [质量大讲堂, 卓越绩效]
---

第一段正文,讲的是质量。<script>alert(1)</script>

## 一、活动背景

详见[协会网站](https://example.org/a)。

![会议现场](images/scene.png)

> 质量是企业的生命。
"""


def test_markdown_front_matter_and_blocks():
    report = Report()
    [article] = read_markdown(MARKDOWN, "a.md", "a.md", report)
    assert article.title == "质量大讲堂走进企业" and article.subtitle == "2026年第一讲"
    assert article.authors == ["张三", "李四"] and article.keywords == ["质量大讲堂", "卓越绩效"]
    kinds = [(b.type, b.text) for b in article.blocks]
    assert kinds[0] == ("paragraph", "第一段正文，讲的是质量。alert(1)")
    assert ("heading", "一、活动背景") in kinds
    link_block = next(b for b in article.blocks if b.links)
    assert link_block.text[link_block.links[0].start:link_block.links[0].end] == "协会网站"
    assert link_block.links[0].href == "https://example.org/a"
    caption = next(b for b in article.blocks if b.type == "caption")
    assert caption.text == "会议现场" and caption.image == "images/scene.png"
    assert article.blocks[-1].type == "quote"
    assert [d.code for d in report.items] == ["raw-html", "raw-html"]
    assert "<script>" not in "".join(b.text for b in article.blocks)


def test_markdown_unknown_front_matter_key_is_an_error_with_its_line():
    report = Report()
    read_markdown("---\ntitle: 标题\ncolour: blue\n---\n正文。\n", "a.md", "a.md", report)
    assert [(d.severity, d.line, d.code) for d in report.items] == [("error", 3, "unknown-key")]


def _word_submission(path, picture):
    from huikan.render.docx.xml import add_hyperlink

    document = docx.Document()
    document.add_paragraph("协会召开年会", style="Title")
    document.add_paragraph("——第七届理事会第一次会议", style="Subtitle")
    document.add_heading("一、会议概况", level=1)
    p = document.add_paragraph()
    p.add_run("会议指出，").bold = True
    p.add_run("要坚持质量第一,效益优先。")
    document.add_picture(str(picture))
    document.add_paragraph("合影", style="Caption")
    linked = document.add_paragraph("详见")
    add_hyperlink(linked, "协会网站", "https://example.org/")
    document.save(path)


def test_word_submission(tmp_path):
    folder = tmp_path / "issue"
    folder.mkdir()
    (folder / "issue.toml").write_text('[publication]\ntitle = "会刊"\n', encoding="utf-8")
    from PIL import Image

    Image.new("RGB", (4, 3), "red").save(tmp_path / "photo.png")
    _word_submission(folder / "01.docx", tmp_path / "photo.png")
    (folder / "~$01.docx").write_bytes(b"lock")
    report = Report()
    [article] = load_issue(folder, report).articles
    assert article.title == "协会召开年会" and article.subtitle == "第七届理事会第一次会议"
    assert [(b.type, b.text) for b in article.blocks] == [
        ("heading", "一、会议概况"), ("paragraph", "会议指出，要坚持质量第一，效益优先。"), ("caption", "合影"),
        ("paragraph", "详见协会网站")]
    assert article.blocks[1].lead == "会议指出，"
    assert article.blocks[2].image.startswith("data:image/png;base64,")
    link = article.blocks[3].links[0]
    assert (link.start, link.end, link.href) == (2, 6, "https://example.org/")


def test_a_damaged_word_file_is_an_error_not_a_crash(tmp_path):
    folder = tmp_path / "issue"
    folder.mkdir()
    (folder / "issue.toml").write_text('[publication]\ntitle = "会刊"\n', encoding="utf-8")
    (folder / "01.docx").write_bytes(b"not a zip")
    report = Report()
    load_issue(folder, report)
    assert any(d.code == "bad-docx" and d.severity == "error" for d in report.items)


def test_an_unlisted_markdown_article_goes_to_the_section_its_front_matter_names(tmp_path):
    folder = tmp_path / "issue"
    folder.mkdir()
    (folder / "issue.toml").write_text('[publication]\ntitle = "会刊"\n', encoding="utf-8")
    (folder / "01.md").write_text("---\ntitle: 标题\nsection: 质量之窗\n---\n正文。\n", encoding="utf-8")
    issue = load_issue(folder, Report())
    assert [(s.title, [a.title for a in s.articles]) for s in issue.sections] == [("质量之窗", ["标题"])]


@pytest.mark.parametrize("suffix", [".txt", ".md"])
@pytest.mark.parametrize("title", ["企业为什么要做质量管理？", "质量，何以为先？何以为本？", "向质量强国进军！"])
def test_a_question_or_exclamation_title_is_read_whole_with_its_subtitle_and_byline(tmp_path, suffix, title):
    (tmp_path / "issue.toml").write_text('[publication]\ntitle = "上海质量"\n[issue]\nid = "q"\n', encoding="utf-8")
    head = f"# {title}" if suffix == ".md" else title
    body = "质量管理是企业发展的基础，本市企业高度重视质量工作，取得了显著成效。\n\n企业持续改进，不断提升。\n"
    (tmp_path / f"a{suffix}").write_text(f"{head}\n\n——记上海某企业的质量之路\n\n◆张三 / 文\n\n{body}",
                                         encoding="utf-8")
    report = Report()
    [article] = load_issue(tmp_path, report).articles
    assert article.title == title
    assert article.subtitle == "记上海某企业的质量之路" and article.authors == ["张三"]
    assert [b.text for b in article.blocks] == ["质量管理是企业发展的基础，本市企业高度重视质量工作，取得了显著成效。",
                                               "企业持续改进，不断提升。"]
    assert not report.errors


def test_an_issue_of_text_files_is_read_without_the_word_and_markdown_readers(tmp_path):
    import subprocess
    import sys

    from conftest import SEEDS

    code = ("import sys; from pathlib import Path; from huikan.diagnostics import Report; "
            "from huikan.ingest import load_issue; issue = load_issue(Path(sys.argv[1]), Report()); "
            "print(len(issue.articles), 'docx' in sys.modules, 'markdown_it' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(SEEDS)], capture_output=True, text=True, check=True)
    count, word, markdown = done.stdout.split()
    assert int(count) >= 5 and (word, markdown) == ("False", "False")


def test_a_markdown_front_matters_date_is_the_articles_date():
    report = Report()
    [article] = read_markdown("---\ntitle: 质量月\ndate: 2020-06-18\n---\n\n正文。\n", "a.md", "a.md", report)
    assert (article.date, [b.text for b in article.blocks]) == ("2020-06-18", ["正文。"])
    assert not report.items
