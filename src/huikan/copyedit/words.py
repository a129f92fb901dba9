"""Words a copy editor corrects: a character typed twice (的的), look-alike typos (己经), and traditional
characters in simplified text (简繁混用). The lists are theme files (templates/copyedit/), which an issue
extends with its own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from huikan.copyedit.findings import Finding

# Function words that are not doubled in running text unless a word says so (repeats.txt: 的的确确, 为了了解).
# Most characters double at a word boundary as a matter of course (协会会长, 现在在做): they are not checked.
FUNCTION = "的了与及被把"
DOUBLED = re.compile(f"([{FUNCTION}])\\1")


@dataclass(frozen=True)
class WordLists:
    typos: dict[str, str]  # wrong → right
    repeats: tuple[str, ...]  # words with a doubled character on purpose
    traditional: dict[str, str]  # traditional → simplified
    typo_pattern: re.Pattern[str] | None
    traditional_pattern: re.Pattern[str] | None


def load_lists(themes: list[Path]) -> WordLists:
    """The default theme's lists with the issue's own added (THEMES: the issue's folder first)."""
    typos: dict[str, str] = {}
    repeats: list[str] = []
    traditional: dict[str, str] = {}
    for folder in reversed(themes):  # the default first, so that an issue's own entry wins
        for line in _lines(folder / "copyedit" / "typos.txt"):
            parts = line.split()
            if len(parts) == 2 and parts[0] != parts[1]:
                typos[parts[0]] = parts[1]
        repeats += _lines(folder / "copyedit" / "repeats.txt")
        for line in _lines(folder / "copyedit" / "traditional.txt"):
            if len(line) == 2:
                traditional[line[0]] = line[1]
    by_length = sorted(typos, key=len, reverse=True)
    return WordLists(typos, tuple(repeats), traditional,
                     re.compile("|".join(map(re.escape, by_length))) if typos else None,
                     re.compile(f"[{''.join(traditional)}]") if traditional else None)


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def doubled(text: str, lists: WordLists) -> Iterator[Finding]:
    for m in DOUBLED.finditer(text):
        around = text[max(0, m.start() - 3):m.end() + 3]
        if any(word in around and _covers(text, m, word) for word in lists.repeats):
            continue
        yield Finding("zh-doubled-char", m.start(), m.end(), m.group(1), f"{m.group(1)} typed twice")


def _covers(text: str, m: re.Match, word: str) -> bool:
    """Whether an occurrence of WORD in TEXT spans the doubled pair M."""
    start = text.find(word, max(0, m.start() - len(word)))
    while 0 <= start <= m.start():
        if start + len(word) >= m.end():
            return True
        start = text.find(word, start + 1)
    return False


def typos(text: str, lists: WordLists) -> Iterator[Finding]:
    if lists.typo_pattern is None:
        return
    for m in lists.typo_pattern.finditer(text):
        yield Finding("zh-typo", m.start(), m.end(), lists.typos[m.group(0)], "a look-alike typo (错别字)")


def traditional(text: str, lists: WordLists) -> Iterator[Finding]:
    """Traditional characters in simplified text, a run at a time (卓越績效 → 卓越绩效)."""
    if lists.traditional_pattern is None:
        return
    hits = list(lists.traditional_pattern.finditer(text))
    if not hits or len(hits) * 2 > len(re.findall("[\u4e00-\u9fff]", text)):
        return  # a text mostly in traditional characters is a quotation or a name, not a slip
    start = hits[0].start()
    for hit, following in zip(hits, [*hits[1:], None], strict=True):
        if following is not None and following.start() <= hit.end() + 1:
            continue
        end = hit.end()
        right = "".join(lists.traditional.get(c, c) for c in text[start:end])
        yield Finding("zh-traditional", start, end, right, "traditional characters in simplified text (简繁混用)")
        if following is not None:
            start = following.start()
