"""Enrich again after an edit, as the preview does: only the articles whose text changed.

An article whose title, text and given 摘要/关键词 are unchanged keeps what was made for it; a changed
one is enriched as `enrich_issue` would, against the issue's current word counts. The keywords of the
unchanged articles are not ranked again against the new counts: in the preview, the full build that
follows makes them all afresh, so what is shown first may differ from the final edition in a word.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from huikan.enrich.issue import intro_line
from huikan.enrich.keywords import candidates, default_stopwords, extract_keywords, read_word_list
from huikan.enrich.segments import Segments
from huikan.enrich.summary import summarize
from huikan.enrich.terms import search_terms
from huikan.enrich.tokenizer import load as load_tokenizer
from huikan.model import Article, Issue

Made = tuple[str, list[str], str, list[str]]  # summary, keywords, intro, search terms


class Incremental:
    """Enriches issue after issue in one process, remembering each article's results by its text."""

    def __init__(self, themes: list[Path]):
        self.themes = themes
        self.cut: dict[tuple[str, str, frozenset[str]], tuple[Segments, set[str]]] = {}
        self.made: dict[tuple, Made] = {}
        self.enriched = 0  # articles enriched by the last call (the others were remembered)

    def enrich(self, issue: Issue) -> dict[str, list[str]]:
        """Fill ISSUE's 摘要, 关键词 and 导读 as the build does; return each article's search terms."""
        for article in issue.articles:
            article.mark_computed()
        load_tokenizer([folder / "userdict.txt" for folder in self.themes])
        stopwords = set(default_stopwords())
        for folder in self.themes:
            stopwords.update(read_word_list(folder / "stopwords.txt"))
        stops = frozenset(stopwords)
        cuts = {a.id: self._cut(a, stops) for a in issue.articles}
        used = {(a.title, a.body_text(), stops) for a in issue.articles}
        self.cut = {key: cut for key, cut in self.cut.items() if key in used}  # forget the texts edited away
        doc_freq: Counter = Counter()
        for _, found in cuts.values():
            doc_freq.update(found)
        wanted = {a.id: self._key(a, issue, stops) for a in issue.articles}
        self.made = {key: made for key, made in self.made.items() if key in set(wanted.values())}
        self.enriched = 0
        terms = {}
        for article in issue.articles:
            key = wanted[article.id]
            if key not in self.made:
                self.made[key] = self._enrich(article, issue, cuts[article.id][0], doc_freq, stops)
                self.enriched += 1
            article.summary, article.keywords, article.intro, terms[article.id] = self.made[key]
            article.keywords = list(article.keywords)
        return terms

    def _cut(self, article: Article, stops: frozenset[str]) -> tuple[Segments, set[str]]:
        key = (article.title, article.body_text(), stops)
        if key not in self.cut:
            segments = Segments.of(key[1], article.title)
            self.cut[key] = (segments, candidates(segments, stops))
        return self.cut[key]

    @staticmethod
    def _key(article: Article, issue: Issue, stops: frozenset[str]) -> tuple:
        return (article.title, article.subtitle, article.body_text(), article.summary, tuple(article.keywords),
                article.intro, issue.summary_length, issue.keyword_count, stops)

    @staticmethod
    def _enrich(article: Article, issue: Issue, segments: Segments, doc_freq: Counter,
                stops: frozenset[str]) -> Made:
        n_docs = len(issue.articles)
        if not article.keywords:
            article.keywords = extract_keywords(article.body_text(), issue.keyword_count, title=article.title,
                                                doc_freq=doc_freq, n_docs=n_docs, stopwords=stops,
                                                segments=segments)
        if not article.summary:
            article.summary = summarize(article.body_text(), issue.summary_length, title=article.title)
        if not article.intro:
            article.intro = intro_line(article)
        return article.summary, list(article.keywords), article.intro, search_terms(article)
