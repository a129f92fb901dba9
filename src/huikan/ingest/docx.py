"""Reader for Word and WPS submissions: styles give the structure, runs give bold lead-ins and links."""

from __future__ import annotations

import base64
import io
import itertools
import re
import zipfile

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from huikan.confine import is_web_link
from huikan.diagnostics import Report
from huikan.ingest import cleanup
from huikan.ingest.convert import to_docx
from huikan.ingest.docx_notices import report_comments, report_headers, report_markup
from huikan.ingest.docx_parts import ListNumbers, note_texts, paragraph_style, read_table, run_emphasis
from huikan.ingest.word_markup import normalise, text_box_text
from huikan.model import TRUNCATED_NOTE, Article, Block, Cell, Link, Note, Span

AUTO_LABEL = re.compile("^[表图][0-9]+\u3000")  # the number huikan's Word edition puts before a title
LABELS = re.compile(r"^(摘\s*要|关键词)[:：]\s*")
OUR_CONTENTS_HEADING = "目　录"  # the heading of the 目录 huikan's Word edition writes
CONTENTS_STYLE = re.compile(r"^(toc|TOC|目录) ?\d$")  # the entries of a document's own table of contents
TITLE_STYLES = ("Title", "标题")  # Word's built-in names, and the names a Chinese WPS writes
SUBTITLE_STYLES = ("Subtitle", "副标题")
AUTHOR_STYLES = ("作者", "Author")
DATE_STYLES = ("Date", "日期")  # the title block's date (Pandoc's and Word's name)
ABSTRACT_STYLES = ("摘要", "Abstract")
BODY_SIZE_PT = 12  # larger than 小四 is a display size
# What a Word paragraph may hold that the editions cannot set: named where it stands, never dropped unsaid.
UNCARRIED = {"{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath": "an equation (公式)",
             "{http://schemas.openxmlformats.org/drawingml/2006/chart}chart": "a chart (图表)",
             "{http://schemas.openxmlformats.org/drawingml/2006/diagram}relIds": "a SmartArt diagram"}
NOTED = ("paragraph", "heading", "quote", "list_item")  # blocks that carry note marks
NOTELESS = ("署名", *ABSTRACT_STYLES, "关键词", "编者按", "Caption", "表题", "栏目", "附注")  # paragraphs that do not
TITLE_MAX = 40  # a leading paragraph taken for the title when no style says which one it is
# Alt text Word writes by itself (图片包含 文本 描述已自动生成), which no one chose as a caption.
MADE_BY_WORD = re.compile(r"自动生成|automatically generated", re.IGNORECASE)


def _content(paragraph, path: str, number: int, report: Report,
             notes: dict[tuple[str, str], str] | None = None) -> tuple[str, list[Link], str, list[Span], list[Note]]:
    """Text, links, the bold lead-in, the emphasis (bold, italic, raised or lowered runs after the lead)
    and the notes (footnote and endnote marks, with the notes' texts from NOTES) of a paragraph."""
    text, links, lead, leading = "", [], "", True
    spans: list[Span] = []
    marks: list[Note] = []
    for item in paragraph.iter_inner_content():
        if hasattr(item, "url"):  # a hyperlink
            start = len(text)
            text += item.text
            url = item.url or ""
            if url and not is_web_link(url):
                report.warning(path, number, "bad-link",
                               f"link '{url[:60]}' left out: only http, https and mailto links")
            elif url:
                links.append(Link(start, len(text), url))
            leading = False
            continue
        for reference in item._r.iter(qn("w:footnoteReference"), qn("w:endnoteReference")):
            kind = "footnote" if reference.tag == qn("w:footnoteReference") else "endnote"
            said = (notes or {}).get((kind, reference.get(qn("w:id")) or ""), "")
            if said:
                marks.append(Note(len(text), said, kind))
        shown = run_emphasis(item)
        if leading and shown["bold"] and item.text.strip() and not (shown["superscript"] or shown["subscript"]):
            lead += item.text
        elif item.text.strip():
            leading = False
            for style, on in shown.items():
                if on:
                    last = spans[-1] if spans and spans[-1].style == style else None
                    if last is not None and last.end == len(text):
                        last.end += len(item.text)  # one emphasis over runs Word split
                    else:
                        spans.append(Span(len(text), len(text) + len(item.text), style))
        text += item.text
    return text, links, lead.strip(), spans, marks


