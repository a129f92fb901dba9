"""Typographic preparation of running text for print (the PDF only; Word and WPS do their own).

- an interpunct (达·芬奇) never starts a line: a word joiner ties it to the character before;
- 孤字: a paragraph's last line keeps at least two Han characters;
- Han next to Latin letters or digits gets a space, a quarter em in the CJK fonts (clreq §3.2.2);
- 标点挤压: of two adjacent full-width marks, the one whose blank half faces the other is set half
  width with the font's `halt` feature, so 。” and ），take 1.5 em instead of 2 em. `halved()` says
  which; render/pdf/justify.py applies it to every text WeasyPrint lays out, as a font feature on
  those characters of the Pango layout (a span per mark would make three boxes of a line's text).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

WORD_JOINER = "\u2060"
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
OPENING = "“‘（《〈「『【〔"
CLOSING = "”’）》〉」』】〕"
STOPS = "，。、；：？！"  # full-width stops, set in the left half of their square in mainland fonts
_INTERPUNCT = re.compile("(?<=\\S)·")
# The last two Han characters of a paragraph, possibly followed by closing punctuation.
_LAST_TWO = re.compile(f"([{HAN}])([{HAN}][^{HAN}\\w]*)$")
_HAN_LATIN = re.compile(f"(?<=[{HAN}])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%])(?=[{HAN}])")


def keep_interpunct(text: str) -> str:
    """An interpunct (达·芬奇) must not start a line: glue it to the character before it."""
    return _INTERPUNCT.sub(WORD_JOINER + "·", text)


def no_lone_last_char(text: str) -> str:
    """Keep at least two Han characters on a paragraph's last line (no 孤字)."""
    return _LAST_TWO.sub(lambda m: m.group(1) + WORD_JOINER + m.group(2), text)


def space_han_latin(text: str) -> str:
    """A space between Han and Latin letters or digits (其中2020年 → 其中 2020 年)."""
    return _HAN_LATIN.sub(" ", text)


# The first of two marks when its right half is blank (。” ）， ，“); the second when its left half is (（“).
_HALVED = re.compile(f"[{CLOSING}{STOPS}](?=[{OPENING}{CLOSING}{STOPS}])|(?<=[{OPENING}])[{OPENING}]")


def halved(text: str) -> list[int]:
    """Positions of the marks to set half width: the blank halves of two adjacent marks face each other."""
    return [m.start() for m in _HALVED.finditer(text)]


def for_print(text: str, *, paragraph_end: bool = False) -> Markup:
    """TEXT as HTML for the print edition, with the preparation above (标点挤压 is the layout's)."""
    text = space_han_latin(keep_interpunct(text))
    if paragraph_end:
        text = no_lone_last_char(text)
    return escape(text)
