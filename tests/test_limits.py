"""Files from people you cannot trust: too large, too deep or malformed gives a message, never a hang or a crash."""

import io
import json
import struct
import zipfile
import zlib

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from conftest import new_issue, run_huikan
from huikan.diagnostics import Report
from huikan.ingest import READERS
from huikan.ingest.docx import read_docx_bytes

FUZZ = settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def make_issue(folder, limits=""):
    new_issue(folder, "t", limits)
    (folder / "a.txt").write_text("协会动态\n\n上海市质量协会召开会议，传达学习全国两会精神。\n", encoding="utf-8")
    return folder


def word_file(extra_members: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("投稿", style="Title")
    document.add_paragraph("正文一段。")
    document.save(buffer)
    if extra_members:
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
            for name, data in extra_members.items():
                archive.writestr(name, data)
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares WIDTH × HEIGHT pixels: what a decompression bomb shows a reader first."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = chunk(b"IDAT", zlib.compress(b"\0" * 64))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + pixels + chunk(b"IEND", b"")


def test_a_word_file_that_unpacks_to_gigabytes_is_refused(tmp_path):
    folder = make_issue(tmp_path / "issue")
    bomb = word_file({"word/media/padding.bin": bytes(210 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024  # small on disk
    (folder / "bomb.docx").write_bytes(bomb)
    process = run_huikan("check", str(folder))
    assert process.returncode == 1
    assert (f"{folder / 'bomb.docx'}: error: a Word file that unpacks to 210 MB is not read (limits.docx_mb = 200) "
            "[too-large]") in process.stdout


def test_a_word_file_of_too_many_parts_is_refused_and_the_limit_is_a_setting(tmp_path):
    folder = make_issue(tmp_path / "issue", "\n[limits]\ndocx_members = 40\n")
    (folder / "many.docx").write_bytes(word_file({f"extra/item{n}.xml": b"<a/>" for n in range(40)}))
    process = run_huikan("check", str(folder))
    assert process.returncode == 1
    assert "many.docx: error: a Word file of " in process.stdout and "(limits.docx_members = 40)" in process.stdout


def test_a_picture_of_too_many_pixels_is_refused_at_its_line(tmp_path):
    folder = make_issue(tmp_path / "issue")
    (folder / "images").mkdir()
    (folder / "images" / "bomb.png").write_bytes(png_header(40_000, 40_000))
    Image.new("RGB", (400, 300), (20, 80, 140)).save(folder / "images" / "ok.png")
    (folder / "b.md").write_text("# 图片\n\n正文。\n\n![大图](images/bomb.png)\n\n![照片](images/ok.png)\n",
                                 encoding="utf-8")
    process = run_huikan("check", str(folder))
    assert process.returncode == 1
    errors = [line for line in process.stdout.splitlines() if ": error: " in line]
    assert errors == [f"{folder / 'b.md'}:5: error: a picture of 1600 million pixels is not used "
                      "(limits.picture_megapixels = 100) [too-large]"]


def test_an_article_over_the_size_limit_is_refused(tmp_path):
    folder = make_issue(tmp_path / "issue", "\n[limits]\narticle_chars = 500\n")
    (folder / "long.txt").write_text("很长的文章\n\n" + "Quality first. " * 40 + "\n", encoding="utf-8")
    (folder / "huge.txt").write_text("巨大\n\n" + "字" * 2000 + "。\n", encoding="utf-8")
    process = run_huikan("check", str(folder))
    assert process.returncode == 1
    assert ("long.txt:1: error: 《很长的文章》 has 599 characters, more than an article may "
            "(limits.article_chars = 500)") in process.stdout
    assert ("huge.txt: error: a file of 6,012 bytes holds more characters than an article may: not read "
            "(limits.article_chars = 500) [too-large]") in process.stdout


def test_the_default_article_limit_takes_a_long_report(tmp_path):
    folder = make_issue(tmp_path / "issue")
    (folder / "report.txt").write_text("工作报告\n\n" + ("推进质量提升行动，服务高质量发展。" * 20 + "\n\n") * 900,
                                       encoding="utf-8")
    process = run_huikan("check", str(folder))
    assert process.returncode == 0, process.stdout


def test_bad_limits_are_configuration_errors(tmp_path):
    folder = make_issue(tmp_path / "issue", "\n[limits]\ndocx_mb = -1\nfiles = 3\n")
    process = run_huikan("check", str(folder))
    assert process.returncode == 2
    said = process.stdout + process.stderr
    assert "issue.toml:8: error: limits.docx_mb must be a whole number above 0 [bad-value]" in said
    assert "issue.toml:9: error: " in said and "[unknown-key]" in said


def test_markdown_nested_beyond_the_limit_is_refused_not_dropped(tmp_path):
    folder = make_issue(tmp_path / "issue")
    (folder / "deep.md").write_text("# 标题\n\n正文。\n\n" + "> " * 200 + "最深处的一句话。\n", encoding="utf-8")
    (folder / "fine.md").write_text("# 引文\n\n" + "> " * 15 + "十五层引文里的一句话。\n", encoding="utf-8")
    process = run_huikan("inspect", str(folder), "--json")
    found = json.loads(process.stdout)
    assert [(d["line"], d["code"]) for d in found["diagnostics"] if d["path"].endswith("deep.md")] == [(5, "too-deep")]
    assert any("十五层引文里的一句话" in b["text"] for a in found["articles"] for b in a["blocks"])


def read_markdown_bytes(raw: bytes) -> tuple[list, Report]:
    report = Report()
    return READERS[".md"](raw, "a.md", "a.md", report), report


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_as_markdown_give_a_model_or_a_message(raw):
    articles, report = read_markdown_bytes(raw)
    assert articles or report.items


MARKDOWN_PIECES = st.sampled_from(["---\n", "title: ", "authors: [", "]\n", "# ", "## ", "> ", "- ", "1. ", "|", "```",
                                   "![x](", "images/a.png", "../", ")", "[链接](", "javascript:", "<div>", "*", "**",
                                   "质量", "。", "\n", "\n\n", "\\", "——", "◆", " / 文", "\ud800", "\x00", "\u202e"])


@FUZZ
@given(st.lists(MARKDOWN_PIECES, max_size=60).map("".join))
def test_markdown_made_of_its_own_syntax_gives_a_model_or_a_message(text):
    articles, report = read_markdown_bytes(text.encode("utf-8", "surrogatepass"))
    assert articles or report.items


@FUZZ
@given(st.binary(max_size=3000))
def test_any_bytes_as_a_word_file_give_a_model_or_a_message(raw):
    report = Report()
    articles = read_docx_bytes(raw, "a.docx", "a.docx", report)
    assert articles or report.items


XML_PIECES = st.sampled_from([
    '<w:p>', '</w:p>', '<w:r>', '</w:r>', '<w:t>', '</w:t>', '质量', '<w:pStyle w:val="Title"/>', '<w:pPr>',
    '</w:pPr>', '<w:hyperlink r:id="rId99">', '</w:hyperlink>', '<w:tbl>', '</w:tbl>',
    '<!DOCTYPE x [<!ENTITY e "x">]>', '&e;', '<w:sdt>', '</w:sdt>', '&#0;', '<'])


@FUZZ
@given(st.lists(XML_PIECES, max_size=40).map("".join))
def test_a_word_file_with_a_mangled_body_gives_a_model_or_a_message(body):
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(word_file())) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = ('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                        'wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                        f'relationships"><w:body>{body}</w:body></w:document>').encode()
            target.writestr(item, data)
    report = Report()
    articles = read_docx_bytes(buffer.getvalue(), "a.docx", "a.docx", report)
    assert articles or report.items