RAISED = {"superscript": str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ"),
          "subscript": str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")}


def _raised(text: str, spans: list[Span]) -> str:
    """TEXT with its raised and lowered runs in Unicode's superscript and subscript characters (m², CO₂),
    where each character has one: preformatted text is set as it is, without emphasis."""
    for span in spans:
        table = RAISED.get(span.style)
        part = text[span.start:span.end]
        if table is not None and all(ord(c) in table for c in part):
            text = text[:span.start] + part.translate(table) + text[span.end:]
    return text


def _cell(tc, table: Table, path: str, number: int, report: Report, notes: dict[tuple[str, str], str]) -> Cell:
    """A table cell's text (its paragraphs joined by line ends) with its links, emphasis and notes."""
    text, links, spans, marks = "", [], [], []
    for paragraph in (Paragraph(p, table) for p in tc.p_lst):
        part, part_links, lead, part_spans, part_marks = _content(paragraph, path, number, report, notes)
        if lead:
            part_spans.insert(0, Span(0, len(lead), "bold"))
        offset = len(text) + (1 if text else 0)
        text += ("\n" if text else "") + part
        links += [Link(k.start + offset, k.end + offset, k.href) for k in part_links]
        spans += [Span(k.start + offset, k.end + offset, k.style) for k in part_spans]
        marks += [Note(k.at + offset, k.text, k.kind) for k in part_marks]
    cleaned, links, spans, marks = _cleaned(text, links, spans, marks)
    return Cell(cleaned, links, spans, notes=marks)


def _cleaned(text: str, links: list[Link], spans: list[Span],
             notes: list[Note] | None = None) -> tuple[str, list[Link], list[Span], list[Note]]:
    """The repaired text, its links, emphasis and note marks moved with it."""
    notes = notes or []
    bounds = [b for k in links for b in (k.start, k.end)] + [b for k in spans for b in (k.start, k.end)]
    cleaned, moved = cleanup.clean_marked(text, bounds + [n.at for n in notes])
    at = iter(moved)
    return (cleaned, [Link(next(at), next(at), k.href) for k in links],
            [Span(next(at), next(at), k.style) for k in spans], [Note(next(at), n.text, n.kind) for n in notes])


def _picture(paragraph, document, path: str, number: int, report: Report) -> tuple[str | None, str]:
    """The first picture of a paragraph as a data: URI (ingest reads, it writes nothing), and its alt text
    (the description Word keeps in docPr; not one Word made up itself).

    Only pictures stored in the document are used: a picture linked to a file or an address
    (TargetMode="External") is never fetched.
    """
    for blip in paragraph._p.iter(qn("a:blip")):
        rid = blip.get(qn("r:embed"))
        part = document.part.related_parts.get(rid)
        if part is not None:
            return f"data:{part.content_type};base64,{base64.b64encode(part.blob).decode()}", _alt_text(blip)
        linked = blip.get(qn("r:link"))
        if linked:
            relationship = document.part.rels.get(linked)
            target = relationship.target_ref if relationship is not None else linked
            report.warning(path, number, "picture-outside",
                           f"picture linked to '{target[:60]}' left out: only pictures stored in the document are used")
    return None, ""


def _alt_text(blip) -> str:
    """The alt text of the drawing BLIP is in: wp:docPr's descr (or title), unless Word wrote it itself."""
    drawing = next((a for a in blip.iterancestors() if a.tag in (qn("wp:inline"), qn("wp:anchor"))), None)
    properties = drawing.find(qn("wp:docPr")) if drawing is not None else None
    if properties is None:
        return ""
    alt = " ".join((properties.get("descr") or properties.get("title") or "").split())
    return "" if MADE_BY_WORD.search(alt) else alt


def _declares_entities(raw: bytes) -> bool:
    """Whether a part of the Word file has a DOCTYPE: Word never writes one, and its entities would be
    dropped unread (or, with another parser, fetch files)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            for item in archive.infolist():
                if item.filename.endswith((".xml", ".rels")):
                    with archive.open(item) as part:  # a DOCTYPE comes first: the head of each part is enough
                        if b"<!DOCTYPE" in part.read(4096).upper():
                            return True
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, NotImplementedError, EOFError):
        return False  # not a zip, or a damaged one: docx.Document says so below
    return False


def read_docx_bytes(raw: bytes, source: str, path: str, report: Report,
                    track_changes: str = "accept") -> list[Article]:
    """The articles of a Word file; its tracked changes accepted (or, TRACK_CHANGES = "reject", rejected)."""
    if _declares_entities(raw):
        report.error(path, 0, "bad-docx", "not read: a part of this Word file declares XML entities (a DOCTYPE), "
                     "which Word never writes")
        return []
    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # a damaged or non-Word file: say so, do not crash
        report.error(path, 0, "bad-docx", f"not a readable Word file ({type(exc).__name__})")
        return []
    report_markup(normalise(document.element.body, accept=track_changes != "reject"), track_changes, path, report)
    paragraphs = [(number, "Table" if isinstance(item, Table) else _style(item), item)
                  for number, item in enumerate(document.iter_inner_content(), 1)]
    report_comments(document, paragraphs, path, report)
    report_headers(document, path, report)
    ours = _has_our_contents(paragraphs)
    contents = [item for item in paragraphs if not isinstance(item[2], Table)
                and (CONTENTS_STYLE.match(item[1]) or (item[1] == "TOC Heading" and not ours))]
    if contents:
        report.note(path, contents[0][0], "own-contents", "the file's own table of contents is left out "
                    "(huikan makes the issue's 目录)")
        paragraphs = [item for item in paragraphs if item not in contents]
    stem = source.rsplit(".", 1)[0]
    groups = _issue_articles(paragraphs)
    notes = note_texts(document)
    if groups is None:  # one submitted article
        return [_read_article(document, paragraphs, stem, source, path, report, notes)]
    articles = [_read_article(document, group, f"{stem}-{n:02d}", source, path, report, notes)
                for n, group in enumerate(groups, 1)]
    for before, article in itertools.pairwise(articles):
        article.section = article.section or before.section  # run-on items follow their 栏目's heading
    return articles


def read_converted(raw: bytes, source: str, path: str, report: Report, track_changes: str = "accept") -> list[Article]:
    """A .doc, .rtf, .odt or .wps file: converted by LibreOffice, then read as a Word file."""
    converted = to_docx(raw, "." + source.rsplit(".", 1)[-1].lower(), path, report)
    return [] if converted is None else read_docx_bytes(converted, source, path, report, track_changes)


def _style(paragraph) -> str:
    style = paragraph_style(paragraph)
    return style.name if style is not None else "Normal"


def _looks_like_title(paragraph, text: str) -> bool:
    """A file whose title has no Title or Heading style: its first paragraph, when short, not a sentence,
    and centred or set larger than the text."""
    if len(text) > TITLE_MAX or text.endswith(("。", "；", "，", ".")):
        return False
    centred = paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER or (
        (style := paragraph_style(paragraph)) is not None
        and style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER)
    sizes = [run.font.size.pt for run in paragraph.runs if run.font.size is not None]
    return centred or (bool(sizes) and min(sizes) > BODY_SIZE_PT)


def _has_our_contents(paragraphs) -> bool:
    """Whether the document has the 目录 heading huikan's Word edition writes (a contributor's own
    table of contents is left out instead)."""
    return any(style == "TOC Heading" and not isinstance(item, Table) and item.text == OUR_CONTENTS_HEADING
               for _, style, item in paragraphs)


def _issue_articles(paragraphs) -> list[list] | None:
    """A whole issue as huikan writes it (cover, 目录, then 栏目 and Heading 1 per article), cut into
    its articles; None for a document without huikan's 目录, which is one article."""
    styles = [style for _, style, _ in paragraphs]
    if not _has_our_contents(paragraphs):
        return None
    start = styles.index("TOC Heading") + 1
    while start < len(styles) and styles[start] not in ("栏目", "Heading 1"):
        start += 1  # the 目录's entries
    groups: list[list] = []
    for item in paragraphs[start:]:
        style = item[1]
        if (not groups or style == "栏目"
                or (style == "Heading 1" and any(s == "Heading 1" for _, s, _ in groups[-1]))):
            groups.append([])
        groups[-1].append(item)
    return groups


