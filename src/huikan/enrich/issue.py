"""Enrich a whole issue: issue-wide statistics, then each article's summary, keywords and 导读."""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from huikan.enrich.kept import KeptEnrich, keep_cut
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


def enrich_issue(issue: Issue, theme_dirs: list[Path], tell: Callable[[tuple], None] | None = None,
                 kept: KeptEnrich | None = None) -> None:
    """Fill summary, keywords and intro of every article that the editor left empty.

    TELL, if given, hears of them as they are made, for a layout that waits for them: first
    `("summaries", {id: (summary, intro)})` for every article, then `("keywords", {id: keywords})` for
    each article in turn. KEPT: the 摘要 and cuts of an earlier build are taken, this build's kept.
    """
    for article in issue.articles:
        article.mark_computed()
    load_tokenizer([folder / "userdict.txt" for folder in theme_dirs])
    stopwords = set(default_stopwords())
    for folder in theme_dirs:
        stopwords.update(read_word_list(folder / "stopwords.txt"))
    stops = frozenset(stopwords)
    texts = {a.id: (a.title, a.body_text()) for a in issue.articles}
    budget = issue.summary_length
    kept_summaries = {} if kept is None else \
        {a.id: made for a in issue.articles if not a.summary and (made := kept.summary(*texts[a.id], budget))}
    wanted = {a.id: texts[a.id] for a in issue.articles if not a.summary and a.id not in kept_summaries}
    told = False

    def take_summaries(made: dict[str, str]) -> None:
        nonlocal told
        if kept is not None:
            for key, summary in made.items():
                kept.keep_summary(*texts[key], budget, summary)
        made = {**kept_summaries, **made}
        for article in issue.articles:
            if not article.summary:
                article.summary = made[article.id]
            if not article.intro:
                article.intro = intro_line(article)
        told = True
        if tell:
            tell(("summaries", {a.id: (a.summary, a.intro) for a in issue.articles}))

    segments: dict[str, Segments] = {}
    terms: dict[str, set[str]] = {}
    for key, (title, body) in texts.items():
        cut = kept.cut(title, body) if kept is not None else None
        if cut is not None:
            segments[key], terms[key] = cut
    uncut = {key: text for key, text in texts.items() if key not in segments}
    if not wanted:  # every 摘要 kept: the 目录's first layout need not wait for the cutting
        take_summaries({})
    with helper(sum(len(body) for _, body in uncut.values())) as pool:
        summaries = pool.submit(_summaries, wanted, budget)
        # Once its summaries are made, the helper cuts articles from the last one back while this process
        # cuts from the first on; where they meet, what the helper has not begun is cut here. Each
        # process then finds the keywords of the articles it cut.
        theirs = {key: pool.submit(_cut, key, title, body, stops, kept.cut_path(title, body) if kept else None)
                  for key, (title, body) in reversed(uncut.items())} if isinstance(pool, ProcessPoolExecutor) else {}
        for key, (title, body) in uncut.items():
            job = theirs.get(key)
            if job is None or job.cancel():
                segments[key] = Segments.of(body, title)
                terms[key] = candidates(segments[key], stops)
                if kept is not None:
                    keep_cut(kept.cut_path(title, body), segments[key], terms[key])
            else:
                terms[key] = job.result()
            if kept is not None:
                kept.mark_kept(kept.cut_path(title, body))
            # The 导读 lines are what the 目录's first layout waits for: passed on as soon as they are made.
            if not told and summaries.done():
                take_summaries(summaries.result())
        if not told:
            take_summaries(summaries.result())
        doc_freq: Counter = Counter()
        for found in terms.values():
            doc_freq.update(found)
        asked = (issue.keyword_count, doc_freq, len(texts), stops)
        helped = pool.submit(_keywords_kept, {a.id: texts[a.id] for a in issue.articles
                                              if a.id not in segments and not a.keywords}, *asked)
        for article in issue.articles:
            if not article.keywords:
                title, body = texts[article.id]
                ranked = kept.keywords(title, body, *asked[:3]) if kept is not None else None
                if ranked is None:
                    ranked, consulted = (_keywords(title, body, segments[article.id], *asked)
                                         if article.id in segments else helped.result()[article.id])
                    if kept is not None:
                        kept.keep_keywords(title, body, *asked[:3], consulted, ranked)
                article.keywords = ranked
            if tell:
                tell(("keywords", {article.id: article.keywords}))
    if kept is not None:
        kept.save()


def _summaries(texts: dict[str, tuple[str, str]], budget: int) -> dict[str, str]:
    return {key: summarize(body, budget, title=title) for key, (title, body) in texts.items()}


_kept: dict[str, Segments] = {}  # in the helper process: the articles it cut, for their keywords


def _cut(key: str, title: str, body: str, stops: frozenset[str], keep_to: Path | None) -> set[str]:
    """In the helper: cut an article and keep it (in KEEP_TO too, for later builds); its candidate terms
    are for the issue's counts."""
    segments = _kept[key] = Segments.of(body, title)
    terms = candidates(segments, stops)
    if keep_to is not None:
        keep_cut(keep_to, segments, terms)
    return terms


def _keywords(title: str, body: str, segments: Segments, count: int, doc_freq: Counter, n_docs: int,
              stops: frozenset[str]) -> tuple[list[str], list[str]]:
    """The article's 关键词, and the terms whose issue counts they were ranked by."""
    consulted: list[str] = []
    keywords = extract_keywords(body, count, title=title, doc_freq=doc_freq, n_docs=n_docs, stopwords=stops,
                                segments=segments, consulted=consulted)
    return keywords, consulted


def _keywords_kept(texts: dict[str, tuple[str, str]], *asked) -> dict[str, tuple[list[str], list[str]]]:
    """In the helper: the keywords of the articles it cut."""
    return {key: _keywords(title, body, _kept.pop(key), *asked) for key, (title, body) in texts.items()}


class _Later(Future):
    """A call made in this process when its result is asked for."""

    def __init__(self, fn: Callable, *args):
        super().__init__()
        self.call = fn, args

    def result(self, timeout: float | None = None):
        if not self.done():
            fn, args = self.call
            self.set_result(fn(*args))
        return super().result()


class _Here:
    """The helper's work done in this process, when its results are asked for."""

    def submit(self, fn: Callable, *args) -> Future:
        return _Later(fn, *args)


@contextmanager
def helper(chars: int) -> Iterator[_Here | ProcessPoolExecutor]:
    """A forked process for the summaries, then for the last articles' cutting and keywords.

    All of it is pure Python over jieba, so on two cores this takes a third or more off the stage for a
    long issue. The child inherits jieba's loaded tables, and what it makes is what this process
    would make: a short issue, a one-core machine or a system that cannot fork makes it all here.
    """
    if chars < PARALLEL_CHARS or (os.cpu_count() or 1) < 2 or "fork" not in mp.get_all_start_methods():
        yield _Here()
        return
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork")) as pool:
        yield pool
