"""issue.toml: its schema, validation and positions for messages."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from huikan.confine import escapes
from huikan.diagnostics import Report, UsageError

CONFIG_NAME = "issue.toml"
PAGE_SIZES = {"A4": (210, 297), "B5": (176, 250), "16K": (185, 260), "大16K": (210, 285)}
# A length as an editor writes it: 3, 3mm, 0.3 cm, 8.5pt (no unit: mm); a page as W×H with one unit or two.
MM_PER = {"mm": 1.0, "cm": 10.0, "pt": 25.4 / 72}
LENGTH = r"(\d+(?:\.\d+)?)\s*(mm|cm|pt)?"
ONE_LENGTH = re.compile(rf"^\s*{LENGTH}\s*$", re.IGNORECASE)
CUSTOM_SIZE = re.compile(rf"^\s*{LENGTH}\s*[x×*]\s*{LENGTH}\s*$", re.IGNORECASE)
UNITS_SAID = "a length in mm, cm or pt, such as 3, \"3mm\" or \"0.3cm\""
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

# Allowed keys per table, with the Python types each accepts.
PUBLICATION_KEYS = {"title": str, "publisher": str, "language": str}
ISSUE_KEYS = {"id": str, "number": str, "date": (dt.date, str), "page_size": str, "columns": int,
              "pdf_variant": str, "pdf_tags": bool, "formats": list, "keep_proofs": bool}
# What a build can make: <id>.pdf, .docx, .html, <id>-booklet.pdf and wechat/ (build.py makes each).
OUTPUT_FORMATS = ("pdf", "docx", "html", "booklet", "wechat")
# PDF variants offered: archival PDF/A-3b, accessible PDF/UA-1 (tagged), and for print shops PDF/X-1a and
# X-3 (every colour CMYK) and X-4. All stay byte-reproducible.
PDF_VARIANTS = ("pdf/a-3b", "pdf/ua-1", "pdf/x-1a", "pdf/x-3", "pdf/x-4")
PRINT_KEYS = {"bleed": (float, int, str), "marks": list, "pdf_variant": str, "pages_multiple_of": int, "booklet": str}
MARKS = ("crop", "cross")
BOOKLET_SHEETS = {"A3": (420, 297), "A4": (297, 210), "B4": (353, 250)}  # landscape sheets, two pages up
COVER_KEYS = {"inside_front": str, "inside_back": str, "back": str}
SECTION_KEYS = {"title": str, "articles": list, "layout": str, "abstracts": bool}
LAYOUTS = ("page", "run-on")  # each article from a new page, or one after another (short news items)
ARTICLE_KEYS = {"title": str, "subtitle": str, "authors": list, "summary": str, "keywords": list,
                "intro": str, "layout": str, "pictures": list, "track_changes": str, "ignore": list}
CHECK_KEYS = {"ignore": list}
CHECK_CODE = re.compile(r"^zh-[a-z-]+$")  # the copy-editing rules' codes, which [check] ignore may silence
TRACK_CHANGES = ("accept", "reject")  # a Word file's pending tracked changes
ENRICH_KEYS = {"summary_length": int, "keywords": int}
LIMITS_KEYS = {"article_chars": int, "docx_mb": int, "docx_members": int, "picture_megapixels": int,
               "picture_mb": int}
TOP_KEYS = {"publication": dict, "issue": dict, "sections": list, "articles": dict, "enrich": dict,
            "limits": dict, "print": dict, "covers": dict, "colophon": dict, "check": dict}
SUMMARY_LENGTHS = range(60, 601)
KEYWORD_COUNTS = range(3, 7)


@dataclass
class ArticleOverride:
    title: str | None = None
    subtitle: str | None = None
    authors: list[str] | None = None
    summary: str | None = None
    keywords: list[str] | None = None
    intro: str | None = None
    layout: str | None = None
    pictures: list[dict] | None = None  # [{file = "images/a.jpg", caption = "…现场"}]
    track_changes: str | None = None  # "accept" (the default) or "reject"
    ignore: list[str] | None = None  # copy-editing codes silenced for this article


@dataclass
class SectionConfig:
    title: str
    articles: list[str]
    line: int
    layout: str | None = None  # None: run-on when every article of the section is short
    abstracts: bool | None = None  # 摘要 and 关键词 blocks in a run-on section (off unless set)


@dataclass(frozen=True)
class Limits:
    """What a contributed file may hold before it is refused instead of read (issue.toml [limits])."""

    article_chars: int = 1_000_000  # three times a long government report
    docx_mb: int = 200  # uncompressed size of a Word file's parts
    docx_members: int = 10_000  # parts of a Word file
    picture_megapixels: int = 100  # a 10,000 × 10,000 scan; a phone photo is 12
    picture_mb: int = 50  # one picture file; a phone photo is 3–8 MB


DEFAULT_LIMITS = Limits()


@dataclass
class IssueConfig:
    path: Path
    title: str
    publisher: str = ""
    language: str = "zh-CN"
    id: str = ""
    number: str = ""
    date: dt.date | None = None
    page_size: str = "A4"
    page_mm: tuple[float, float] = PAGE_SIZES["A4"]
    columns: int = 1
    summary_length: int = 150
    keyword_count: int = 5
    pdf_variant: str | None = None
    pdf_tags: bool = False
    formats: tuple[str, ...] | None = None  # what `huikan build` makes unless --formats says
    sections: list[SectionConfig] = field(default_factory=list)
    overrides: dict[str, ArticleOverride] = field(default_factory=dict)
    override_lines: dict[str, int] = field(default_factory=dict)
    limits: Limits = DEFAULT_LIMITS
    press: PressConfig = field(default_factory=lambda: PressConfig())
    ignore: tuple[str, ...] = ()  # [check] ignore: copy-editing codes silenced for the whole issue
    keep_proofs: bool = False  # [issue] keep_proofs: every build is kept as a proof, as --proof does


@dataclass
class PressConfig:
    """[print], [covers] and [colophon]: what the print shop and the office printer get. None: the default
    for the medium the build is for (print: 3 mm bleed, pages in fours; screen: neither)."""

    bleed_mm: float | None = None
    marks: tuple[str, ...] = ()
    pages_multiple_of: int | None = None
    booklet: str | None = None  # the sheet a booklet is imposed on, e.g. "A3"
    covers: dict[str, str] = field(default_factory=dict)  # inside_front / inside_back / back → what goes there
    cover_lines: dict[str, int] = field(default_factory=dict)
    colophon: list[tuple[str, str | list[tuple[str, list[str]]]]] = field(default_factory=list)  # as model.Colophon


def _header_path(header: str) -> list[str]:
    """Split a TOML table header such as articles."003.txt" into its keys."""
    parts, current, quote = [], "", ""
    for ch in header:
        if quote:
            if ch == quote:
                quote = ""
            else:
                current += ch
        elif ch in "\"'":
            quote = ch
        elif ch == ".":
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    parts.append(current.strip())
    return parts


class _Lines:
    """Finds the line of a table or key in the TOML text (tomllib gives no positions)."""

    HEADER = re.compile(r"^\s*(\[\[?)\s*(.+?)\s*\]\]?\s*(#.*)?$")
    KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")

    def __init__(self, text: str):
        # (path, header line, end line); a path holds table names and, for [[arrays]], indexes
        self.tables: list[tuple[tuple[str | int, ...], int, int]] = []
        counts: dict[tuple[str | int, ...], int] = {}
        current: tuple[str | int, ...] = ()
        start = 1
        lines = text.splitlines()
        for number, line in enumerate(lines, 1):
            m = self.HEADER.match(line)
            if not m:
                continue
            self.tables.append((current, start, number - 1))
            path: tuple[str | int, ...] = tuple(_header_path(m.group(2)))
            if m.group(1) == "[[":
                index = counts.get(path, 0)
                counts[path] = index + 1
                path = (*path, index)
            current, start = path, number
        self.tables.append((current, start, len(lines)))
        self.lines = lines

    def of(self, table: tuple, key: str | None = None) -> int:
        for path, start, end in self.tables:
            if path != table:
                continue
            if key is None:
                return start
            for number in range(start, end + 1):
                m = self.KEY.match(self.lines[number - 1])
                if m and m.group(1).strip("\"'") == key:
                    return number
            break
        if key is not None:  # KEY may be a table of its own: [issue2] at the top level
            inner = (*table, key)
            for path, start, _ in self.tables:
                if path[:len(inner)] == inner:
                    return start
        return next((start for path, start, _ in self.tables if path == table), 1)


def _type_name(expected) -> str:
    names = {str: "a string", int: "a whole number", float: "a number", list: "a list", dict: "a table",
             dt.date: "a date", bool: "true or false"}
    if isinstance(expected, tuple):
        return " or ".join(names[t] for t in expected)
    return names[expected]


def _check_table(data: dict, allowed: dict, table: tuple, where: _Lines, path: str, report: Report) -> None:
    for key, value in data.items():
        line = where.of(table, key)
        name = ".".join(str(p) for p in (*table, key))
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            report.error(path, line, "unknown-key", f"unknown key '{name}' (known here: {known})")
        elif not isinstance(value, allowed[key]) or (isinstance(value, bool) and allowed[key] is not bool):
            report.error(path, line, "bad-value", f"'{name}' must be {_type_name(allowed[key])}")


def _parse_date(value, path: str, line: int, report: Report) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        report.error(path, line, "bad-value", f"issue.date must be a date like 2020-06-30, not '{value}'")
        return None


def length_mm(value) -> float | None:
    """VALUE (a number of mm, or text such as "3mm", "0.3 cm", "8.5pt") in mm; None if it is no length."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    m = ONE_LENGTH.match(value) if isinstance(value, str) else None
    return float(m.group(1)) * MM_PER[(m.group(2) or "mm").lower()] if m else None


