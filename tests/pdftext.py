"""Reading a PDF back the way a proof-reader would: text per page, whitespace ignored."""

from __future__ import annotations

import re

import pypdf

INVISIBLE = re.compile(r"[\s\u3000\u2060\u200b]+")


def squash(text: str) -> str:
    return INVISIBLE.sub("", text)


def page_texts(path) -> list[str]:
    reader = pypdf.PdfReader(str(path))
    return [squash(page.extract_text() or "") for page in reader.pages]


def page_lines(path) -> list[str]:
    """Text per page with line ends kept and all other white space removed."""
    reader = pypdf.PdfReader(str(path))
    return [re.sub(r"[^\S\n]|[\u2060\u200b]", "", page.extract_text() or "") + "\n" for page in reader.pages]
