"""Rendering reads only the issue folder and the theme: never other files, never the network."""

import pypdf

from conftest import THEME, run_huikan
from huikan.model import Issue
from huikan.render.pdf import render_pdf

ARTICLE = """---
title: 图片来源测试
section: 协会动态
---

正文第一段，说明图片来源的检查。

![系统文件](file:///etc/passwd)

![网络图片](http://example.com/photo.png)

正文最后一段到此结束，[点此查看](javascript:alert(1))。
"""


def test_files_outside_the_issue_and_network_images_are_refused(issue_copy, tmp_path):
    (issue_copy / "zz_images.md").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    process = run_huikan("build", str(issue_copy), "-o", str(out), "--formats", "pdf")
    assert process.returncode == 0, process.stderr
    assert "Traceback" not in process.stderr
    assert "zz_images.md:8: warning: picture 'file:///etc/passwd' left out" in process.stderr
    assert "zz_images.md:10: warning: picture 'http://example.com/photo.png' left out" in process.stderr
    assert "zz_images.md:12: warning: link 'javascript:alert(1)' left out" in process.stderr
    reader = pypdf.PdfReader(str(out / "2020-06" / "2020-06.pdf"))
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert "root:" not in text and "图片来源测试" in text
    assert images_in(out / "2020-06" / "2020-06.pdf") == 0


def images_in(path) -> int:
    reader = pypdf.PdfReader(str(path))
    return sum(1 for page in reader.pages for x in page["/Resources"].get("/XObject", {}).values()
               if x.get_object().get("/Subtype") == "/Image")


def test_the_pdf_renderer_fetches_nothing_outside_its_folders(tmp_path):
    """Behind ingest, WeasyPrint's fetcher refuses whatever a template or stylesheet names."""
    (tmp_path / "images").mkdir()
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
    (tmp_path / "images" / "ok.png").write_bytes(png)
    html = ('<html lang="zh-CN"><body><p>正文</p><img src="images/ok.png">'
            '<img src="file:///etc/passwd"><img src="http://example.com/x.png">'
            '<link rel="stylesheet" href="https://example.com/x.css"></body></html>')
    theme = tmp_path / "templates"
    theme.mkdir()
    (theme / "issue.html").write_text(html, encoding="utf-8")
    target = tmp_path / "out.pdf"
    _, refused = render_pdf(Issue(id="t", title="t"), [theme, THEME], tmp_path, [tmp_path / "images", THEME], target)
    assert set(refused) == {"file:///etc/passwd", "http://example.com/x.png", "https://example.com/x.css"}
    assert images_in(target) == 1
