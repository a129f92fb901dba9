"""The editable Word edition: same model as the PDF, built-in style names, Chinese fonts on every style."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import weakref
import zipfile
from pathlib import Path

import docx
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from huikan.model import TRUNCATED_NOTE, Article, Block, Cell, Issue, Span, number_label, runs_on
from huikan.pictures.store import PictureStore
from huikan.pictures.variants import WORD_PPI, Want
from huikan.render.docx.blocks import Numbering, add_table, add_table_style, list_runs, number_paragraph
from huikan.render.docx.notes import Footnotes
from huikan.render.docx.xml import (
    add_field,
    add_hyperlink,
    field_begin,
    field_end,
    set_first_line_chars,
    set_fonts,
    set_language,
    set_setting,
)
from huikan.render.geometry import BODY_PT, PageGeometry

EMU_PER_INCH = 914400
SCREEN_PPI = 96  # a picture's natural size: its pixels at 96 per inch, as browsers and Word show it

SONG, HEI, KAI = "宋体", "黑体", "楷体"
LATIN_SERIF, LATIN_SANS = "Times New Roman", "Arial"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# name: (base, east asian font, latin font, size pt, bold, alignment, first-line chars, space before, after)
PARAGRAPH_STYLES = {
    "Normal": (None, SONG, LATIN_SERIF, BODY_PT, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, 0, 0),
    "Title": ("Normal", HEI, LATIN_SANS, 26, True, WD_ALIGN_PARAGRAPH.CENTER, 0, 0, 12),
    "Subtitle": ("Normal", SONG, LATIN_SERIF, 12, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, 6),
    "Heading 1": ("Normal", HEI, LATIN_SANS, 18, True, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, 6),
    "Heading 2": ("Normal", HEI, LATIN_SANS, 12, True, WD_ALIGN_PARAGRAPH.LEFT, 0, 12, 6),
    "Heading 3": ("Normal", HEI, LATIN_SANS, BODY_PT, True, WD_ALIGN_PARAGRAPH.LEFT, 0, 6, 0),
    "Caption": ("Normal", KAI, LATIN_SERIF, 9, False, WD_ALIGN_PARAGRAPH.CENTER, 0, 3, 6),
    "TOC Heading": ("Normal", HEI, LATIN_SANS, 18, True, WD_ALIGN_PARAGRAPH.CENTER, 0, 0, 12),
    "摘要": ("Normal", SONG, LATIN_SERIF, 9, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 3, 0),
    "关键词": ("Normal", SONG, LATIN_SERIF, 9, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 0, 9),
    "编者按": ("Normal", KAI, LATIN_SERIF, BODY_PT, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, 0, 0),
    "作者": ("Normal", KAI, LATIN_SERIF, 11, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, 6),
    "作者单位": ("Normal", SONG, LATIN_SERIF, 9, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, 6),
    "Date": ("Normal", SONG, LATIN_SERIF, 9, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, 6),
    "署名": ("Normal", SONG, LATIN_SERIF, BODY_PT, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, 3, 0),
    "栏目": ("Normal", HEI, LATIN_SANS, 9, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, 6),
    "导读": ("Normal", SONG, LATIN_SERIF, 9, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, 6),
    "Quote": ("Normal", KAI, LATIN_SERIF, BODY_PT, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, 3, 3),
    "附注": ("Normal", SONG, LATIN_SERIF, 9, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, 3, 0),
    "List Paragraph": ("Normal", SONG, LATIN_SERIF, BODY_PT, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 0, 0, 0),
    "表题": ("Normal", HEI, LATIN_SANS, 9, True, WD_ALIGN_PARAGRAPH.CENTER, 0, 6, 3),
    "HTML Preformatted": ("Normal", HEI, "Courier New", 9, False, WD_ALIGN_PARAGRAPH.LEFT, 0, 0, 0),
}


def _configure_style(document, name: str, spec) -> None:
    base, east_asia, latin, size, bold, align, indent, before, after = spec
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.quick_style = True
    if base:
        style.base_style = styles[base]
    style.hidden = False
    font = style.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    set_fonts(rpr, east_asia, latin)
    set_language(rpr)
    pf = style.paragraph_format
    pf.alignment = align
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    pf.line_spacing = 1.5 if name in ("Normal", "编者按") else 1.2
    ppr = style.element.get_or_add_pPr()
    set_first_line_chars(ppr, indent, size)
    if name.startswith("Heading") or name == "Title":
        pf.keep_with_next = True
    # Word's Title has a blue bottom border in the default template: not the look of a Chinese journal.
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)


_STYLE_IDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def style_ids(document) -> dict[str, str]:
    """Style ids by name, looked up once: python-docx scans all styles on every lookup by name, which
    made long issues slow."""
    ids = _STYLE_IDS.get(document.part)
    if ids is None:
        ids = _STYLE_IDS[document.part] = {s.name: s.style_id for s in document.styles}
    return ids


def add_paragraph(document, text: str = "", style: str = "Normal"):
    """document.add_paragraph with the style set by its cached id.

    python-docx finds the body's closing w:sectPr by scanning every paragraph before each new one is
    added; the closing sectPr is the body's last child, so the paragraph goes just before it.
    """
    body = document.element.body
    p = OxmlElement("w:p")
    last = next(body.iterchildren(reversed=True), None)  # len(body) would count every child
    if last is not None and last.tag == qn("w:sectPr"):
        last.addprevious(p)
    else:
        body.append(p)
    paragraph = Paragraph(p, document._body)
    if text:
        paragraph.add_run(text)
    if style != "Normal":
        paragraph._p.style = style_ids(document)[style]
    return paragraph


def _hyperlink_style(document) -> None:
    """Word's built-in Hyperlink character style, which python-docx's template lacks."""
    if "Hyperlink" in [s.name for s in document.styles]:
        return
    style = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    style.font.color.rgb = RGBColor(0x0B, 0x3D, 0x6E)
    style.font.underline = True


def _drop_styles_with_effects(document) -> None:
    """Word 2010's copy of the styles: left stale by our style changes, Word would 'repair' the file."""
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel_id)


