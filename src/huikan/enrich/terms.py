"""Search terms of an article, found with jieba when the issue is built (publish only indexes them)."""

from __future__ import annotations

import re

from huikan.enrich.tokenizer import search_words
from huikan.model import Article

TERM = re.compile(r"[\u3400-\u9fff]{2,}|[A-Za-z0-9]{2,}")


def search_terms(article: Article) -> list[str]:
    """The searchable terms of an article (title, summary, keywords, text): jieba's search-engine
    cut, which also yields the shorter words inside long ones (卓越绩效模式 → 卓越, 绩效, 卓越绩效…)."""
    text = "\n".join([article.title, article.subtitle, article.summary, " ".join(article.keywords),
                      article.body_text()])
    terms = {w.lower() for w in search_words(text) if TERM.fullmatch(w)}
    terms.update(k.lower() for k in article.keywords)
    return sorted(terms)
