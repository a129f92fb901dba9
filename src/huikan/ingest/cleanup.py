"""The catalogue of text repairs for print-extracted articles. Each repair is a small pure function.

Functions that take paragraphs work on `Para` (text + source line); functions on strings are
idempotent: cleaning clean text changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Characters after which a Chinese sentence (and so a paragraph) may end.
SENTENCE_END = set("。！？!?…；;：:.")
CLOSERS = set("”’」』）)》")
CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉「」『』【】—…·"
CJK = f"{HAN}{CJK_PUNCT}"

URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+[A-Za-z0-9/#=_\-]")
ANGLE_URL = re.compile(r"<((?:https?://|www\.)[^<>\s]+)>")
CONTINUATION = re.compile(r"[（(]\s*(?:上接|下转|接上|转下|续)[^（()）]{0,15}[）)]")
CAPTION = re.compile(r"^[●■▲▼◆]\s*(?P<text>.+)$")
CAPTION_MAX = 80
EDITOR_NOTE = re.compile(r"^[【\[]?编者按[】\]]?\s*[:：]?\s*(?P<text>.*)$")
END_MARK = re.compile(r"\s*[①②③④⑤⑥⑦⑧⑨⑩■□◆◇▲△]\s*$")
SIGNATURE_ONLY = re.compile(r"^☞?\s*[（(](?P<name>[^（()）]{2,20})[）)]$")
POINTER_SIGNATURE = re.compile(r"\s*☞\s*[（(](?P<name>[^（()）]{2,20})[）)]\s*$")
RUN_IN = re.compile(r"^(?:[（(][一二三四五六七八九十]{1,3}[）)]|第[一二三四五六七八九十]{1,3}[，、,]|"
                    r"[一二三四五六七八九十]{1,2}是|首先[，,]|其次[，,]|最后[，,])")
RUN_IN_MAX = 40
BULLETS = "●◆■▲☞★☆◎"
SUBTITLE_DASH = re.compile(r"^(?:——|--|—)\s*")
# The authors' unit under their names: （上海市质量协会，上海 200000）.
AFFILIATION = re.compile(r"^[（(][^（）()]{2,80}(协会|学会|大学|学院|公司|集团|研究院|研究所|中心|医院|学校|"
                         r"局|厅|委员会|\d{6})[^（）()]{0,40}[）)]$")


@dataclass
class Para:
    """A paragraph of the source with the line it starts on."""

    text: str
    line: int
    listed: bool = False  # one of two or more list lines that stood together, line under line


def ends_sentence(text: str) -> bool:
    """Whether TEXT ends like a whole sentence (closing quotes and brackets looked through)."""
    core = text.rstrip().rstrip("".join(CLOSERS))
    return bool(core) and core[-1] in SENTENCE_END


def strip_subtitle_dash(text: str) -> str:
    """——从“新”出发 → 从“新”出发: the editions put the dash back."""
    return SUBTITLE_DASH.sub("", text.strip()).strip()


def is_continuation_marker(text: str) -> bool:
    return bool(CONTINUATION.fullmatch(text.strip()))


def strip_continuation_markers(text: str) -> str:
    return CONTINUATION.sub("", text).strip()


def caption_text(text: str) -> str | None:
    """The caption of a missing photo (● 2018年首届进博会…现场), or None."""
    m = CAPTION.match(text.strip())
    if m and len(m.group("text")) <= CAPTION_MAX and not ends_sentence(m.group("text")):
        return m.group("text").strip()
    return None


def joins(first: str, second: str) -> bool:
    """Whether a page or column break cut FIRST from SECOND, so that they are one paragraph."""
    if not first or not second or ends_sentence(first):
        return False
    if first[-1] in "，、" or re.search(f"[{HAN}A-Za-z0-9“‘《（(]$", first):
        return not RUN_IN.match(second) and second[0] not in BULLETS
    return False


def join_texts(first: str, second: str) -> str:
    if first[-1].isascii() and first[-1].isalpha() and second[0].isascii() and second[0].isalpha():
        return first + " " + second
    return first + second


def _is_cjk(ch: str) -> bool:
    return bool(ch) and bool(re.match(f"[{CJK}]", ch))


# 表1 …, 附表2：…: a short paragraph that names the table after it.
TABLE_TITLE = re.compile(r"^附?表\s*[0-9０-９一二三四五六七八九十]+[\s：:．.、]*\S.{0,58}$")
MARK = "\ue010"  # where a link or an emphasis begins or ends, carried through the repairs (clean_marked)


def _neighbour(text, index: int, step: int) -> str:
    """The first character from INDEX in direction STEP that is not a space (or a MARK)."""
    i = index + step
    while 0 <= i < len(text) and text[i] in (" ", MARK):
        i += step
    return text[i] if 0 <= i < len(text) else ""


FULL_WIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}


def _protect(text: str) -> tuple[str, list[str]]:
    """Replace URLs by placeholders so punctuation repairs leave them alone."""
    found: list[str] = []

    def keep(m):
        found.append(m.group(0))
        return f"\ue000{len(found) - 1}\ue001"

    return URL.sub(keep, text), found


def _restore(text: str, found: list[str]) -> str:
    return re.sub("\ue000(\\d+)\ue001", lambda m: found[int(m.group(1))], text)


def full_width_punctuation(text: str) -> str:
    """GB/T 15834: , ; : ! ? ( ) in Chinese context become full-width; numbers, URLs, Latin stay."""
    text, urls = _protect(text)
    text = _full_width_parentheses(text)
    out = list(text)
    for i, ch in enumerate(text):
        if ch not in FULL_WIDTH:
            continue
        # Look back at what is already converted, so a second pass finds nothing left to do.
        before, after = _neighbour(out, i, -1), _neighbour(text, i, 1)
        if ch in ",:" and before.isdigit() and after.isdigit():
            continue  # 1,000 and 1:78
        if _is_cjk(before) or (ch in ",;:" and _is_cjk(after) and not before.isascii()):
            out[i] = FULL_WIDTH[ch]
        elif ch in ",;:" and _is_cjk(after) and before.isdigit():
            out[i] = FULL_WIDTH[ch]  # 2018年4月,市质协 … and 300余个;推选
    text = "".join(out)
    # A full-width mark needs no space around it.
    text = re.sub(r" *([，；：！？（）。、]) *", r"\1", text)
    return _restore(text, urls)


def _full_width_parentheses(text: str) -> str:
    def swap(m):
        inner = m.group(1)
        start, end = m.start(), m.end()
        before = _neighbour(text, start, -1)
        after = _neighbour(text, end - 1, 1)
        if re.search(f"[{HAN}]", inner) or _is_cjk(before) or _is_cjk(after):
            return f"（{inner.strip()}）"
        return m.group(0)

    return re.sub(r"\(([^()（）]*)\)", swap, text)


def remove_spaces_between_han(text: str) -> str:
    """Stray spaces between Han characters, and between Han and digits, left by print extraction."""
    text = re.sub(f"(?<=[{HAN}]) +(?=[{HAN}0-9])|(?<=[0-9]) +(?=[{HAN}])", "", text)
    return re.sub(f"(?<=[{CJK_PUNCT}]) +| +(?=[{CJK_PUNCT}])", "", text)


def clean_text(text: str) -> str:
    """All character-level repairs of a body paragraph."""
    text = re.sub(r"[ \u00a0\u3000]+", " ", text).strip()
    return remove_spaces_between_han(full_width_punctuation(text))


def clean_marked(text: str, bounds: list[int]) -> tuple[str, list[int]]:
    """clean_text(TEXT), and where each of BOUNDS (offsets into TEXT: link and emphasis edges) ends up."""
    order = sorted(set(bounds))
    marked = text
    for at in reversed(order):
        marked = marked[:at] + MARK + marked[at:]
    cleaned = clean_text(marked)
    # A stray space between Han characters goes even where a mark stands beside it.
    cleaned = re.sub(f"(?<=[{HAN}]) +({MARK}+)(?=[{HAN}0-9])|(?<=[{HAN}])({MARK}+) +(?=[{HAN}0-9])",
                     lambda m: m.group(1) or m.group(2), cleaned)
    moved: dict[int, int] = {}
    out: list[str] = []
    for ch in cleaned:
        if ch == MARK:
            moved[order[len(moved)]] = len(out)
        else:
            out.append(ch)
    return "".join(out), [moved[b] for b in bounds]


def split_links(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Find URLs (also in <…>) and return the text without angle brackets plus (start, end, href) spans."""
    text = ANGLE_URL.sub(r"\1", text)
    links = []
    for m in URL.finditer(text):
        href = m.group(0)
        links.append((m.start(), m.end(), href if "://" in href else "http://" + href))
    return text, links


