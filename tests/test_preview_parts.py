"""The preview's parts that make it fast: enrich again only what changed, draw again only the pages that
changed; and what they make is what the build makes."""

from pathlib import Path

from conftest import SEEDS
from huikan.build import build_issue
from huikan.diagnostics import Report
from huikan.enrich.alongside import enrich_here
from huikan.enrich.incremental import Incremental
from huikan.ingest import load_issue
from huikan.preview import spreads
from huikan.theme import theme_dirs


def test_incremental_enrich_gives_the_builds_results_and_redoes_only_the_edited_article():
    themes = theme_dirs(SEEDS)
    enriched = load_issue(SEEDS, Report())
    built = enrich_here(enriched, themes)
    enricher = Incremental(themes)
    issue = load_issue(SEEDS, Report())
    terms = enricher.enrich(issue)
    assert enricher.enriched == len(issue.articles)
    assert [(a.summary, a.keywords, a.intro) for a in issue.articles] == \
        [(a.summary, a.keywords, a.intro) for a in enriched.articles]
    assert terms == built.terms

    again = load_issue(SEEDS, Report())
    again.articles[1].title += "（修订）"
    enricher.enrich(again)
    assert enricher.enriched == 1  # the others were remembered
    assert [a.summary for a in again.articles] == [a.summary for a in issue.articles]


def built(folder: Path, out: Path) -> tuple[Path, list[spreads.Page]]:
    """FOLDER's PDF built into OUT, and its pages as the build lists them."""
    result = build_issue(folder, out, ("pdf",))
    entry = result.manifest["outputs"]["pdf"]
    return Path(result.folder) / entry["path"], spreads.pages_in(Path(result.folder) / entry["path"], entry)


def test_only_the_pages_that_changed_are_drawn_again(tmp_path):
    import shutil

    from huikan.proofs.pages import changed_pages, page_keys

    pdf, pages = built(SEEDS, tmp_path / "one")
    same, again = built(SEEDS, tmp_path / "two")
    assert [p.key for p in pages] == [p.key for p in again]  # the same pages, the same keys
    read = page_keys(pdf)  # (the keys read from the PDF, as the proofs read them)
    assert [(round(p.width, 1), round(p.height, 1)) for p in pages] == [(round(p.width, 1), round(p.height, 1))
                                                                      for p in read]
    distinct = {p.key for p in pages}
    assert len(pages) == 20 and 16 <= len(distinct) < 20  # the blank pages that fill the last four look alike
    thumbnails = tmp_path / "pages"
    assert spreads.draw(pdf, pages, thumbnails) == len(distinct)
    assert spreads.draw(same, again, thumbnails) == 0
    assert sorted(p.stem for p in thumbnails.glob("*.png")) == sorted(distinct)
    # A word changed: the pages drawn again are the pages whose text changed, as the proofs find them.
    folder = tmp_path / "issue"
    shutil.copytree(SEEDS, folder)
    article = folder / "003_134084127a1d6434.txt"
    article.write_text(article.read_text(encoding="utf-8").replace("深圳", "深圳市", 1), encoding="utf-8")
    edited, now = built(folder, tmp_path / "three")
    changed = changed_pages([p.key for p in pages], [p.key for p in now])
    assert changed and changed == changed_pages([p.key for p in read], [p.key for p in page_keys(edited)])
    assert spreads.draw(edited, now, thumbnails) == len(changed)
    assert spreads.facing(20)[:3] == [[1], [2, 3], [4, 5]] and spreads.facing(20)[-1] == [20]
    assert spreads.facing(5)[-1] == [4, 5]


def test_the_print_phase_shows_the_changes_since_the_last_proof_and_marks_their_pages(tmp_path):
    import shutil

    from huikan.preview.session import Session

    folder = tmp_path / "issue"
    shutil.copytree(SEEDS, folder)
    out = tmp_path / "build"
    session = Session(folder, out, log=lambda message: None)
    build = build_issue(folder, out, ("pdf",)).folder
    shown = session._print_state(build, [])
    assert session._changes(build, shown) is None  # no proof yet: no tab
    build_issue(folder, out, ("pdf",), proof="一校")
    article = folder / "003_134084127a1d6434.txt"
    article.write_text(article.read_text(encoding="utf-8").replace("深圳", "深圳市", 1), encoding="utf-8")
    build = build_issue(folder, out, ("pdf",)).folder
    shown = session._print_state(build, [])
    changes = session._changes(build, shown)
    assert changes is not None and changes["against"] == "一校" and changes["texts"] >= 1
    assert (build / "changes" / "changes.html").is_file() and changes["html"] == "print/changes/changes.html"
    marked = [p["number"] for spread in shown["spreads"] for p in spread if p["changed"]]
    assert marked == changes["pages"] and marked
    assert "<ins>市</ins>" in (build / "changes" / "changes.html").read_text(encoding="utf-8")


def test_a_thumbnail_is_drawn_when_the_page_asks_for_it(tmp_path):
    """The spreads of a new PDF are shown before its thumbnails are drawn: one the page asks for is drawn
    then, the others one after another; a name that is not one of the PDF's pages is nothing."""
    from PIL import Image

    pdf, pages = built(SEEDS, tmp_path / "one")
    thumbnails = spreads.Thumbnails(tmp_path / "pages")
    distinct = {p.key for p in pages}
    assert thumbnails.show(pdf, pages) == len(distinct) and not list((tmp_path / "pages").glob("*.png"))
    asked = thumbnails.get(pages[4].key)  # page 5 scrolled into view
    assert asked is not None and [p.name for p in (tmp_path / "pages").glob("*.png")] == [asked.name]
    with Image.open(asked) as picture:  # the page at 48 dpi
        assert abs(picture.width - pages[4].width * 48 / 72) < 1 and abs(picture.height - pages[4].height * 48 / 72) < 1
    assert thumbnails.get("../site/index") is None and thumbnails.get("0" * 32) is None
    drawn = 1
    while thumbnails.draw_next():
        drawn += 1
    assert drawn == len(distinct) and {p.stem for p in (tmp_path / "pages").glob("*.png")} == distinct
    assert thumbnails.show(pdf, pages) == 0  # the same PDF again: nothing to draw


def test_a_thumbnail_asked_for_after_the_next_build_replaced_the_pdf_is_of_the_pdf_shown(tmp_path):
    """The next build puts its PDF where the one shown is: a thumbnail of the spreads shown, asked for after
    that, is still drawn from the PDF they show."""
    import shutil

    from huikan.proofs.pages import changed_pages

    pdf, pages = built(SEEDS, tmp_path / "one")
    folder = tmp_path / "issue"
    shutil.copytree(SEEDS, folder)
    article = folder / "003_134084127a1d6434.txt"
    article.write_text(article.read_text(encoding="utf-8").replace("深圳", "深圳市", 1), encoding="utf-8")
    edited, now = built(folder, tmp_path / "two")
    number = changed_pages([p.key for p in pages], [p.key for p in now])[0]
    shown = tmp_path / "shown.pdf"
    shutil.copyfile(pdf, shown)
    thumbnails = spreads.Thumbnails(tmp_path / "pages")
    thumbnails.show(shown, pages)
    shutil.copyfile(edited, shown)  # the next build's PDF, before its spreads are shown
    asked = thumbnails.get(pages[number - 1].key)
    spreads.draw(pdf, pages, tmp_path / "reference")
    assert asked is not None and asked.read_bytes() == (tmp_path / "reference" / asked.name).read_bytes()
