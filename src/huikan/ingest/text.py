"""Reader for print-extracted plain text: paragraphs, front matter, headings, end marks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from huikan.diagnostics import Report
from huikan.model import Article, Block

SENTENCE_END = "。！？!?…”’」』）)"
HEADING_1 = re.compile(r"^[一二三四五六七八九十]{1,3}、\S")
HEADING_2 = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]\s*\S")
BYLINE = re.compile(r"^[◆◇●■□▲△★☆◎○]?\s*(?P<names>[^/／:：]{2,30}?)\s*[/／]\s*文$"
                    r"|^文\s*[/／]\s*(?P<names2>.{2,30})$"
                    r"|^(?:作者|撰文|记者)\s*[:：]?\s*(?P<names3>.{2,30})$")
SUBTITLE_DASH = re.compile(r"^(?:——|--|—)\s*")
TITLE_MAX = 40
SUBTITLE_MAX = 40


@dataclass
class Para:
    """A paragraph of the source with the line it starts on."""

    text: str
    line: int


def split_paragraphs(text: str) -> list[Para]:
    """Blank lines separate paragraphs; a file without any blank line has one paragraph a line."""
    lines = text.split("\n")
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    has_blank_separators = any(
        not lines[i].strip() for i in range(nonblank[0], nonblank[-1]) if nonblank
    ) if nonblank else False
    paras: list[Para] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped:
            if current:
                paras.append(Para(join_lines(current), start))
                current = []
            continue
        if not has_blank_separators:
            paras.append(Para(stripped, number))
            continue
        if not current:
            start = number
        current.append(stripped)
    if current:
        paras.append(Para(join_lines(current), start))
    return paras


def join_lines(lines: list[str]) -> str:
    """Lines wrapped inside one paragraph: Han text joins directly, Latin words keep a space."""
    out = lines[0]
    for line in lines[1:]:
        if out and out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            out += " " + line
        else:
            out += line
    return out


def ends_sentence(text: str) -> bool:
    return bool(text) and text[-1] in SENTENCE_END


def is_heading(text: str) -> int:
    """The heading level of a paragraph such as 一、服务国家… (1) or （一）… (2); 0 if not a heading."""
    if len(text) > TITLE_MAX or text.endswith("。"):
        return 0
    if HEADING_1.match(text):
        return 1
    if HEADING_2.match(text) and not re.search(r"[。；]", text):
        return 2
    return 0


def parse_byline(text: str) -> list[str] | None:
    m = BYLINE.match(text)
    if not m:
        return None
    names = m.group("names") or m.group("names2") or m.group("names3")
    return [n for n in re.split(r"[、，,\s]+", names.strip()) if n]


def is_title_like(text: str) -> bool:
    return len(text) <= TITLE_MAX and not ends_sentence(text.rstrip("》")) and not is_heading(text)


def take_front_matter(paras: list[Para], article: Article) -> list[Para]:
    """Fill title, subtitle and authors from the paragraphs that open the article; return the rest."""
    rest = list(paras)
    if rest and rest[0].text.startswith("# "):
        article.title, article.line = rest[0].text[2:].strip(), rest[0].line
        rest.pop(0)
    elif rest and is_title_like(rest[0].text) and parse_byline(rest[0].text) is None:
        article.title, article.line = rest[0].text, rest[0].line
        rest.pop(0)
    if article.title and rest:
        first = rest[0].text
        marked = first.startswith("## ")
        candidate = first[3:].strip() if marked else first
        dashed = SUBTITLE_DASH.match(candidate)
        if marked or dashed or (len(candidate) <= SUBTITLE_MAX and not ends_sentence(candidate)
                                and not is_heading(candidate) and parse_byline(candidate) is None):
            article.subtitle = SUBTITLE_DASH.sub("", candidate).strip()
            rest.pop(0)
    if rest:
        authors = parse_byline(rest[0].text)
        if authors:
            article.authors = authors
            rest.pop(0)
    return rest


def body_blocks(paras: list[Para]) -> list[Block]:
    blocks = []
    for para in paras:
        level = is_heading(para.text)
        if level:
            blocks.append(Block("heading", para.text, para.line, level=level))
        else:
            blocks.append(Block("paragraph", para.text, para.line))
    return blocks


def read_text(text: str, source: str, path: str, report: Report) -> list[Article]:
    """Turn print-extracted TEXT into articles (usually one)."""
    paras = split_paragraphs(text)
    stem = source.rsplit(".", 1)[0]
    article = Article(id=stem, source=source)
    if not paras:
        report.error(path, 1, "empty-article", "the file has no text")
        return []
    rest = take_front_matter(paras, article)
    article.blocks = body_blocks(rest)
    if not article.title:
        article.line = paras[0].line
    return [article]
