"""The DOCX read back with python-docx, and converted by LibreOffice as an editor without Windows fonts would."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import docx.enum.style
import pytest
from docx.oxml.ns import qn
from fontTools.t1Lib import T1Font
from fontTools.ttLib import TTCollection

from conftest import THEME, run_huikan
from pdftext import page_texts

CHINESE_FACES = {"宋体", "黑体", "楷体"}


def style_east_asia(style):
    while style is not None:
        rpr = style.element.find(qn("w:rPr"))
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return fonts.get(qn("w:eastAsia"))
        style = style.base_style
    return None


def test_every_title_is_a_heading_1_or_title(built):
    document = docx.Document(str(built.docx))
    headed = {p.text for p in document.paragraphs if p.style.name in ("Title", "Heading 1")}
    for article in built.manifest["articles"]:
        assert article["title"] in headed


def run_east_asia(run, paragraph):
    """The East Asian font a run of text resolves to: its own, its character style's, its paragraph's."""
    rpr = run.element.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    if fonts is not None and fonts.get(qn("w:eastAsia")):
        return fonts.get(qn("w:eastAsia"))
    return style_east_asia(run.style) if run.style.name != "Default Paragraph Font" else \
        style_east_asia(paragraph.style)


def test_every_run_of_chinese_resolves_to_a_chinese_face(built):
    document = docx.Document(str(built.docx))
    paragraphs = list(document.paragraphs)
    for section in document.sections:
        for part in (section.header, section.even_page_header, section.footer):
            paragraphs += part.paragraphs
    runs = [(run, p) for p in paragraphs for run in p.runs if re.search("[\u4e00-\u9fff]", run.text)]
    assert len(runs) > 200
    for run, paragraph in runs:
        assert run_east_asia(run, paragraph) in CHINESE_FACES, (paragraph.style.name, run.text[:20])
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Caption", "编者按", "摘要", "关键词", "作者"):
        assert style_east_asia(document.styles[name]) in CHINESE_FACES, name


def test_theme_fonts_no_longer_point_at_japanese(built):
    document = docx.Document(str(built.docx))
    settings = document.settings.element
    assert settings.find(qn("w:themeFontLang")).get(qn("w:eastAsia")) == "zh-CN"
    styles_xml = document.styles.element.xml
    assert "eastAsiaTheme" not in styles_xml and "asciiTheme" not in styles_xml


def test_toc_field_and_page_field(built):
    document = docx.Document(str(built.docx))
    body_xml = document.element.body.xml
    assert 'TOC \\o "1-1"' in body_xml
    footers = [s.footer._element.xml for s in document.sections[1:]]
    assert footers and all(" PAGE " in xml for xml in footers)


def test_links_are_word_hyperlinks_with_an_existing_style(built):
    document = docx.Document(str(built.docx))
    links = [h for p in document.paragraphs for h in p.hyperlinks]
    assert [h.url for h in links] == ["http://www.shanghai.gov.cn/nw2/nw2314/nw2319/nw12344/u26aw55048.html"]
    assert document.styles["Hyperlink"].type == docx.enum.style.WD_STYLE_TYPE.CHARACTER


def test_building_twice_gives_identical_files(built, tmp_path):
    from conftest import SEEDS, run_huikan

    process = run_huikan("build", str(SEEDS), "-o", str(tmp_path), "-q")
    assert process.returncode == 0, process.stderr
    again = tmp_path / "2020-06"
    for name in ("2020-06.pdf", "2020-06.docx", "2020-06.html"):
        assert (again / name).read_bytes() == (built.folder / name).read_bytes(), name


def _font_file(family: str) -> tuple[Path, int]:
    out = subprocess.run(["fc-match", "-f", "%{file}|%{index}", family], capture_output=True, text=True).stdout
    path, index = out.split("|")
    return Path(path), int(index)


@pytest.fixture(scope="module")
def libreoffice_pdf(built, tmp_path_factory) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    out = tmp_path_factory.mktemp("lo")
    env = {**os.environ, "FONTCONFIG_FILE": str(THEME / "fonts.conf"), "HOME": str(out)}
    subprocess.run([soffice, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(out),
                    str(built.docx)], env=env, capture_output=True, timeout=300, check=True)
    return out / "2020-06.pdf"


def test_libreoffice_shows_every_title(built, libreoffice_pdf):
    text = "".join(page_texts(libreoffice_pdf))
    for article in built.manifest["articles"]:
        assert article["title"].replace(" ", "") in text


def _cid(name: str) -> int | None:
    return int(name[3:]) if name.startswith("cid") and name[3:].isdigit() else None


def _embedded_cids(pdf: Path) -> dict[str, set[int]]:
    """CIDs of the glyphs LibreOffice embedded, per font (its Type 1 subsets name glyphs cidNNNN)."""
    import pypdf

    found: dict[str, set[int]] = {}
    for page in pypdf.PdfReader(str(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            file = font["/FontDescriptor"].get_object().get("/FontFile")
            if file is None:
                continue
            tmp = pdf.with_suffix(".pfa")
            tmp.write_bytes(file.get_object().get_data())
            t1 = T1Font(str(tmp))
            t1.parse()
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            found.setdefault(name, set()).update(c for c in map(_cid, t1["CharStrings"].keys()) if c is not None)
    return found


def test_libreoffice_sets_chinese_in_simplified_chinese_glyphs(libreoffice_pdf):
    """Noto CJK TTCs share one CFF between regions, so the embedded name (…CJKjp…) says nothing.

    Characters such as 骨 or 直 have separate SC and JP glyphs: the subsets must hold the SC ones.
    """
    text = "".join(page_texts(libreoffice_pdf))
    fonts = _embedded_cids(libreoffice_pdf)
    # With the theme's fonts.conf, 宋体 body text is set in the serif face, 黑体 headings in the sans.
    assert any("SerifCJK" in name for name in fonts) and any("SansCJK" in name for name in fonts)
    checked = 0
    for name, cids in fonts.items():
        if "CJK" not in name:
            continue
        family = "Noto Sans CJK SC" if "Sans" in name else "Noto Serif CJK SC"
        weight = ":bold" if "Bold" in name else ":regular"
        path, sc_index = _font_file(family + weight)
        collection = TTCollection(str(path))
        jp_index = next(i for i, f in enumerate(collection) if "jp" in f["name"].getDebugName(6).lower())
        sc_map, jp_map = collection[sc_index].getBestCmap(), collection[jp_index].getBestCmap()
        sc_cids = {_cid(g) for g in sc_map.values()}
        for ch in set(text):
            sc, jp = sc_map.get(ord(ch)), jp_map.get(ord(ch))
            if sc and jp and sc != jp and _cid(jp) not in sc_cids:
                assert _cid(jp) not in cids, f"{ch} set with its Japanese glyph in {name}"
                checked += _cid(sc) in cids
    assert checked > 0, "no character with distinct SC and JP glyphs was found"


def test_many_articles_keep_the_core_properties_within_words_limits(tmp_path):
    """40 articles of five keywords each: the issue's keywords property is cut on a whole keyword."""
    issue = tmp_path / "issue"
    issue.mkdir()
    (issue / "issue.toml").write_text('[publication]\ntitle = "上海质量"\n[issue]\nid = "big"\n', encoding="utf-8")
    for n in range(40):
        keywords = ", ".join(["质量管理体系建设", f"第{n}号专项工作", f"示范单位{n}", f"标准化试点{n}", f"品牌建设{n}"])
        (issue / f"a{n:02}.md").write_text(
            f"---\ntitle: 第{n}篇文章\nkeywords: [{keywords}]\n---\n\n本市企业推进质量管理体系建设，成效明显。\n",
            encoding="utf-8")
    process = run_huikan("build", str(issue), "-o", str(tmp_path / "out"), "--formats", "docx", "-q")
    assert process.returncode == 0 and "Traceback" not in process.stderr, process.stderr
    props = docx.Document(str(tmp_path / "out" / "big" / "big.docx")).core_properties
    words = props.keywords.split("；")
    assert len(props.keywords) <= 255 and words[0] == "质量管理体系建设"
    given = {w for n in range(40) for w in (f"第{n}号专项工作", f"示范单位{n}", f"标准化试点{n}", f"品牌建设{n}")}
    assert set(words[1:]) <= given, "a keyword was cut in the middle"
    assert len("；".join(words)) + len("；第39号专项工作") > 255, "stopped before the limit"
