"""The print PDF: WeasyPrint lays out the print HTML; page numbers come back from the layout.

An issue with more than PART_CHARS characters of articles is laid out in parts: runs of articles,
each numbered on from the last, so memory stays flat however long the issue is. The front matter
goes last: its 目录 needs every article's page number, and a first layout with stand-in numbers tells
how many pages it takes. A shorter issue is laid out whole, in one document.

The articles of an issue laid out in parts are taken unit by unit (`Unit`: an article that starts a
page, or a run of run-on items). With KEEP, a unit whose pages an earlier build painted from the same
HTML and first page is placed as it was (kept.py); the others are laid out together, in runs of about
PART_CHARS characters, and kept for the next build.

The 摘要, 关键词 and 导读 may still be being made when the layout begins (`Fields`): each layout waits
for what it shows, the 目录's first layout for the 导读 lines, a unit for its own articles.
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlparse

from huikan.render.pdf import libraries  # noqa: F401  (first: WeasyPrint's libraries opened without a search)

# isort: split
from weasyprint import HTML
from weasyprint.document import Document, DocumentMetadata
from weasyprint.html import get_html_metadata
from weasyprint.urls import URLFetcher, URLFetcherResponse

from huikan.beside import Beside, ChildFailed
from huikan.diagnostics import UsageError
from huikan.model import Article, Issue, runs_on
from huikan.progress import Progress
from huikan.render.colour import cmyk_picture, cmyk_profile, is_cmyk
from huikan.render.html import Part, render_html
from huikan.render.pdf import floats, justify
from huikan.render.pdf.kept import KeptUnits, context, html_digest
from huikan.render.pdf.painted import PaintedUnit
from huikan.render.pdf.parts import FontsChanged, PaintedPart, PartsWriter
from huikan.render.pdf.pictures import PrintPictures
from huikan.render.pdf.pictures import install as install_pictures
from huikan.theme import theme_file

justify.install()
install_pictures()

PART_CHARS = 60_000  # characters of article text laid out at a time: about 35 A4 pages
DIGESTED_TOGETHER = 16  # units whose HTML is rendered at once for their digests, while enrich makes the rest
BESIDE_PARTS = 2  # parts' worth of articles to lay out, at least, for half of them to be laid out in a process beside
SHARE_HERE = 0.55  # of the characters, laid out here; this process also lays out the 目录 and writes the PDF
CHARS_A_PAGE = 1_500  # about, on an A4 page: where the process beside starts its pages (placed where they fall)
STAND_IN_PAGE = "888"  # in the 目录's first layout, before the articles' pages are known
FRONT = Part(front=True, article_ids=frozenset(), back=False)
FRONT_AND_ARTICLES = Part(back=False)
NOTHING = Part(front=False, article_ids=frozenset(), back=False)
BACK = Part(front=False, article_ids=frozenset(), back=True)
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff")


class Fields(Protocol):
    """Where the articles' 摘要, 关键词 and 导读 are made while the PDF is laid out: waits until a layout's
    are in the issue."""

    def intros(self) -> None:
        """Every article's 导读 (and 摘要) is in the issue."""

    def articles(self, ids: Collection[str]) -> None:
        """The articles IDS have their 摘要, 关键词 and 导读 in the issue."""


class Made:
    """Fields already in the issue: nothing to wait for."""

    def intros(self) -> None:
        pass

    def articles(self, ids: Collection[str]) -> None:
        pass


class ConvertedResponse(URLFetcherResponse):
    """A file's bytes as converted here: WeasyPrint must embed these, not read the file again by its path."""

    @property
    def path(self):
        return None


class LocalOnlyFetcher(URLFetcher):
    """Fetches data: URLs and files inside the allowed folders only; refuses the network and the rest.

    CMYK: the theme's pictures are handed to WeasyPrint as CMYK JPEGs (a PDF/X holds no RGB picture); the
    issue's own come from the pictures stage, in CMYK already.
    """

    def __init__(self, allowed: list[Path], cmyk: bool = False, pictures: PrintPictures | None = None):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.allowed = [Path(p).resolve() for p in allowed]
        self.cmyk = cmyk
        self.pictures = pictures  # the issue's pictures, which pictures.py paints without fetching them
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == "file":
            target = Path(unquote(parsed.path)).resolve()
            if not any(target.is_relative_to(root) for root in self.allowed):
                return self._refuse(url)
            if self.cmyk and target.suffix.lower() in PICTURE_SUFFIXES:
                return ConvertedResponse(url, cmyk_picture(target.read_bytes()), {"Content-Type": "image/jpeg"})
        elif parsed.scheme != "data":
            return self._refuse(url)
        return super().fetch(url, headers)

    def _refuse(self, url: str):
        self.refused.append(url)
        raise ValueError(f"huikan renders only files of the issue and its theme, not {url}")


