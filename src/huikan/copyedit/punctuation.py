"""GB/T 15834-2011 标点符号用法: the marks' forms and places that a copy editor checks in Chinese text.

Each rule takes a text (shielded: Latin text, addresses and model numbers read as SHIELD) and its kind
(paragraph, heading, title, caption, cell …) and yields Findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from huikan.copyedit.findings import HAN, Finding

STANDARD = "GB/T 15834-2011"
HALF_WIDTH = {",": ("，", "4.4 逗号"), ";": ("；", "4.6 分号"), ":": ("：", "4.7 冒号"), "?": ("？", "4.2 问号"),
              "!": ("！", "4.3 叹号"), ".": ("。", "4.1 句号")}
HALF_BETWEEN_HAN = re.compile(rf"(?<=[{HAN}])[,;:?!.](?=[{HAN}“‘《（]|$)")
STRAIGHT_QUOTES = re.compile(r'"[^"]*"')
PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "【": "】", "〈": "〉"}
NAMES = {"“": "双引号 “”", "‘": "单引号 ‘’", "《": "书名号 《》", "（": "括号 （）", "【": "方头括号 【】",
         "〈": "单书名号 〈〉"}
CLAUSES = {"“": "4.8 引号", "‘": "4.8 引号", "《": "4.15 书名号", "〈": "4.15 书名号", "（": "4.9 括号",
           "【": "4.9 括号"}
ELLIPSIS_WRONG = re.compile(rf"(?:\.{{3,}}|。{{3,}}|(?<!…)…(?!…)|…{{3,}}|⋯+)(?=[{HAN}，。；！？”’）》]|$)"
                            rf"|(?<=[{HAN}，。；！？“‘《（])(?:\.{{3,}}|。{{3,}}|(?<!…)…(?!…)|…{{3,}}|⋯+)")
ELLIPSIS_AND_DENG = re.compile(r"……(等等|等)|(等等|等)(?:……|\.{3,}|。{3,}|…)")
WRONG_CLOSING = re.compile(r"“([^“”\n]{1,40})“(?=[，。、；：？！）》\s]|$)")
DASH_WRONG = re.compile(rf"(?<=[{HAN}，。”’）》])(?:--+|－－+|―+|─{{2,}}|—(?=[“《]))(?=[{HAN}“‘《（])"
                        rf"|(?<=[{HAN}])(?:--+|－－+|―+|─{{2,}})")
ONE_ONE_DASH = re.compile(rf"(?<=[{HAN}])一一(?=[“《‘（])|(?<=[”》’）])一一(?=[{HAN}])")
MIDDLE_DOT = re.compile(rf"(?<=[{HAN}])[•・‧∙･⋅](?=[{HAN}])")
DOUBLED = re.compile(r"([，、；：])\1+|(?<!。)。。(?!。)")
ENUMERATION = re.compile(r"(?<=[》”])、(?=[《“])")
ORDINAL_PUNCT = re.compile(r"^(\d{1,2})、(?=[^\d\s]|$)|^([（(][一二三四五六七八九十\d]{1,3}[）)])[、.．，,](?=\S|$)")
HEADING_KINDS = ("heading", "title", "subtitle")
# A 序次语 in a half bracket, 1） a） 一）, at the start of a clause.
ENUMERATOR = re.compile(r"(?:^|[^\d.（(])(?:\d{1,2}|[a-zA-Z]|[一二三四五六七八九十]{1,3})）$")


def half_width_marks(text: str, kind: str) -> Iterator[Finding]:
    for m in HALF_BETWEEN_HAN.finditer(text):
        mark = m.group(0)
        if mark == "." and m.end() < len(text) and text[m.end()] not in "“‘《（" and not re.match(
                rf"[{HAN}]", text[m.end()]):
            continue
        right, clause = HALF_WIDTH[mark]
        yield Finding("zh-half-width-punct", m.start(), m.end(), right, "a half-width mark in Chinese text",
                      f"{STANDARD} {clause}", safe=True)


def straight_quotes(text: str, kind: str) -> Iterator[Finding]:
    """"…" in Chinese text: “…” (each pair, when the quotes pair up)."""
    if '"' not in text:
        return
    pairs = list(STRAIGHT_QUOTES.finditer(text))
    paired = text.count('"') % 2 == 0
    for m in pairs:
        inner = m.group(0)[1:-1]
        if not re.search(f"[{HAN}]", inner + text[max(0, m.start() - 1):m.start()]):
            continue  # "quoted" Latin text keeps its quotes
        yield Finding("zh-straight-quote", m.start(), m.end(), f"“{inner}”", "straight quotes in Chinese text",
                      f"{STANDARD} 4.8 引号", safe=paired)


def unbalanced(text: str, kind: str, quote_goes_on: bool = False) -> Iterator[Finding]:
    """An opening mark without its closing one, or a closing one without its opening one. A quotation of
    several paragraphs opens each with “ and closes only in the last: a paragraph that opens with “, or
    whose next one does (QUOTE_GOES_ON), may leave its quotation open."""
    for opener, closer in PAIRS.items():
        if opener not in text and closer not in text:
            continue
        depth, first_open = 0, -1
        for i in range(len(text)):
            ch = text[i]
            if ch == closer and depth == 0 and opener == "（" and ENUMERATOR.search(text, max(0, i - 4), i + 1):
                continue  # 1） a）: a 序次语 with a half bracket
            if ch == "’" and 0 < i < len(text) - 1 and text[i - 1].isascii() and text[i - 1].isalnum() \
                    and (text[i + 1].isascii() and (text[i + 1].isalnum() or text[i + 1] == "-")):
                continue  # an apostrophe in Latin text: Dell’Oro, 2’-FL
            if ch == opener:
                if depth == 0:
                    first_open = i
                depth += 1
            elif ch == closer:
                if depth == 0:
                    yield Finding("zh-unbalanced", i, i + 1, "", f"a closing {NAMES[opener][-1]} with no "
                                  f"opening one ({NAMES[opener]})", f"{STANDARD} {CLAUSES[opener]}")
                    break
                depth -= 1
        else:
            goes_on = kind == "paragraph" and depth == 1 and (text.startswith("“") or quote_goes_on)
            if depth and not (opener == "“" and goes_on):
                yield Finding("zh-unbalanced", first_open, first_open + 1, "", f"an opening {opener} with no "
                              f"closing {closer} ({NAMES[opener]})", f"{STANDARD} {CLAUSES[opener]}")


def wrong_closing(text: str, kind: str) -> Iterator[Finding]:
    """“三严三实“: an opening mark typed where the closing one belongs."""
    for m in WRONG_CLOSING.finditer(text):
        yield Finding("zh-unbalanced", m.end() - 1, m.end(), "”", "an opening “ where the closing ” belongs",
                      f"{STANDARD} 4.8 引号")


def nested_titles(text: str, kind: str) -> Iterator[Finding]:
    """《关于《质量法》的通知》: the inner title in 〈〉."""
    depth = 0
    for i, ch in enumerate(text):
        if ch == "《":
            depth += 1
            if depth == 2:
                close = text.find("》", i)
                if close > 0:
                    yield Finding("zh-nested-title", i, close + 1, "〈" + text[i + 1:close] + "〉",
                                  "a title inside a title takes 〈〉", f"{STANDARD} 4.15 书名号", safe=True)
        elif ch == "》":
            depth = max(0, depth - 1)


def ellipsis(text: str, kind: str) -> Iterator[Finding]:
    for m in ELLIPSIS_WRONG.finditer(text):
        yield Finding("zh-ellipsis", m.start(), m.end(), "……", "the ellipsis is six dots, ……",
                      f"{STANDARD} 4.11 省略号", safe=True)
    for m in ELLIPSIS_AND_DENG.finditer(text):
        yield Finding("zh-ellipsis-deng", m.start(), m.end(), "……" if m.group(1) else m.group(2),
                      f"…… and {m.group(1) or m.group(2)} say the same: keep one", f"{STANDARD} 4.11 省略号")


def dash(text: str, kind: str) -> Iterator[Finding]:
    for m in DASH_WRONG.finditer(text):
        yield Finding("zh-dash", m.start(), m.end(), "——", "the 破折号 is two em dashes, ——",
                      f"{STANDARD} 4.10 破折号", safe=True)
    for m in ONE_ONE_DASH.finditer(text):
        yield Finding("zh-dash", m.start(), m.end(), "——", "一一 (the numeral) where a 破折号 —— belongs",
                      f"{STANDARD} 4.10 破折号")


def middle_dot(text: str, kind: str) -> Iterator[Finding]:
    for m in MIDDLE_DOT.finditer(text):
        yield Finding("zh-middle-dot", m.start(), m.end(), "·", "the 间隔号 is ·", f"{STANDARD} 4.14 间隔号",
                      safe=True)


def doubled_marks(text: str, kind: str) -> Iterator[Finding]:
    for m in DOUBLED.finditer(text):
        yield Finding("zh-doubled-punct", m.start(), m.end(), m.group(0)[0], "a mark set twice", safe=True)


def enumeration_comma(text: str, kind: str) -> Iterator[Finding]:
    """《甲》、《乙》 and “甲”、“乙”: no 顿号 between titles or quotations that stand side by side."""
    for m in ENUMERATION.finditer(text):
        yield Finding("zh-enum-comma", m.start(), m.end(), "", "no 顿号 between titles or quotations side by side",
                      f"{STANDARD} 4.5 顿号", safe=True)


def ordinal_punct(text: str, kind: str) -> Iterator[Finding]:
    """1、 → 1. and （一）、 → （一）: the mark after a 序次语."""
    m = ORDINAL_PUNCT.match(text)
    if m is None:
        return
    if m.group(1):
        yield Finding("zh-ordinal-punct", m.start(), m.end(), m.group(1) + ".",
                      "an Arabic 序次语 takes a full stop, 1.", f"{STANDARD} 附录A 序次语", safe=True)
    else:
        bracket = m.group(2).replace("(", "（").replace(")", "）")
        yield Finding("zh-ordinal-punct", m.start(), m.end(), bracket, "a bracketed 序次语 takes no mark after it",
                      f"{STANDARD} 附录A 序次语", safe=True)


def heading_period(text: str, kind: str) -> Iterator[Finding]:
    """No 句号 at the end of a heading, a title or a short caption (a paragraph that reads as a heading:
    一、研究背景。 is flagged, not changed)."""
    if not text.endswith("。") or text.endswith("……。"):
        return
    body = text[:-1]
    if kind in HEADING_KINDS or (kind == "caption" and len(body) <= 30 and not re.search("[，。；！？]", body)):
        yield Finding("zh-heading-period", len(text) - 1, len(text), "", f"no 句号 at the end of a {kind}",
                      f"{STANDARD} 4.1 句号", safe=True)
    elif kind in ("paragraph", "list_item") and len(body) <= 25 and not re.search("[，。；！？：]", body) and \
            re.match(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．])", body):
        yield Finding("zh-heading-period", len(text) - 1, len(text), "", "no 句号 at the end of a heading",
                      f"{STANDARD} 4.1 句号")


RULES = (half_width_marks, straight_quotes, wrong_closing, nested_titles, ellipsis, dash, middle_dot, doubled_marks,
         enumeration_comma, ordinal_punct, heading_period)