def _configure_document(document, issue: Issue) -> None:
    _drop_styles_with_effects(document)
    settings = document.settings.element
    set_setting(settings, "w:characterSpacingControl", val="compressPunctuation")
    set_setting(settings, "w:updateFields", val="true")
    set_setting(settings, "w:themeFontLang", val="en-US", eastAsia="zh-CN")
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, SONG, LATIN_SERIF)
    set_language(rpr)
    for name, spec in PARAGRAPH_STYLES.items():
        _configure_style(document, name, spec)
    _hyperlink_style(document)
    add_table_style(document)
    # Any other style naming theme fonts (table styles too) would fall back to the theme's Japanese face.
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        theme = fonts.get(qn("w:eastAsiaTheme")) or fonts.get(qn("w:asciiTheme"))
        if theme is not None:
            set_fonts(fonts.getparent(), HEI if theme.startswith("major") else SONG)
    # The print edition's page: same size, same text block, inner and outer margins mirrored.
    page = PageGeometry.for_page(*issue.page_mm)
    set_setting(settings, "w:mirrorMargins")
    set_setting(settings, "w:evenAndOddHeaders")
    section = document.sections[0]
    section.page_width, section.page_height = Mm(page.width_mm), Mm(page.height_mm)
    section.top_margin, section.bottom_margin = Mm(24), Mm(22)
    section.left_margin, section.right_margin = Mm(page.inner_mm), Mm(page.outer_mm)
    section.header_distance = section.footer_distance = Mm(12)
    section.different_first_page_header_footer = True


# python-docx refuses a core property (title, subject, keywords …) longer than this.
CORE_PROPERTY_MAX = 255


def _clipped(text: str) -> str:
    return text if len(text) <= CORE_PROPERTY_MAX else text[:CORE_PROPERTY_MAX - 1] + "…"


def issue_keywords(issue: Issue, limit: int = CORE_PROPERTY_MAX) -> str:
    """The issue's most frequent keywords, joined with ；, cut on a whole keyword within LIMIT."""
    counts: dict[str, int] = {}
    for keyword in (k for a in issue.articles for k in a.keywords):
        counts[keyword] = counts.get(keyword, 0) + 1
    taken: list[str] = []
    for keyword in sorted(counts, key=lambda k: -counts[k]):  # stable: first use breaks ties
        if len("；".join([*taken, keyword])) > limit:
            break
        taken.append(keyword)
    return "；".join(taken)


