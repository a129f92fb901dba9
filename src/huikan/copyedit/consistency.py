"""One issue, one way: a thing the issue writes two ways (2,000 and 2000, “” and 「」, % and ％, a term in
simplified and traditional characters) is reported once, at the rarer way's first place, with every place."""

from __future__ import annotations

import re
from collections import defaultdict

from huikan.copyedit.findings import shielded
from huikan.copyedit.places import Place
from huikan.diagnostics import Diagnostic

UNIT = "元|人|家|个|件|次|吨|名|项|台|套|户|份|所|位|篇|条|米|字|辆|册|天"
GROUPED = re.compile(rf"(?<![\d.,])\d{{1,3}}(?:,\d{{3}})+(?![\d.,])(?=\s?(?:{UNIT}|万|亿))")
PLAIN = re.compile(rf"(?<![\d.,])[1-9]\d{{3,}}(?![\d.,])(?=\s?(?:{UNIT}))")
FORMS = {  # what is written two ways → (the ways, each a pattern)
    "number grouping": (("2,000", GROUPED), ("2000", PLAIN)),
    "quotation marks": (("“”", re.compile("[“”]")), ("「」", re.compile("[「」]"))),
    "the percent sign": (("%", re.compile("(?<=\\d)%")), ("％", re.compile("(?<=\\d)％"))),
}
MAX_PLACES = 6  # places named in the message, then a count


class Consistency:
    def __init__(self):
        self.seen: dict[str, dict[str, list[tuple[str, int, str]]]] = defaultdict(lambda: defaultdict(list))

    def read(self, place: Place) -> None:
        text = shielded(place.text)
        for what, ways in FORMS.items():
            for name, pattern in ways:
                for m in pattern.finditer(text):
                    self.seen[what][name].append((place.path, place.line, place.text[m.start():m.end()]))

    def findings(self) -> list[Diagnostic]:
        out = []
        for what, ways in self.seen.items():
            if len(ways) < 2:
                continue
            rare = min(ways, key=lambda name: len(ways[name]))
            path, line, _ = ways[rare][0]
            said = "; ".join(f"{name} at {_places(ways[name])}" for name in ways)
            out.append(Diagnostic("warning", path, line, "zh-consistency",
                                  f"{what} written two ways in this issue: {said}; choose one"))
        return out


def _places(found: list[tuple[str, int, str]]) -> str:
    named = [f"{path.rsplit('/', 1)[-1]}:{line}" for path, line, _ in found[:MAX_PLACES]]
    more = f" and {len(found) - MAX_PLACES} more" if len(found) > MAX_PLACES else ""
    return ", ".join(dict.fromkeys(named)) + more
