"""A rebuild lays out only the articles an edit changed, and its PDF is the very file a full build makes.

The issue: the seeds four times over (24 articles, long enough to be laid out in parts) and a 简讯 column
of short items that run on. Each edit is built twice: as an editor rebuilds (the print pages of the
unchanged articles kept from the build before) and with --force (every page laid out anew), and the
two PDFs must be the same bytes.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import pypdf
import pytest

from conftest import SEEDS, THEME, run_huikan

COPIES = 4
ARTICLES = 3 + COPIES * 6  # the 简讯, then each copy's five seeds, one of which holds two articles
NEWS = ["本会召开2020年度理事会议，审议通过年度工作报告和财务报告，部署下半年重点工作。" * 3,
        "本会组织会员单位赴长三角地区开展质量标杆学习交流活动，共有四十余家企业参加。" * 3,
        "本会发布团体标准《质量管理小组活动评价规范》，自发布之日起实施。" * 3]


def make_issue(folder: Path) -> Path:
    config = tomllib.loads((SEEDS / "issue.toml").read_text(encoding="utf-8"))
    folder.mkdir(parents=True)
    lines = ['[publication]', 'title = "上海质量"', "", '[issue]', 'id = "kept"', 'number = "2020年第6期"', "",
             "[[sections]]", 'title = "简讯"', 'layout = "run-on"',
             "articles = [" + ", ".join(f'"news{n}.txt"' for n in range(len(NEWS))) + "]", ""]
    for n, text in enumerate(NEWS):
        (folder / f"news{n}.txt").write_text(f"简讯之{n + 1}\n\n{text}\n", encoding="utf-8")
    for copy in range(COPIES):
        for section in config["sections"]:
            names = [f"c{copy}_{name}" for name in section["articles"]]
            for name, new in zip(section["articles"], names, strict=True):
                shutil.copyfile(SEEDS / name, folder / new)
            lines += ["[[sections]]", f'title = "{section["title"]}"',
                      "articles = [" + ", ".join(f'"{n}"' for n in names) + "]", ""]
    for copy in range(COPIES):  # (the source of this report has no title line)
        lines += [f"[articles.\"c{copy}_003_134084127a1d6434.txt\"]",
                  f'title = "质量强市示范城市创建工作现场会之{copy + 1}"']
    (folder / "issue.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def build(folder: Path, out: Path, *more: str) -> tuple[bytes, dict, str]:
    process = run_huikan("build", str(folder), "-o", str(out), "--formats", "pdf", *more)
    assert process.returncode == 0, process.stderr
    manifest = json.loads((out / "kept" / "build.json").read_text(encoding="utf-8"))
    return (out / "kept" / "kept.pdf").read_bytes(), manifest, process.stderr


def rebuilt_as_full(folder: Path, tmp_path: Path) -> tuple[dict, str]:
    """Build FOLDER as an editor does, then in full: the same PDF, and the same 摘要, 关键词 and 导读 (the
    model); return the first's build.json and output."""
    pdf, manifest, said = build(folder, tmp_path / "out")
    full, _, _ = build(folder, tmp_path / "full", "--force")
    assert pdf == full, "the rebuilt PDF differs from a full build of the same sources"
    model, full_model = ((tmp_path / out / "kept" / "issue.json").read_bytes() for out in ("out", "full"))
    assert model == full_model
    return manifest, said


@pytest.fixture(scope="module")
def first(tmp_path_factory) -> tuple[Path, bytes, dict]:
    """The issue built once, its pages kept: the folder, the PDF and its build.json."""
    work = tmp_path_factory.mktemp("kept")
    folder = make_issue(work / "issue")
    pdf, manifest, _ = build(folder, work / "out")
    return folder, pdf, manifest


@pytest.fixture
def issue(first, tmp_path) -> Path:
    """A copy of the issue, built once so that its pages are kept."""
    folder = tmp_path / "issue"
    shutil.copytree(first[0], folder)
    build(folder, tmp_path / "out")
    return folder