def _core_properties(document, issue: Issue) -> None:
    props = document.core_properties
    date = issue.date or dt.date(1970, 1, 1)
    stamp = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
    props.title = _clipped(f"{issue.title} {issue.number}".strip())
    props.author = _clipped(issue.publisher or issue.title)
    props.subject = _clipped(issue.number)
    props.keywords = issue_keywords(issue)
    props.language = "zh-CN"
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.last_modified_by = _clipped(issue.publisher or issue.title)
    props.revision = 1
    props.category = ""
    props.comments = ""
    props.identifier = issue.id
    props.version = ""


def _write_inline(paragraph, block: Block | Cell) -> None:
    """The text with its run-in head in bold, its links, its emphasis as bold, italic, superscript or
    subscript runs, and its notes as Word footnotes where their marks stand."""
    text = block.text
    lead = getattr(block, "lead", "")
    notes = sorted(getattr(block, "notes", []), key=lambda n: n.at)
    cuts = {0, len(text), *(k.start for k in block.links), *(k.end for k in block.links),
            *(s.start for s in block.spans), *(s.end for s in block.spans), *(min(n.at, len(text)) for n in notes)}
    if lead and text.startswith(lead):
        cuts.add(len(lead))
    points = sorted(cuts)
    link_runs: dict[int, tuple[int, str]] = {k.start: (k.end, k.href) for k in block.links}
    footnotes = _footnotes(paragraph) if notes else None
    at = 0
    for start, end in itertools.pairwise(points):
        for note in notes:
            if note.at == start and footnotes is not None:
                footnotes.add(paragraph, note)
        if start < at:
            continue
        if start in link_runs:  # a hyperlink is one run of its own
            stop, href = link_runs[start]
            add_hyperlink(paragraph, text[start:stop], href)
            at = stop
            continue
        run = paragraph.add_run(text[start:end])
        styles = {s.style for s in block.spans if s.start <= start and end <= s.end}
        if "bold" in styles or (lead and text.startswith(lead) and end <= len(lead)):
            run.bold = True
        if "italic" in styles:
            run.italic = True
        if "superscript" in styles:
            run.font.superscript = True
        elif "subscript" in styles:
            run.font.subscript = True
    for note in notes:
        if note.at >= len(text) and footnotes is not None:
            footnotes.add(paragraph, note)


_FOOTNOTES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _footnotes(paragraph) -> Footnotes:
    """The footnotes of the document PARAGRAPH is in, made with its first note."""
    part = paragraph.part
    if part not in _FOOTNOTES:
        _FOOTNOTES[part] = Footnotes(part.document)
    return _FOOTNOTES[part]


def _cover(document, issue: Issue) -> None:
    add_paragraph(document, issue.title, style="Title")
    if issue.number:
        add_paragraph(document, issue.number, style="Subtitle").alignment = WD_ALIGN_PARAGRAPH.CENTER
    if issue.date:
        p = add_paragraph(document, f"{issue.date.year}年{issue.date.month}月{issue.date.day}日", style="Subtitle")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for article in issue.articles[:4]:
        add_paragraph(document, article.title, style="导读").alignment = WD_ALIGN_PARAGRAPH.CENTER
    if issue.publisher:
        add_paragraph(document, f"{issue.publisher}　主办", style="作者").alignment = WD_ALIGN_PARAGRAPH.CENTER


def _toc(document, issue: Issue) -> None:
    """目录: a TOC field Word refreshes on opening, pre-filled with the titles for WPS and LibreOffice."""
    heading = add_paragraph(document, "目　录", style="TOC Heading")
    heading.paragraph_format.page_break_before = True
    first = add_paragraph(document, style="Normal")
    field_begin(first, r'TOC \o "1-1" \h \z \u')
    last = first
    for i, article in enumerate(issue.articles):
        paragraph = first if i == 0 else add_paragraph(document, style="Normal")
        paragraph.paragraph_format.first_line_indent = 0
        set_first_line_chars(paragraph._p.get_or_add_pPr(), 0, BODY_PT)
        paragraph.add_run(article.title)
        last = paragraph
    field_end(last)