@dataclass
class LaidOut:
    """How many articles were laid out in this build (not placed as kept): here, and in the process beside."""

    here: int = 0
    beside: int = 0


@dataclass
class PageMap:
    """Where each article starts and ends in the laid-out PDF (1-based page numbers)."""

    pages: int
    starts: dict[str, int] = field(default_factory=dict)
    ends: dict[str, int] = field(default_factory=dict)
    laid_out: int = 0  # articles laid out in this build; the others' pages were kept from an earlier one
    laid_out_beside: int = 0  # of them, those laid out in a process beside the build's (LaidBeside)
    keys: list[tuple[str, float, float]] = field(default_factory=list)  # each page's (PartsWriter.page_keys)


def page_map(anchors: dict[str, int], pages: int, issue: Issue, last_article_page: int | None = None) -> PageMap:
    """The pages each article spans, from the page each anchor is on; the last article ends on
    LAST_ARTICLE_PAGE (the last of the PAGES unless back matter follows)."""
    result = PageMap(pages=pages)
    last = pages if last_article_page is None else last_article_page
    articles = issue.articles
    for i, article in enumerate(articles):
        start = anchors.get(f"art-{article.id}")
        if start is None:
            continue
        result.starts[article.id] = start
        after = articles[i + 1] if i + 1 < len(articles) else None
        following = anchors.get(f"art-{after.id}") if after is not None else None
        if following is None:
            result.ends[article.id] = last
        elif after is not None and runs_on(article, after):
            result.ends[article.id] = following  # the next item begins on the page this one ends on
        else:
            result.ends[article.id] = following - 1
    return result


def article_parts(issue: Issue, budget: int = PART_CHARS) -> list[Part]:
    """Runs of whole articles, in issue order, of about BUDGET characters each."""
    parts: list[Part] = []
    ids: list[str] = []
    size = 0
    before = None
    for article in issue.articles:
        length = len(article.summary) + sum(len(block.text) for block in article.blocks)
        # A part never starts inside a run of short items: it would break the page there.
        if ids and size + length > budget and not runs_on(before, article):
            parts.append(Part(front=False, article_ids=frozenset(ids)))
            ids, size = [], 0
        ids.append(article.id)
        size += length
        before = article
    if ids:
        parts.append(Part(front=False, article_ids=frozenset(ids)))
    return parts


def check_part(anchors: dict[str, int], part: Part, issue: Issue, themes: list[Path]) -> None:
    """A theme whose issue.html ignores `part` would print articles twice: say so instead."""
    strays = [a.title for a in issue.articles if f"art-{a.id}" in anchors and not part.has(a)]
    if strays:
        raise UsageError.single(str(theme_file("issue.html", themes)), 0, "template",
                                f"the theme's issue.html lays out 《{strays[0]}》 outside its part; "
                                "show the cover and 目录 only if part.front and articles only if part.has(article)")


def single_page(html: str, target: Path) -> None:
    """A page of huikan's own (HTML that names no file and no address) as a PDF: the proofs' summary page."""
    from weasyprint import HTML

    HTML(string=html, url_fetcher=LocalOnlyFetcher([])).write_pdf(target)


