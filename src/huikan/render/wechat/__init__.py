"""The 公众号 edition: each article as HTML that pastes into the WeChat editor with its typography intact.

That editor keeps only inline styles on a small set of tags (section, p, span, strong, em, h1–h4,
blockquote, lists, tables, figure, img, br, hr), drops <style>, <link> and <script>, and ignores class
and id; it opens no links outside 公众号 articles and has no footnotes. So the theme's
wechat/article.html is rendered with every style taken from one table (styles.py), links and notes
become marks listed at the end, and pictures come as data: URIs of at most 1080 px (or as files to
upload by hand). What cannot be carried is said at its file and line.
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

from jinja2 import TemplateError
from markupsafe import Markup, escape

from huikan.diagnostics import Report, UsageError
from huikan.model import TRUNCATED_NOTE, Article, Issue
from huikan.pictures.store import PictureStore
from huikan.pictures.variants import WECHAT_WIDTH, Want
from huikan.render.html import Shown, environment, table_chars, template_place
from huikan.render.wechat.styles import Styles
from huikan.render.wechat.text import Marks, inline, plain

FOLDER = "wechat"
# A picture at most this large goes into the HTML as a data: URI, so that one paste carries it. Larger
# ones would make the clipboard's HTML many megabytes (the 公众号 itself takes pictures up to 10 MB
# when uploaded): they are written beside the file, to be uploaded by hand.
DATA_URI_LIMIT = 400 * 1024
PHONE_CHARS = 26  # table cells of 13 px that a 375 px phone shows side by side


def render_wechat(issue: Issue, themes: list[Path], target: Path, store: PictureStore | None, report: Report) -> None:
    """Write TARGET/<article id>.html for every article of ISSUE; warn of what the 公众号 cannot carry."""
    styles = Styles.load(themes)
    try:
        template = environment(themes).get_template("wechat/article.html")
    except TemplateError as exc:
        raise UsageError.single(*template_place(exc), "template", f"the theme's template failed: {exc}") from None
    target.mkdir(parents=True, exist_ok=True)
    for article in issue.articles:
        page = target / f"{article.id}.html"
        temporary = page.with_suffix(".tmp")
        temporary.write_text(document(article, article_html(template, styles, issue, article, store, target, report)),
                             encoding="utf-8")
        temporary.replace(page)


def article_html(template, styles: Styles, issue: Issue, article: Article, store: PictureStore | None, target: Path,
                 report: Report) -> Markup:
    """ARTICLE's part to paste; its losses said in REPORT."""
    shown = str(Path(issue.folder) / article.source)
    marks = Marks()
    try:
        body = template.render(
            issue=issue, article=article, marks=marks, style=styles.attribute, truncated_note=TRUNCATED_NOTE,
            text=lambda s: plain(str(s), styles), inline=lambda block: inline(block, styles, marks),
            picture=lambda ref: _picture(issue, ref, store, target, shown, report))
    except TemplateError as exc:
        raise UsageError.single(*template_place(exc), "template", f"the theme's template failed: {exc}") from None
    _report_losses(article, shown, report)
    return Markup(body)


def document(article: Article, body: Markup) -> str:
    """BODY, the part to paste, in a page of its own that a phone's browser shows as the 公众号 would."""
    return ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(article.title)}</title>\n</head>\n<body style=\"margin: 0; padding: 16px 12px;\">\n"
            f"{body.strip()}\n</body>\n</html>\n")


def _picture(issue: Issue, ref: str, store: PictureStore | None, target: Path, shown: str, report: Report) -> Shown:
    picture = issue.pictures.get(ref)
    if picture is None or store is None:
        return Shown("", problem="not checked", name=ref[:40])
    if picture.problem:
        return Shown("", problem=picture.problem.split(" ", 1)[-1], name=picture.name)
    variant = store.variant(picture, Want(WECHAT_WIDTH))
    data = variant.read_bytes()
    if len(data) <= DATA_URI_LIMIT:
        kind = "jpeg" if variant.suffix == ".jpg" else "png"
        return Shown(f"data:image/{kind};base64,{base64.b64encode(data).decode()}", name=picture.name)
    beside = target / "images" / f"{picture.sha256[:16]}{variant.suffix}"
    beside.parent.mkdir(exist_ok=True)
    shutil.copyfile(variant, beside)
    line = next((n for path, n in picture.uses if path == shown), 0)
    report.warning(shown, line, "wechat-picture", f"{picture.name} is {len(data) // 1024} KB even at "
                   f"{WECHAT_WIDTH} px: not pasted with the text; upload {FOLDER}/images/{beside.name} in the "
                   "公众号 editor by hand")
    return Shown(f"images/{beside.name}", name=picture.name)


def _report_losses(article: Article, shown: str, report: Report) -> None:
    """Links, notes and tables too wide for a phone: each said once where it stands."""
    for block in article.blocks:
        if block.links or any(cell.links for row in block.rows for cell in row):
            report.warning(shown, block.line, "wechat-link", "the 公众号 opens no links outside it: the link is "
                           "set as text with a mark [n], its address listed under 参考链接 at the end")
        if block.every_note():
            report.warning(shown, block.line, "wechat-note", "the 公众号 has no footnotes: the note is set at the "
                           "end of the article under 注释, its mark [注n] where it stood")
        if block.type == "table" and (wide := table_chars(block)) > PHONE_CHARS:
            report.warning(shown, block.line, "wechat-wide-table", f"the table is about {wide:.0f} characters "
                           f"wide and a phone shows {PHONE_CHARS}: in the 公众号 it wraps tightly or scrolls sideways")

