"""Enrich a whole issue: issue-wide statistics, then each article's summary, keywords and 导读."""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from huikan.enrich.keywords import candidates, default_stopwords, extract_keywords, read_word_list
from huikan.enrich.segments import Segments
from huikan.enrich.summary import summarize
from huikan.enrich.text import sentences
from huikan.enrich.tokenizer import load as load_tokenizer
from huikan.model import Article, Issue

INTRO_MAX = 60
PARALLEL_CHARS = 40_000  # below this, forking a process costs more than it saves


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


def enrich_issue(issue: Issue, theme_dirs: list[Path], tell: Callable[[tuple], None] | None = None) -> None:
    """Fill summary, keywords and intro of every article that the editor left empty.

    TELL, if given, hears of them as they are made, for a layout that waits for them: first
    `("summaries", {id: (summary, intro)})` for every article, then `("keywords", {id: keywords})` for
    each article in turn.
    """
    load_tokenizer([folder / "userdict.txt" for folder in theme_dirs])
    stopwords = set(default_stopwords())
    for folder in theme_dirs:
        stopwords.update(read_word_list(folder / "stopwords.txt"))
    stops = frozenset(stopwords)
    texts = {a.id: (a.title, a.body_text()) for a in issue.articles}
    wanted = {a.id: texts[a.id] for a in issue.articles if not a.summary}
    told = False

    def take_summaries(made: dict[str, str]) -> None:
        nonlocal told
        for article in issue.articles:
            if not article.summary:
                article.summary = made[article.id]
            if not article.intro:
                article.intro = intro_line(article)
        told = True
        if tell:
            tell(("summaries", {a.id: (a.summary, a.intro) for a in issue.articles}))

    with summaries_alongside(wanted, issue.summary_length) as summaries:
        segments = {}
        for key, (title, body) in texts.items():
            segments[key] = Segments.of(body, title)
            # The 导读 lines are what the 目录's first layout waits for: passed on as soon as they are made.
            if not told and isinstance(summaries, Future) and summaries.done():
                take_summaries(summaries.result())
        if not told:
            take_summaries(summaries.result())
        doc_freq: Counter = Counter()
        for cut in segments.values():
            doc_freq.update(candidates(cut, stops))
        for article in issue.articles:
            if not article.keywords:
                article.keywords = extract_keywords(article.body_text(), issue.keyword_count, title=article.title,
                                                    doc_freq=doc_freq, n_docs=len(texts), stopwords=stops,
                                                    segments=segments[article.id])
            if tell:
                tell(("keywords", {article.id: article.keywords}))


def _summaries(texts: dict[str, tuple[str, str]], budget: int) -> dict[str, str]:
    return {key: summarize(body, budget, title=title) for key, (title, body) in texts.items()}


class _Here:
    """Summaries made in this process, when they are asked for."""

    def __init__(self, texts: dict[str, tuple[str, str]], budget: int):
        self.texts, self.budget = texts, budget

    def result(self) -> dict[str, str]:
        return _summaries(self.texts, self.budget)


@contextmanager
def summaries_alongside(texts: dict[str, tuple[str, str]], budget: int) -> Iterator[_Here | Future]:
    """The summaries of TEXTS (`.result()`), made in a forked process while this one finds the keywords.

    Both are pure Python over jieba, so on two cores this takes a third or more off the stage for a
    long issue. The child inherits jieba's loaded tables, and its summaries are the ones this process
    would make: a short issue, a one-core machine or a system that cannot fork makes them here.
    """
    chars = sum(len(body) for _, body in texts.values())
    if chars < PARALLEL_CHARS or (os.cpu_count() or 1) < 2 or "fork" not in mp.get_all_start_methods():
        yield _Here(texts, budget)
        return
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork")) as pool:
        yield pool.submit(_summaries, texts, budget)
