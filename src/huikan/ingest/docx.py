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
from huikan.ingest.docx_parts import ListNumbers, note_texts, paragraph_style, read_table
from huikan.ingest.word_markup import normalise
from huikan.model import TRUNCATED_NOTE, Article, Block, Cell, Link, Note, Span

AUTO_LABEL = re.compile("^[表图][0-9]+\u3000")  # the number huikan's Word edition puts before a title
LABELS = re.compile(r"^(摘\s*要|关键词)[:：]\s*")
OUR_CONTENTS_HEADING = "目　录"  # the heading of the 目录 huikan's Word edition writes
CONTENTS_STYLE = re.compile(r"^(toc|TOC|目录) ?\d$")  # the entries of a document's own table of contents
TITLE_STYLES = ("Title", "标题")  # Word's built-in names, and the names a Chinese WPS writes
SUBTITLE_STYLES = ("Subtitle", "副标题")
AUTHOR_STYLES = ("作者", "Author")
# The authors' unit under their names: （上海市质量协会，上海 200000）.
AFFILIATION = re.compile(r"^[（(][^（）()]{2,80}(协会|学会|大学|学院|公司|集团|研究院|研究所|中心|医院|学校|"
                         r"局|厅|委员会|\d{6})[^（）()]{0,40}[）)]$")
BODY_SIZE_PT = 12  # larger than 小四 is a display size
# What a Word paragraph may hold that the editions cannot set: named where it stands, never dropped unsaid.
UNCARRIED = {"{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath": "an equation (公式)",
             "{http://schemas.openxmlformats.org/drawingml/2006/chart}chart": "a chart (图表)",
             "{http://schemas.openxmlformats.org/drawingml/2006/diagram}relIds": "a SmartArt diagram"}
TITLE_MAX = 40  # a leading paragraph taken for the title when no style says which one it is


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
        if leading and item.bold and item.text.strip() and not (item.font.superscript or item.font.subscript):
            lead += item.text
        elif item.text.strip():
            leading = False
            shift = item.font.superscript, item.font.subscript
            for style, on in (("bold", item.bold), ("italic", item.italic), ("superscript", shift[0]),
                              ("subscript", shift[1])):
                if on:
                    last = spans[-1] if spans and spans[-1].style == style else None
                    if last is not None and last.end == len(text):
                        last.end += len(item.text)  # one emphasis over runs Word split
                    else:
                        spans.append(Span(len(text), len(text) + len(item.text), style))
        text += item.text
    return text, links, lead.strip(), spans, marks


def _notes_left_out(element, where: str, path: str, number: int, report: Report) -> None:
    """Notes are carried on paragraphs and list items only: a mark elsewhere is named, not lost unsaid."""
    marks = sum(1 for _ in element.iter(qn("w:footnoteReference"), qn("w:endnoteReference")))
    if marks:
        report.warning(path, number, "note-left-out", f"{marks} footnote(s) in {where} left out: move the note "
                       "into the paragraph that follows")


def _cell(tc, table: Table, path: str, number: int, report: Report) -> Cell:
    """A table cell's text (its paragraphs joined by line ends) with its links and emphasis."""
    _notes_left_out(tc, "a table cell", path, number, report)
    text, links, spans = "", [], []
    for paragraph in (Paragraph(p, table) for p in tc.p_lst):
        part, part_links, lead, part_spans, _ = _content(paragraph, path, number, report)
        if lead:
            part_spans.insert(0, Span(0, len(lead), "bold"))
        offset = len(text) + (1 if text else 0)
        text += ("\n" if text else "") + part
        links += [Link(k.start + offset, k.end + offset, k.href) for k in part_links]
        spans += [Span(k.start + offset, k.end + offset, k.style) for k in part_spans]
    return Cell(*_cleaned(text, links, spans)[:3])


def _cleaned(text: str, links: list[Link], spans: list[Span],
             notes: list[Note] | None = None) -> tuple[str, list[Link], list[Span], list[Note]]:
    """The repaired text, its links, emphasis and note marks moved with it."""
    notes = notes or []
    bounds = [b for k in links for b in (k.start, k.end)] + [b for k in spans for b in (k.start, k.end)]
    cleaned, moved = cleanup.clean_marked(text, bounds + [n.at for n in notes])
    at = iter(moved)
    return (cleaned, [Link(next(at), next(at), k.href) for k in links],
            [Span(next(at), next(at), k.style) for k in spans], [Note(next(at), n.text, n.kind) for n in notes])


