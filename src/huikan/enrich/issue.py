"""Enrich a whole issue: issue-wide statistics, then each article's summary, keywords and 导读."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from huikan.enrich.keywords import candidates, default_stopwords, extract_keywords, read_word_list
from huikan.enrich.summary import summarize
from huikan.enrich.text import sentences
from huikan.enrich.tokenizer import load as load_tokenizer
from huikan.model import Article, Issue

INTRO_MAX = 60


def article_text(article: Article) -> str:
    return article.title + "\n" + article.body_text()


def intro_line(article: Article) -> str:
    """导读: the first sentence of the summary that fits in INTRO_MAX characters.

    When none fits, the first sentence is cut after its last clause that fits, and marked ……
    """
    parts = sentences(article.summary or article.body_text())
    for sentence in parts:
        if len(sentence) <= INTRO_MAX:
            return sentence
    if not parts:
        return ""
    head = parts[0][: INTRO_MAX - 2]
    cut = max(head.rfind(mark) for mark in "，；：、")
    return (head[:cut] if cut > 0 else head).rstrip("，；：、") + "……"


def enrich_issue(issue: Issue, theme_dirs: list[Path]) -> None:
    """Fill summary, keywords and intro of every article that the editor left empty."""
    load_tokenizer([folder / "userdict.txt" for folder in theme_dirs])
    stopwords = set(default_stopwords())
    for folder in theme_dirs:
        stopwords.update(read_word_list(folder / "stopwords.txt"))
    stops = frozenset(stopwords)
    texts = {a.id: article_text(a) for a in issue.articles}
    doc_freq: Counter = Counter()
    for text in texts.values():
        doc_freq.update(candidates(text, stops))
    for article in issue.articles:
        if not article.summary:
            article.summary = summarize(texts[article.id], issue.summary_length)
        if not article.keywords:
            article.keywords = extract_keywords(texts[article.id], issue.keyword_count, doc_freq=doc_freq,
                                                n_docs=len(texts), stopwords=stops)
        if not article.intro:
            article.intro = intro_line(article)
