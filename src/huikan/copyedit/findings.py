"""What a copy-editing rule finds: the wrong text, the right form, why, and whether to fix it unasked."""

from __future__ import annotations

import re
from dataclasses import dataclass

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
PUNCTUATION = "，。、；：？！“”‘’（）《》〈〉【】—…·"
SHIELD = "\ue020"  # stands for a character no rule may read (URL, Latin, a model number, a date)
LATIN_RUN = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.]+"  # addresses
                       r"|\d{4}-\d{2}-\d{2}"  # ISO dates
                       r"|(?<![\dA-Za-z])\d+(?:\.\d+)?:\d+(?:\.\d+)?(?![\dA-Za-z])"  # ratios and times 1:78
                       # Latin text and model numbers: GB/T 15834-2011, ISO 9001:2015
                       r"|[A-Za-z][A-Za-z0-9]*(?:[ ./:_+\-·][A-Za-z0-9]+)*(?:[ \-]\d+(?:[.:\-]\d+)*)*")


@dataclass(frozen=True)
class Finding:
    """TEXT[start:end] is wrong; RIGHT is the form to use. SAFE: the editions apply it and say so in a
    note; otherwise a warning leaves it to the editor."""

    code: str  # zh-…, one per rule, for [check] ignore
    start: int
    end: int
    right: str
    why: str  # what the rule says, in a few words
    clause: str = ""  # the standard and clause it rests on
    safe: bool = False


def shielded(text: str) -> str:
    """TEXT with addresses, Latin text, model numbers, ISO dates and ratios replaced, character for
    character, by SHIELD: the rules see where they are but read nothing in them."""
    return LATIN_RUN.sub(lambda m: SHIELD * len(m.group(0)), text)


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where quotations and titles stand (“…”, 《…》): a quotation is left as its author wrote it."""
    spans, opened = [], []
    for i, ch in enumerate(text):
        if ch in "“《":
            opened.append((ch, i))
        elif ch in "”》" and opened and opened[-1][0] == {"”": "“", "》": "《"}[ch]:
            _, start = opened.pop()
            if not opened:
                spans.append((start, i + 1))
    return spans


def inside(spans: list[tuple[int, int]], at: int) -> bool:
    return any(start <= at < end for start, end in spans)
