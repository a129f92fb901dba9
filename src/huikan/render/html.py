"""The issue as HTML from the theme's Jinja templates: one page for screens, one for the PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from huikan import __version__
from huikan.diagnostics import UsageError
from huikan.model import Article, Block, Issue
from huikan.render.geometry import PageGeometry
from huikan.typeset import for_print


@dataclass(frozen=True)
class Part:
    """What one print document holds: the front matter (cover, 目录) and some or all of the articles."""

    front: bool = True
    article_ids: frozenset[str] | None = None  # None: every article

    def has(self, article: Article) -> bool:
        return self.article_ids is None or article.id in self.article_ids


WHOLE = Part()


def render_inline(block: Block, medium: str, *, last: bool = True) -> Markup:
    """A block's text as HTML: escaped, links kept, the run-in head bold, print typesetting applied."""
    text = block.text
    pieces: list[Markup | str] = []
    cursor = 0
    for link in sorted(block.links, key=lambda k: k.start):
        pieces.append(_text(text[cursor:link.start], medium))
        label = _text(text[link.start:link.end], medium)
        pieces.append(Markup('<a href="{}">{}</a>').format(link.href, label))
        cursor = link.end
    pieces.append(_text(text[cursor:], medium, paragraph_end=last))
    html = Markup("").join(pieces)
    if block.lead and text.startswith(block.lead):
        lead_html = _text(block.lead, medium)
        if html.startswith(lead_html):
            html = Markup('<b class="lead">{}</b>').format(lead_html) + Markup(html[len(lead_html):])
    return html


def _text(text: str, medium: str, *, paragraph_end: bool = False) -> Markup:
    if medium == "print":
        return for_print(text, paragraph_end=paragraph_end)
    return escape(text)


def environment(theme_dirs: list[Path]) -> Environment:
    # Sandboxed: an issue's templates/ comes with its articles, from contributors, and must not reach
    # Python's internals ({{ ''.__class__.__mro__ }}) on the machine that builds it.
    env = SandboxedEnvironment(
        loader=FileSystemLoader([str(d) for d in theme_dirs]),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = css_string
    env.filters["print_text"] = for_print
    return env


def css_string(value: str) -> Markup:
    """VALUE as a quoted CSS string, safe inside a stylesheet."""
    safe = " 　-_.,，。：:"
    escaped = "".join(c if c.isalnum() or c in safe or ord(c) > 127 else f"\\{ord(c):x} " for c in str(value))
    return Markup(f'"{escaped}"')


def render_html(issue: Issue, theme_dirs: list[Path], medium: str, part: Part = WHOLE,
                page_of: Mapping[str, int | str] | None = None) -> str:
    """The issue (or PART of it) as one HTML document; MEDIUM is 'print' (for WeasyPrint) or 'screen'.

    PAGE_OF maps article ids to the page numbers the 目录 shows.
    """
    try:
        return _render(issue, theme_dirs, medium, part, page_of or {})
    except TemplateError as exc:
        raise UsageError.single(*template_place(exc), "template", f"the theme's template failed: {exc}") from None


def template_place(exc: TemplateError) -> tuple[str, int]:
    """The template file and line an error comes from (Jinja puts them in the traceback)."""
    filename, lineno = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if filename and lineno:
        return filename, lineno
    place = ("issue.html", 0)
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".css")):
            place = (name, tb.tb_lineno)
        tb = tb.tb_next
    return place


def _render(issue: Issue, theme_dirs: list[Path], medium: str, part: Part, page_of: Mapping[str, int | str]) -> str:
    env = environment(theme_dirs)
    template = env.get_template("issue.html")
    date = issue.date or dt.date(1970, 1, 1)
    return template.render(
        issue=issue,
        medium=medium,
        page=PageGeometry.for_page(*issue.page_mm, issue.columns),
        language="zh-CN",
        timestamp=f"{date.isoformat()}T00:00:00+08:00",
        version=__version__,
        inline=lambda block, last=True: render_inline(block, medium, last=last),
        typeset=lambda text: _text(text, medium),  # titles and 导读 get the print preparation too
        lead_articles=issue.articles[:4],
        part=part,
        page_of=page_of,
    )
