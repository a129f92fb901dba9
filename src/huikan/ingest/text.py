"""Reader for print-extracted plain text: structure first, then the repairs of ingest/cleanup.py."""

from __future__ import annotations

import re
from dataclasses import replace

from huikan.diagnostics import NOTE, Report
from huikan.ingest import cleanup
from huikan.ingest.cleanup import Para
from huikan.model import Article, Block, Link

HEADING_1 = re.compile(r"^[一二三四五六七八九十]{1,3}、\S")
HEADING_2 = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]\s*\S")
BYLINE = re.compile(r"^[◆◇●■□▲△★☆◎○]?\s*(?P<names>[^/／:：。，]{2,30}?)\s*[/／]\s*文$"
                    r"|^文\s*[/／]\s*(?P<names2>[^。，]{2,30})$"
                    r"|^(?:作者|撰文|记者)\s*[:：]\s*(?P<names3>[^。，]{2,30})$")
# A byline of names alone, as an editor types it under the title: 王明, 王明　李华, ◆王明、李华.
NAMES = re.compile(r"^[◆◇●■□▲△★☆◎○]?\s*[\u4e00-\u9fff·]{2,4}(?:[、，,\s\u3000]+[\u4e00-\u9fff·]{2,4}){0,7}$")
TITLE_MAX = 40
SUBTITLE_MAX = 40
TITLE_ENDS = ("？", "！", "?", "!", "…")  # what a title may end in besides no mark at all
PLAIN_SUBTITLE_MAX = 24  # a subtitle without its dash must be short to be told from a cut paragraph


def split_paragraphs(text: str) -> list[Para]:
    """Blank lines separate paragraphs; in a file without blank lines each line is a paragraph.

    List lines that stand together, line under line ((一)… (二)…, 1．… 2．…), are paragraphs of their own,
    marked `listed`; a numbered paragraph set off by blank lines is an ordinary one with a run-in head.
    """
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        return []
    blank_inside = any(not lines[i].strip() for i in range(filled[0], filled[-1]))
    head = _head_lines([line.strip() for line in lines[filled[0]:]])
    # Runs of lines between blank lines; without blank lines each line is a run, but list lines together
    # still make one run, so that they are read as a list.
    groups: list[list[tuple[int, str]]] = []
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped:
            continue
        last = groups[-1] if groups else None
        follows = last is not None and last[-1][0] == number - 1 and number - 1 > filled[0] + head
        if follows and last is not None and (blank_inside or (list_item(stripped) and list_item(last[-1][1]))):
            last.append((number, stripped))
        else:
            groups.append([(number, stripped)])
    paras: list[Para] = []
    for group in groups:
        paras.extend(_group_paras(group))
    return paras


def _head_lines(lines: list[str]) -> int:
    """How many lines open the file as a title block typed line under line, each a paragraph of its own:
    a title, then a subtitle, byline, authors' unit, 摘要： or 关键词： line (at least one of them). 0 when the
    second line is none of these: text copied out of print wraps a paragraph over lines instead."""
    if len(lines) < 2 or not lines[1] or not is_title_like(lines[0]):
        return 0
    count = 1
    for line in lines[1:]:
        if not (is_subtitle(line) or parse_byline(line) or NAMES.match(line) or cleanup.AFFILIATION.match(line)
                or ABSTRACT.match(line) or KEYWORDS.match(line)):
            break
        count += 1
    return count if count > 1 else 0


def _group_paras(group: list[tuple[int, str]]) -> list[Para]:
    """One run of lines: a paragraph wrapped over them, or two or more list lines and what wraps under each."""
    starts = [i for i, (_, line) in enumerate(group) if list_item(line)]
    if len(starts) < 2:
        return [Para(_join_lines([line for _, line in group]), group[0][0])]
    out = []
    if starts[0] > 0:
        out.append(Para(_join_lines([line for _, line in group[:starts[0]]]), group[0][0]))
    for at, end in zip(starts, [*starts[1:], len(group)], strict=True):
        out.append(Para(_join_lines([line for _, line in group[at:end]]), group[at][0], listed=True))
    return out