def thumbnail(pdf: Path, target: Path, dpi: int = 36) -> None:
    """The first page as trimmed (without the bleed and the marks), as a small PNG.

    Drawn by PDFium in this process (pypdfium2, as the preview's spreads): a tenth of the time of
    starting pdftoppm for it."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        m_left, m_bottom, m_right, m_top = page.get_mediabox()
        t_left, t_bottom, t_right, t_top = page.get_trimbox()
        picture = page.render(scale=dpi / 72, crop=(t_left - m_left, t_bottom - m_bottom, m_right - t_right,
                                                    m_top - t_top)).to_pil()
    finally:
        document.close()
    temporary = target.with_name(f".{target.name}.tmp")
    picture.save(temporary, format="PNG")
    os.replace(temporary, target)


def render_pdf(issue: Issue, themes: list[Path], base: Path, allowed: list[Path], target: Path,
               part_chars: int = PART_CHARS, pictures: PrintPictures | None = None,
               progress: Progress | None = None, fields: Fields | None = None,
               keep: bool = False) -> tuple[PageMap, list[str]]:
    """Write the print PDF of ISSUE to TARGET; return its page map and the URLs that were refused.

    PICTURES paints the issue's pictures (and notes the resolution each was placed at); PROGRESS is told
    of each unit placed; FIELDS is waited for where the 摘要, 关键词 and 导读 are still being made.
    KEEP: place the units an earlier build of the issue kept (kept.py) and keep this build's."""
    progress = progress or Progress()
    fields = fields or Made()
    every = [article.id for article in issue.articles]
    cmyk = is_cmyk(issue.pdf_variant)
    if pictures is not None:
        pictures.colour = "cmyk" if cmyk else "keep"
    fetcher = LocalOnlyFetcher([*allowed, cmyk_profile().parent] if cmyk else allowed, cmyk=cmyk, pictures=pictures)
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)  # CSS it does not know is expected in a theme shared with browsers
    try:
        fields.intros()  # (the parts are cut by length, the 摘要's included)
        parts = article_parts(issue, part_chars)
        look = context(_options(issue, pictures), themes)
        if len(parts) <= 1:  # short enough to lay out whole: one layout, and WeasyPrint numbers the 目录
            progress.start("PDF", 2)
            fields.articles(every)
            writer = _writer(issue, base, fetcher)
            whole = writer.paint(_lay_out_articles(writer, issue, themes, FRONT_AND_ARTICLES, 1), 1, metadata=True)
            anchors, pages, laid_out = whole.anchors, whole.pages, LaidOut(here=len(every))
            progress.advance()
            data, back = _write_with_back(writer, issue, themes, pages)
        else:
            kept = KeptUnits.for_issue(base, look) if keep else None
            try:
                writer, anchors, pages, laid_out = _lay_out_in_parts(issue, themes, base, fetcher, part_chars,
                                                                     progress, fields, kept)
                data, back = _write_with_back(writer, issue, themes, pages, kept)
            except FontsChanged:  # a kept page names a font the fonts installed no longer give: all anew, here
                writer, anchors, pages, laid_out = _lay_out_in_parts(issue, themes, base, fetcher, part_chars,
                                                                     Progress(), fields, None, beside=False)
                data, back = _write_with_back(writer, issue, themes, pages)
            if kept is not None:
                kept.prune()
        progress.advance()
    finally:
        logger.setLevel(level)
    target.write_bytes(data)
    result = page_map(anchors, pages + back, issue, pages)
    result.laid_out, result.laid_out_beside = laid_out.here + laid_out.beside, laid_out.beside
    writer.look_context = look
    result.keys = writer.page_keys()
    return result, list(dict.fromkeys(fetcher.refused))  # (a layout tried again refuses them again)


def _options(issue: Issue, pictures: PrintPictures | None) -> dict:
    """What, besides its HTML, decides how a unit's pages are painted."""
    return {"variant": issue.pdf_variant, "tags": issue.pdf_tags, "marks": tuple(issue.press.marks),
            "colour": pictures.colour if pictures else None, "ppi": pictures.ppi if pictures else None}


def _write_with_back(writer: PartsWriter, issue: Issue, themes: list[Path], pages: int,
                     kept: KeptUnits | None = None) -> tuple[bytes, int]:
    """The back matter painted after the PAGES before it, then the PDF (its fonts' subsets taken from KEPT
    and kept there); return it and the back's page count."""
    back = _paint_back(writer, issue, themes, pages + 1)
    if kept is not None:
        writer.kept_subsets = kept.subsets()
    data = writer.write()
    if kept is not None:
        kept.keep_subsets(writer.used_subsets)
    return data, back