def pages_of(manifest: dict) -> dict[str, tuple[int, int]]:
    return {a["id"]: (a["start_page"], a["end_page"]) for a in manifest["articles"]}


def changed_articles(model: str, now: Path) -> list[str]:
    """The articles whose model (text, 摘要, 关键词…) differs between the issue.json MODEL and the one at NOW."""
    before = {a["id"]: a for a in json.loads(model)["articles"]}
    return [a["id"] for a in json.loads(now.read_text(encoding="utf-8"))["articles"] if before.get(a["id"]) != a]


def folios(pdf: bytes) -> list[str]:
    """The last line of each page's text: its folio."""
    import io

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [(page.extract_text() or "").strip().splitlines()[-1:] for page in reader.pages]


def test_the_first_build_lays_out_every_article_and_a_second_none(first, tmp_path):
    folder, pdf, manifest = first
    assert manifest["print"] == {"articles": ARTICLES, "laid_out": ARTICLES, "laid_out_beside": 0}
    assert len({start for start, _ in pages_of(manifest).values()}) == ARTICLES - 2  # the three items run on one page
    again, said = rebuilt_as_full(folder, tmp_path)  # into another build folder: its pages are all kept
    assert again["print"] == {"articles": ARTICLES, "laid_out": 0, "laid_out_beside": 0}
    assert f"0 of {ARTICLES} articles laid out, the rest kept" in said
    assert (tmp_path / "out" / "kept" / "kept.pdf").read_bytes() == pdf


def test_a_changed_word_lays_out_its_article_alone(issue, tmp_path):
    source = issue / "c0_002_54376ca8c0ea4f5c.txt"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("质量", "品质", 1), encoding="utf-8")
    manifest, said = rebuilt_as_full(issue, tmp_path)
    assert manifest["print"] == {"articles": ARTICLES, "laid_out": 1, "laid_out_beside": 0}
    assert f"1 of {ARTICLES} articles laid out, the rest kept" in said
    assert f"print edition: 1 of {ARTICLES} articles laid out" in said


@pytest.mark.parametrize("edit", ["a word of its body", "its title"])
def test_the_front_matter_is_laid_out_again_only_when_it_changes(issue, tmp_path, monkeypatch, edit):
    """A word changed in an article's body leaves the 目录 as it was: its pages are placed as the last build
    painted them. A changed title changes the 目录: it is laid out. Either way the PDF is a full build's."""
    from huikan.build import build_issue
    from huikan.render.pdf.parts import PartsWriter

    source = issue / "c1_001_aa18179e77685e74.txt"
    text = source.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.strip())
    last = text.rindex("质量")  # (in its last paragraph: not in its 导读)
    source.write_text(text[:last] + "品质" + text[last + 2:] if edit == "a word of its body" else
                      text.replace(title, title + "（续）", 1), encoding="utf-8")
    first_pages: list[int] = []
    real = PartsWriter.layout
    monkeypatch.setattr(PartsWriter, "layout", lambda self, html, first_page:
                        first_pages.append(first_page) or real(self, html, first_page))
    built = build_issue(issue, tmp_path / "out", ("pdf",))
    assert built.manifest["print"]["laid_out"] == 1
    assert first_pages.count(1) == (0 if edit == "a word of its body" else 2)  # (a new title: the trial too)
    full, _, _ = build(issue, tmp_path / "full", "--force")
    assert (tmp_path / "out" / "kept" / "kept.pdf").read_bytes() == full


def test_a_character_new_to_the_issue_and_then_gone_again(issue, tmp_path):
    """The fonts' subsets are kept by their glyphs: a character no article had (龘) is embedded, and once it
    is gone the subsets are the full build's again."""
    source = issue / "c0_002_54376ca8c0ea4f5c.txt"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("质量", "龘", 1), encoding="utf-8")
    rebuilt_as_full(issue, tmp_path)
    pages = pypdf.PdfReader(tmp_path / "out" / "kept" / "kept.pdf").pages
    assert "龘" in "".join(page.extract_text() for page in pages)
    source.write_text(text, encoding="utf-8")
    rebuilt_as_full(issue, tmp_path)


