"""A long issue is laid out in parts; the PDF must read exactly as if it had been laid out whole."""

from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from weasyprint import HTML

from conftest import SEEDS
from huikan.build import prepare
from huikan.diagnostics import Report, UsageError
from huikan.render.html import WHOLE, render_html
from huikan.render.pdf import article_parts, render_pdf
from huikan.theme import theme_dirs
from pdftext import page_texts
from test_build_pdf import outline_tree


@pytest.fixture(scope="module")
def seeds_issue():
    return prepare(SEEDS, Report())


@pytest.fixture(scope="module")
def in_parts(seeds_issue, tmp_path_factory) -> tuple[Path, object]:
    """The seeds with one article per part (the default puts them all in one)."""
    target = tmp_path_factory.mktemp("parts") / "parts.pdf"
    themes = theme_dirs(SEEDS)
    pages, _ = render_pdf(seeds_issue, themes, SEEDS, [SEEDS / "images", *themes], target, part_chars=1)
    return target, pages


def test_the_seeds_make_one_part_by_default_and_one_per_article_when_small(seeds_issue):
    assert len(article_parts(seeds_issue)) == 1
    assert len(article_parts(seeds_issue, budget=1)) == len(seeds_issue.articles)


def test_parts_read_the_same_as_the_issue_laid_out_whole(in_parts, built):
    """Same pages, same text on each (running heads, folios and 目录 numbers included)."""
    target, pages = in_parts
    assert page_texts(target) == page_texts(built.pdf)
    assert pages.starts == {a["id"]: a["start_page"] for a in built.manifest["articles"]}
    assert pages.ends == {a["id"]: a["end_page"] for a in built.manifest["articles"]}


def test_parts_written_by_huikan_match_weasyprint_writing_the_whole(seeds_issue, in_parts, tmp_path):
    """WeasyPrint's own writer, given the whole issue in one document, agrees on text and bookmarks."""
    target, pages = in_parts
    themes = theme_dirs(SEEDS)
    blanks = pages.pages - max(pages.ends.values())  # the pages that make the count a multiple of four
    html = render_html(seeds_issue, themes, "print", replace(WHOLE, blanks=blanks), pages.starts)
    whole = tmp_path / "whole.pdf"
    HTML(string=html, base_url=str(SEEDS.resolve()) + "/").write_pdf(whole)
    assert page_texts(target) == page_texts(whole)
    ours, theirs = pypdf.PdfReader(str(target)), pypdf.PdfReader(str(whole))
    assert outline_tree(ours.outline) == outline_tree(theirs.outline)
    for box in ("mediabox", "trimbox", "bleedbox"):  # the 3 mm bleed of a print build, page by page
        assert [list(getattr(p, box)) for p in ours.pages] == [list(getattr(p, box)) for p in theirs.pages], box
    assert [ours.get_destination_page_number(o) for o in flat(ours.outline)] == \
        [theirs.get_destination_page_number(o) for o in flat(theirs.outline)]


def flat(outline):
    for item in outline:
        yield from flat(item) if isinstance(item, list) else [item]


def test_toc_links_lead_to_the_articles_in_other_parts(in_parts):
    target, pages = in_parts
    reader = pypdf.PdfReader(str(target))
    dests = reader.named_destinations
    toc_links = {a.get_object()["/Dest"] for a in reader.pages[1]["/Annots"]}
    assert {name: reader.get_destination_page_number(dests[name]) + 1 for name in toc_links} == \
        {f"art-{article}": start for article, start in pages.starts.items()}


def test_each_font_is_embedded_once_for_all_parts(in_parts):
    reader = pypdf.PdfReader(str(in_parts[0]))
    fonts = {font.get_object().indirect_reference.idnum: font.get_object()["/BaseFont"]
             for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    faces = [name[8:] for name in fonts.values()]
    assert len(faces) == len(set(faces)), faces


def test_tagged_pdf_a_in_parts(seeds_issue, tmp_path):
    themes = theme_dirs(SEEDS)
    seeds_issue.pdf_variant, seeds_issue.pdf_tags = "pdf/a-3b", True
    try:
        target = tmp_path / "tagged.pdf"
        render_pdf(seeds_issue, themes, SEEDS, [SEEDS / "images", *themes], target, part_chars=1)
    finally:
        seeds_issue.pdf_variant, seeds_issue.pdf_tags = None, False
    reader = pypdf.PdfReader(str(target))
    root = reader.trailer["/Root"]
    assert 'pdfaid:part="3"' in root["/Metadata"].get_object().get_data().decode()
    assert "/OutputIntents" in root and "/StructTreeRoot" in root
    assert [page["/StructParents"] for page in reader.pages] == list(range(len(reader.pages)))


def test_a_theme_that_ignores_its_part_is_told_so(seeds_issue, tmp_path):
    theme = tmp_path / "templates"
    theme.mkdir()
    old = (theme_dirs(SEEDS)[-1] / "issue.html").read_text(encoding="utf-8")
    (theme / "issue.html").write_text(old.replace(" if part.has(article)", ""), encoding="utf-8")
    themes = [theme, *theme_dirs(SEEDS)]
    with pytest.raises(UsageError) as error:
        render_pdf(seeds_issue, themes, SEEDS, themes, tmp_path / "x.pdf", part_chars=1)
    message = str(error.value)
    assert message.startswith(f"{theme / 'issue.html'}: error: the theme's issue.html lays out 《")
    assert "part.has(article)" in message and message.endswith("[template]")
    assert not (tmp_path / "x.pdf").exists()