def page_size_mm(value: str) -> tuple[float, float] | None:
    """A named size (A4, 大16K) or "WxH" with a unit after either number or after both (210x285 mm, 21cm×28.5cm)."""
    if value in PAGE_SIZES:
        return PAGE_SIZES[value]
    m = CUSTOM_SIZE.match(value)
    if m is None:
        return None
    width, width_unit, height, height_unit = m.groups()
    width_unit, height_unit = (width_unit or height_unit or "mm").lower(), (height_unit or "mm").lower()
    return round(float(width) * MM_PER[width_unit], 2), round(float(height) * MM_PER[height_unit], 2)


def _codes(value, table: tuple, where: _Lines, shown: str, report: Report) -> list[str]:
    """An ignore list: copy-editing codes (zh-…); anything else is said at its line and left out."""
    if value is None or not isinstance(value, list):
        return []  # (a wrong type is said by _check_table)
    codes = [v for v in value if isinstance(v, str) and CHECK_CODE.match(v)]
    if len(codes) != len(value):
        report.error(shown, where.of(table, "ignore"), "bad-value",
                     "ignore must list copy-editing codes, each beginning zh- (as `huikan check` shows them)")
    return codes


def _press(data: dict, press: dict, where: _Lines, shown: str, report: Report) -> PressConfig:
    """[print], [covers] and [colophon], checked."""
    out = PressConfig()
    _check_table(press, PRINT_KEYS, ("print",), where, shown, report)
    bleed = press.get("bleed")
    bleed_mm = length_mm(bleed) if bleed is not None else None
    if bleed_mm is not None and 0 <= bleed_mm <= 10:
        out.bleed_mm = bleed_mm
    elif bleed is not None and not isinstance(bleed, bool):  # a wrong type is said above
        report.error(shown, where.of(("print",), "bleed"), "bad-value",
                     f"print.bleed must be {UNITS_SAID}, from 0 to 10 mm; not {bleed!r}")
    marks = press.get("marks", [])
    if isinstance(marks, list) and all(m in MARKS for m in marks):
        out.marks = tuple(m for m in MARKS if m in marks)
    elif isinstance(marks, list):
        report.error(shown, where.of(("print",), "marks"), "bad-value",
                     f"print.marks must be a list of {', '.join(MARKS)}")
    multiple = press.get("pages_multiple_of")
    if isinstance(multiple, int) and multiple in (1, 2, 4, 8, 16):
        out.pages_multiple_of = multiple
    elif isinstance(multiple, int) and not isinstance(multiple, bool):
        report.error(shown, where.of(("print",), "pages_multiple_of"), "bad-value",
                     "print.pages_multiple_of must be 1, 2, 4, 8 or 16")
    booklet = press.get("booklet")
    if isinstance(booklet, str) and booklet.upper() in BOOKLET_SHEETS:
        out.booklet = booklet.upper()
    elif isinstance(booklet, str):
        report.error(shown, where.of(("print",), "booklet"), "bad-value",
                     f"print.booklet must be one of {', '.join(BOOKLET_SHEETS)} (the sheet the pages go two up on)")

    covers = data.get("covers", {}) if isinstance(data.get("covers"), dict) else {}
    _check_table(covers, COVER_KEYS, ("covers",), where, shown, report)
    for key in COVER_KEYS:
        if isinstance(covers.get(key), str):
            out.covers[key] = covers[key].strip()
            out.cover_lines[key] = where.of(("covers",), key)

    colophon = data.get("colophon", {}) if isinstance(data.get("colophon"), dict) else {}
    for label, value in colophon.items():
        if isinstance(value, str):
            out.colophon.append((label, value.strip()))
        elif isinstance(value, dict) and all(isinstance(v, str | list) for v in value.values()):
            # 编委会 = { 主任 = "唐晓芬", 委员 = ["…", "…"] }: roles and names, in the order written.
            out.colophon.append((label, [(role, [names] if isinstance(names, str) else [str(n) for n in names])
                                         for role, names in value.items()]))
        else:
            report.error(shown, where.of(("colophon",), label), "bad-value",
                         f"colophon.{label} must be a string, or a table of roles and names (编委会)")
    if "colophon" in out.covers.values() and not out.colophon:
        report.error(shown, where.of(("covers",)), "missing-key", "covers name the colophon, but [colophon] is empty")
    return out


