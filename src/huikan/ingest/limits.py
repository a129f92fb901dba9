"""Refuse contributed files that would make a build hang or run out of memory (issue.toml [limits]).

Each check reads only what it needs to judge: a Word file's zip directory (the sizes its parts
declare, which also bound what reading them can inflate to), an article's length. Each refusal is an
error with the file and the setting that raises the limit. Pictures are checked by the pictures stage
(pictures/survey.py): their file size and their header's pixel count, before any decoding.
"""

from __future__ import annotations

import io
import zipfile

from huikan.config import Limits
from huikan.diagnostics import Report
from huikan.model import Article

MB = 1024 * 1024


def word_file_fits(raw: bytes, path: str, limits: Limits, report: Report) -> bool:
    """Whether a .docx's parts are few and small enough to read (a zip bomb is neither)."""
    try:
        members = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return True  # not a zip at all: the Word reader says so
    if len(members) > limits.docx_members:
        report.error(path, 0, "too-large", f"a Word file of {len(members)} parts is not read (limits.docx_members "
                     f"= {limits.docx_members})")
        return False
    size = sum(member.file_size for member in members)
    if size > limits.docx_mb * MB:
        report.error(path, 0, "too-large", f"a Word file that unpacks to {size // MB} MB is not read "
                     f"(limits.docx_mb = {limits.docx_mb})")
        return False
    return True


def article_fits(article: Article, path: str, limits: Limits, report: Report) -> bool:
    chars = sum(len(block.text) for block in article.blocks)
    if chars > limits.article_chars:
        report.error(path, article.line, "too-large", f"《{article.title[:30]}》 has {chars} characters, more than "
                     f"an article may (limits.article_chars = {limits.article_chars})")
        return False
    return True
