"""Every character of the issue must be in a font the print theme names, or it prints as a box."""

from __future__ import annotations

import bisect
import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from huikan.diagnostics import Report
from huikan.model import Issue
from huikan.theme import required_theme_file

FONT_DECLARATION = re.compile(r"font(?:-family)?\s*:([^;}]*)")
QUOTED = re.compile(r"\"([^\"]+)\"|'([^']+)'")


@dataclass
class MissingGlyph:
    char: str
    source: str
    line: int
    title: str

    @property
    def description(self) -> str:
        name = unicodedata.name(self.char, "private use" if unicodedata.category(self.char) == "Co" else "unnamed")
        return f"U+{ord(self.char):04X} {name}"


def theme_families(stylesheet: Path) -> list[str]:
    """Font families the print stylesheet names, in order of first mention."""
    names: list[str] = []
    for declaration in FONT_DECLARATION.findall(stylesheet.read_text(encoding="utf-8")):
        for m in QUOTED.finditer(declaration):
            name = m.group(1) or m.group(2)
            if name not in names:
                names.append(name)
    return names


@dataclass(frozen=True)
class Coverage:
    """The characters a font has, as fontconfig's charset: sorted, inclusive ranges of code points."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def parse(cls, charset: str) -> Coverage:
        ranges = [tuple(int(x, 16) for x in (r.split("-") * 2)[:2]) for r in charset.split()]
        return cls(tuple(a for a, _ in ranges), tuple(b for _, b in ranges))

    def __contains__(self, code: int) -> bool:
        i = bisect.bisect_right(self.starts, code) - 1
        return i >= 0 and code <= self.ends[i]


_coverages: dict[str, Coverage | None] = {}  # asked once per process


def installed_fonts(families: list[str]) -> list[Coverage]:
    """What fontconfig's face for each of FAMILIES covers, for those really installed (not substitutes).

    The families are asked at once, one fc-match each, side by side: nine in a row cost 70 ms a build."""
    asked = {}
    for family in dict.fromkeys(families):
        if family in _coverages:
            continue
        try:
            asked[family] = subprocess.Popen(["fc-match", "-f", "%{family}|%{charset}", family],
                                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        except OSError:
            _coverages[family] = None
    for family, process in asked.items():
        try:
            out, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            out = ""
        _coverages[family] = _coverage(family, out) if process.returncode == 0 else None
    return [c for c in (_coverages[family] for family in families) if c]


def _coverage(family: str, matched: str) -> Coverage | None:
    families, _, charset = matched.rpartition("|")
    if family.lower() not in (f.strip().lower() for f in families.split(",")):
        return None  # fontconfig offered a substitute
    return Coverage.parse(charset)


def _article_texts(issue: Issue):
    for article in issue.articles:
        yield article, article.line, "\n".join([article.title, article.subtitle, *article.authors,
                                                  article.summary, *article.keywords, article.intro])
        for block in article.blocks:
            yield article, block.line, block.text


def missing_glyphs(issue: Issue, families: list[str]) -> list[MissingGlyph]:
    """Characters of ISSUE that none of FAMILIES has, each reported once, at its first place."""
    fonts = installed_fonts(families)
    seen: set[str] = set()
    missing = []
    for article, line, text in _article_texts(issue):
        for char in set(text) - seen:
            if char.isspace() or unicodedata.category(char) in ("Cc", "Cf"):
                continue
            if not any(ord(char) in font for font in fonts):
                missing.append(MissingGlyph(char, article.source, line, article.title))
            seen.add(char)
    return sorted(missing, key=lambda m: (m.source, m.line, m.char))


def report_missing_glyphs(issue: Issue, folder: Path, themes: list[Path], allow: bool, report: Report) -> None:
    """A character no font of the print theme has is an error (a warning if ALLOW)."""
    for m in missing_glyphs(issue, theme_families(required_theme_file("print.css", themes))):
        message = f"no font of the print theme has {m.description} '{m.char}' (in 《{m.title}》)"
        if allow:
            report.warning(str(folder / m.source), m.line, "missing-glyph", message)
        else:
            report.error(str(folder / m.source), m.line, "missing-glyph",
                         message + "; use --allow-missing-glyphs to build anyway")
