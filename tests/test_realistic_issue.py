"""The realistic test issue (tests/realistic_issue.py) built in every format, read back as a proof-reader would."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import docx
import pdfplumber
import pytest

from conftest import run_huikan
from realistic_issue import EVAL, make_issue

# What a proof-reader compares: the words and figures, not the spacing or the punctuation that
# typesetting and cleaning may change (half-width commas become full-width, Han–Latin spaces, …).
NOT_COMPARED = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")
MM = 72 / 25.4


def letters(text: str) -> str:
    return NOT_COMPARED.sub("", text)


class Realistic:
    def __init__(self, root: Path):
        self.issue = make_issue(root / "realistic", EVAL if EVAL.is_dir() else None)
        self.process = run_huikan("build", str(self.issue.folder), "-o", str(root / "build"),
                                  "--formats", "pdf,docx,html,wechat")
        self.out = root / "build" / "realistic"
        self.manifest = json.loads((self.out / "build.json").read_text(encoding="utf-8"))
        self.pdf = self.out / "realistic.pdf"
        self.docx = self.out / "realistic.docx"
        self.html = self.out / "realistic.html"

    def expected(self) -> list[tuple[str, str]]:
        """Each paragraph of the sources as the build says it set it: the copy edits it made, each told in a
        note (「…36-40亿元…」 set as 「…36亿元～40亿元…」), applied to the source's words and figures."""
        edits: dict[str, list[tuple[str, str]]] = {}
        for diagnostic in self.manifest["diagnostics"]:
            said = re.fullmatch(r"「(.+?)」 set as 「(.+?)」: .*", diagnostic["message"])
            if diagnostic["severity"] == "note" and said:
                edits.setdefault(Path(diagnostic["path"]).name, []).append((letters(said[1]), letters(said[2])))
        paragraphs = []
        for article in self.issue.articles:
            for paragraph in article.paragraphs:
                text = letters(paragraph)
                for wrong, right in edits.get(Path(article.file).name, ()):
                    text = text.replace(wrong, right)
                paragraphs.append((article.file, text))
        return paragraphs

    def pdf_pages(self) -> list[str]:
        """Each page's text without its running head and folio (cropped off, as in test_docx_edition)."""
        width_pt = 210 * MM
        height_pt = 297 * MM
        text = subprocess.run(["pdftotext", "-x", "0", "-y", str(round(20 * MM)), "-W", str(round(width_pt)),
                               "-H", str(round(height_pt - 38 * MM)), str(self.pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        return text.split("\f")


@pytest.fixture(scope="module")
def realistic(tmp_path_factory) -> Realistic:
    return Realistic(tmp_path_factory.mktemp("realistic"))


def test_it_is_an_issue_of_real_size_and_kinds(realistic):
    articles = realistic.issue.articles
    assert len(articles) >= 55
    assert {Path(a.file).suffix for a in articles} == {".txt", ".md", ".docx"}
    assert len({a.section for a in articles}) == 4
    short = [a for a in articles if a.short]
    assert len(short) >= 10 and all(200 <= sum(map(len, a.paragraphs)) <= 800 for a in short)
    sizes = sorted(sum(map(len, a.paragraphs)) for a in articles)
    assert sizes[-1] >= 150_000 and sizes[-2] >= 20_000
    assert any(a.title.endswith("？") for a in articles) and any(a.title.endswith("！") for a in articles)
    assert max(len(a.title) for a in articles) >= 80


def test_it_builds_in_every_format_without_an_error(realistic):
    assert realistic.process.returncode == 0, realistic.process.stderr[-3000:]
    assert "Traceback" not in realistic.process.stderr
    assert ": error: " not in realistic.process.stderr
    assert set(realistic.manifest["outputs"]) == {"pdf", "docx", "html", "wechat"}
    assert len(realistic.manifest["articles"]) == len(realistic.issue.articles)


def test_every_paragraph_is_in_the_pdf(realistic):
    printed = letters("".join(realistic.pdf_pages()))
    missing = [(file, p[:30]) for file, p in realistic.expected() if p not in printed]
    assert not missing, missing[:5]


def test_every_paragraph_is_in_the_word_file(realistic):
    written = letters("".join(p.text for p in docx.Document(str(realistic.docx)).paragraphs))
    missing = [(file, p[:30]) for file, p in realistic.expected() if p not in written]
    assert not missing, missing[:5]


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def test_every_paragraph_is_in_the_web_page(realistic):
    parser = _Text()
    parser.feed(realistic.html.read_text(encoding="utf-8"))
    shown = letters("".join(parser.parts))
    missing = [(file, p[:30]) for file, p in realistic.expected() if p not in shown]
    assert not missing, missing[:5]


def test_titles_are_read_whole_with_their_subtitles_and_bylines(realistic):
    model = json.loads((realistic.out / "issue.json").read_text(encoding="utf-8"))["articles"]
    by_source = {a["source"]: a for a in model}
    for article in realistic.issue.articles:
        # Half-width brackets in a title become full-width, nothing else changes.
        assert letters(by_source[article.file]["title"]) == letters(article.title), article.file
        if article.subtitle:
            assert by_source[article.file]["subtitle"] == article.subtitle.removeprefix("——"), article.file
        if article.authors:
            assert by_source[article.file]["authors"] == article.authors, article.file
        # A title is the title, not also the first paragraph, the summary's first sentence or the 导读.
        read = by_source[article.file]
        assert not read["summary"].startswith(article.title), article.file
        assert read["intro"] != article.title, article.file
        assert not read["blocks"] or read["blocks"][0]["text"] != article.title, article.file


def test_the_toc_gives_each_article_the_page_it_starts_on(realistic):
    pages = realistic.pdf_pages()
    articles = realistic.manifest["articles"]
    first_article_page = articles[0]["start_page"]
    toc = letters("".join(pages[1:first_article_page - 1]))
    at = 0
    for article in articles:
        title = letters(article["title"])
        found = toc.find(title, at)
        assert found >= 0, article["title"]
        at = found + len(title)
        # The byline may stand between; the 导读 line after the number may begin with digits (2020年…),
        # which run into it once spaces are gone: the digits must begin with the page number.
        number = re.match(r"(?:[^\d]*?)(\d+)", toc[at:at + 40])
        assert number and number.group(1).startswith(str(article["start_page"])), article["title"]
        # ... and that page is where the article's title is printed.
        assert title[:12] in letters(pages[article["start_page"] - 1]), article["title"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (libreoffice-writer-nogui) not installed")
def test_the_word_file_converts_in_libreoffice(realistic, tmp_path):
    profile = tmp_path / "profile"
    process = subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                              "--convert-to", "pdf", "--outdir", str(tmp_path), str(realistic.docx)],
                             capture_output=True, text=True, timeout=600)
    converted = tmp_path / "realistic.pdf"
    assert process.returncode == 0 and converted.is_file(), process.stderr
    info = subprocess.run(["pdfinfo", str(converted)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= realistic.manifest["outputs"]["pdf"]["pages"] * 0.6


def test_its_tables_lists_and_pictures_come_through_every_output(realistic):
    rich = [a for a in realistic.issue.articles if a.tables]
    assert {Path(a.file).suffix for a in rich} == {".md", ".docx"}
    # PDF: each table's cells row by row, each list item with its number, each picture embedded once.
    printed = subprocess.run(["pdftotext", "-layout", str(realistic.pdf), "-"], capture_output=True, text=True,
                             check=True).stdout.replace(" ", "")
    for article in rich:
        for row in article.tables[0]:
            assert "".join(row).replace(" ", "") in printed, row  # one line of the page, cell after cell
        for k, item in enumerate(article.items, 1):
            assert re.search(rf"{k}[.．、]\s*{re.escape(item[:8])}", printed), item
    with pdfplumber.open(str(realistic.pdf)) as pdf:
        images = [image["stream"].objid for page in pdf.pages for image in page.images]
    assert len(images) == len(set(images)) == sum(len(a.pictures) for a in rich)
    # Word: real tables with the cells in order, numbered list paragraphs, one inline picture each.
    document = docx.Document(str(realistic.docx))
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    assert tables == [a.tables[0] for a in rich]
    numbered = [p.text for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert numbered == [item for a in rich for item in a.items]
    assert len(document.inline_shapes) == sum(len(a.pictures) for a in rich)
    # The web page: a <table> each, the items in <ol>, each picture in a <figure> with its caption.
    html = realistic.html.read_text(encoding="utf-8")
    assert html.count("<table") == len(rich) and html.count("<ol class=\"list") == len(rich)
    for article in rich:
        assert re.search(rf"<figure[^>]*><img [^>]+><figcaption[^>]*>.*?{article.pictures[0]}", html)
    # Every picture of the page is a file beside it; the 1200-pixel ones are named as soft in print.
    sources = re.findall(r'<img src="([^"]+)"', html)
    assert len(sources) == sum(len(a.pictures) for a in rich) and all((realistic.html.parent / s).is_file()
                                                                      for s in sources)
    soft = re.findall(r"^(\S+):\d+: warning: .* prints at (\d+) ppi where it stands", realistic.process.stderr, re.M)
    assert sorted(Path(path).name for path, _ in soft) == sorted(Path(a.file).name for a in rich)
    assert all(150 < int(ppi) < 200 for _, ppi in soft)


def test_its_print_pdf_comes_in_fours_and_folds_into_a_booklet(realistic, tmp_path):
    from huikan.render.pdf.booklet import make_booklet

    pages = realistic.manifest["outputs"]["pdf"]["pages"]
    last_article = max(a["end_page"] for a in realistic.manifest["articles"])
    assert pages % 4 == 0 and 0 <= pages - last_article < 4
    printed = realistic.pdf_pages()
    assert all(not printed[n].strip() for n in range(last_article, pages))  # the blank pages are blank
    sides = make_booklet(realistic.pdf.read_bytes(), (420, 297), tmp_path / "booklet.pdf")
    assert sides == pages // 2


def test_every_article_has_its_wechat_edition_with_all_its_text(realistic):
    pages = {p.stem: p.read_text(encoding="utf-8") for p in (realistic.out / "wechat").glob("*.html")}
    model = json.loads((realistic.out / "issue.json").read_text(encoding="utf-8"))["articles"]
    assert sorted(pages) == sorted(a["id"] for a in model)
    for article in model:
        carried = letters(html.unescape(re.sub(r"<[^>]+>", "", pages[article["id"]])))
        for block in article["blocks"]:
            texts = [c["text"] for row in block["rows"] for c in row] if block["type"] == "table" else [block["text"]]
            for text in texts:
                assert letters(text) in carried, (article["id"], text[:30])


def test_a_word_changed_and_changed_back_lays_out_one_article_each_time(realistic, tmp_path):
    """The print cache on the realistic issue: after an edit one of its 59 articles is laid out; with the
    edit undone, the build is the very one a full build made (PDF, Word file, web page, model)."""
    written = [w for w in realistic.issue.articles if w.file.endswith(".md") and not w.short]
    source = realistic.issue.folder / Path(written[len(written) // 2].file).name
    text = source.read_text(encoding="utf-8")
    edited = re.sub(r"(\n\n[^\n#|!-]{20})", r"\1（改）", text, count=1)
    assert edited != text
    command = ["build", str(realistic.issue.folder), "-o", str(tmp_path), "--formats", "pdf,docx,html,wechat"]
    try:
        source.write_text(edited, encoding="utf-8")
        process = run_huikan(*command)
        assert process.returncode == 0, process.stderr
        changed = json.loads((tmp_path / "realistic" / "build.json").read_text(encoding="utf-8"))
        assert changed["print"] == {"articles": len(realistic.manifest["articles"]), "laid_out": 1,
                                    "laid_out_beside": 0}
        assert (tmp_path / "realistic" / "realistic.pdf").read_bytes() != realistic.pdf.read_bytes()
    finally:
        source.write_text(text, encoding="utf-8")
    process = run_huikan(*command)
    assert process.returncode == 0, process.stderr
    back = json.loads((tmp_path / "realistic" / "build.json").read_text(encoding="utf-8"))
    assert back["print"]["laid_out"] == 1
    assert back["outputs"] == realistic.manifest["outputs"]  # every file the same bytes (sha256)


def test_its_pdf_laid_out_half_in_a_second_process_is_the_one_laid_out_in_one(realistic, tmp_path, monkeypatch):
    """The first build of the issue lays out its second half in a process beside the build's; the pages are
    the very ones a build that lays out everything itself makes."""
    from huikan.build import build_issue
    from huikan.render import pdf

    assert 0 < realistic.manifest["print"]["laid_out_beside"] < realistic.manifest["print"]["laid_out"]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(pdf, "_beside_from", lambda units, part_chars: None)
    alone = build_issue(realistic.issue.folder, tmp_path, ("pdf",), force=True)
    assert alone.manifest["print"]["laid_out_beside"] == 0
    assert (tmp_path / "realistic" / "realistic.pdf").read_bytes() == realistic.pdf.read_bytes()