def _read_article(document, paragraphs, article_id: str, source: str, path: str, report: Report,
                  notes: dict[tuple[str, str], str]) -> Article:
    article = Article(id=article_id, source=source)
    title_from_heading = False
    pending: Block | None = None  # a picture whose caption may follow
    table_title = ""
    numbers = ListNumbers(document)
    head_notes: list[Note] = []  # notes on the title, subtitle or byline
    for number, style, paragraph in paragraphs:
        if isinstance(paragraph, Table):
            last = article.blocks[-1] if article.blocks else None
            titled = last is not None and last.type == "paragraph" and cleanup.TABLE_TITLE.match(last.text)
            if not table_title and titled:
                table_title = article.blocks.pop().text
            article.blocks.append(read_table(paragraph, table_title, number,
                                             lambda tc, n=number, t=paragraph: _cell(tc, t, path, n, report, notes)))
            table_title = ""
            continue
        boxed = text_box_text(paragraph._p)  # a longer text box is body text already (word_markup)
        for tag, what in UNCARRIED.items():
            if next(paragraph._p.iter(tag), None) is not None:
                report.warning(path, number, "not-carried", f"{what} is left out: put it in as a picture")
        whole, links, lead, spans, marks = _content(paragraph, path, number, report, notes)
        listed = numbers.number(paragraph)
        text = whole.strip()
        image, alt = _picture(paragraph, document, path, number, report)
        if image and not text:  # a picture, captioned by a text box beside it, its alt text or what follows
            if pending is not None:
                article.blocks.append(pending)
            pending = Block("caption", boxed or alt, number, image=image)
            continue
        if not text and boxed and pending is not None and not pending.text:
            pending.text = boxed  # the caption in a text box of its own under the picture
            continue
        if boxed:
            report.warning(path, number, "text-box", f"a text box ('{boxed[:30]}…') is left out: move its text "
                           "into the body")
        if not text:
            continue
        if pending is not None and style != "Caption":
            article.blocks.append(pending)
            pending = None
        if marks and _in_head(style, article):
            head_notes += marks  # 基金项目, 作者简介: set at the foot of the article's first page
            report.note(path, number, "head-note", f"{len(marks)} note(s) on the title or byline: set at the start "
                        "of the text, so that they stand at the foot of the article's first page")
        elif marks and style in NOTELESS:
            report.warning(path, number, "note-left-out", f"{len(marks)} note(s) in a {style} paragraph left out: "
                           "move the note into the text")
        if style in TITLE_STYLES or (style == "Heading 1" and not article.title):
            if not article.title:
                article.title, article.line = cleanup.full_width_punctuation(text), number
                title_from_heading = style == "Heading 1"
            continue
        if style in SUBTITLE_STYLES and not article.blocks:
            article.subtitle = cleanup.strip_subtitle_dash(text)
        elif style == "作者单位" or (article.authors and not article.blocks and not article.affiliation
                                     and cleanup.AFFILIATION.match(text)):
            article.affiliation = text
        elif style in AUTHOR_STYLES:
            article.authors = [n for n in re.split(r"[、，,\s　]+", text) if n]
        elif style == "署名":
            article.signature = cleanup.signature_only(text) or text.strip("（）() ")
        elif style in DATE_STYLES and not article.blocks:
            article.date = text
        elif style in ABSTRACT_STYLES or style == "关键词":
            value = LABELS.sub("", text)
            if style in ABSTRACT_STYLES:
                if article.summary:  # an abstract of several paragraphs
                    value = article.summary + value
                article.summary = value
            else:
                article.keywords = [k for k in re.split(r"[；;，,、]\s*", value) if k]
        elif style == "编者按":
            if text in ("编者按", "编者按：", "编者按:"):
                continue
            last = article.blocks[-1] if article.blocks else None
            if last is not None and last.type == "editor_note":
                last.text += "\n" + text
            else:
                article.blocks.append(Block("editor_note", text, number))
        elif style == "Caption":
            image = pending.image if pending is not None else None
            if image:
                text = AUTO_LABEL.sub("", text, count=1)  # 图1　 numbered by huikan's own Word edition
            article.blocks.append(Block("caption", text, number, image=image))
            pending = None
        elif style == "表题":
            table_title = AUTO_LABEL.sub("", text, count=1)
        elif listed is not None:
            marker, ordered, level = listed
            body, body_links, body_spans, body_notes = _cleaned(text, links, spans, marks)
            article.blocks.append(Block("list_item", body, number, level=level, links=body_links, spans=body_spans,
                                        marker=marker, ordered=ordered, notes=body_notes))
        elif style.startswith("Heading"):
            level = int(style.split()[-1]) if style.split()[-1].isdigit() else 2
            level -= 1 if title_from_heading else 0
            heading, _, _, heading_notes = _cleaned(text, [], [], marks)
            article.blocks.append(Block("heading", heading, number, level=1 if level <= 1 else 2, notes=heading_notes))
        elif style == "栏目":
            article.section = text
        elif style == "附注" and text == TRUNCATED_NOTE:
            article.truncated = True
        elif not article.title and not article.blocks and _looks_like_title(paragraph, text):
            article.title, article.line = cleanup.full_width_punctuation(text), number
        else:
            kind = "quote" if style in ("Quote", "Intense Quote") else "paragraph"
            if kind == "paragraph" and style == "HTML Preformatted":
                last = article.blocks[-1] if article.blocks else None
                code = _raised(whole, spans)
                if last is not None and last.type == "preformatted":
                    last.text += "\n" + code
                else:
                    article.blocks.append(Block("preformatted", code, number))
                continue
            cleaned, links, spans, marks = _cleaned(text, links, spans, marks)
            block = Block(kind, cleaned, number, links=links, spans=spans, notes=marks)
            block.lead = lead if lead and cleaned.startswith(lead) else cleanup.run_in_head(cleaned)
            article.blocks.append(block)
    if pending is not None:  # the article ends with a picture
        article.blocks.append(pending)
    _place_head_notes(article, head_notes)
    return article


def _in_head(style: str, article: Article) -> bool:
    """Whether a paragraph of STYLE is part of the title block: the title, subtitle, byline, unit, date."""
    return (style in (*TITLE_STYLES, *SUBTITLE_STYLES, *AUTHOR_STYLES, *DATE_STYLES, "作者单位")
            or (style == "Heading 1" and not article.title))


def _place_head_notes(article: Article, notes: list[Note]) -> None:
    """The title block's notes, at the start of the first block that carries notes (none: a paragraph)."""
    if not notes:
        return
    first = next((b for b in article.blocks if b.type in NOTED), None)
    if first is None:
        first = Block("paragraph", "", article.line)
        article.blocks.insert(0, first)
    first.notes[:0] = [Note(0, n.text, n.kind) for n in notes]
