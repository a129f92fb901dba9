"""Every way out of the issue folder is refused with a message: nothing outside it is read or printed."""

import os

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml

from conftest import new_issue, run_huikan
from test_safe_render import images_in

SECRET = "机密内容不应出现在会刊里。root:x:0:0"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture
def issue(tmp_path):
    """A one-article issue with a secret file beside it, outside the issue folder."""
    (tmp_path / "secret.txt").write_text(f"秘密\n\n{SECRET}\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "photo.png").write_bytes(PNG)
    folder = tmp_path / "issue"
    folder.mkdir()
    (folder / "a.txt").write_text("协会动态一则\n\n上海市质量协会召开会议，传达学习全国两会精神。\n", encoding="utf-8")
    write_config(folder)
    return folder


def write_config(folder, extra=""):
    new_issue(folder, "t", extra)


def assert_secret_not_built(out):
    for path in out.rglob("*") if out.exists() else []:
        if path.is_file() and path.suffix in (".html", ".json"):
            assert "机密内容" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["../secret.txt", "/etc/passwd", "C:/Windows/win.ini", "file:///etc/passwd",
                                  "sub/../../secret.txt"])
def test_a_listed_file_outside_the_issue_is_a_configuration_error(issue, tmp_path, name):
    write_config(issue, f'\n[[sections]]\ntitle = "栏目"\narticles = ["a.txt", "{name}"]\n')
    process = run_huikan("build", str(issue), "-o", str(tmp_path / "out"))
    assert process.returncode == 2, process.stderr
    assert f"{issue / 'issue.toml'}:7: error: '{name}' is outside the issue folder [outside-issue]" in process.stderr
    assert "Traceback" not in process.stderr
    assert not (tmp_path / "out" / "t").exists()  # nothing built


def test_corrections_for_a_file_outside_the_issue_are_refused(issue, tmp_path):
    write_config(issue, '\n[articles."../secret.txt"]\ntitle = "秘密"\n')
    process = run_huikan("check", str(issue))
    assert process.returncode == 2
    assert "'../secret.txt' is outside the issue folder [outside-issue]" in process.stderr + process.stdout


@pytest.mark.parametrize("link_name", ["zz.txt", "passwd.md", "note.docx"])
def test_an_article_that_links_outside_is_refused_whatever_its_name(issue, tmp_path, link_name):
    os.symlink(tmp_path / "secret.txt", issue / link_name)
    process = run_huikan("build", str(issue), "-o", str(tmp_path / "out"))
    assert process.returncode == 1, process.stderr
    assert (f"{issue / link_name}: error: '{link_name}' is a link to a file outside the issue folder: not read "
            "[outside-issue]") in process.stderr
    assert_secret_not_built(tmp_path / "out")


def test_an_article_in_a_folder_linked_from_outside_is_not_read(issue, tmp_path):
    (tmp_path / "elsewhere" / "x.txt").write_text(f"标题\n\n{SECRET}\n", encoding="utf-8")
    os.symlink(tmp_path / "elsewhere", issue / "sub")
    write_config(issue, '\n[[sections]]\ntitle = "栏目"\narticles = ["a.txt", "sub/x.txt"]\n')
    process = run_huikan("build", str(issue), "-o", str(tmp_path / "out"))
    assert process.returncode == 2
    assert "'sub/x.txt' is outside the issue folder [outside-issue]" in process.stderr
    assert_secret_not_built(tmp_path / "out")


def test_an_issue_toml_that_links_outside_is_not_read(tmp_path):
    folder = tmp_path / "issue"
    folder.mkdir()
    (tmp_path / "other.toml").write_text('[publication]\ntitle = "别处"\n', encoding="utf-8")
    os.symlink(tmp_path / "other.toml", folder / "issue.toml")
    process = run_huikan("check", str(folder))
    assert process.returncode == 2
    assert f"{folder / 'issue.toml'}: error: issue.toml links outside the issue folder: not read [outside-issue]" \
        in process.stderr + process.stdout


def test_a_theme_folder_or_file_linked_from_outside_is_refused(issue, tmp_path):
    (tmp_path / "elsewhere" / "print.css").write_text("body { color: red }", encoding="utf-8")
    os.symlink(tmp_path / "elsewhere", issue / "templates")
    process = run_huikan("build", str(issue), "-o", str(tmp_path / "out"))
    assert process.returncode == 2 and "[outside-issue]" in process.stderr, process.stderr
    os.unlink(issue / "templates")
    (issue / "templates").mkdir()
    os.symlink(tmp_path / "secret.txt", issue / "templates" / "stopwords.txt")
    process = run_huikan("build", str(issue), "-o", str(tmp_path / "out"))
    assert process.returncode == 2
    assert f"{issue / 'templates' / 'stopwords.txt'}: error: a theme file that links outside the issue folder " \
           "is not read [outside-issue]" in process.stderr


def test_pictures_from_outside_are_refused_or_left_out_with_a_warning(issue, tmp_path):
    os.symlink(tmp_path / "elsewhere", issue / "images")
    (issue / "b.md").write_text("# 图片\n\n正文一段。\n\n![现场](images/photo.png)\n\n"
                                "![上级](../elsewhere/photo.png)\n\n![绝对](/tmp/photo.png)\n", encoding="utf-8")
    out = tmp_path / "out"
    process = run_huikan("build", str(issue), "-o", str(out), "--formats", "pdf")
    assert process.returncode == 1
    assert f"{issue / 'b.md'}:5: error: picture 'images/photo.png' is outside the issue folder (or links there): " \
           "not read [outside-issue]" in process.stderr
    process = run_huikan("build", str(issue), "-o", str(out), "--formats", "pdf", "--allow-missing-pictures")
    assert process.returncode == 0, process.stderr
    assert f"{issue / 'images'}: warning: images/ links outside the issue folder" in process.stderr
    assert "b.md:7: warning: picture '../elsewhere/photo.png' left out" in process.stderr
    assert "b.md:9: warning: picture '/tmp/photo.png' left out" in process.stderr
    assert images_in(out / "t" / "t.pdf") == 0


