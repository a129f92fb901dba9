"""`huikan new`: an issue folder an editor can start from."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from huikan.config import CONFIG_NAME
from huikan.diagnostics import UsageError

ISSUE_TOML = """\
# 本期设置 — issue settings. Lines starting with # are comments.
[publication]
title = "{title}"                 # masthead, required
publisher = "{publisher}"

[issue]
id = "{id}"                    # folder name under build/ (letters, digits, - and _)
number = "{year}年第1期"
date = {date}
page_size = "A4"               # A4 | B5 | 16K | 大16K | "185x260 mm"
{formats}
[[sections]]                   # 栏目, in print order
title = "栏目一"
articles = ["01_example.txt"]

# Per-article corrections: title, subtitle, authors, summary, keywords.
# [articles."01_example.txt"]
# title = "文章标题"

# For the print shop (see the README, "Sending it to the printer").
# [print]
# pdf_variant = "pdf/x-4"      # or "pdf/x-1a" for an older workflow
# marks = ["crop", "cross"]    # crop marks and registration crosses
# bleed = 3                    # mm beyond the trim
# booklet = "A3"               # also print two pages up for the office printer

# 封二, 封三, 封底: "colophon", "blank", a picture ("images/ad.jpg") or a Markdown file.
# [covers]
# inside_front = "colophon"
# back = "images/back.jpg"

# 版权信息, in the order written; keys in quotes.
# [colophon]
# "主办" = "主办单位"
# "编辑" = "编辑部"
# "地址" = ""
# "电话" = ""
# "准印证号" = ""
# "编委会" = {{ "主任" = "某某", "委员" = ["某某", "某某"] }}
"""

EXAMPLE = """\
# 文章标题

## ——副标题

◆作者 / 文

正文第一段。段落之间空一行。

一、小标题

正文第二段。
"""


def _toml(text: str) -> str:
    """TEXT inside a TOML basic string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def create_issue(folder: Path, title: str = "刊名", publisher: str = "主办单位",
                 formats: tuple[str, ...] | None = None) -> list[Path]:
    """FOLDER as a new issue: issue.toml (the journal's TITLE and PUBLISHER, and the FORMATS a build makes)
    and an example article."""
    folder = Path(folder)
    config = folder / CONFIG_NAME
    if config.exists():
        raise UsageError.single(str(config), 0, "exists", f"{CONFIG_NAME} already exists; nothing was changed")
    folder.mkdir(parents=True, exist_ok=True)
    today_free = dt.date(2000, 1, 1)  # a placeholder the editor replaces; never the clock, for reproducibility
    issue_id = re.sub(r"[^A-Za-z0-9._-]+", "-", folder.resolve().name).strip("-") or "issue"
    listed = f"formats = [{', '.join(f'{chr(34)}{f}{chr(34)}' for f in formats)}]\n" if formats else ""
    config.write_text(ISSUE_TOML.format(id=issue_id, year=today_free.year, date=today_free.isoformat(),
                                        title=_toml(title), publisher=_toml(publisher), formats=listed),
                      encoding="utf-8")
    example = folder / "01_example.txt"
    if not example.exists():
        example.write_text(EXAMPLE, encoding="utf-8")
    (folder / "images").mkdir(exist_ok=True)
    return [config, example, folder / "images"]
