"""The 公众号 edition: each article as HTML that pastes into the WeChat editor with its typography intact.

What that editor keeps is checked on the files (tags, no class or id, no <style>, nothing fetched), and
in real Chromium at a phone's width: no sideways overflow, and the same pixels once <style>, class and id
are taken away, as the editor takes them. Every paragraph, caption, cell and item of the model is there,
in order; the web edition's 「复制到公众号」 button carries the same HTML."""

from __future__ import annotations

import base64
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

import browser
from conftest import SEEDS, run_huikan

KEPT = {"section", "p", "span", "strong", "em", "h1", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "table",
        "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "img", "br", "hr"}
PAGE = {"html", "head", "meta", "title", "body"}  # the page around the part to paste
NOT_COMPARED = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")
WIDTH = 375


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parsed(path: Path) -> Tags:
    tags = Tags()
    tags.feed(path.read_text(encoding="utf-8"))
    return tags


@pytest.fixture(scope="module")
def seeds_built(tmp_path_factory):
    out = tmp_path_factory.mktemp("wechat")
    process = run_huikan("build", str(SEEDS), "-o", str(out), "--formats", "pdf,docx,html,wechat")
    assert process.returncode == 0, process.stderr
    return out / "2020-06", process


def seeds_with_formats(tmp_path: Path, formats: str) -> Path:
    """A copy of the sample issue whose issue.toml names FORMATS (a TOML list) under [issue]."""
    issue = tmp_path / "issue"
    shutil.copytree(SEEDS, issue)
    config = issue / "issue.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('page_size = "A4"',
                                                                 f'page_size = "A4"\nformats = {formats}'),
                      encoding="utf-8")
    return issue


def model_texts(folder: Path) -> dict[str, list[str]]:
    """Per article: its paragraphs, captions, table cells and list items, in order (from issue.json)."""
    model = json.loads((folder / "issue.json").read_text(encoding="utf-8"))
    out = {}
    for article in model["articles"]:
        texts = []
        for block in article["blocks"]:
            if block["type"] == "table":
                texts += [cell["text"] for row in block["rows"] for cell in row]
            elif block["type"] == "editor_note":
                texts += block["text"].split("\n")
            else:
                texts.append(block["text"])
        out[article["id"]] = [t for t in texts if NOT_COMPARED.sub("", t)]
    return out


def assert_in_order(texts: list[str], page: Path) -> None:
    carried = NOT_COMPARED.sub("", "".join(parsed(page).text).replace("\u2060", ""))
    at = 0
    for text in texts:
        found = carried.find(NOT_COMPARED.sub("", text), at)
        assert found >= 0, (page.name, text[:40])
        at = found


def test_one_ready_to_paste_file_per_article_with_only_what_the_editor_keeps(seeds_built):
    folder, _ = seeds_built
    model = model_texts(folder)
    pages = sorted((folder / "wechat").glob("*.html"))
    assert sorted(p.stem for p in pages) == sorted(model)
    manifest = json.loads((folder / "build.json").read_text(encoding="utf-8"))
    assert manifest["outputs"]["wechat"]["files"] == [p.name for p in pages]
    for page in pages:
        tags = parsed(page)
        used = {tag for tag, _ in tags.tags}
        assert used <= KEPT | PAGE, (page.name, used - KEPT - PAGE)
        for tag, attrs in tags.tags:
            assert "class" not in attrs and "id" not in attrs, (page.name, tag, attrs)
            if tag == "img":
                assert attrs["src"].startswith(("data:image/", "images/")), attrs["src"][:40]
        html = page.read_text(encoding="utf-8")
        assert "<style" not in html and "<link" not in html and "<script" not in html
        assert "原载《上海质量》2020年第6期" in html
        assert_in_order(model[page.stem], page)


def test_the_chinese_rules_of_the_web_edition_hold_without_a_font_feature(seeds_built):
    folder, _ = seeds_built
    html = (folder / "wechat" / "004_2a33f5eb3ae65cfd.html").read_text(encoding="utf-8")
    assert "2018 年 2 月 9 日" in html  # Han–Latin spacing
    assert re.search(r'<span style="letter-spacing: -0\.5em;">》</span>', html)  # 》” set closer: 标点挤压
    assert 'style="margin: 0 0 12px; text-indent: 2em; text-align: justify;"' in html  # the body's paragraphs
    assert re.search(r"<strong style=\"[^\"]*\">摘要：</strong>", html)


