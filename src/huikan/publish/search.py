"""Search without a server: jieba terms per article at build time, one index for the archive."""

from __future__ import annotations

import re

from huikan.model import Article

TERM = re.compile(r"[\u3400-\u9fff]{2,}|[A-Za-z0-9]{2,}")


def article_terms(article: Article) -> list[str]:
    """The searchable terms of an article (title, summary, keywords, text): jieba's search-engine
    cut, which also yields the shorter words inside long ones (卓越绩效模式 → 卓越, 绩效, 卓越绩效…)."""
    from huikan.enrich.tokenizer import search_words

    text = "\n".join([article.title, article.subtitle, article.summary, " ".join(article.keywords),
                      article.body_text()])
    terms = {w.lower() for w in search_words(text) if TERM.fullmatch(w)}
    terms.update(k.lower() for k in article.keywords)
    return sorted(terms)


def build_index(issues: list[tuple[dict, dict[str, list[str]], str]]) -> dict:
    """One index for the archive: ISSUES are (issue.json model, its terms, its URL folder).

    {"docs": [[title, url, issue number], …], "terms": {term: [doc, …]}}
    """
    docs: list[list[str]] = []
    terms: dict[str, list[int]] = {}
    for model, issue_terms, folder in issues:
        for article in model["articles"]:
            number = len(docs)
            docs.append([article["title"], f"{folder}/{article['id']}.html", model["issue"]["number"]])
            for term in issue_terms.get(article["id"], []):
                terms.setdefault(term, []).append(number)
    return {"docs": docs, "terms": dict(sorted(terms.items()))}
