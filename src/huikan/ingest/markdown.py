"""Reader for Markdown articles with YAML front matter (title, subtitle, authors, section, summary, keywords,
intro)."""

from __future__ import annotations

import datetime as dt
import re

import yaml
from markdown_it import MarkdownIt

from huikan.confine import is_web_link, plain_relative
from huikan.diagnostics import Report
from huikan.ingest import cleanup
from huikan.ingest.text import is_subtitle, parse_byline
from huikan.model import Article, Block, Link

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?---[ \t]*(\n|\Z)", re.S)
FRONT_KEYS = {"title", "subtitle", "authors", "section", "summary", "keywords", "intro"}
LIST_KEYS = {"authors", "keywords"}
SURROGATE = re.compile("[\ud800-\udfff]")
# markdown-it drops, without a word, what is nested deeper than maxNesting; reading up to 100 levels and
# refusing more than MAX_LEVEL (a quote is a level, a list item two) means nothing is lost unsaid.
MAX_LEVEL = 40
PARSER = MarkdownIt("commonmark", {"html": True, "maxNesting": 100})  # html: so that raw HTML is found and dropped
# Every URL is judged below, with a message for the editor, instead of silently left as text.
PARSER.validateLink = lambda url: True  # type: ignore[method-assign]


def _front_matter(text: str, path: str, report: Report) -> tuple[dict, str, int]:
    """The front matter, the body, and how many lines the front matter took."""
    m = FRONT_MATTER.match(text)
    if not m:
        return {}, text, 0
    offset = text[: m.end()].count("\n")
    try:
        data = yaml.safe_load(m.group("yaml") or "") or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 2
        report.error(path, line, "bad-front-matter", f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}")
        return {}, text[m.end():], offset
    if not isinstance(data, dict):
        report.error(path, 2, "bad-front-matter", "front matter must be key: value lines")
        return {}, text[m.end():], offset
    rows = m.group(0).split("\n")
    values: dict = {}
    for key, value in data.items():
        line = next((i for i, row in enumerate(rows, 1) if row.startswith(f"{key}:")), 2)
        if key not in FRONT_KEYS:
            known = ", ".join(sorted(FRONT_KEYS))
            report.error(path, line, "unknown-key", f"unknown front matter key '{key}' (known: {known})")
        elif (checked := _front_value(key, value, path, line, report)) is not None:
            values[key] = checked
    return values, text[m.end():], offset


SCALARS = (str, int, float, dt.date)


def _front_value(key: str, value, path: str, line: int, report: Report) -> str | list[str] | None:
    """VALUE as text (or a list of texts for authors and keywords); None, with an error, if it is neither."""
    if value is None:
        return None
    if key in LIST_KEYS:
        if isinstance(value, SCALARS):
            items = [v for v in re.split(r"[、，,;；]\s*", str(value)) if v.strip()]
        elif isinstance(value, list) and all(isinstance(v, SCALARS) for v in value):
            items = [str(v).strip() for v in value if str(v).strip()]
        else:
            report.error(path, line, "bad-front-matter", f"'{key}' must be a list of names or words")
            return None
        return [_valid_text(v, path, line, report) for v in items]
    if not isinstance(value, SCALARS):
        report.error(path, line, "bad-front-matter", f"'{key}' must be text, not a {type(value).__name__}")
        return None
    return _valid_text(str(value).strip(), path, line, report)


def _valid_text(text: str, path: str, line: int, report: Report) -> str:
    """TEXT without lone surrogates (YAML's "\\ud800" escapes make them; no file or font can hold one)."""
    if not SURROGATE.search(text):
        return text
    report.warning(path, line, "bad-character", "a character that is not Unicode text (a lone surrogate) "
                   "became U+FFFD")
    return SURROGATE.sub("\ufffd", text)


def _local_picture(src: str, path: str, line: int, report: Report) -> str | None:
    """SRC if it names a file inside the issue folder (images/…); anything else is left out."""
    if not plain_relative(src):
        report.warning(path, line, "picture-outside",
                       f"picture '{src}' left out: pictures must be files in the issue's images/ folder")
        return ""
    return src


