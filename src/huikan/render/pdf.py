"""The print PDF: WeasyPrint lays out the print HTML; page numbers come back from the layout."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from huikan.model import Issue
from huikan.render import justify

justify.install()


class LocalOnlyFetcher(URLFetcher):
    """Fetches data: URLs and files inside the allowed folders only; refuses the network and the rest."""

    def __init__(self, allowed: list[Path]):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.allowed = [Path(p).resolve() for p in allowed]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == "file":
            target = Path(unquote(parsed.path)).resolve()
            if not any(target.is_relative_to(root) for root in self.allowed):
                return self._refuse(url)
        elif parsed.scheme != "data":
            return self._refuse(url)
        return super().fetch(url, headers)

    def _refuse(self, url: str):
        self.refused.append(url)
        raise ValueError(f"huikan renders only files of the issue and its theme, not {url}")


@dataclass
class PageMap:
    """Where each article starts and ends in the laid-out PDF (1-based page numbers)."""

    pages: int
    starts: dict[str, int] = field(default_factory=dict)
    ends: dict[str, int] = field(default_factory=dict)


def page_map(document, issue: Issue) -> PageMap:
    anchors = {}
    for number, page in enumerate(document.pages, 1):
        for anchor in page.anchors:
            anchors.setdefault(anchor, number)
    result = PageMap(pages=len(document.pages))
    articles = issue.articles
    for i, article in enumerate(articles):
        start = anchors.get(f"art-{article.id}")
        if start is None:
            continue
        result.starts[article.id] = start
        following = anchors.get(f"art-{articles[i + 1].id}") if i + 1 < len(articles) else None
        result.ends[article.id] = (following - 1) if following else len(document.pages)
    return result


def thumbnail(pdf: Path, target: Path, dpi: int = 36) -> bool:
    """The first page as a small PNG (pdftoppm); False if poppler-utils is not installed."""
    if shutil.which("pdftoppm") is None:
        return False
    root = target.with_name(f".{target.stem}-tmp")  # pdftoppm adds .png
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(root)],
                   check=True, capture_output=True, timeout=120)
    os.replace(root.with_name(root.name + ".png"), target)
    return True


def render_pdf(html: str, issue: Issue, base: Path, allowed: list[Path], target: Path) -> tuple[PageMap, list[str]]:
    """Write the PDF for HTML to TARGET; return its page map and the URLs that were refused."""
    fetcher = LocalOnlyFetcher(allowed)
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)  # CSS it does not know is expected in a theme shared with browsers
    try:
        document = HTML(string=html, base_url=str(base.resolve()) + "/", url_fetcher=fetcher).render()
        pages = page_map(document, issue)
        document.write_pdf(target, pdf_identifier=issue.id.encode(), pdf_variant=issue.pdf_variant,
                           pdf_tags=issue.pdf_tags or None)
    finally:
        logger.setLevel(level)
    return pages, fetcher.refused