def _paint_back(writer: PartsWriter, issue: Issue, themes: list[Path], first_page: int) -> int:
    """Paint the back matter from FIRST_PAGE: the blank pages that make the page count a multiple of
    pages_multiple_of, then 封三 and 封底. Return how many pages it took."""
    press = issue.press
    covers = [place for place in ("inside_back", "back") if press.cover(place)]
    size = 0
    if covers:  # a cover page of text may take more than one page: lay it out to know
        size = len(writer.layout(render_html(issue, themes, "print", BACK), first_page).pages)
    blanks = -(first_page - 1 + size) % press.pages_multiple_of
    if not covers and not blanks:
        return 0
    part = replace(BACK, blanks=blanks)
    return writer.paint(writer.layout(render_html(issue, themes, "print", part), first_page), first_page).pages


def _writer(issue: Issue, base: Path, fetcher: LocalOnlyFetcher, like: PartsWriter | None = None) -> PartsWriter:
    """A writer for ISSUE's PDF; one made LIKE another shares the fonts that one has loaded."""
    writer = PartsWriter(base_url=str(base.resolve()) + "/", url_fetcher=fetcher,
                         variant=issue.pdf_variant, tags=issue.pdf_tags, identifier=issue.id.encode(),
                         marks=issue.press.marks, font_config=like.font_config if like else None)
    if like is not None:  # (what it made of the theme's furniture, and the furniture it painted)
        writer.furniture, writer.kept_furniture = like.furniture, like.kept_furniture
    return writer


def _lay_out_in_parts(issue: Issue, themes: list[Path], base: Path, fetcher: LocalOnlyFetcher, part_chars: int,
                      progress: Progress, fields: Fields, kept: KeptUnits | None,
                      beside: bool = True) -> tuple[PartsWriter, dict[str, int], int, LaidOut]:
    """The articles, unit by unit, then the front matter with their page numbers; return the writer, the
    anchors' pages, the page count and how many articles were laid out (not placed as kept)."""
    stand_in = {article.id: STAND_IN_PAGE for article in issue.articles}
    trial = _writer(issue, base, fetcher)
    trial.furnish_apart(render_html(issue, themes, "print", NOTHING))
    if kept is not None:
        trial.kept_furniture = kept.furniture()
    front_html = render_html(issue, themes, "print", FRONT, stand_in)
    front_pages = kept.front_pages(html_digest(front_html)) if kept is not None else None
    if front_pages is None:
        front_pages = len(trial.layout(front_html, 1).pages)
    units = article_units(issue)
    progress.start("PDF", len(units) + 2)  # the units, the front, the back
    for attempt in range(3):  # the 目录's own length can change once with the real page numbers
        writer = _writer(issue, base, fetcher, like=trial)
        # (a second attempt lays out the articles again: the bar counts the first only)
        anchors, pages, laid_out = _paint_articles(writer, issue, themes, units, front_pages + 1, part_chars,
                                                   progress if attempt == 0 else Progress(), fields, kept, beside)
        fields.articles([article.id for article in issue.articles])  # the PDF's keywords are all the articles'
        page_of = {a.id: anchors[f"art-{a.id}"] for a in issue.articles if f"art-{a.id}" in anchors}
        front = _place_front(writer, render_html(issue, themes, "print", FRONT, page_of), front_pages, issue, themes,
                             kept)
        if front == front_pages:
            progress.advance()
            if kept is not None:
                kept.keep_front_pages(html_digest(front_html), front_pages)
                kept.keep_furniture(writer.used_furniture)
            return writer, anchors, pages, laid_out
        front_pages = front
    raise UsageError.single("print.css", 0, "template", "the 目录 changes length with every layout")


