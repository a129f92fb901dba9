"""What issue.toml's [print], [covers] and [colophon] ask of the print edition, read and checked.

A cover is "colophon", "blank", a picture under images/ (set full page, into the bleed) or a Markdown
file of the issue folder (set as a page of text). The defaults depend on what the build is for: a
print build gets 3 mm of bleed and pages in fours; a screen build neither, and no inside covers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from huikan.config import IssueConfig
from huikan.confine import confined
from huikan.diagnostics import Report
from huikan.model import COVER_PLACES, Article, Cover, Press

Reader = Callable[[Path, str, Report], list[Article]]  # ingest's read_article_file

PRINT_BLEED_MM = 3.0  # the default theme's cover colour runs to the edge: printers ask for 3 mm beyond the trim
PRINT_MULTIPLE = 4  # saddle stitching: sheets folded in two, four pages each


def read_press(config: IssueConfig, folder: Path, report: Report, read: Reader, medium: str = "print") -> Press:
    """The print setup of the issue, for MEDIUM ("print" or "screen"); READ reads a Markdown cover page."""
    chosen = config.press
    press = Press(medium=medium, colophon=list(chosen.colophon))
    if medium == "screen":
        return press
    press.bleed_mm = PRINT_BLEED_MM if chosen.bleed_mm is None else chosen.bleed_mm
    press.marks = chosen.marks
    press.pages_multiple_of = chosen.pages_multiple_of or PRINT_MULTIPLE
    press.booklet = chosen.booklet
    places = dict(chosen.covers)
    if press.colophon and "colophon" not in places.values() and "inside_front" not in places:
        places["inside_front"] = "colophon"  # an internal periodical's 版权信息 goes on 封二 unless placed
    for place in COVER_PLACES:
        if place in places:
            cover = _cover(places[place], config, folder, chosen.cover_lines.get(place, 0), report, read)
            if cover is not None:
                press.covers[place] = cover
    return press


def cover_files(config: IssueConfig) -> set[str]:
    """Markdown files that [covers] sets as pages: they are not articles."""
    return {value for value in config.press.covers.values() if value.lower().endswith(".md")}


def _cover(value: str, config: IssueConfig, folder: Path, line: int, report: Report, read: Reader) -> Cover | None:
    shown = str(config.path)
    if value in ("colophon", "blank"):
        return Cover(value)
    path = confined(folder, value)
    if path is None:
        report.error(shown, line, "outside-issue", f"cover '{value}' is outside the issue folder")
        return None
    if not path.is_file():
        report.error(shown, line, "missing-cover", f"cover '{value}' is not in {folder} "
                     "(a cover is colophon, blank, a picture under images/ or a Markdown file)")
        return None
    if value.lower().endswith(".md"):
        articles = read(folder, value, report)
        return Cover("page", title=articles[0].title, blocks=articles[0].blocks) if articles else None
    if not value.replace("\\", "/").startswith("images/"):
        report.error(shown, line, "picture-outside", f"cover picture '{value}' must be a file in images/")
        return None
    return Cover("picture", image=value, line=line)  # the pictures stage checks it
