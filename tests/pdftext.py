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
