"""Two proofs' models (issue.json) compared as an editor does 核红: the articles added, removed, moved to
another 栏目 or put in another order, and in each article every text that changed — title, 摘要, 关键词,
a paragraph, a caption, a table's row, a note — as a redline, character by character for Chinese and
word by word for Latin text, with the source file and line it came from."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

COMPUTED = "（自动）"  # a 摘要, 关键词 or 导读 huikan made: it changes when the text (or the issue's) does
TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.'’\-][A-Za-z0-9]+)*|\s+|.", re.S)


@dataclass(frozen=True)
class Unit:
    """One text of an article: what it is, its text, and the source line it came from."""

    kind: str
    text: str
    line: int


@dataclass
class Change:
    """A text of an article that changed: OLD and NEW (one of them "" when added or removed), and the
    redline as segments ("=", "-", "+", text)."""

    article: str
    source: str
    kind: str
    line: int  # in the new source (the old one for a text removed)
    old: str
    new: str
    segments: list[tuple[str, str]]
    old_page: int | None = None
    new_page: int | None = None

    def spans(self, kind: str) -> list[tuple[int, int]]:
        """Where the characters added ("+", in NEW) or taken out ("-", in OLD) stand: (start, end) spans."""
        spans, at = [], 0
        for op, text in self.segments:
            if op == kind:
                spans.append((at, at + len(text)))
            if op != {"+": "-", "-": "+"}[kind]:
                at += len(text)
        return spans


@dataclass
class Changes:
    added: list[dict] = field(default_factory=list)  # articles: id, title, source, section
    removed: list[dict] = field(default_factory=list)
    moved: list[dict] = field(default_factory=list)  # id, title, source, old section, new section
    reordered: list[dict] = field(default_factory=list)  # id, title, source, old position, new position
    texts: list[Change] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.moved or self.reordered or self.texts)

    def edited(self) -> list[Change]:
        """The changes someone made, without the 摘要, 关键词 and 导读 huikan made again after them."""
        return [c for c in self.texts if not c.kind.endswith(COMPUTED)]


def units(article: dict) -> list[Unit]:
    """An article (issue.json) as the texts an editor reads, in order."""
    line = article.get("line", 0)
    made = set(article.get("computed", []))  # computed from the text: they change with it, said as such
    found = [Unit("标题", article.get("title", ""), line)]
    for kind, key in (("副标题", "subtitle"), ("摘要", "summary"), ("导读", "intro")):
        if article.get(key):
            found.append(Unit(kind + (COMPUTED if key in made else ""), article[key], line))
    if article.get("authors"):
        found.append(Unit("作者", "　".join(article["authors"]), line))
    if article.get("keywords"):
        found.append(Unit("关键词" + (COMPUTED if "keywords" in made else ""), "；".join(article["keywords"]), line))
    for block in article.get("blocks", []):
        kind = {"heading": "小标题", "caption": "图题", "table": "表题", "list_item": "列表",
                "quote": "引文", "editor_note": "编者按"}.get(block["type"], "段落")
        if block["type"] != "table" or block.get("text"):
            found.append(Unit(kind, block.get("text", ""), block.get("line", 0)))
        for row in block.get("rows", []):
            found.append(Unit("表格", "｜".join(cell["text"] for cell in row), block.get("line", 0)))
        for note in block.get("notes", []):
            found.append(Unit("注释", note["text"], block.get("line", 0)))
    return found


def redline(old: str, new: str) -> list[tuple[str, str]]:
    """OLD → NEW as segments: Chinese character by character, Latin text and numbers word by word."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(("+", "".join(b[j1:j2])))
    return segments


def compare(old_model: dict, new_model: dict) -> Changes:
    """What changed from OLD_MODEL to NEW_MODEL (each an issue.json)."""
    changes = Changes()
    old = {a["id"]: a for a in old_model["articles"]}
    new = {a["id"]: a for a in new_model["articles"]}
    for article in new_model["articles"]:
        if article["id"] not in old:
            changes.added.append(_named(article))
    for article in old_model["articles"]:
        if article["id"] not in new:
            changes.removed.append(_named(article))
    kept_old = [i for i in old if i in new]
    kept_new = [i for i in new if i in old]
    in_order = _longest_common(kept_old, kept_new)
    for position, article_id in enumerate(kept_new):
        before, after = old[article_id], new[article_id]
        if before.get("section", "") != after.get("section", ""):
            changes.moved.append({**_named(after), "from": before.get("section", ""), "to": after.get("section", "")})
        elif article_id not in in_order:
            changes.reordered.append({**_named(after), "from": kept_old.index(article_id) + 1, "to": position + 1})
        changes.texts += _text_changes(before, after)
    return changes


def _named(article: dict) -> dict:
    return {"id": article["id"], "title": article.get("title", ""), "source": article.get("source", ""),
            "section": article.get("section", "")}


def _longest_common(a: list[str], b: list[str]) -> set[str]:
    """The articles that kept their order: the longest common run of the two orders."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return {a[block.a + k] for block in matcher.get_matching_blocks() for k in range(block.size)}


def _text_changes(before: dict, after: dict) -> list[Change]:
    old, new = units(before), units(after)
    found: list[Change] = []
    matcher = difflib.SequenceMatcher(None, [u.text for u in old], [u.text for u in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        gone, came = old[i1:i2], new[j1:j2]
        pairs = _pairs(gone, came)
        paired_new = {j for _, j in pairs.items()}
        for i, was in enumerate(gone):
            if i in pairs:
                found.append(_change(after, was, came[pairs[i]]))
            else:
                found.append(_change(after, was, Unit(was.kind, "", was.line), removed=True))
        found += [_change(after, Unit(now.kind, "", now.line), now) for j, now in enumerate(came)
                  if j not in paired_new]
    return sorted(found, key=lambda c: (c.line, c.kind))


def _pairs(gone: list[Unit], came: list[Unit]) -> dict[int, int]:
    """Which old text became which new one: as many on both sides, each with the one in its place if of the
    same kind; otherwise the same kind, in order, and alike (else removed and added)."""
    if len(gone) == len(came):
        return {i: i for i in range(len(gone)) if gone[i].kind == came[i].kind}
    pairs: dict[int, int] = {}
    start = 0
    for i, was in enumerate(gone):
        for j in range(start, len(came)):
            alike = difflib.SequenceMatcher(None, was.text, came[j].text, autojunk=False).quick_ratio()
            if came[j].kind == was.kind and alike >= 0.5:
                pairs[i] = j
                start = j + 1
                break
    return pairs


def _change(article: dict, was: Unit, now: Unit, removed: bool = False) -> Change:
    return Change(article["id"], article.get("source", ""), now.kind, was.line if removed else now.line,
                  was.text, now.text, redline(was.text, now.text))