def test_a_page_added_moves_the_pages_after_it(issue, tmp_path):
    before = json.loads((tmp_path / "out" / "kept" / "build.json").read_text(encoding="utf-8"))
    source = issue / "c0_001_aa18179e77685e74.txt"
    more = "本会将继续加强质量管理工作，推动会员单位提升产品和服务质量，为高质量发展作出新的贡献。" * 4
    source.write_text(source.read_text(encoding="utf-8").rstrip() + f"\n\n{more}" * 10 + "\n", encoding="utf-8")
    manifest, _ = rebuilt_as_full(issue, tmp_path)
    old, new = pages_of(before), pages_of(manifest)
    grown = [i for i in new if new[i][1] - new[i][0] != old[i][1] - old[i][0]]
    assert len(grown) == 1
    after = [i for i in new if new[i][0] > new[grown[0]][0]]
    assert after and all(new[i][0] > old[i][0] for i in after)  # moved on
    assert all(new[i] == old[i] for i in new if new[i][0] < new[grown[0]][0])  # kept where they were
    assert manifest["print"]["laid_out"] == 1  # the pages after it moved, not laid out again
    # Their folios and running heads are set anew: each page's number, the article's title on a right-hand page.
    pdf = pypdf.PdfReader(tmp_path / "out" / "kept" / "kept.pdf")
    titles = {a["id"]: a["title"] for a in manifest["articles"]}
    for article in after:
        start, end = new[article]
        for number in range(start, end + 1):
            lines = pdf.pages[number - 1].extract_text().strip().splitlines()
            assert lines[-1] == str(number)
            if number % 2 and number != start:
                assert lines[-2].replace(" ", "") == titles[article].replace(" ", "")  # (spaces read back as they may)