def _join_lines(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        out = cleanup.join_texts(out, line)
    return out


# （一）… 1．… ① … 一是…: a list item when two or more stand together (never 1.5 or 2020.).
LIST_ITEM = re.compile(r"^(?P<marker>[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[．.、)）](?!\d)|[\u2460-\u2473]"
                       r"|[一二三四五六七八九十]{1,3}是(?=[^，,。是]))"
                       r"\s*(?P<text>\S.*)$")


def list_item(text: str) -> tuple[str, str, str] | None:
    """(family, marker, text) of a line that starts like a list item; None otherwise."""
    m = LIST_ITEM.match(text)
    if m is None:
        return None
    marker = m.group("marker")
    family = ("paren" if marker[0] in "（(" else "circled" if "\u2460" <= marker <= "\u2473"
              else "shi" if marker.endswith("是") else "decimal")
    return family, cleanup.normalise_run_in(marker) if family == "paren" else marker, m.group("text")


def heading_level(text: str) -> int:
    """1 for 一、…, 2 for （一）… when the paragraph is a short heading; 0 otherwise."""
    if len(text) > TITLE_MAX or text.endswith("。"):
        return 0
    if HEADING_1.match(text):
        return 1
    if HEADING_2.match(text) and not re.search(r"[。；]", text):
        return 2
    return 0


def parse_byline(text: str) -> list[str] | None:
    m = BYLINE.match(text.strip())
    if not m:
        return None
    names = m.group("names") or m.group("names2") or m.group("names3")
    return [n for n in re.split(r"[、，,\s]+", names.strip()) if n]


def _title_ending_ok(text: str, questions: bool) -> bool:
    """A title never ends in 。 or ；, but may ask or exclaim (企业为什么要做质量管理？) when QUESTIONS."""
    if not cleanup.ends_sentence(text):
        return True
    core = text.rstrip().rstrip("".join(cleanup.CLOSERS))
    return questions and core.endswith(TITLE_ENDS)


def is_title_like(text: str, questions: bool = True) -> bool:
    return (len(text) <= TITLE_MAX and _title_ending_ok(text, questions) and not text.endswith(("，", ",", "、"))
            and not heading_level(text)
            and parse_byline(text) is None and cleanup.caption_text(text) is None
            and not cleanup.is_continuation_marker(text) and cleanup.editor_note_start(text) is None)


def is_subtitle(text: str) -> bool:
    return bool(cleanup.SUBTITLE_DASH.match(text)) and len(text) <= SUBTITLE_MAX + 2


def clean_title(text: str) -> str:
    """Titles keep their spaces (学习全国两会精神 助力高质量发展) but get full-width punctuation."""
    return re.sub(r"\s+", " ", cleanup.full_width_punctuation(text)).strip()


def take_front_matter(paras: list[Para], article: Article) -> list[Para]:
    """Fill title, subtitle and authors from the paragraphs that open the article; return the rest."""
    rest = list(paras)
    if rest and rest[0].text.startswith("# "):
        article.title, article.line = clean_title(rest[0].text[2:]), rest[0].line
        rest.pop(0)
    elif rest and is_title_like(rest[0].text):
        article.title, article.line = clean_title(rest[0].text), rest[0].line
        rest.pop(0)
    if article.title and rest:
        first = rest[0].text
        marked = first.startswith("## ")
        candidate = first[3:].strip() if marked else first
        plain = (is_title_like(candidate, questions=False) and len(candidate) <= PLAIN_SUBTITLE_MAX
                 and not NAMES.match(candidate))
        if marked or is_subtitle(candidate) or plain:
            article.subtitle = clean_title(cleanup.strip_subtitle_dash(candidate))
            rest.pop(0)
    if rest:
        authors = parse_byline(rest[0].text)
        if authors is None and article.title and NAMES.match(rest[0].text):  # names alone, under the title
            authors = [n for n in re.split(r"[、，,\s\u3000]+", rest[0].text.lstrip("◆◇●■□▲△★☆◎○ ")) if n]
        if authors:
            article.authors = authors
            rest.pop(0)
            if rest and cleanup.AFFILIATION.match(rest[0].text):
                article.affiliation = rest.pop(0).text
    return take_abstract(rest, article)


def _label(words: str) -> re.Pattern[str]:
    """A paragraph opened by the label WORDS, bracketed (【摘要】) or followed by a colon (摘要：)."""
    return re.compile(rf"^(?:[【\[〔]\s*(?:{words})\s*[】\]〕]\s*[:：]?|(?:{words})\s*[:：])\s*(?P<text>.+)$")


ABSTRACT = _label(r"摘\s*要|内容提要|提\s*要")
KEYWORDS = _label(r"关\s*键\s*[词字]")
ABSTRACT_WITHIN = 4  # paragraphs after the byline where an author's 摘要 or 关键词 line may stand


def take_abstract(paras: list[Para], article: Article) -> list[Para]:
    """The author's own 摘要： and 关键词： lines near the top (as papers have them) become the article's
    summary and keywords instead of body text; return the other paragraphs."""
    rest = []
    for n, para in enumerate(paras):
        found = (ABSTRACT.match(para.text), KEYWORDS.match(para.text)) if n < ABSTRACT_WITHIN else (None, None)
        if found[0] and not article.summary:
            article.summary = found[0].group("text").strip()
        elif found[1] and not article.keywords:
            article.keywords = [k for k in re.split(r"[；;，,、\s　]+", found[1].group("text").strip("。. ")) if k]
        else:
            rest.append(para)
    return rest


def starts_article(paras: list[Para], i: int) -> bool:
    """A title followed by a dashed subtitle or a byline: a second article begins at paras[i]."""
    if not is_title_like(paras[i].text):
        return False
    following = [p.text for p in paras[i + 1:i + 3]]
    if following and (is_subtitle(following[0]) or parse_byline(following[0])):
        return True
    return len(following) == 2 and is_title_like(following[0]) and parse_byline(following[1]) is not None


def split_nested(paras: list[Para]) -> tuple[list[Para], list[Para]]:
    """Separate a second article printed inside the first (its continuation follows a 上接 marker).

    Returns the first article's paragraphs (stitched across the insert) and the inserted article's.
    """
    for i in range(1, len(paras)):
        if starts_article(paras, i):
            end = next((j for j in range(i + 1, len(paras)) if cleanup.is_continuation_marker(paras[j].text)),
                       len(paras))
            return paras[:i] + paras[end + 1:], paras[i:end]
    return paras, []


def _paragraph_block(para: Para) -> Block:
    text, spans = cleanup.split_links(para.text)
    links = [Link(start, end, href) for start, end, href in spans]
    return Block("paragraph", text, para.line, lead=cleanup.run_in_head(text), links=links)


def body_blocks(paras: list[Para], path: str, report: Report) -> tuple[list[Block], str]:
    """Blocks of an article body and its end signature, with cut paragraphs made whole again."""
    # Character repairs first, so that joins are decided on the text as it will read.
    paras = [replace(p, text=cleanup.clean_text(cleanup.normalise_run_in(cleanup.strip_continuation_markers(p.text))))
             for p in paras if not cleanup.is_continuation_marker(p.text)]
    paras = [p for p in paras if p.text]
    signature = ""
    if paras and cleanup.signature_only(paras[-1].text):
        signature = cleanup.signature_only(paras.pop().text)
    if paras:
        last = paras[-1]
        text = cleanup.take_end_mark(last.text)
        text, pointed = cleanup.take_signature(text)
        paras[-1] = replace(last, text=cleanup.take_end_mark(text))
        signature = signature or pointed

    blocks: list[Block] = []
    open_para: Para | None = None  # the paragraph a page break may have cut
    held: list[Block] = []  # captions met while a paragraph was cut, placed after it
    index = 0

    def close() -> None:
        nonlocal open_para
        if open_para is not None:
            blocks.append(_paragraph_block(open_para))
            open_para = None
        blocks.extend(held)
        held.clear()

    while index < len(paras):
        para = paras[index]
        index += 1
        caption = cleanup.caption_text(para.text)
        if caption is not None:
            held.append(Block("caption", caption, para.line))
            report.warning(path, para.line, "caption-without-picture",
                           f"caption '{caption}' has no picture; add it to images/ or delete the caption")
            if open_para is None:
                close()
            continue
        note = cleanup.editor_note_start(para.text)
        if note is not None:
            close()
            if not note and index < len(paras):
                note = paras[index].text
                index += 1
            blocks.append(Block("editor_note", note, para.line))
            continue
        item = list_item(para.text) if para.listed else None
        if item is not None:
            _, marker, rest = item
            close()
            blocks.append(Block("list_item", cleanup.clean_text(rest), para.line, level=1, marker=marker,
                                ordered=True))
            continue
        level = heading_level(para.text)
        if level:
            close()
            blocks.append(Block("heading", para.text, para.line, level=level))
            continue
        if open_para is not None and cleanup.joins(open_para.text, para.text):
            report.add(NOTE, path, para.line, "rejoined",
                       f"joined to the paragraph of line {open_para.line}, cut by a page or column break")
            open_para = Para(cleanup.clean_text(cleanup.join_texts(open_para.text, para.text)), open_para.line)
            continue
        close()
        open_para = para
    close()
    return blocks, signature


def mark_truncation(article: Article, path: str, report: Report) -> None:
    paragraphs = [b for b in article.blocks if b.type == "paragraph"]
    if paragraphs and not article.signature and not cleanup.ends_sentence(paragraphs[-1].text):
        article.truncated = True
        tail = paragraphs[-1].text[-12:]
        report.warning(path, paragraphs[-1].line, "truncated",
                       f"'{article.title}' ends mid-sentence (…{tail}) with no continuation: text is missing")


def read_text(text: str, source: str, path: str, report: Report) -> list[Article]:
    """Turn print-extracted TEXT into articles: usually one, two when one was printed inside another."""
    paras = split_paragraphs(text)
    if not paras:
        report.error(path, 1, "empty-article", "the file has no text")
        return []
    stem = source.rsplit(".", 1)[0]
    host = Article(id=stem, source=source, line=paras[0].line)
    host_paras, inserted = split_nested(take_front_matter(paras, host))
    articles = [host]
    host.blocks, host.signature = body_blocks(host_paras, path, report)
    if inserted:
        inner = Article(id=f"{stem}-2", source=source, line=inserted[0].line)
        inner.blocks, inner.signature = body_blocks(take_front_matter(inserted, inner), path, report)
        report.warning(path, inner.line, "split-article",
                       f"'{inner.title}' is printed inside '{host.title}'; made it an article of its own")
        articles.append(inner)
    for article in articles:
        mark_truncation(article, path, report)
    return articles
