"""Enrich a whole issue: issue-wide statistics, then each article's summary, keywords and 导读."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from huikan.enrich.keywords import candidates, default_stopwords, extract_keywords, read_word_list
from huikan.enrich.summary import summarize
from huikan.enrich.text import sentences
from huikan.enrich.tokenizer import load_user_dict
from huikan.model import Article, Issue

SUMMARY_BUDGET = 150
KEYWORDS = 5
INTRO_MAX = 60


def article_text(article: Article) -> str:
    return article.title + "\n" + article.body_text()


def intro_line(article: Article) -> str:
    """导读: the summary's first sentence, or its start, in at most INTRO_MAX characters."""
    source = article.summary or article.body_text()
    first = next(iter(sentences(source)), "")
    if len(first) <= INTRO_MAX:
        return first
    return first[: INTRO_MAX - 1] + "…"


def enrich_issue(issue: Issue, theme_dirs: list[Path]) -> None:
    """Fill summary, keywords and intro of every article that the editor left empty."""
    stopwords = set(default_stopwords())
    for folder in theme_dirs:
        load_user_dict(folder / "userdict.txt")
        stopwords.update(read_word_list(folder / "stopwords.txt"))
    stops = frozenset(stopwords)
    texts = {a.id: article_text(a) for a in issue.articles}
    doc_freq: Counter = Counter()
    for text in texts.values():
        doc_freq.update(set(candidates(text, stops)))
    for article in issue.articles:
        if not article.summary:
            article.summary = summarize(texts[article.id], SUMMARY_BUDGET)
        if not article.keywords:
            article.keywords = extract_keywords(texts[article.id], KEYWORDS, doc_freq=doc_freq,
                                                n_docs=len(texts), stopwords=stops)
        if not article.intro:
            article.intro = intro_line(article)