def run_in_head(text: str) -> str:
    """The bold lead-in a paragraph starts with: （一）总体目标。 / 一是…。 / 第一，… — or ''."""
    m = RUN_IN.match(text)
    if not m:
        return ""
    for pattern in (r"^[^。！？]*[。！？]", r"^[^。！？，；]*[，；]"):
        lead = re.match(pattern, text)
        if lead and len(lead.group(0)) <= RUN_IN_MAX and len(lead.group(0)) > len(m.group(0)):
            return lead.group(0)
    return m.group(0)


def normalise_run_in(text: str) -> str:
    """(一) 总体目标 → （一）总体目标."""
    return re.sub(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*", r"（\1）", text)


def take_end_mark(text: str) -> str:
    """Drop an end mark (④, ■) from the last paragraph of an article."""
    return END_MARK.sub("", text)


def take_signature(text: str) -> tuple[str, str]:
    """Split an end signature ☞（钟和） off a paragraph: (text, signature)."""
    m = POINTER_SIGNATURE.search(text)
    if m:
        return text[: m.start()].rstrip(), m.group("name").strip()
    return text, ""


def signature_only(text: str) -> str:
    """A paragraph that is only a signature, （上海市质协秘书处）: its name, or ''."""
    m = SIGNATURE_ONLY.match(text.strip())
    return m.group("name").strip() if m else ""


def editor_note_start(text: str) -> str | None:
    """编者按 on its own (returns '') or 编者按：text (returns the text); None if not an editor's note."""
    m = EDITOR_NOTE.match(text.strip())
    if not m or (m.group("text") and not text.strip().startswith(("编者按：", "编者按:", "【编者按】", "[编者按]"))):
        return None
    return m.group("text")
