"""GB/T 15835-2011 出版物上数字用法: the forms of numbers a copy editor checks (the clause named by its
topic: 数值范围, 概数, 年份, 时分秒, 〇 and 零, 阿拉伯数字的书写)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from huikan.copyedit.findings import Finding

STANDARD = "GB/T 15835-2011"
CHINESE_DIGITS = "〇一二三四五六七八九"
FULL_WIDTH_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ]+(?:[．.][０-９]+)?")
DECIMAL_POINT = re.compile(r"(?<=\d)。(?=\d+(?:%|％|[万亿]|[A-Za-z]))")
TIME_COLON = re.compile(r"(?<![\d：:])([01]\d|2[0-3])：([0-5]\d)(?![\d：:])")
RANGE_UNIT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)([～~—－-])(\d+(?:\.\d+)?)(%|％|万元|亿元|万|亿)")
YEAR_SPAN = re.compile(r"(?<![\d\-—/年])((?:1[5-9]|20)\d{2})[-－~](?=((?:1[5-9]|20)\d{2})(?![\d\-]))")
NUMBER_SPAN = re.compile(r"(?<![\d.\-A-Za-z图表式号附])(\d{1,4}(?:\.\d+)?)[-－](\d{1,4}(?:\.\d+)?)"
                         r"(?=个|名|人|家|天|年|月|日|次|岁|倍|小时|分钟|周|项|种|页|元|米|公里|千克|吨|℃|分)")
SHORT_YEAR = re.compile(r"(?:(?<=[于在从自至到，。])|(?<=截至|早在)|^)([5-9]\d)年"
                        r"(?=\d{1,2}月|初|底|末|[上下]半年|[春夏秋冬]|起|以来|至|[，。])")
CHINESE_YEAR_ZERO = re.compile(rf"[{CHINESE_DIGITS}零]{{4}}(?=年)")
COUNTED_ZERO = re.compile(r"(?<=[百千万])〇(?=[一二三四五六七八九])")
MIXED = re.compile(r"(?<![\d.])(\d+)([十百千])(?![米克瓦焦帕赫卡伏欧秒字兆吨分])")
APPROXIMATE = re.compile(r"(?<!第)([一二三四五六七八九])、([二三四五六七八九十])"
                         r"(?=个|天|年|月|岁|次|人|名|家|种|项|倍|小时|分钟|周|位|所|台|辆|件|条|篇|十|百|千|万)")
APPROXIMATE_DIGITS = re.compile(r"(?<![\d.第])([1-8])、([2-9])(?=个|天|年|月|岁|次|人|名|家|种|项|倍|小时|周|位)")
WEEKDAY = re.compile(r"(?<=星期|礼拜)([1-7])(?!\d)")


def full_width_alnum(text: str, kind: str) -> Iterator[Finding]:
    for m in FULL_WIDTH_ALNUM.finditer(text):
        half = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in m.group(0))
        yield Finding("zh-full-width-digit", m.start(), m.end(), half, "digits and Latin letters are half-width",
                      f"{STANDARD} 阿拉伯数字的书写", safe=True)


def decimal_point(text: str, kind: str) -> Iterator[Finding]:
    for m in DECIMAL_POINT.finditer(text):
        yield Finding("zh-decimal-point", m.start(), m.end(), ".", "a 句号 where a decimal point belongs",
                      f"{STANDARD} 小数")


def time_colon(text: str, kind: str) -> Iterator[Finding]:
    for m in TIME_COLON.finditer(text):
        yield Finding("zh-time-colon", m.start(), m.end(), f"{m.group(1)}:{m.group(2)}",
                      "a time of day takes the half-width colon", f"{STANDARD} 时分秒", safe=True)


def range_unit(text: str, kind: str) -> Iterator[Finding]:
    """15～30% → 15%～30%, 9～16亿 → 9亿～16亿: left out before the ～, the sign or unit changes the number."""
    for m in RANGE_UNIT.finditer(text):
        first, connector, second, unit = m.groups()
        connector = "～" if connector in "~－-" else connector
        yield Finding("zh-number-range", m.start(), m.end(), f"{first}{unit}{connector}{second}{unit}",
                      f"{unit} on both numbers of a range", f"{STANDARD} 数值范围", safe=True)


def spans(text: str, kind: str) -> Iterator[Finding]:
    """1931-1945年 → 1931—1945年 (a span of time: the 一字线); 3-5个 → 3～5个 (a range of numbers: ～)."""
    for m in YEAR_SPAN.finditer(text):
        if int(m.group(2)) > int(m.group(1)):
            yield Finding("zh-number-range", m.end() - 1, m.end(), "—", "a span of years takes the 一字线 —",
                          "GB/T 15834-2011 4.13 连接号", safe=True)
    for m in NUMBER_SPAN.finditer(text):
        if m.group(1).startswith("0") or float(m.group(2)) <= float(m.group(1)):
            continue
        at = m.start() + len(m.group(1))
        if _calendar(m.group(1), m.group(2), text[m.end():m.end() + 1]):
            yield Finding("zh-number-range", at, at + 1, "—", "a span of time takes the 一字线 —",
                          "GB/T 15834-2011 4.13 连接号", safe=True)
        else:
            yield Finding("zh-number-range", at, at + 1, "～", "a range of numbers takes the 浪纹线 ～",
                          "GB/T 15834-2011 4.13 连接号", safe=True)


def _calendar(first: str, second: str, unit: str) -> bool:
    """Whether FIRST-SECOND UNIT names a span of the calendar (1-7月, 19-20年, 3-5日) rather than an amount."""
    if "." in first + second:
        return False
    low, high = int(first), int(second)
    return (unit == "月" and high <= 12) or (unit == "日" and high <= 31) or (unit == "年" and low >= 15)


def short_year(text: str, kind: str) -> Iterator[Finding]:
    for m in SHORT_YEAR.finditer(text):
        yield Finding("zh-year", m.start(), m.end(), f"19{m.group(1)}年", "a year is written with all four digits",
                      f"{STANDARD} 年份")


def zeros(text: str, kind: str) -> Iterator[Finding]:
    """二零一二年 → 二〇一二年 (a number that names, as a year does); 一百〇五 → 一百零五 (a counted number)."""
    for m in CHINESE_YEAR_ZERO.finditer(text):
        if "零" in m.group(0):
            yield Finding("zh-zero", m.start(), m.end(), m.group(0).replace("零", "〇"),
                          "a year in Chinese numerals writes 0 as 〇", f"{STANDARD} 〇和零", safe=True)
    for m in COUNTED_ZERO.finditer(text):
        yield Finding("zh-zero", m.start(), m.end(), "零", "a counted number writes 0 as 零",
                      f"{STANDARD} 〇和零", safe=True)


def mixed_numerals(text: str, kind: str) -> Iterator[Finding]:
    for m in MIXED.finditer(text):
        value = int(m.group(1)) * {"十": 10, "百": 100, "千": 1000}[m.group(2)]
        yield Finding("zh-mixed-numeral", m.start(), m.end(), str(value),
                      "digits and Chinese numerals mixed in one number", f"{STANDARD} 阿拉伯数字的使用")


def approximate(text: str, kind: str) -> Iterator[Finding]:
    """三、四个月 → 三四个月: two neighbouring numbers that give an approximate one take no 顿号."""
    for m in APPROXIMATE.finditer(text):
        first, second = CHINESE_DIGITS.index(m.group(1)), (CHINESE_DIGITS + "十").index(m.group(2))
        if second == first + 1:
            yield Finding("zh-approximate", m.start(), m.end(), m.group(1) + m.group(2),
                          "no 顿号 in an approximate number", f"{STANDARD} 概数")
    for m in APPROXIMATE_DIGITS.finditer(text):
        if int(m.group(2)) == int(m.group(1)) + 1:
            words = CHINESE_DIGITS[int(m.group(1))] + CHINESE_DIGITS[int(m.group(2))]
            yield Finding("zh-approximate", m.start(), m.end(), words,
                          "an approximate number is written in Chinese numerals, without a 顿号", f"{STANDARD} 概数")


def weekday(text: str, kind: str) -> Iterator[Finding]:
    for m in WEEKDAY.finditer(text):
        day = "一二三四五六日"[int(m.group(1)) - 1]
        yield Finding("zh-fixed-numeral", m.start(), m.end(), day, "a fixed expression keeps its Chinese numeral",
                      f"{STANDARD} 已定型的含汉字数字的词语")


RULES = (full_width_alnum, decimal_point, time_colon, range_unit, spans, short_year, zeros, mixed_numerals,
         approximate, weekday)