def _inline(children, path: str, line: int, report: Report) -> tuple[str, list[Link], str | None, str]:
    """Text, links, the image (if the paragraph is one picture) and its alt text, from inline tokens."""
    text, links, href_start, href = "", [], 0, ""
    image, alt = None, ""
    for token in children or []:
        if token.type in ("text", "code_inline"):
            text += token.content
        elif token.type in ("softbreak", "hardbreak"):
            text += "" if text and not text[-1].isascii() else " "
        elif token.type == "link_open":
            href_start, href = len(text), token.attrGet("href") or ""
            if href and not is_web_link(href):
                report.warning(path, line, "bad-link", f"link '{href}' left out: only http, https and mailto links")
                href = ""
        elif token.type == "link_close" and href:
            links.append(Link(href_start, len(text), href))
            href = ""
        elif token.type == "image":
            image, alt = _local_picture(token.attrGet("src") or "", path, line, report), token.content
        elif token.type == "html_inline":
            report.warning(path, line, "raw-html", f"raw HTML left out: {token.content.strip()[:40]}")
    return text, links, image, alt


def read_markdown(text: str, source: str, path: str, report: Report) -> list[Article]:
    data, body, offset = _front_matter(text, path, report)
    article = Article(id=source.rsplit(".", 1)[0], source=source, line=1)
    article.title = data.get("title", "")
    article.subtitle = cleanup.strip_subtitle_dash(data.get("subtitle", ""))
    article.authors = data.get("authors", [])
    article.summary = data.get("summary", "")
    article.keywords = data.get("keywords", [])
    article.intro = data.get("intro", "")
    article.section = data.get("section", "")
    tokens = PARSER.parse(body)
    deep = next((t for t in tokens if t.level > MAX_LEVEL), None)
    if deep is not None:
        line = (deep.map[0] + 1 + offset) if deep.map else 0
        report.error(path, line, "too-deep", f"quotes or lists nested too deep inside one another (over {MAX_LEVEL} "
                     "levels): not read; flatten them")
        return []
    title_level = None
    quote_depth = 0
    for i, token in enumerate(tokens):
        line = (token.map[0] + 1 + offset) if token.map else 0
        if token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "html_block":
            report.warning(path, line, "raw-html", "raw HTML left out")
        elif token.type == "heading_open":
            level = int(token.tag[1])
            content, _, _, _ = _inline(tokens[i + 1].children, path, line, report)
            if not article.title and title_level is None:
                article.title, article.line, title_level = cleanup.full_width_punctuation(content), line, level
                continue
            base = (title_level or 1) + 1
            article.blocks.append(Block("heading", cleanup.clean_text(content), line,
                                        level=1 if level <= base else 2))
        elif token.type == "paragraph_open" and tokens[i - 1].type != "heading_open":
            content, links, image, alt = _inline(tokens[i + 1].children, path, line, report)
            if image is not None and not content.strip():
                article.blocks.append(Block("caption", alt, line, image=image or None))
                continue
            kind = "quote" if quote_depth else "paragraph"
            # Cleaning may move characters; text with links is kept as written so the spans stay right.
            cleaned = cleanup.clean_text(content) if not links else content.strip()
            block = Block(kind, cleaned, line, links=links)
            block.lead = cleanup.run_in_head(block.text) if kind == "paragraph" else ""
            article.blocks.append(block)
    _take_subtitle_and_byline(article)
    return [article]


def _take_subtitle_and_byline(article: Article) -> None:
    """A dashed subtitle (——记…) and a byline (◆某某 / 文) written as the first paragraphs after the
    title are article fields, as in a .txt article, unless the front matter gave them."""
    while article.title and article.blocks and article.blocks[0].type == "paragraph":
        first = article.blocks[0].text
        if not article.subtitle and is_subtitle(first):
            article.subtitle = cleanup.strip_subtitle_dash(first)
        elif not article.authors and (names := parse_byline(first)):
            article.authors = names
        else:
            return
        article.blocks.pop(0)