def _header_footer(document, section, issue: Issue, head: str, first: bool) -> None:
    """As in print: the article's title on right (odd) pages, the publication and number on left
    (even) pages, no header on the opener; a page number at the foot of every page.

    Only the odd-page header differs from article to article. The others are defined in the first
    article's section and inherited by the rest, so an editor changes them once, in one place.
    """
    ids = style_ids(document)
    heads = [(section.header, head, WD_ALIGN_PARAGRAPH.RIGHT)]
    feet = []
    if first:
        heads += [(section.even_page_header, f"{issue.title}　{issue.number}".strip(), WD_ALIGN_PARAGRAPH.LEFT),
                  (section.first_page_header, "", WD_ALIGN_PARAGRAPH.LEFT)]
        feet = [section.footer, section.even_page_footer, section.first_page_footer]
    for part, text, alignment in heads:
        part.is_linked_to_previous = False
        paragraph = part.paragraphs[0]
        paragraph.text = text
        paragraph._p.style = ids["Header"]
        paragraph.alignment = alignment
    for part in feet:
        part.is_linked_to_previous = False
        paragraph = part.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph._p.style = ids["Footer"]
        add_field(paragraph, "PAGE", "1")


def _article(document, issue: Issue, article: Article, first: bool, follows: bool = False,
             store: PictureStore | None = None) -> None:
    """An article from a new page, in a section of its own; or, RUNS_ON, right after the one before
    it, FOLLOWS (short items of a run-on 栏目: no section break, the 栏目's name in the header)."""
    if not follows:
        section = document.add_section(WD_SECTION.NEW_PAGE)
        head = article.section if article.layout == "run-on" and article.section else article.title
        _header_footer(document, section, issue, head, first)
        if article.section:
            add_paragraph(document, article.section, style="栏目")
    add_paragraph(document, article.title, style="Heading 1")
    if article.subtitle:
        add_paragraph(document, f"——{article.subtitle}", style="Subtitle")
    if article.authors:
        add_paragraph(document, "　".join(article.authors), style="作者")
    if article.affiliation:
        add_paragraph(document, article.affiliation, style="作者单位")
    if article.date:
        add_paragraph(document, article.date, style="Date")
    if article.summary and article.abstract:
        p = add_paragraph(document, style="摘要")
        p.add_run("摘要：").bold = True
        p.add_run(article.summary)
    if article.keywords and article.abstract:
        p = add_paragraph(document, style="关键词")
        p.add_run("关键词：").bold = True
        p.add_run("；".join(article.keywords))
    numbering = None
    num_id, ordered = 0, False  # the list being written: its numbering and whether it is numbered
    tables = figures = 0
    for n, block in enumerate(article.blocks):
        if block.type == "heading":
            style = "Heading 2" if block.level == 1 else "Heading 3"
            _write_inline(add_paragraph(document, style=style), block)
        elif block.type == "list_item":
            previous = article.blocks[n - 1] if n else None
            if previous is None or previous.type != "list_item" or (block.level == 1 and block.ordered != ordered):
                numbering = numbering or Numbering(document)
                num_id = numbering.new_list(block.marker, list_runs(article.blocks, n)[1])
                ordered = block.ordered
            paragraph = add_paragraph(document, style="List Paragraph")
            number_paragraph(paragraph, num_id, min(block.level, 2) - 1)
            _write_inline(paragraph, block)
        elif block.type == "table":
            tables += 1
            label = number_label(block, tables)
            add_paragraph(document, "　".join(t for t in (label, block.text) if t), style="表题")
            add_table(document, block, _write_inline)
        elif block.type == "preformatted":
            for line in block.text.split("\n"):
                add_paragraph(document, line, style="HTML Preformatted")
        elif block.type == "caption" and block.image:
            figures += 1
            label = number_label(block, figures)
            _picture(document, block.image, issue, store)
            paragraph = add_paragraph(document, style="Caption")
            if label:
                paragraph.add_run(label + "　")
            _write_inline(paragraph, block)
        elif block.type == "caption":
            _write_inline(add_paragraph(document, style="Caption"), block)
        elif block.type == "quote":
            _write_inline(add_paragraph(document, style="Quote"), block)
        elif block.type == "editor_note":
            add_paragraph(document, "编者按", style="编者按").runs[0].bold = True
            for line in block.text.split("\n"):
                add_paragraph(document, line, style="编者按")
        else:
            _write_inline(add_paragraph(document, style="Normal"), block)
    if article.truncated:
        add_paragraph(document, TRUNCATED_NOTE, style="附注")
    if article.signature:
        add_paragraph(document, f"（{article.signature}）", style="署名")