def load_config(folder: Path) -> IssueConfig:
    """Read and validate FOLDER/issue.toml; raise UsageError with every problem found."""
    path = folder / CONFIG_NAME
    shown = str(path)
    if escapes(folder, path):
        raise UsageError.single(shown, 0, "outside-issue", f"{CONFIG_NAME} links outside the issue folder: not read")
    if not path.is_file():
        raise UsageError.single(shown, 0, "no-config", f"no {CONFIG_NAME} in {folder} (create one with 'huikan new')")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UsageError.single(shown, line, "bad-encoding", f"{CONFIG_NAME} must be saved as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = int(m.group(1)) if m else 0
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "invalid TOML"
        raise UsageError.single(shown, line, "bad-toml", f"not valid TOML: {message}") from None

    where = _Lines(text)
    report = Report()
    _check_table(data, TOP_KEYS, (), where, shown, report)
    publication = data.get("publication", {}) if isinstance(data.get("publication"), dict) else {}
    issue = data.get("issue", {}) if isinstance(data.get("issue"), dict) else {}
    _check_table(publication, PUBLICATION_KEYS, ("publication",), where, shown, report)
    _check_table(issue, ISSUE_KEYS, ("issue",), where, shown, report)

    title = publication.get("title")
    if not isinstance(title, str) or not title.strip():
        report.error(shown, where.of(("publication",)), "missing-key", "publication.title is required (the masthead)")

    config = IssueConfig(path=path, title=str(title or "").strip())
    config.publisher = str(publication.get("publisher", "")).strip()
    config.language = str(publication.get("language", "zh-CN")).strip()
    config.id = str(issue.get("id") or folder.resolve().name)
    if not ID_PATTERN.match(config.id):
        report.error(shown, where.of(("issue",), "id"), "bad-value",
                     f"issue.id '{config.id}' must use only letters, digits, '.', '_' and '-' (it names folders)")
    config.number = str(issue.get("number", "")).strip()
    config.date = _parse_date(issue.get("date"), shown, where.of(("issue",), "date"), report)
    config.page_size = str(issue.get("page_size", "A4"))
    size = page_size_mm(config.page_size)
    if size is None:
        report.error(shown, where.of(("issue",), "page_size"), "bad-value",
                     f"issue.page_size '{config.page_size}' is not one of A4, B5, 16K, 大16K or 'WxH' with mm, cm "
                     "or pt (\"210x285 mm\")")
    else:
        config.page_mm = size
    columns = issue.get("columns", 1)
    if isinstance(columns, int) and columns in (1, 2):
        config.columns = columns
    elif isinstance(columns, int):
        report.error(shown, where.of(("issue",), "columns"), "bad-value", "issue.columns must be 1 or 2")

    press = data.get("print", {}) if isinstance(data.get("print"), dict) else {}
    for name, values in (("issue", issue), ("print", press)):  # [print] is its place now; [issue] still works
        variant = values.get("pdf_variant")
        if isinstance(variant, str) and variant.lower() in PDF_VARIANTS:
            config.pdf_variant = variant.lower()
        elif isinstance(variant, str):
            report.error(shown, where.of((name,), "pdf_variant"), "bad-value",
                         f"{name}.pdf_variant '{variant}' is not one of {', '.join(PDF_VARIANTS)}")
    config.pdf_tags = issue.get("pdf_tags") is True
    config.keep_proofs = issue.get("keep_proofs") is True
    formats = issue.get("formats")
    if isinstance(formats, list):
        unknown = [f for f in formats if not isinstance(f, str) or f.lower() not in OUTPUT_FORMATS]
        if unknown or not formats:
            report.error(shown, where.of(("issue",), "formats"), "bad-value",
                         f"issue.formats must list some of {', '.join(OUTPUT_FORMATS)}")
        else:
            config.formats = tuple(dict.fromkeys(f.lower() for f in formats))
    config.press = _press(data, press, where, shown, report)

    enrich = data.get("enrich", {}) if isinstance(data.get("enrich"), dict) else {}
    _check_table(enrich, ENRICH_KEYS, ("enrich",), where, shown, report)
    length = enrich.get("summary_length", config.summary_length)
    if isinstance(length, int) and length in SUMMARY_LENGTHS:
        config.summary_length = length
    elif isinstance(length, int):
        report.error(shown, where.of(("enrich",), "summary_length"), "bad-value",
                     "enrich.summary_length must be between 60 and 600 characters")
    count = enrich.get("keywords", config.keyword_count)
    if isinstance(count, int) and count in KEYWORD_COUNTS:
        config.keyword_count = count
    elif isinstance(count, int):
        report.error(shown, where.of(("enrich",), "keywords"), "bad-value", "enrich.keywords must be 3 to 6")

    check = data.get("check", {}) if isinstance(data.get("check"), dict) else {}
    _check_table(check, CHECK_KEYS, ("check",), where, shown, report)
    config.ignore = tuple(_codes(check.get("ignore"), ("check",), where, shown, report))

    limits = data.get("limits", {}) if isinstance(data.get("limits"), dict) else {}
    _check_table(limits, LIMITS_KEYS, ("limits",), where, shown, report)
    values = {}
    for key in LIMITS_KEYS:
        value = limits.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            values[key] = value
        elif value is not None:
            report.error(shown, where.of(("limits",), key), "bad-value", f"limits.{key} must be a whole number above 0")
    config.limits = Limits(**values)

    sections = data.get("sections", [])
    for index, section in enumerate(sections if isinstance(sections, list) else []):
        table = ("sections", index)
        line = where.of(table)
        if not isinstance(section, dict):
            report.error(shown, line, "bad-value", "each [[sections]] entry must be a table")
            continue
        _check_table(section, SECTION_KEYS, table, where, shown, report)
        files = section.get("articles", [])
        if not isinstance(section.get("title"), str) or not section["title"].strip():
            report.error(shown, line, "missing-key", "each [[sections]] needs a title")
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            report.error(shown, where.of(table, "articles"), "bad-value",
                         "sections.articles must be a list of file names")
            files = []
        layout = section.get("layout")
        if isinstance(layout, str) and layout not in LAYOUTS:
            report.error(shown, where.of(table, "layout"), "bad-value",
                         f"sections.layout '{layout}' is not one of {', '.join(LAYOUTS)}")
            layout = None
        config.sections.append(SectionConfig(str(section.get("title", "")).strip(), list(files), line,
                                             layout if isinstance(layout, str) else None,
                                             section.get("abstracts") if isinstance(section.get("abstracts"), bool)
                                             else None))

    articles = data.get("articles", {})
    for name, override in (articles.items() if isinstance(articles, dict) else []):
        table = ("articles", name)
        line = where.of(table)
        if not isinstance(override, dict):
            report.error(shown, line, "bad-value", f"articles.\"{name}\" must be a table")
            continue
        _check_table(override, ARTICLE_KEYS, table, where, shown, report)
        for key in ("authors", "keywords"):
            value = override.get(key)
            if isinstance(value, list) and not all(isinstance(v, str) for v in value):
                report.error(shown, where.of(table, key), "bad-value", f"'{key}' must be a list of strings")
        pictures = override.get("pictures")
        if pictures is not None and not (isinstance(pictures, list) and all(
                isinstance(pic, dict) and isinstance(pic.get("file"), str) and set(pic) <= {"file", "caption"}
                and isinstance(pic.get("caption", ""), str) for pic in pictures)):
            report.error(shown, where.of(table, "pictures"), "bad-value",
                         'pictures must be a list of { file = "images/….jpg", caption = "…" }')
            override = {k: v for k, v in override.items() if k != "pictures"}
        layout = override.get("layout")
        if isinstance(layout, str) and layout not in LAYOUTS:
            report.error(shown, where.of(table, "layout"), "bad-value",
                         f"layout '{layout}' is not one of {', '.join(LAYOUTS)}")
        changes = override.get("track_changes")
        if isinstance(changes, str) and changes not in TRACK_CHANGES:
            report.error(shown, where.of(table, "track_changes"), "bad-value",
                         f"track_changes '{changes}' is not one of {', '.join(TRACK_CHANGES)}")
        if "ignore" in override:
            override = {**override, "ignore": _codes(override["ignore"], table, where, shown, report)}
        config.overrides[name] = ArticleOverride(**{k: v for k, v in override.items() if k in ARTICLE_KEYS})
        config.override_lines[name] = line

    if report.errors:
        raise UsageError(report.errors)
    return config