def _place_front(writer: PartsWriter, html: str, pages: int, issue: Issue, themes: list[Path],
                 kept: KeptUnits | None) -> int:
    """Place the front matter's HTML on the first pages if it takes PAGES pages: as an earlier build painted
    the same HTML (KEPT: a change of an article's body leaves the 目录 as it was), or laid out now and kept.
    Return how many pages it takes."""
    digest = html_digest(html)
    found = kept.get(digest) if kept is not None else None
    if kept is not None and found is not None and len(found[0].pages) == pages and writer.placeable(found[0], 1, 1):
        writer.place(found[0], 1, PaintedPart(1, 0))
        kept.placed(digest)
        # (the head's title and meta elements are not in the digest: the PDF's are read from this HTML)
        writer.metadata = DocumentMetadata(**get_html_metadata(HTML(string=html, base_url=writer.base_url,
                                                                    url_fetcher=writer.url_fetcher)))
        return pages
    document = writer.layout(html, 1)
    if len(document.pages) != pages:
        return len(document.pages)
    writer.metadata = document.metadata
    painted = writer.paint_units(document, [0])[0]
    placed = PaintedPart(1, 0)
    writer.place(painted, 1, placed)
    check_part(placed.anchors, FRONT, issue, themes)
    if kept is not None:
        kept.put(digest, 1, painted)
    return pages


def _lay_out_articles(writer: PartsWriter, issue: Issue, themes: list[Path], part: Part,
                      first_page: int) -> Document:
    """Lay out PART; again with stranded pictures moved to the next page's top, if the first layout has any.
    Articles alone are laid out with their furniture apart, where the theme allows (furniture.py)."""
    layout = writer.layout if part.front else writer.layout_articles
    html = render_html(issue, themes, "print", part)
    document = layout(html, first_page)
    plan = floats.moves(document) if "<img" in html else {}
    if not plan:
        return document
    return layout(render_html(floats.moved(issue, plan), themes, "print", part), first_page)


@dataclass
class Unit:
    """Articles that are laid out together from a new page: one that starts a page, or a run of run-on items."""

    articles: list[Article]
    digest: str = ""  # of its HTML (kept.html_digest)

    @property
    def ids(self) -> list[str]:
        return [article.id for article in self.articles]

    @property
    def length(self) -> int:
        return sum(len(a.summary) + sum(len(block.text) for block in a.blocks) for a in self.articles)


def article_units(issue: Issue) -> list[Unit]:
    units: list[Unit] = []
    before = None
    for article in issue.articles:
        if units and runs_on(before, article):
            units[-1].articles.append(article)
        else:
            units.append(Unit([article]))
        before = article
    return units


def _paint_articles(writer: PartsWriter, issue: Issue, themes: list[Path], units: list[Unit], first_page: int,
                    part_chars: int, progress: Progress, fields: Fields, kept: KeptUnits | None,
                    beside: bool = True) -> tuple[dict[str, int], int, LaidOut]:
    """Place the units from FIRST_PAGE on: each kept one as it was painted, the others laid out together
    in runs of about PART_CHARS characters; return their anchors, the last page and how many articles
    were laid out. BESIDE: with nothing kept, lay out the second half of a long issue in a process beside
    this one (LaidBeside), and place its units as kept ones are."""
    placed = PaintedPart(first_page, 0)
    batch: list[Unit] = []
    laid_out = LaidOut()
    kept_placed = 0
    split = _beside_from(units, part_chars) if beside and writer.furniture is not None and (
        kept is None or not kept.pages) else None
    other: Beside[LaidBeside] | None = None
    if split is not None:
        fields.articles([article.id for article in issue.articles])  # (the process beside sees the issue as it is now)
        guess = first_page + sum(unit.length for unit in units[:split]) // CHARS_A_PAGE
        other = Beside(lambda: _lay_out_beside(writer, issue, themes, units[split:], guess, part_chars,
                                               kept is not None))
    ready: dict[int, tuple[PaintedUnit, int]] = {}  # unit index → as painted beside, and its first page there

    def page() -> int:
        return first_page + placed.pages

    def lay_out_batch() -> None:
        nonlocal batch
        if not batch:
            return
        painted, own = _lay_out_batch(writer, issue, themes, batch, page())
        for unit, one in zip(batch, painted, strict=True):
            if kept is not None and own:
                kept.put(unit.digest, page(), one)
            writer.place(one, page(), placed)
            laid_out.here += len(unit.articles)
            progress.advance()
        batch = []

    try:
        for n, unit in enumerate(units):
            if other is not None and n == split:
                lay_out_batch()
                ready = _take_beside(other, writer, units[n:], n)
            fields.articles(unit.ids)
            found = ready.get(n)
            if found is None and kept is not None:
                if not unit.digest:
                    # Where units were kept, so were their 摘要 and 关键词 (enrich/kept.py): all at once. (With
                    # nothing kept, the first units' layout need not wait for every article's enrich.)
                    together = len(units) if kept_placed or kept.pages else DIGESTED_TOGETHER
                    _digest_units(issue, themes, units[n:n + together], fields)
                found = kept.get(unit.digest)
            if found is not None and batch and writer.furnished(found[0]):
                lay_out_batch()  # its pages are needed to know where this unit starts
            if found is not None and not batch and writer.placeable(found[0], page(), found[1]):
                writer.place(found[0], page(), placed)
                if n in ready:  # laid out in this build, beside
                    if kept is not None:
                        kept.put(unit.digest, found[1], found[0])
                    laid_out.beside += len(unit.articles)
                else:
                    kept.placed(unit.digest)  # type: ignore[union-attr]
                    kept_placed += 1
                progress.advance()
                continue
            if batch and sum(u.length for u in batch) + unit.length > part_chars:
                lay_out_batch()
            batch.append(unit)
        lay_out_batch()
    finally:
        if other is not None:
            other.cancel()  # (where this failed, it is still at work, or waits to send what no one reads)
    return placed.anchors, page() - 1, laid_out