def test_what_the_wechat_edition_cannot_carry_is_said_at_its_line(seeds_built):
    _, process = seeds_built
    assert re.search(r"seeds/004_2a33f5eb3ae65cfd\.txt:\d+: warning: the 公众号 opens no links outside it.*"
                     r"\[wechat-link\]", process.stderr)


@pytest.mark.skipif(not browser.available(), reason="needs chromium and chromedriver")
def test_at_a_phones_width_nothing_overflows_and_all_styling_is_inline(seeds_built, tmp_path):
    folder, _ = seeds_built
    strip = ("document.querySelectorAll('style, link').forEach(e => e.remove());"
             "document.querySelectorAll('[class], [id]').forEach(e => {e.removeAttribute('class');"
             "e.removeAttribute('id');});")
    with browser.chromium(tmp_path / "profile") as driver:
        driver.set_window_size(WIDTH, 800)
        for page in sorted((folder / "wechat").glob("*.html")):
            driver.get(page.as_uri())
            driver.execute_script("document.documentElement.style.overflowY = 'hidden';")
            width = driver.execute_script("return [document.documentElement.scrollWidth, "
                                          "document.documentElement.clientWidth];")
            assert width[0] <= width[1], (page.name, width)
            before = driver.get_screenshot_as_png()
            driver.execute_script(strip)
            assert driver.get_screenshot_as_png() == before, page.name


@pytest.mark.skipif(not browser.available(), reason="needs chromium and chromedriver")
def test_the_web_editions_copy_button_carries_the_same_html(tmp_path):
    site = tmp_path / "publish"
    build = tmp_path / "build"
    issue = seeds_with_formats(tmp_path, '["pdf", "docx", "html", "wechat"]')
    process = run_huikan("publish", str(issue), "-o", str(site), "--build", str(build))
    assert process.returncode == 0, process.stderr
    page = site / "2020-06" / "004_2a33f5eb3ae65cfd.html"
    assert "复制到公众号" in page.read_text(encoding="utf-8")
    wechat = (build / "2020-06" / "wechat" / "004_2a33f5eb3ae65cfd.html").read_text(encoding="utf-8")
    part = wechat[wechat.index(">", wechat.index("<body")) + 1:wechat.rindex("</body>")].strip()
    with browser.serve(site) as url, browser.chromium(tmp_path / "profile") as driver:
        driver.get(url + "2020-06/004_2a33f5eb3ae65cfd.html")
        driver.execute_cdp_cmd("Browser.grantPermissions", {"permissions": ["clipboardReadWrite",
                                                                            "clipboardSanitizedWrite"]})
        copied = driver.execute_script("return wechatHtml(document.querySelector('button.copy-wechat'));")
        assert copied == part and "原载《上海质量》2020年第6期" in copied
        driver.find_element("css selector", "button.copy-wechat").click()
        driver.set_script_timeout(10)
        # The copy is asynchronous: the clipboard is read once the button's status says it is done.
        clipboard = driver.execute_async_script(
            "const done = arguments[0];"
            "const status = document.querySelector('button.copy-wechat').parentElement.querySelector('.copy-status');"
            "const read = () => navigator.clipboard.read().then(async items => {"
            "const out = {status: status.textContent}; for (const type of items[0].types) {"
            "out[type] = await (await items[0].getType(type)).text(); }"
            "done(out); }).catch(e => done({error: String(e)}));"
            "const wait = () => status.textContent ? read() : setTimeout(wait, 50); wait();")
    assert "error" not in clipboard and clipboard["status"] == "已复制，可粘贴到公众号编辑器", clipboard
    assert "上海发布" in clipboard["text/plain"] and "letter-spacing" in clipboard["text/html"]


