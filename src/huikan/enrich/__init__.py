"""Enrich: summaries (摘要), keywords (关键词) and 导读 lines, computed with jieba.

Public API, stable::

    from huikan.enrich import summarize, extract_keywords
    summarize(text, budget=150) -> str
    extract_keywords(text, k=5) -> list[str]

`text` may begin with the title on its own first line. The build uses the same functions.
"""

from __future__ import annotations

from huikan.enrich.issue import enrich_issue
from huikan.enrich.keywords import extract_keywords
from huikan.enrich.summary import summarize

__all__ = ["enrich_issue", "extract_keywords", "summarize"]