def _lay_out_batch(writer: PartsWriter, issue: Issue, themes: list[Path], batch: list[Unit],
                   first_page: int) -> tuple[list[PaintedUnit], bool]:
    """Lay out and paint the units of BATCH together from FIRST_PAGE on; return each one's painted pages,
    and whether each starts a page of its own (by a forced break: else it shares one with the unit
    before, and its pages can be placed only with that one's)."""
    part = Part(front=False, article_ids=frozenset(i for unit in batch for i in unit.ids))
    document = _lay_out_articles(writer, issue, themes, part, first_page)
    starts = _unit_starts(document, batch)
    check_part({name: 0 for p in document.pages for name in p.anchors}, part, issue, themes)
    breaks = [_forced_break(document.pages[start], f"art-{unit.ids[0]}") for unit, start in zip(batch, starts,
                                                                                              strict=True)]
    painted = writer.paint_units(document, starts)
    for one, break_before in zip(painted, breaks, strict=True):
        one.moves = break_before == "page"
    return painted, None not in breaks


@dataclass
class LaidBeside:
    """What the process beside sends back: for each of its units, its digest (with KEEP), its pages as
    painted (None: not to be placed elsewhere, to lay out here) and the page they were painted from; the
    addresses refused, and the picture variants made."""

    units: list[tuple[str, PaintedUnit | None, int]]
    refused: list[str]
    made: int
    reused: int


def _beside_from(units: list[Unit], part_chars: int) -> int | None:
    """The first of the units to lay out beside: where the two processes' shares (this one's weighed by
    SHARE_HERE) come nearest to ending together. None if the units are too few for a process of their own
    to gain anything."""
    total = sum(unit.length for unit in units)
    if total < BESIDE_PARTS * part_chars or len(units) < 2:
        return None
    lengths = [unit.length for unit in units]
    before = list(itertools.accumulate(lengths[:-1]))  # the characters before each unit but the first
    return 1 + min(range(len(before)),
                   key=lambda n: max(before[n] / SHARE_HERE, (total - before[n]) / (1 - SHARE_HERE)))


def _lay_out_beside(writer: PartsWriter, issue: Issue, themes: list[Path], units: list[Unit], first_page: int,
                    part_chars: int, digests: bool) -> LaidBeside:
    """In the process beside: lay out and paint UNITS from FIRST_PAGE on (their place is known only once
    those before them are laid out: painted with their furniture apart, they are placed there as kept
    units are). DIGESTS: each unit's, for the print cache."""
    if digests:
        _digest_units(issue, themes, units, Made())
    printed = getattr(writer.url_fetcher, "pictures", None)
    before = (printed.store.made, printed.store.reused) if printed is not None else (0, 0)
    refused = len(writer.url_fetcher.refused)  # (those before the fork are the build's already)
    laid: list[tuple[str, PaintedUnit | None, int]] = []
    page = first_page
    for batch in _runs(units, part_chars):
        painted, own = _lay_out_batch(writer, issue, themes, batch, page)
        for done, one in zip(batch, painted, strict=True):
            movable = own and one.keepable and all(p.live is None for p in one.pages)
            laid.append((done.digest, one if movable else None, page))
            page += len(one.pages)
    made, reused = (printed.store.made, printed.store.reused) if printed is not None else (0, 0)
    return LaidBeside(laid, writer.url_fetcher.refused[refused:], made - before[0], reused - before[1])


