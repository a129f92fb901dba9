"""Ingest: the files of an issue folder become the Issue model."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from huikan.config import DEFAULT_LIMITS, Limits, load_config
from huikan.confine import confined, escapes
from huikan.diagnostics import Report, UsageError
from huikan.ingest.convert import CONVERTED
from huikan.ingest.covers import cover_files, read_press
from huikan.ingest.decode import decode
from huikan.ingest.kept import KeptReads
from huikan.ingest.limits import MB, article_fits, word_file_fits
from huikan.ingest.overrides import apply_layouts, apply_overrides, attach_pictures
from huikan.ingest.text import read_text
from huikan.model import Article, Issue, Section, number_notes
from huikan.progress import Progress


def _decoding(reader):
    """A text reader made to take the file's bytes, decoded as an editor's machine wrote them."""
    def read(raw: bytes, source: str, path: str, report: Report) -> list[Article]:
        return reader(decode(raw, path, report), source, path, report)
    return read


def _imported(module: str, name: str):
    """A reader whose module is imported when a file of its kind is first read: python-docx and
    markdown-it take a tenth of a second to import, which an issue of .txt files need not wait for."""
    def read(*args):
        return getattr(importlib.import_module(module), name)(*args)
    return read


# Each reader takes the file's bytes, its name, the path to show in messages, and the report.
READERS = {".txt": _decoding(read_text), ".md": _decoding(_imported("huikan.ingest.markdown", "read_markdown")),
           ".docx": _imported("huikan.ingest.docx", "read_docx_bytes"),
           **dict.fromkeys(CONVERTED, _imported("huikan.ingest.docx", "read_converted"))}
WORD_FILES = (".docx", *CONVERTED)  # the word processors' files: tracked changes, the Word size limits
TITLE_FROM_TEXT_MAX = 30


def _candidates(folder: Path) -> list[Path]:
    # Word's lock files (~$…) and hidden files are not articles.
    return sorted(p for p in folder.iterdir()
                  if p.suffix.lower() in READERS and not p.name.startswith(("~$", ".")) and p.is_file())


def article_files(folder: Path) -> list[str]:
    """The article files of FOLDER that ingest reads: never one that links out of the folder."""
    return [p.name for p in _candidates(folder) if not escapes(folder, p)]


def escaping_files(folder: Path) -> list[str]:
    """Article files of FOLDER that are links to somewhere outside it."""
    return [p.name for p in _candidates(folder) if escapes(folder, p)]


def derived_title(article: Article) -> str:
    """A stand-in title for an article that has none: its first sentence, shortened."""
    for block in article.blocks:
        if block.type == "paragraph":
            sentence = re.split(r"[。！？!?]", block.text, maxsplit=1)[0]
            if len(sentence) > TITLE_FROM_TEXT_MAX:
                sentence = sentence[:TITLE_FROM_TEXT_MAX] + "…"
            return sentence
    return article.source


def read_article_file(folder: Path, name: str, report: Report, limits: Limits = DEFAULT_LIMITS,
                      track_changes: str = "accept", kept: KeptReads | None = None) -> list[Article]:
    """The articles of one file; a file that cannot be read, is too large, or that a reader fails on, is an
    error (and gives no article). TRACK_CHANGES: "accept" or "reject" a Word file's pending changes.
    KEPT: what an earlier build read of the file, taken if its bytes are the same (kept.py)."""
    path = confined(folder, name)
    if path is None:
        report.error(str(folder / name), 0, "outside-issue", f"'{name}' is outside the issue folder: not read")
        return []
    shown = str(path)
    try:
        size = path.stat().st_size
        word = path.suffix.lower() in WORD_FILES
        if size > (limits.docx_mb * MB if word else 4 * limits.article_chars):
            return limits_refuse(shown, size, word, limits, report)
        raw = path.read_bytes()
    except OSError as exc:
        report.error(shown, 0, "unreadable", f"cannot be read: {exc.strerror or exc}")
        return []
    if path.suffix.lower() == ".docx" and not word_file_fits(raw, shown, limits, report):
        return []
    key = KeptReads.key(raw, name, shown, limits, track_changes) if kept is not None else ""
    found = kept.get(key) if kept is not None else None
    if found is not None:
        articles, said = found
        report.items.extend(said)
        return articles
    here = Report()  # what is said of this file, kept with its articles
    articles = _read_bytes(raw, name, shown, word, limits, track_changes, here)
    if kept is not None:
        kept.put(key, articles, here.items)
    report.items.extend(here.items)
    return articles


def _read_bytes(raw: bytes, name: str, shown: str, word: bool, limits: Limits, track_changes: str,
                report: Report) -> list[Article]:
    try:
        reader = READERS[Path(name).suffix.lower()]
        articles = (reader(raw, name, shown, report, track_changes) if word
                    else reader(raw, name, shown, report))
    except RecursionError:
        report.error(shown, 0, "too-deep", "nested too deeply to read (quotes or lists inside one another)")
        return []
    except Exception as exc:  # a reader's fault on this file: say which file, keep reading the others
        report.error(shown, 0, "reader-failed",
                     f"huikan could not read this file ({type(exc).__name__}: {exc}); please report it with the file")
        return []
    return [a for a in articles if article_fits(a, shown, limits, report)]  # pictures: pictures/survey.py


def limits_refuse(shown: str, size: int, word: bool, limits: Limits, report: Report) -> list[Article]:
    if word:
        report.error(shown, 0, "too-large", f"a Word file of {size // MB} MB is not read (limits.docx_mb = "
                     f"{limits.docx_mb})")
    else:
        report.error(shown, 0, "too-large", f"a file of {size:,} bytes holds more characters than an article "
                     f"may: not read (limits.article_chars = {limits.article_chars})")
    return []


def load_issue(folder: Path, report: Report, medium: str = "print", progress: Progress | None = None,
               keep: bool = False) -> Issue:
    """Read FOLDER (issue.toml and its article files) into an Issue for MEDIUM ("print" or "screen");
    problems go to REPORT, each file read to PROGRESS. KEEP: take what an earlier build read of the files
    that are unchanged, and keep this build's (kept.py)."""
    folder = Path(folder)
    progress = progress or Progress()
    if not folder.is_dir():
        raise UsageError.single(str(folder), 0, "no-folder", "not an issue folder (no such directory)")
    config = load_config(folder)
    files = [f for f in article_files(folder) if f not in cover_files(config)]
    shown = str(config.path)

    problems = Report()
    listed: list[tuple[str, str]] = []  # (section title, file)
    for section in config.sections:
        for name in section.articles:
            if confined(folder, name) is None:
                problems.error(shown, section.line, "outside-issue", f"'{name}' is outside the issue folder")
            elif not (folder / name).is_file():
                problems.error(shown, section.line, "missing-article",
                               f"section '{section.title}' lists '{name}', which is not in {folder}")
            elif Path(name).suffix.lower() not in READERS:
                problems.error(shown, section.line, "unknown-format",
                               f"'{name}' is not an article file (.txt, .md or .docx)")
            elif any(name == f for _, f in listed):
                problems.error(shown, section.line, "duplicate-article", f"'{name}' is listed twice")
            else:
                listed.append((section.title, name))
    for name, line in config.override_lines.items():
        if confined(folder, name) is None:
            problems.error(shown, line, "outside-issue", f"'{name}' is outside the issue folder")
        elif not (folder / name).is_file():
            problems.error(shown, line, "missing-article", f"overrides for '{name}', which is not in {folder}")
    if problems.errors:
        raise UsageError(problems.errors)

    for name in escaping_files(folder):
        report.error(str(folder / name), 0, "outside-issue",
                     f"'{name}' is a link to a file outside the issue folder: not read")
    unlisted = [f for f in files if f not in {name for _, name in listed}]
    for name in unlisted:
        if config.sections:
            report.warning(str(folder / name), 0, "unlisted-article",
                           "not listed in any section of issue.toml; appended at the end")
    order = listed + [("", name) for name in unlisted]

    issue = Issue(id=config.id, title=config.title, publisher=config.publisher, number=config.number,
                  date=config.date, page_size=config.page_size, page_mm=config.page_mm,
                  columns=config.columns, summary_length=config.summary_length,
                  keyword_count=config.keyword_count, pdf_variant=config.pdf_variant,
                  pdf_tags=config.pdf_tags, folder=str(folder))
    issue.press = read_press(config, folder, report,
                             lambda f, name, r: read_article_file(f, name, r, config.limits), medium)
    progress.start("articles read", len(order))
    kept = KeptReads.for_issue(folder) if keep else None
    for section_title, name in order:
        progress.advance()
        override = config.overrides.get(name)
        articles = read_article_file(folder, name, report, config.limits,
                                     (override.track_changes if override else None) or "accept", kept)
        if articles:
            apply_overrides(articles[0], config)
            attach_pictures(articles[0], config, folder, report)
        for article in articles:
            if not article.title:
                article.title = derived_title(article)
                report.warning(str(folder / name), article.line, "missing-title",
                               f"no title line; using '{article.title}' (set one in issue.toml [articles.\"{name}\"])")
        for article in articles:
            # issue.toml decides; otherwise a Markdown front matter or a Word issue's 栏目 may.
            article.section = section_title or article.section
            if not issue.sections or issue.sections[-1].title != article.section:
                issue.sections.append(Section(article.section))
            issue.sections[-1].articles.append(article)
    if kept is not None:
        kept.prune()
    apply_layouts(issue, config)
    for article in issue.articles:
        number_notes(article)
    if not issue.articles and not report.errors:  # (files refused above have said why already)
        report.error(shown, 0, "no-articles", f"no article files (.txt, .md, .docx) in {folder}")
    return issue


def abstract_notes(issue: Issue, report: Report) -> None:
    """Say which articles come with their author's (or the editor's) 摘要 and 关键词, and how many will
    have them computed."""
    folder = Path(issue.folder)
    computed = 0
    for article in issue.articles:
        given = [name for name, value in (("摘要", article.summary), ("关键词", article.keywords)) if value]
        if given:
            report.note(str(folder / article.source), article.line, "abstract-given",
                        f"《{article.title[:30]}》 has its own {'和'.join(given)}; they are used as they are")
        if not (article.summary and article.keywords):
            computed += 1
    if computed:
        report.note(str(folder / "issue.toml"), 1, "abstract-computed",  # (of the whole issue)
                    f"{computed} of {len(issue.articles)} articles get a computed 摘要 or 关键词")