def _picture(paragraph, document, path: str, number: int, report: Report) -> str | None:
    """The first picture of a paragraph as a data: URI (ingest reads, it writes nothing).

    Only pictures stored in the document are used: a picture linked to a file or an address
    (TargetMode="External") is never fetched.
    """
    for blip in paragraph._p.iter(qn("a:blip")):
        rid = blip.get(qn("r:embed"))
        part = document.part.related_parts.get(rid)
        if part is not None:
            return f"data:{part.content_type};base64,{base64.b64encode(part.blob).decode()}"
        linked = blip.get(qn("r:link"))
        if linked:
            relationship = document.part.rels.get(linked)
            target = relationship.target_ref if relationship is not None else linked
            report.warning(path, number, "picture-outside",
                           f"picture linked to '{target[:60]}' left out: only pictures stored in the document are used")
    return None


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
    pending_image: tuple[str, int] | None = None
    table_title = ""
    numbers = ListNumbers(document)
    for number, style, paragraph in paragraphs:
        if isinstance(paragraph, Table):
            last = article.blocks[-1] if article.blocks else None
            titled = last is not None and last.type == "paragraph" and cleanup.TABLE_TITLE.match(last.text)
            if not table_title and titled:
                table_title = article.blocks.pop().text
            article.blocks.append(read_table(paragraph, table_title, number,
                                             lambda tc, n=number, t=paragraph: _cell(tc, t, path, n, report)))
            table_title = ""
            continue
        box = paragraph._p.find(".//" + qn("w:txbxContent"))
        if box is not None:
            boxed = "".join(t.text or "" for t in box.iter(qn("w:t")))
            report.warning(path, number, "text-box", f"a text box ('{boxed[:30]}…') is left out: move its text "
                           "into the body")
        for tag, what in UNCARRIED.items():
            if next(paragraph._p.iter(tag), None) is not None:
                report.warning(path, number, "not-carried", f"{what} is left out: put it in as a picture")
        text, links, lead, spans, marks = _content(paragraph, path, number, report, notes)
        listed = numbers.number(paragraph)
        text = text.strip()
        image = _picture(paragraph, document, path, number, report)
        if image and not text:
            pending_image = (image, number)
            continue
        if not text:
            continue
        if style in TITLE_STYLES or style.startswith("Heading") or style in SUBTITLE_STYLES:
            _notes_left_out(paragraph._p, "a title or heading", path, number, report)
        if style in TITLE_STYLES or (style == "Heading 1" and not article.title):
            if not article.title:
                article.title, article.line = cleanup.full_width_punctuation(text), number
                title_from_heading = style == "Heading 1"
            continue
        if style in SUBTITLE_STYLES and not article.blocks:
            article.subtitle = cleanup.strip_subtitle_dash(text)
        elif style == "作者单位" or (article.authors and not article.blocks and not article.affiliation
                                     and AFFILIATION.match(text)):
            article.affiliation = text
        elif style in AUTHOR_STYLES:
            article.authors = [n for n in re.split(r"[、，,\s　]+", text) if n]
        elif style == "署名":
            article.signature = cleanup.signature_only(text) or text.strip("（）() ")
        elif style in ("摘要", "关键词"):
            value = LABELS.sub("", text)
            if style == "摘要":
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
            image = pending_image[0] if pending_image else None
            if image:
                text = AUTO_LABEL.sub("", text, count=1)  # 图1　 numbered by huikan's own Word edition
            article.blocks.append(Block("caption", text, number, image=image))
            pending_image = None
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
            article.blocks.append(Block("heading", cleanup.clean_text(text), number, level=1 if level <= 1 else 2))
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
                if last is not None and last.type == "preformatted":
                    last.text += "\n" + paragraph.text
                else:
                    article.blocks.append(Block("preformatted", paragraph.text, number))
                continue
            cleaned, links, spans, marks = _cleaned(text, links, spans, marks)
            block = Block(kind, cleaned, number, links=links, spans=spans, notes=marks)
            block.lead = lead if lead and cleaned.startswith(lead) else cleanup.run_in_head(cleaned)
            article.blocks.append(block)
        if pending_image:
            article.blocks.append(Block("caption", "", pending_image[1], image=pending_image[0]))
            pending_image = None
    return article
