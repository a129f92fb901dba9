"""Typographic preparation of running text for print (the PDF only; Word and WPS do their own).

- an interpunct (达·芬奇) never starts a line: a word joiner ties it to the character before;
- 孤字: a paragraph's last line keeps at least two Han characters;
- Han next to Latin letters or digits gets a space, a quarter em in the CJK fonts (clreq §3.2.2);
- 标点挤压: of two adjacent full-width marks, the one whose blank half faces the other is set half
  width with the font's `halt` feature, so 。” and ），take 1.5 em instead of 2 em.
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


def halved(text: str) -> set[int]:
    """Positions of the marks to set half width: the blank halves of two adjacent marks face each other."""
    out = set()
    for i in range(len(text) - 1):
        a, b = text[i], text[i + 1]
        if a in CLOSING + STOPS and b in OPENING + CLOSING + STOPS:
            out.add(i)  # 。” ）， ，“: the first mark's right half is blank
        elif a in OPENING and b in OPENING:
            out.add(i + 1)  # （“: the second mark's left half is blank
    return out


def compress_punctuation(text: str) -> Markup:
    """TEXT as HTML, with each mark to be halved wrapped in <span class="halt">."""
    pieces, cursor = [], 0
    for i in sorted(halved(text)):
        pieces += [escape(text[cursor:i]), Markup('<span class="halt">{}</span>').format(text[i])]
        cursor = i + 1
    pieces.append(escape(text[cursor:]))
    return Markup("").join(pieces)


def for_print(text: str, *, paragraph_end: bool = False) -> Markup:
    """TEXT as HTML for the print edition, with all the preparation above."""
    text = space_han_latin(keep_interpunct(text))
    if paragraph_end:
        text = no_lone_last_char(text)
    return compress_punctuation(text)