def word_file_with_external_references(path):
    document = docx.Document()
    document.add_paragraph("链接测试", style="Title")
    paragraph = document.add_paragraph("正文一段，见")
    rid = document.part.relate_to("file:///etc/passwd", RT.HYPERLINK, is_external=True)
    paragraph._p.append(parse_xml(
        f'<w:hyperlink xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="{rid}">'
        '<w:r><w:t>系统文件</w:t></w:r></w:hyperlink>'))
    picture = document.add_paragraph()
    rid = document.part.relate_to("file:///etc/photo.png", RT.IMAGE, is_external=True)
    picture.add_run()._r.append(parse_xml(
        '<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<a:graphic><a:graphicData><a:blip r:link="{rid}"/></a:graphicData></a:graphic></w:drawing>'))
    document.save(str(path))


def test_a_word_file_pointing_outside_keeps_its_text_and_loses_its_external_links(issue, tmp_path):
    word_file_with_external_references(issue / "w.docx")
    out = tmp_path / "out"
    process = run_huikan("build", str(issue), "-o", str(out), "--formats", "html")
    assert process.returncode == 0, process.stderr
    assert "w.docx:2: warning: link 'file:///etc/passwd' left out" in process.stderr
    assert "w.docx:3: warning: picture linked to 'file:///etc/photo.png' left out" in process.stderr
    html = (out / "t" / "t.html").read_text(encoding="utf-8")
    assert "系统文件" in html and "file:" not in html


def test_hard_links_are_not_told_from_ordinary_files(issue, tmp_path):
    """Documented limit (confine.py): a hard link is an ordinary file inside the folder."""
    os.link(tmp_path / "secret.txt", issue / "hard.txt")
    process = run_huikan("check", str(issue))
    assert "[outside-issue]" not in process.stdout + process.stderr


def test_a_theme_template_cannot_reach_pythons_internals(issue, tmp_path):
    (issue / "templates").mkdir()
    (issue / "templates" / "issue.html").write_text(
        "<html><body>{{ ''.__class__.__mro__[1].__subclasses__() }}</body></html>", encoding="utf-8")
    process = run_huikan("build", str(issue), "-o", str(tmp_path / "out"), "--formats", "html")
    assert process.returncode == 2, process.stderr
    assert "issue.html" in process.stderr and "[template]" in process.stderr and "__class__" in process.stderr
    assert not (tmp_path / "out" / "t").exists()


HOSTILE = "{{ 7*7 }}{% raw %}<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_template_syntax_and_markup_in_articles_are_text_in_every_output(issue, tmp_path):
    (issue / "b.md").write_text(f"---\ntitle: \"标题{HOSTILE}\"\n---\n\n正文{HOSTILE}结束。\n", encoding="utf-8")
    out, site = tmp_path / "build", tmp_path / "publish"
    process = run_huikan("publish", str(issue), "-o", str(site), "--build", str(out))
    assert process.returncode == 0, process.stderr
    pages = [out / "t" / "t.html", *site.rglob("*.html"), site / "search-index.js", site / "feed.xml"]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text, page
        assert "49" not in text.replace("2049", ""), page  # {{ 7*7 }} was never evaluated
    article_pages = [p for p in site.rglob("*.html") if "{{ 7*7 }}" in p.read_text(encoding="utf-8")]
    assert article_pages  # shown as the text it is
    body = docx.Document(str(out / "t" / "t.docx"))
    assert any("{{ 7*7 }}{% raw %}<script>" in p.text for p in body.paragraphs)


def test_a_symlinked_picture_in_images_is_refused_before_anything_is_made(issue, tmp_path):
    (issue / "images").mkdir()
    os.symlink(tmp_path / "elsewhere" / "photo.png", issue / "images" / "photo.png")
    (issue / "b.md").write_text("# 图片\n\n正文一段。\n\n![现场](images/photo.png)\n", encoding="utf-8")
    out = tmp_path / "out"
    process = run_huikan("check", str(issue))
    assert process.returncode == 1 and "b.md:5: error: picture 'images/photo.png' is outside the issue folder" \
        in process.stdout
    process = run_huikan("build", str(issue), "-o", str(out), "--formats", "pdf", "--allow-missing-pictures")
    assert process.returncode == 0, process.stderr
    assert "[outside-issue]" in process.stderr and images_in(out / "t" / "t.pdf") == 0


def test_an_issue_id_cannot_name_a_path(issue, tmp_path):
    (issue / "issue.toml").write_text('[publication]\ntitle = "刊"\n[issue]\nid = "../../etc"\n', encoding="utf-8")
    process = run_huikan("build", str(issue), "-o", str(tmp_path / "out"))
    assert process.returncode == 2 and "issue.id '../../etc' must use only letters" in process.stderr


def test_entities_in_a_word_file_are_not_expanded(issue, tmp_path):
    word_file_with_external_references(issue / "w.docx")
    import zipfile

    source = zipfile.ZipFile(issue / "w.docx")
    target_path = issue / "x.docx"
    with zipfile.ZipFile(target_path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1)
                data = data.replace("正文一段".encode(), b"&xxe;")
            target.writestr(item, data)
    (issue / "w.docx").unlink()
    process = run_huikan("check", str(issue))
    assert process.returncode == 1
    assert f"{target_path}: error: not read: a part of this Word file declares XML entities" in process.stdout