def test_a_page_removed_and_an_article_moved(issue, tmp_path):
    source = issue / "c0_004_2a33f5eb3ae65cfd.txt"
    paragraphs = source.read_text(encoding="utf-8").rstrip().split("\n\n")
    source.write_text("\n\n".join(paragraphs[: len(paragraphs) // 3]) + "\n", encoding="utf-8")
    model = (tmp_path / "out" / "kept" / "issue.json").read_text(encoding="utf-8")
    shortened, _ = rebuilt_as_full(issue, tmp_path)
    # Laid out: the article and those whose 关键词 it changed (they are ranked against the issue's words).
    assert shortened["print"]["laid_out"] == len(changed_articles(model, tmp_path / "out" / "kept" / "issue.json"))
    config = (issue / "issue.toml").read_text(encoding="utf-8")
    # The last article and the first of the seeds' change places.
    first, last = '"c0_000_5c2f2025e9d3839a.txt"', '"c1_003_134084127a1d6434.txt"'
    moved = config.replace(first, "FIRST").replace(last, first).replace("FIRST", last)
    assert moved != config
    (issue / "issue.toml").write_text(moved, encoding="utf-8")
    manifest, _ = rebuilt_as_full(issue, tmp_path)
    order = [a["id"] for a in manifest["articles"]]
    assert order.index("c1_003_134084127a1d6434") < order.index("c0_000_5c2f2025e9d3839a")
    # The two laid out again: each opens its section now, and shows the section's name.
    assert manifest["print"]["laid_out"] == 2


def test_a_changed_theme_lays_out_everything(issue, tmp_path):
    (issue / "templates").mkdir()
    css = (THEME / "print.css").read_text(encoding="utf-8")
    changed = re.sub(r"@bottom-center \{ content: counter\(page\); font: 9pt",
                     "@bottom-center { content: counter(page); font: 10pt", css)
    assert changed != css
    (issue / "templates" / "print.css").write_text(changed, encoding="utf-8")
    manifest, _ = rebuilt_as_full(issue, tmp_path)
    assert manifest["print"] == {"articles": ARTICLES, "laid_out": ARTICLES, "laid_out_beside": 0}


def test_an_edited_item_lays_out_its_run(issue, tmp_path):
    """An item that runs on is laid out with the items of its run; the pages read as before."""
    pdf, _, _ = build(issue, tmp_path / "out")  # up to date: the first build's
    source = issue / "news1.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("四十余家", "五十余家"), encoding="utf-8")
    manifest, _ = rebuilt_as_full(issue, tmp_path)
    assert manifest["print"]["laid_out"] == 3
    assert folios((tmp_path / "out" / "kept" / "kept.pdf").read_bytes()) == folios(pdf)


def test_a_theme_whose_articles_share_pages_keeps_none(issue, tmp_path):
    """Where an article does not start a page, its pages are not its own: every article is laid out."""
    (issue / "templates").mkdir()
    css = (THEME / "print.css").read_text(encoding="utf-8")
    changed = css.replace(".article { page: article; break-before: page; }", ".article { page: article; }")
    assert changed != css
    (issue / "templates" / "print.css").write_text(changed, encoding="utf-8")
    build(issue, tmp_path / "out")
    source = issue / "c2_000_5c2f2025e9d3839a.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("质量", "品质", 1), encoding="utf-8")
    manifest, _ = rebuilt_as_full(issue, tmp_path)
    assert manifest["print"] == {"articles": ARTICLES, "laid_out": ARTICLES, "laid_out_beside": 0}


def test_a_theme_whose_sides_differ_lays_out_the_pages_that_change_side(issue, tmp_path):
    """Where a left-hand page holds narrower text than a right-hand one, a page's text cannot move to the
    other side: the pages after a grown article are laid out again, and the PDF is still a full build's."""
    (issue / "templates").mkdir()
    css = (THEME / "print.css").read_text(encoding="utf-8")
    changed = css.replace("margin-left: {{ page.outer_mm }}mm; margin-right: {{ page.inner_mm }}mm;",
                          "margin-left: {{ page.outer_mm + 10 }}mm; margin-right: {{ page.inner_mm }}mm;")
    assert changed != css
    (issue / "templates" / "print.css").write_text(changed, encoding="utf-8")
    build(issue, tmp_path / "out")
    source = issue / "c0_001_aa18179e77685e74.txt"
    more = "本会将继续加强质量管理工作，推动会员单位提升产品和服务质量，为高质量发展作出新的贡献。" * 4
    source.write_text(source.read_text(encoding="utf-8").rstrip() + f"\n\n{more}" * 10 + "\n", encoding="utf-8")
    manifest, _ = rebuilt_as_full(issue, tmp_path)
    starts = pages_of(manifest)
    grown = starts["c0_001_aa18179e77685e74"][0]
    assert manifest["print"]["laid_out"] == 1 + sum(start > grown for start, _ in starts.values())


def test_a_deflated_page_is_written_as_pydyf_writes_it():
    """A page's stream is compressed when painted and kept so: its bytes in the PDF are pydyf's own."""
    import pydyf

    from huikan.render.pdf.painted import Deflated, deflated

    operators = b"q\n1 0 0 -1 0 841.89 cm\nBT\n/ABCDEF 10.5 Tf\n[<0a1b>] TJ\nET\nQ" * 50
    assert Deflated(deflated(operators)).data == pydyf.Stream([operators], compress=True).data


def test_damaged_kept_pages_are_laid_out_again(issue, tmp_path):
    """A cache file cut short or not huikan's is not read: its articles are laid out, the PDF is unchanged."""
    import hashlib

    from huikan.cache import cache_root

    where = cache_root() / "print" / hashlib.sha256(str(issue.resolve()).encode()).hexdigest()[:24]
    units = sorted(where.glob("*/*.unit"))
    assert units
    for n, path in enumerate(units):
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2] if n % 2 else b"\x80\x04cos\nsystem\n.")
    source = issue / "c3_004_2a33f5eb3ae65cfd.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("质量", "品质", 1), encoding="utf-8")
    manifest, _ = rebuilt_as_full(issue, tmp_path)
    assert manifest["print"] == {"articles": ARTICLES, "laid_out": ARTICLES, "laid_out_beside": 0}


def beside_from_the_first_part(monkeypatch) -> list:
    """Lay out the second half of the issue beside, as a longer issue's (this one is two parts long); the
    units the process beside sent are listed in what this returns."""
    from huikan.render import pdf

    monkeypatch.setattr(pdf, "BESIDE_PARTS", 1)
    taken: list = []
    real = pdf._take_beside
    monkeypatch.setattr(pdf, "_take_beside", lambda *args: taken.append(real(*args)) or taken[-1])
    return taken


def laid_out_here_alone(folder: Path, out: Path, monkeypatch) -> bytes:
    from huikan.build import build_issue
    from huikan.render import pdf

    monkeypatch.setattr(pdf, "_beside_from", lambda units, part_chars: None)
    build_issue(folder, out, ("pdf",), force=True)
    return (out / "kept" / "kept.pdf").read_bytes()


def test_the_half_laid_out_beside_is_placed_as_if_laid_out_here(first, tmp_path, monkeypatch):
    from huikan.build import build_issue

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    taken = beside_from_the_first_part(monkeypatch)
    built = build_issue(first[0], tmp_path / "beside", ("pdf",), force=True)
    assert built.manifest["print"]["laid_out"] == ARTICLES
    assert 0 < built.manifest["print"]["laid_out_beside"] < ARTICLES
    assert len(taken) == 1 and len(taken[0]) > 1  # its units were placed as they were painted there
    assert (tmp_path / "beside" / "kept" / "kept.pdf").read_bytes() == \
        laid_out_here_alone(first[0], tmp_path / "here", monkeypatch)


@pytest.mark.parametrize("refused", ["every third unit not sent", "no page placeable", "the process killed"])
def test_pages_laid_out_beside_that_cannot_be_placed_are_laid_out_here(first, tmp_path, monkeypatch, refused):
    """A unit the process beside could not send (not keepable, say), or whose pages cannot go where they
    fall, or all of them if that process dies, is laid out here: the PDF is the same."""
    import os

    from huikan.build import build_issue
    from huikan.render import pdf
    from huikan.render.pdf.parts import PartsWriter

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    taken = beside_from_the_first_part(monkeypatch)
    real = pdf._lay_out_beside

    def some_not_sent(writer, issue, themes, units, first_page, part_chars, digests):
        laid = real(writer, issue, themes, units, first_page + 1, part_chars, digests)
        laid.units = [(digest, None if n % 3 == 1 else painted, at)
                      for n, (digest, painted, at) in enumerate(laid.units)]
        return laid

    if refused == "no page placeable":
        monkeypatch.setattr(PartsWriter, "placeable", lambda self, unit, first_page, painted_at: False)
    elif refused == "the process killed":
        monkeypatch.setattr(pdf, "_lay_out_beside", lambda *args: os._exit(9))
    else:
        monkeypatch.setattr(pdf, "_lay_out_beside", some_not_sent)  # (the process beside is forked with it)
    built = build_issue(first[0], tmp_path / "beside", ("pdf",), force=True)
    beside = built.manifest["print"]["laid_out_beside"]
    assert len(taken) == 1 and built.manifest["print"]["laid_out"] == ARTICLES
    assert (0 < beside < ARTICLES) if refused == "every third unit not sent" else (beside == 0)
    assert (tmp_path / "beside" / "kept" / "kept.pdf").read_bytes() == \
        laid_out_here_alone(first[0], tmp_path / "here", monkeypatch)
