"""Proof rounds as an editor and the print shop use them: a build kept as a proof, then the realistic
issue edited four ways (a word, a sentence taken out, a paragraph added to a Word article, an article moved
to another 栏目) and kept again: the redline shows exactly these at their file and line, the page list holds
their pages, the marked PDF's highlights sit over the changed characters, and an unchanged build is no change."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from copy import deepcopy
from pathlib import Path

import docx
import pdfplumber
import pypdfium2
import pytest
from docx.oxml import parse_xml
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from conftest import SEEDS, new_issue, run_huikan
from realistic_issue import EVAL, make_issue

ADDED = "协会将于下半年组织专题培训，帮助企业提升质量管理水平。"
HAN = re.compile("[\u4e00-\u9fff]")
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def build(folder: Path, out: Path, *options: str) -> subprocess.CompletedProcess:
    process = run_huikan("build", str(folder), "-o", str(out), *options)
    assert process.returncode == 0, process.stderr
    return process


def line_in(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


class Rounds:
    """The realistic issue built as 一校, edited, and built as 二校."""

    def __init__(self, root: Path):
        self.folder = make_issue(root / "issue", EVAL if EVAL.is_dir() else None).folder
        self.out = root / "build"
        build(self.folder, self.out, "--proof", "-q", "--formats", "pdf")  # (the PDF is what proofs compare)
        folder = self.folder
        # 1. a character changed in the first paragraph of a Markdown article
        p03 = folder / "p03.md"
        text = p03.read_text(encoding="utf-8")
        body = text.index("\n\n", text.index("---", 3)) + 2
        at = next(k for k in range(body + 10, len(text)) if all(HAN.match(c) for c in text[k - 3:k + 4]))
        self.was, self.now = text[at], "实" if text[at] != "实" else "地"
        self.context = (text[at - 3:at], text[at + 1:at + 4])
        p03.write_text(text[:at] + self.now + text[at + 1:], encoding="utf-8")
        # 2. a sentence taken out of a paragraph of a text article
        t02 = folder / "t02.txt"
        text = t02.read_text(encoding="utf-8")
        paragraph = next(p for p in text.split("\n") if len(p) > 40 and p.count("。") >= 2)
        deleted = re.findall(r"[^。]*。", paragraph)[1]
        t02.write_text(text.replace(deleted, "", 1), encoding="utf-8")
        self.deleted = deleted.replace(",", "，")  # as the editions read it
        self.kept = re.findall(r"[^。]*。", paragraph)[0]
        # 3. a paragraph added to a Word article, after its second paragraph of text
        document = docx.Document(str(folder / "r05.docx"))
        anchor = [p for p in document.paragraphs if len(p.text) > 30][1]
        added = deepcopy(anchor._p)
        anchor._p.addnext(added)
        paragraph = Paragraph(added, anchor._parent)
        for run in paragraph.runs[1:]:
            run._r.getparent().remove(run._r)
        paragraph.runs[0].text = ADDED
        document.save(str(folder / "r05.docx"))
        items = list(docx.Document(str(folder / "r05.docx")).iter_inner_content())  # a Word file's lines
        self.word_line = next(n for n, item in enumerate(items, 1)
                              if isinstance(item, Paragraph) and item.text == ADDED)
        # 4. an article moved from 协会动态 to 专题
        config = folder / "issue.toml"
        config.write_text(config.read_text(encoding="utf-8").replace('"n02.md", "n03.txt", ', '"n02.md", ')
                          .replace('articles = ["t00.txt"', 'articles = ["n03.txt", "t00.txt"'), encoding="utf-8")
        self.process = build(folder, self.out, "--proof", "二校", "--formats", "pdf")
        self.build = self.out / "realistic"
        self.changes = json.loads((self.build / "changes" / "changes.json").read_text(encoding="utf-8"))
        self.html = (self.build / "changes" / "changes.html").read_text(encoding="utf-8")
        self.marked = self.build / "changes" / "realistic-changes.pdf"


@pytest.fixture(scope="module")
def rounds(tmp_path_factory) -> Rounds:
    return Rounds(tmp_path_factory.mktemp("proofs"))


def edited(changes: dict) -> list[dict]:
    return [c for c in changes["changes"] if not c["kind"].endswith("（自动）")]


def test_the_redline_shows_exactly_the_edits_at_their_file_and_line(rounds):
    found = {(c["source"], c["line"]): c for c in edited(rounds.changes)}
    edited_words = rounds.context[0] + rounds.now + rounds.context[1]
    assert set(found) == {("p03.md", line_in(rounds.folder / "p03.md", edited_words)),
                          ("t02.txt", line_in(rounds.folder / "t02.txt", rounds.kept)),
                          ("r05.docx", rounds.word_line)}
    word = found[("p03.md", line_in(rounds.folder / "p03.md", edited_words))]
    assert [s for s in word["segments"] if s[0] != "="] == [["-", rounds.was], ["+", rounds.now]]
    sentence = found[("t02.txt", line_in(rounds.folder / "t02.txt", rounds.kept))]
    assert [s for s in sentence["segments"] if s[0] != "="] == [["-", rounds.deleted]]
    paragraph = found[("r05.docx", rounds.word_line)]
    assert (paragraph["old"], paragraph["new"], paragraph["kind"]) == ("", ADDED, "段落")
    [moved] = rounds.changes["articles"]["moved"]
    assert (moved["source"], moved["from"], moved["to"]) == ("n03.txt", "协会动态", "专题")
    assert rounds.changes["articles"]["added"] == rounds.changes["articles"]["removed"] == []
    # In the page: struck through and underlined, at the source's file and line.
    assert re.search(rf'data-source="p03\.md" data-line="\d+">.*?<del>{rounds.was}</del><ins>{rounds.now}</ins>',
                     rounds.html, re.S)
    assert "换了栏目的文章" in rounds.html and "协会动态 → 专题" in rounds.html
    assert f"<del>{rounds.deleted}</del>" in rounds.html and f"<ins>{ADDED}</ins>" in rounds.html


def test_the_page_list_holds_the_changed_pages_and_no_others(rounds):
    pages = rounds.changes["pages"]["changed"]
    manifest = json.loads((rounds.build / "build.json").read_text(encoding="utf-8"))
    by_id = {a["id"]: a for a in manifest["articles"]}
    reader = PdfReader(rounds.build / "realistic.pdf")
    texts = [re.sub(r"\s", "", page.extract_text()) for page in reader.pages]
    for article_id, words in (("p03", rounds.context[0] + rounds.now + rounds.context[1]), ("r05", ADDED[:12])):
        page = next(n for n in range(by_id[article_id]["start_page"], by_id[article_id]["end_page"] + 1)
                    if words in texts[n - 1])
        assert page in pages, (article_id, page, pages)
    assert by_id["t02"]["start_page"] in pages
    # Any other page is the front matter (the 目录 lists the moved article), a page of the two 栏目 the
    # article left and joined, or a page whose computed 关键词 or 摘要 changed with the text.
    moved = {n for a in manifest["articles"] if a["section"] in ("协会动态", "专题")
             for n in range(a["start_page"], a["end_page"] + 1)}
    computed = {c["new_page"] for c in rounds.changes["changes"] if c["kind"].endswith("（自动）")}
    first_article = min(a["start_page"] for a in manifest["articles"])
    explained = moved | computed | set(range(1, first_article)) | {by_id["p03"]["start_page"],
                                                                   by_id["r05"]["start_page"]}
    assert set(pages) <= explained, sorted(set(pages) - explained)
    assert rounds.changes["pages"]["count"] == [len(reader.pages)] * 2
    said = rounds.process.stderr
    assert "kept as proof 2 (二校)" in said and re.search(r"改动的页：[\d、–]+", said)


def test_the_highlight_sits_over_the_changed_characters(rounds):
    manifest = json.loads((rounds.build / "build.json").read_text(encoding="utf-8"))
    page_number = next(a["start_page"] for a in manifest["articles"] if a["id"] == "p03")
    marked = PdfReader(rounds.marked)
    assert len(marked.pages) == len(PdfReader(rounds.build / "realistic.pdf").pages) + 1  # the list comes first
    assert "改动的页：" in marked.pages[0].extract_text()
    annotations = [a.get_object() for a in marked.pages[page_number].get("/Annots", [])]  # (+1: the list)
    highlights = [[float(v) for v in a["/Rect"]] for a in annotations if a["/Subtype"] == "/Highlight"]
    assert highlights
    # The characters as PDFium reads them back from the marked file: their text and boxes.
    document = pypdfium2.PdfDocument(rounds.marked)
    textpage = document[page_number].get_textpage()
    text = textpage.get_text_range()
    boxes = [textpage.get_charbox(i) for i in range(len(text))]

    def covered(i: int) -> bool:
        left, bottom, right, top = boxes[i]
        x, y = (left + right) / 2, (bottom + top) / 2
        return any(r[0] <= x <= r[2] and r[1] <= y <= r[3] for r in highlights)

    # Where the edited words stand (in the text, and in a 摘要 made of it): the one character is marked.
    squeezed = [(i, ch) for i, ch in enumerate(text) if not ch.isspace()]
    letters = "".join(ch for _, ch in squeezed)
    words = rounds.context[0] + rounds.now + rounds.context[1]
    found = [m.start() + 3 for m in re.finditer(words, letters)]  # the changed one, in the squeezed text
    assert found
    for k in found:
        assert covered(squeezed[k][0]), f"{rounds.now} is marked"
        assert not covered(squeezed[k - 1][0]) and not covered(squeezed[k + 1][0]), "those around it are not"
    # In the edited paragraph, the one character is all that is marked.
    edit = next(c for c in edited(rounds.changes) if c["source"] == "p03.md")
    paragraph = "".join(ch for ch in edit["new"] if not ch.isspace())[:60]
    start = letters.find(paragraph)
    assert start >= 0
    marked = [n for n in range(start, start + len(paragraph)) if covered(squeezed[n][0])]
    assert marked == [k for k in found if start <= k < start + len(paragraph)] and len(marked) == 1
    with pdfplumber.open(rounds.marked) as pdf:  # and where another reader puts them across the line
        chars = [c for c in pdf.pages[page_number].chars if not c["text"].isspace()]
        read = "".join(c["text"] for c in chars)
        for at in [m.start() + 3 for m in re.finditer(words, read)]:
            middle = (chars[at]["x0"] + chars[at]["x1"]) / 2
            assert any(r[0] <= middle <= r[2] for r in highlights)
    textpage.close()
    document.close()


def test_an_unchanged_build_kept_again_is_no_change(rounds):
    again = build(rounds.folder, rounds.out, "--proof", "--formats", "pdf")
    assert "up to date; kept as proof 3 (三校)" in again.stderr
    assert "二校 → 三校: no change" in again.stderr and "改动的页：无" in again.stderr
    listed = run_huikan("proofs", str(rounds.folder), "-o", str(rounds.out))
    assert [line.split()[:2] for line in listed.stdout.splitlines()] == [["1", "一校"], ["2", "二校"], ["3", "三校"]]
    assert "2020-07-31" in listed.stdout
    as_json = run_huikan("diff", str(rounds.folder), "-o", str(rounds.out), "--from", "1", "--to", "2",
                         "--format", "json")
    assert as_json.returncode == 0
    assert json.loads(as_json.stdout)["pages"]["changed"] == rounds.changes["pages"]["changed"]
    missing = run_huikan("diff", str(rounds.folder), "-o", str(rounds.out), "--from", "9")
    assert missing.returncode == 2 and "no proof 9; the proofs are 1, 2, 3 [no-proof]" in missing.stderr


def test_a_paragraph_added_moves_the_pages_after_it_and_says_so(tmp_path):
    folder = tmp_path / "issue"
    shutil.copytree(SEEDS, folder)
    out = tmp_path / "build"
    build(folder, out, "--proof", "-q", "--formats", "pdf", "--for", "screen")  # (no blank pages to fill)
    first = folder / "000_5c2f2025e9d3839a.txt"
    long_paragraph = "质量提升行动在全市各区全面铺开，" * 120 + "成效明显。"
    first.write_text(first.read_text(encoding="utf-8") + "\n\n" + long_paragraph + "\n", encoding="utf-8")
    process = build(folder, out, "--proof", "--formats", "pdf", "--for", "screen")
    changes = json.loads((out / "2020-06" / "changes" / "changes.json").read_text(encoding="utf-8"))
    old_pages, new_pages = changes["pages"]["count"]
    assert new_pages > old_pages
    shifted = changes["pages"]["shifted_from"]
    assert shifted is not None and f"第{shifted}页起页面移动" in process.stderr
    manifest = json.loads((out / "2020-06" / "build.json").read_text(encoding="utf-8"))
    later = [a["start_page"] for a in manifest["articles"] if a["start_page"] >= shifted]
    assert later and set(later) <= set(changes["pages"]["changed"])  # every page an article moved to
    assert all(n >= min(shifted, changes["changes"][0]["new_page"]) or n < 4 for n in changes["pages"]["changed"])


def test_a_word_files_tracked_changes_show_as_what_they_did(tmp_path):
    folder = new_issue(tmp_path / "issue", "w")
    document = docx.Document()
    document.add_paragraph("质量月活动的新进展", style="Title")
    document.add_paragraph("本市企业推进质量管理体系建设，取得明显成效。")
    document.save(str(folder / "a.docx"))
    out = tmp_path / "build"
    build(folder, out, "--proof", "-q", "--formats", "pdf")
    document = docx.Document(str(folder / "a.docx"))
    paragraph = document.paragraphs[1]
    paragraph.runs[0].text = "本市企业"
    paragraph._p.append(parse_xml(f'<w:ins {W} w:id="1" w:author="张三" w:date="2020-06-01T00:00:00Z">'
                                  "<w:r><w:t>积极</w:t></w:r></w:ins>"))
    paragraph._p.append(parse_xml(f"<w:r {W}><w:t>推进质量管理体系建设，取得明显成效。</w:t></w:r>"))
    document.save(str(folder / "a.docx"))
    build(folder, out, "--proof", "--formats", "pdf")
    changes = json.loads((out / "w" / "changes" / "changes.json").read_text(encoding="utf-8"))
    [change] = edited(changes)
    assert (change["source"], change["line"]) == ("a.docx", 2)
    assert [s for s in change["segments"] if s[0] != "="] == [["+", "积极"]]


def test_keep_proofs_keeps_each_build_that_differs_and_nothing_else(tmp_path):
    folder = tmp_path / "issue"
    shutil.copytree(SEEDS, folder)
    config = folder / "issue.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('page_size = "A4"',
                                                                 'page_size = "A4"\nkeep_proofs = true'),
                      encoding="utf-8")
    out = tmp_path / "build"

    def kept() -> list[str]:
        return [line.split()[1] for line in run_huikan("proofs", str(folder), "-o", str(out)).stdout.splitlines()]

    build(folder, out, "--formats", "pdf")
    build(folder, out, "--formats", "pdf")  # up to date: the same as the last proof, not kept again
    assert kept() == ["一校"]
    article = folder / "003_134084127a1d6434.txt"
    article.write_text(article.read_text(encoding="utf-8").replace("深圳", "深圳市", 1), encoding="utf-8")
    changed = build(folder, out, "--formats", "pdf")
    assert kept() == ["一校", "二校"] and "一校 → 二校: 1 text(s) changed" in changed.stderr
    published = run_huikan("publish", str(folder), "-o", str(tmp_path / "site"), "--build", str(out))
    assert published.returncode == 0, published.stderr
    assert kept() == ["一校", "二校"]  # publish builds are not proofs