def test_pictures_come_as_data_uris_of_at_most_1080_pixels(tmp_path):
    from PIL import Image

    issue = tmp_path / "issue"
    (issue / "images").mkdir(parents=True)
    (issue / "issue.toml").write_text('[publication]\ntitle = "会刊"\n\n[issue]\nid = "w"\nnumber = "2021年第1期"\n',
                                      encoding="utf-8")
    Image.new("RGB", (2400, 1600), (30, 90, 160)).save(issue / "images" / "big.png")
    (issue / "a.md").write_text("# 标题\n\n正文一段，见[协会网站](https://example.org)。\n\n![现场](images/big.png)\n\n"
                                "| 指标 | 一季度 | 二季度 | 三季度 | 四季度 | 全年合计 | 同比增减 |\n"
                                "| --- | --- | --- | --- | --- | --- | --- |\n"
                                "| 培训人次 | 3,120 | 4,580 | 5,012 | 6,300 | 19,012 | +12.5% |\n", encoding="utf-8")
    process = run_huikan("build", str(issue), "-o", str(tmp_path / "build"), "--formats", "wechat")
    assert process.returncode == 0, process.stderr
    html = (tmp_path / "build" / "w" / "wechat" / "a.html").read_text(encoding="utf-8")
    data = re.search(r'<img src="data:image/png;base64,([^"]+)"', html)
    assert data
    from io import BytesIO
    with Image.open(BytesIO(base64.b64decode(data.group(1)))) as picture:
        assert picture.width == 1080
    assert "参考链接" in html and "https://example.org" in html and "原载《会刊》2021年第1期" in html
    assert re.search(rf"{issue}/a\.md:3: warning: .*\[wechat-link\]", process.stderr)
    assert re.search(rf"{issue}/a\.md:\d+: warning: the table is about \d+ characters wide.*\[wechat-wide-table\]",
                     process.stderr)


def test_a_theme_overrides_entries_of_the_style_table(tmp_path):
    issue = tmp_path / "issue"
    shutil.copytree(SEEDS, issue)
    (issue / "templates" / "wechat").mkdir(parents=True)
    (issue / "templates" / "wechat" / "styles.toml").write_text(
        '[colours]\naccent = "#aa0000"\n\n[styles]\npara = "margin: 0 0 16px; text-align: justify;"\n',
        encoding="utf-8")
    process = run_huikan("build", str(issue), "-o", str(tmp_path / "build"), "--formats", "wechat")
    assert process.returncode == 0, process.stderr
    html = (tmp_path / "build" / "2020-06" / "wechat" / "004_2a33f5eb3ae65cfd.html").read_text(encoding="utf-8")
    assert '<p style="margin: 0 0 16px; text-align: justify;">' in html
    assert "color: #aa0000" in html and "#0b3d6e" not in html  # the theme's accent, everywhere
    assert "font-size: 22px" in html  # entries it does not name are kept


def test_issue_toml_names_the_formats_a_build_makes(tmp_path):
    issue = seeds_with_formats(tmp_path, '["html", "wechat"]')
    config = issue / "issue.toml"
    process = run_huikan("build", str(issue), "-o", str(tmp_path / "build"))
    assert process.returncode == 0, process.stderr
    manifest = json.loads((tmp_path / "build" / "2020-06" / "build.json").read_text(encoding="utf-8"))
    assert set(manifest["outputs"]) == {"html", "wechat"}
    config.write_text(config.read_text(encoding="utf-8").replace('"wechat"]', '"wechat", "epub"]'), encoding="utf-8")
    process = run_huikan("build", str(issue), "-o", str(tmp_path / "build"))
    line = config.read_text(encoding="utf-8").splitlines().index('formats = ["html", "wechat", "epub"]') + 1
    assert process.returncode == 2
    assert f"{config}:{line}: error: issue.formats must list some of pdf, docx, html, booklet, wechat [bad-value]" \
        in process.stderr


def test_an_issue_themes_wechat_template_cannot_put_markup_in_the_web_edition(tmp_path):
    issue = seeds_with_formats(tmp_path, '["html", "wechat"]')
    (issue / "templates" / "wechat").mkdir(parents=True)
    (issue / "templates" / "wechat" / "article.html").write_text(
        '<section><p>{{ article.title }}</p><script>window.taken = 1</script></section>', encoding="utf-8")
    process = run_huikan("publish", str(issue), "-o", str(tmp_path / "publish"), "--build", str(tmp_path / "build"))
    assert process.returncode == 0, process.stderr
    page = (tmp_path / "publish" / "2020-06" / "004_2a33f5eb3ae65cfd.html").read_text(encoding="utf-8")
    assert "window.taken" in page and "<script>window.taken" not in page  # carried as text, escaped
