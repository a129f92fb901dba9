"""Sentence and title handling shared by the summarizer and the keyword extractor."""

from __future__ import annotations

import re

SENTENCE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[”’」』）)]*|$)")
DATE_ONLY = re.compile(r"^[\d\s年月日号至到\-—~～,，.。、:：（）()]+$")
TITLE_MAX = 40


def split_title(text: str) -> tuple[str, str]:
    """Separate a title given on the first line from the body."""
    first, _, rest = text.strip().partition("\n")
    first = first.strip()
    if rest and len(first) <= TITLE_MAX and not re.search(r"[。！？!?]$", first):
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
