"""Typographic preparation of running text for print (the PDF only; Word and WPS do their own)."""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_INTERPUNCT = re.compile("(?<=\\S)·")
# The last two Han characters of a paragraph, possibly followed by closing punctuation.
_LAST_TWO = re.compile(f"([{HAN}])([{HAN}][^{HAN}\\w]*)$")


def keep_interpunct(text: str) -> str:
    """An interpunct (达·芬奇) must not start a line: glue it to the character before it."""
    return _INTERPUNCT.sub(WORD_JOINER + "·", text)


def no_lone_last_char(text: str) -> str:
    """Keep at least two Han characters on a paragraph's last line (no 孤字)."""
    return _LAST_TWO.sub(lambda m: m.group(1) + WORD_JOINER + m.group(2), text)


def for_print(text: str, *, paragraph_end: bool = False) -> str:
    text = keep_interpunct(text)
    if paragraph_end:
        text = no_lone_last_char(text)
    return text
