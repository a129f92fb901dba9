"""Reader for Word and WPS submissions: styles give the structure, runs give bold lead-ins and links."""

from __future__ import annotations

import base64
import io
import re
import zipfile

import docx
from docx.oxml.ns import qn

from huikan.confine import is_web_link
from huikan.diagnostics import Report
from huikan.ingest import cleanup
from huikan.model import TRUNCATED_NOTE, Article, Block, Link

LABELS = re.compile(r"^(摘\s*要|关键词)[:：]\s*")


def _content(paragraph, path: str, number: int, report: Report) -> tuple[str, list[Link], str]:
    """Text, links and the bold lead-in of a paragraph."""
    text, links, lead, leading = "", [], "", True
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
        if leading and item.bold and item.text.strip():
            lead += item.text
        elif item.text.strip():
            leading = False
        text += item.text
    return text, links, lead.strip()


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


def read_docx_bytes(raw: bytes, source: str, path: str, report: Report) -> list[Article]:
    if _declares_entities(raw):
        report.error(path, 0, "bad-docx", "not read: a part of this Word file declares XML entities (a DOCTYPE), "
                     "which Word never writes")
        return []
    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # a damaged or non-Word file: say so, do not crash
        report.error(path, 0, "bad-docx", f"not a readable Word file ({type(exc).__name__})")
        return []
    paragraphs = [(number, _style(p), p) for number, p in enumerate(document.paragraphs, 1)]
    stem = source.rsplit(".", 1)[0]
    groups = _issue_articles(paragraphs)
    if groups is None:  # one submitted article
        return [_read_article(document, paragraphs, stem, source, path, report)]
    return [_read_article(document, group, f"{stem}-{n:02d}", source, path, report)
            for n, group in enumerate(groups, 1)]


def _style(paragraph) -> str:
    return paragraph.style.name if paragraph.style is not None else "Normal"


def _issue_articles(paragraphs) -> list[list] | None:
    """A whole issue as huikan writes it (cover, 目录, then 栏目 and Heading 1 per article), cut into
    its articles; None for a document without a 目录, which is one article."""
    styles = [style for _, style, _ in paragraphs]
    if "TOC Heading" not in styles:
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


def _read_article(document, paragraphs, article_id: str, source: str, path: str, report: Report) -> Article:
    article = Article(id=article_id, source=source)
    title_from_heading = False
    pending_image: tuple[str, int] | None = None
    for number, style, paragraph in paragraphs:
        text, links, lead = _content(paragraph, path, number, report)
        text = text.strip()
        image = _picture(paragraph, document, path, number, report)
        if image and not text:
            pending_image = (image, number)
            continue
        if not text:
            continue
        if style == "Title" or (style == "Heading 1" and not article.title):
            if not article.title:
                article.title, article.line = cleanup.full_width_punctuation(text), number
                title_from_heading = style == "Heading 1"
            continue
        if style == "Subtitle" and not article.blocks:
            article.subtitle = cleanup.strip_subtitle_dash(text)
        elif style == "作者":
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
            article.blocks.append(Block("caption", text, number, image=image))
            pending_image = None
        elif style.startswith("Heading"):
            level = int(style.split()[-1]) if style.split()[-1].isdigit() else 2
            level -= 1 if title_from_heading else 0
            article.blocks.append(Block("heading", cleanup.clean_text(text), number, level=1 if level <= 1 else 2))
        elif style == "栏目":
            article.section = text
        elif style == "附注" and text == TRUNCATED_NOTE:
            article.truncated = True
        else:
            kind = "quote" if style in ("Quote", "Intense Quote") else "paragraph"
            cleaned = text if links else cleanup.clean_text(text)
            block = Block(kind, cleaned, number, links=links)
            block.lead = lead if lead and cleaned.startswith(lead) else cleanup.run_in_head(cleaned)
            article.blocks.append(block)
        if pending_image:
            article.blocks.append(Block("caption", "", pending_image[1], image=pending_image[0]))
            pending_image = None
    return article
