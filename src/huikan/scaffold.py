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
title = "刊名"                 # masthead, required
publisher = "主办单位"

[issue]
id = "{id}"                    # folder name under build/ (letters, digits, - and _)
number = "{year}年第1期"
date = {date}
page_size = "A4"               # A4 | B5 | 16K | 大16K | "185x260 mm"

[[sections]]                   # 栏目, in print order
title = "栏目一"
articles = ["01_example.txt"]

# Per-article corrections: title, subtitle, authors, summary, keywords.
# [articles."01_example.txt"]
# title = "文章标题"
"""

EXAMPLE = """\
# 文章标题

## ——副标题

◆作者 / 文

正文第一段。段落之间空一行。

一、小标题

正文第二段。
"""


def create_issue(folder: Path) -> list[Path]:
    folder = Path(folder)
    config = folder / CONFIG_NAME
    if config.exists():
        raise UsageError.single(str(config), 0, "exists", f"{CONFIG_NAME} already exists; nothing was changed")
    folder.mkdir(parents=True, exist_ok=True)
    today_free = dt.date(2000, 1, 1)  # a placeholder the editor replaces; never the clock, for reproducibility
    issue_id = re.sub(r"[^A-Za-z0-9._-]+", "-", folder.resolve().name).strip("-") or "issue"
    config.write_text(ISSUE_TOML.format(id=issue_id, year=today_free.year, date=today_free.isoformat()),
                      encoding="utf-8")
    example = folder / "01_example.txt"
    if not example.exists():
        example.write_text(EXAMPLE, encoding="utf-8")
    (folder / "images").mkdir(exist_ok=True)
    return [config, example, folder / "images"]