def _runs(units: list[Unit], part_chars: int) -> list[list[Unit]]:
    """UNITS in runs of about PART_CHARS characters (a unit longer than that is a run of its own)."""
    runs: list[list[Unit]] = []
    for unit in units:
        if runs and sum(u.length for u in runs[-1]) + unit.length <= part_chars:
            runs[-1].append(unit)
        else:
            runs.append([unit])
    return runs


def _take_beside(other: Beside[LaidBeside], writer: PartsWriter, units: list[Unit],
                 first: int) -> dict[int, tuple[PaintedUnit, int]]:
    """What the process beside laid out of UNITS (the FIRST on), by unit index; with their digests. If the
    process died (killed, out of memory), nothing: its units are laid out here."""
    try:
        laid = other.result()
    except ChildFailed:
        return {}
    writer.url_fetcher.refused.extend(laid.refused)
    printed = getattr(writer.url_fetcher, "pictures", None)
    if printed is not None:
        printed.store.made += laid.made
        printed.store.reused += laid.reused
    ready = {}
    for n, (unit, (digest, painted, at)) in enumerate(zip(units, laid.units, strict=True), first):
        unit.digest = unit.digest or digest
        if painted is not None:
            painted.fresh = False  # painted in another process: its fonts are found again by their descriptions
            ready[n] = (painted, at)
    return ready


def _digest_units(issue: Issue, themes: list[Path], units: list[Unit], fields: Fields) -> None:
    """Each unit's digest (kept.html_digest) of its HTML: of the articles' part of one rendering of UNITS
    (a rendering costs as much for one article as for many: the template walks the whole issue), with what
    comes before and after them. Where something stands between two units' <article> elements, each unit
    is rendered alone instead."""
    fields.articles([i for unit in units for i in unit.ids])
    html = render_html(issue, themes, "print", Part(front=False, article_ids=frozenset(i for u in units for i in u.ids),
                                                    back=False))
    found = [html.find(f'id="art-{unit.ids[0]}"') for unit in units]
    starts = [html.rfind("<", 0, at) if at > 0 else -1 for at in found]
    end = html.rfind("</article>") + len("</article>")
    slices = [html[a:b] for a, b in itertools.pairwise([*starts, end])]
    if min(starts) < 0 or starts != sorted(starts) or not all(
            piece.startswith("<article") and piece.rstrip().endswith("</article>") for piece in slices):
        for unit in units:
            unit.digest = html_digest(render_html(issue, themes, "print",
                                                  Part(front=False, article_ids=frozenset(unit.ids), back=False)))
        return
    around = html[:starts[0]] + html[end:]
    for unit, piece in zip(units, slices, strict=True):
        unit.digest = html_digest(around + piece)


def _forced_break(page, element_id: str) -> str | None:
    """The forced break ("page", "left", "right", "recto", "verso") by which the element ELEMENT_ID, on PAGE,
    starts that page (as a theme's articles do); None if it does not."""
    boxes = [page._page_box]
    for _ in range(6):  # (the articles' boxes are a few levels down: html, body, main)
        for box in boxes:
            element = getattr(box, "element", None)
            if element is not None and element.get("id") == element_id:
                value = box.style["break_before"]
                return value if value in ("page", "left", "right", "recto", "verso") else None
        boxes = [child for box in boxes for child in getattr(box, "children", ())]
    return None


def _unit_starts(document: Document, batch: list[Unit]) -> list[int]:
    """The offset of the page each unit of BATCH starts on in DOCUMENT."""
    first: dict[str, int] = {}
    for offset, page in enumerate(document.pages):
        for name in page.anchors:
            first.setdefault(name, offset)
    starts = [first.get(f"art-{unit.ids[0]}", -1) for unit in batch]
    if starts[0] != 0 or starts != sorted(starts):
        raise UsageError.single("issue.html", 0, "template",
                                "the theme's issue.html must give each article's <article> its id art-<id>, "
                                "in the order of the issue")
    return starts