def _picture(document, image: str, issue: Issue, store: PictureStore | None) -> None:
    """An inline picture in a paragraph of its own: upright, at most the text block wide and 60 % of it
    high, at no more than WORD_PPI there (Word's own default for pictures)."""
    picture = issue.pictures.get(image)
    paragraph = add_paragraph(document, style="Caption")
    if picture is None or store is None or picture.problem:  # (unsurveyed: a model the build did not make)
        paragraph.add_run(f"［图片缺失：{picture.name if picture else image[:40]}］")
        return
    section = document.sections[-1]
    wide = section.page_width - section.left_margin - section.right_margin
    high = int(0.6 * (section.page_height - section.top_margin - section.bottom_margin))
    scale = min(wide / (picture.width * EMU_PER_INCH / SCREEN_PPI), high / (picture.height * EMU_PER_INCH / SCREEN_PPI),
                1.0)
    width = int(picture.width * EMU_PER_INCH / SCREEN_PPI * scale)
    height = int(picture.height * EMU_PER_INCH / SCREEN_PPI * scale)
    pixels = Want(math.ceil(width / EMU_PER_INCH * WORD_PPI), math.ceil(height / EMU_PER_INCH * WORD_PPI))
    paragraph.add_run().add_picture(str(store.variant(picture, pixels)), width=width, height=height)


def _clear_body(document) -> None:
    """Remove a reference document's sample content; its last section (the page setup) stays."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def reference_document(issue: Issue):
    """The default styles and page setup, with a sample paragraph in each style to restyle in Word."""
    document = docx.Document()
    _configure_document(document, issue)
    _clear_body(document)
    for name in PARAGRAPH_STYLES:
        add_paragraph(document, f"{name}：示例文字，用于在 Word 或 WPS 中修改此样式。", style=name)
    return document


def build_document(issue: Issue, reference: Path | None = None, store: PictureStore | None = None):
    document = docx.Document(str(reference) if reference else None)
    if reference is None:
        _configure_document(document, issue)
    else:
        _clear_body(document)
        # A reference document made by an older huikan lacks the newer styles: they are added, the rest kept.
        names = {style.name for style in document.styles}
        for name, spec in PARAGRAPH_STYLES.items():
            if name not in names:
                _configure_style(document, name, spec)
        _hyperlink_style(document)
        add_table_style(document)
    _core_properties(document, issue)
    _cover(document, issue)
    places = [place for place, cover in issue.press.covers.items() if cover.kind == "colophon"]
    if "inside_front" in places:  # 封二, as in print
        _colophon(document, issue, new_section=False)
    _toc(document, issue)
    previous = None
    for i, article in enumerate(issue.articles):
        _article(document, issue, article, first=i == 0, follows=runs_on(previous, article), store=store)
        previous = article
    if places and "inside_front" not in places:  # 封三 or 封底
        _colophon(document, issue, new_section=True)
    return document


def _colophon(document, issue: Issue, *, new_section: bool) -> None:
    """The colophon (版权信息) on a page of its own: a two-column 三线表 of its fields, 编委会 roles one a line."""
    if new_section:
        _header_footer(document, document.add_section(WD_SECTION.NEW_PAGE), issue, "", first=False)
    else:
        add_paragraph(document, style="Normal").paragraph_format.page_break_before = True
    rows = [[Cell(label, spans=[Span(0, len(label), "bold")]), Cell(value if isinstance(value, str) else
                               "\n".join(f"{role}　{'　'.join(names)}" for role, names in value))]
            for label, value in issue.press.colophon]
    add_table(document, Block("table", "版权信息", rows=rows), _write_inline)


def reproducible_zip(data: bytes) -> bytes:
    """The same package with fixed timestamps, so the same issue gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def save(document, target: Path) -> None:
    buffer = io.BytesIO()
    document.save(buffer)
    target.write_bytes(reproducible_zip(buffer.getvalue()))


def render_docx(issue: Issue, target: Path, reference: Path | None = None, store: PictureStore | None = None) -> None:
    """Write ISSUE as a Word file to TARGET; STORE gives its pictures' pixels for Word."""
    save(build_document(issue, reference, store), target)
