"""Sentence and title handling shared by the summarizer and the keyword extractor."""

from __future__ import annotations

import re

SENTENCE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[”’」』）)]*|$)")
DATE_ONLY = re.compile(r"^[\d\s年月日号至到\-—~～,，.。、:：（）()]+$")
TITLE_MAX = 40


def split_title(text: str, title: str | None = None) -> tuple[str, str]:
    """(title, body): TITLE and TEXT when the caller knows the title, else a title found on TEXT's first line.

    A first line is taken for a title when it is short and does not end a sentence with 。 (a question
    or an exclamation may be a title: 企业为什么要做质量管理？).
    """
    if title is not None:
        return title.strip(), text
    first, _, rest = text.strip().partition("\n")
    first = first.strip()
    if rest and len(first) <= TITLE_MAX and not re.search(r"[。.；;，,：:]$", first):
        return first, rest
    return "", text


def sentences(text: str) -> list[str]:
    """Whole sentences in order; a sentence ends at 。！？ (with any closing quote) or at a line end."""
    out = []
    for line in text.split("\n"):
        for m in SENTENCE.finditer(line):
            s = m.group(0).strip()
            if s:
                out.append(s)
    return out


def is_informative(sentence: str) -> bool:
    core = re.sub(r"\W", "", sentence)
    return len(core) >= 8 and not DATE_ONLY.match(sentence)
