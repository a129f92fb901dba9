"""What issue.toml says of the articles once they are read: corrections, pictures, layouts."""

from __future__ import annotations

from pathlib import Path

from huikan.config import IssueConfig
from huikan.confine import confined
from huikan.diagnostics import Report
from huikan.model import Article, Block, Issue


def attach_pictures(article: Article, config: IssueConfig, folder: Path, report: Report) -> None:
    """Pictures issue.toml gives an article (a .txt names none): each goes with the caption it names,
    or after the text."""
    override = config.overrides.get(article.source)
    shown = str(config.path)
    line = config.override_lines.get(article.source, 0)
    for picture in (override.pictures if override is not None else None) or []:
        name, caption = picture["file"], picture.get("caption", "").strip()
        path = confined(folder, name)
        if path is None or not name.replace("\\", "/").startswith("images/"):
            report.error(shown, line, "picture-outside",
                         f"picture '{name}' must be a file in the issue's images/ folder")
            continue
        match = next((b for b in article.blocks if b.type == "caption" and not b.image and caption
                      and b.text == caption), None)
        if match is None:  # the pictures stage says it if the file is missing, naming issue.toml's line
            article.blocks.append(Block("caption", caption, line, image=name, image_at=f"{shown}:{line}"))
            continue
        match.image, match.image_at = name, f"{shown}:{line}"
        report.items = [d for d in report.items if not (d.code == "caption-without-picture" and d.line == match.line
                                                        and d.path == str(folder / article.source))]


def apply_overrides(article: Article, config: IssueConfig) -> None:
    override = config.overrides.get(article.source)
    if override is None:
        return
    for name in ("title", "subtitle", "summary", "intro"):
        value = getattr(override, name)
        if value is not None:
            setattr(article, name, value.strip())
    if override.authors is not None:
        article.authors = list(override.authors)
    if override.keywords is not None:
        article.keywords = list(override.keywords)


RUN_ON_CHARS = 800  # an article this short takes under half an A4 page: short items run on


def apply_layouts(issue: Issue, config: IssueConfig) -> None:
    """Each article's layout: its own setting, else its section's, else run-on when the section has
    several articles and every one is a short item (协会动态, 简讯), else from a new page."""
    settings = {section.title: section for section in config.sections}
    for section in issue.sections:
        setting = settings.get(section.title)
        layout = setting.layout if setting is not None else None
        if layout is None:
            short = all(sum(len(b.text) for b in a.blocks) <= RUN_ON_CHARS and
                        not any(b.type in ("table", "caption") for b in a.blocks) for a in section.articles)
            layout = "run-on" if short and len(section.articles) > 1 else "page"
        for article in section.articles:
            override = config.overrides.get(article.source)
            article.layout = (override.layout if override is not None and override.layout else None) or layout
            if article.layout == "run-on":
                article.abstract = bool(setting is not None and setting.abstracts)
