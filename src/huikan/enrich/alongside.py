"""Enrich in a forked process while the build reads the issue, imports WeasyPrint and lays out the PDF.

Loading jieba's tables (about 0.6 s) and importing WeasyPrint (about 0.7 s) are both pure Python work
that holds the GIL, so a thread cannot overlap them; a child process forked before WeasyPrint is
imported can. The child is forked as the build begins and loads jieba while the build reads and
copy-edits the issue; then it is given the issue and enriches it, telling what it has made as it goes
(every 摘要 and 导读 first, which the 目录's first layout needs, then each article's 关键词), so that
the PDF's parts are laid out as soon as their own articles are done, and at the end it sends each
article's search terms. What comes back is small, and it is what the build would have made itself.
Where fork is not available, or on one core, the work is done here when it is first waited for.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from huikan.beside import Beside, ChildFailed
from huikan.model import Article, Issue

__all__ = ["Alongside", "ChildFailed", "Enriched", "enrich_here"]


@dataclass
class Enriched:
    """What enrich sends last: each article's search terms, by id, and how long it took."""

    terms: dict[str, list[str]]
    seconds: dict[str, float] = field(default_factory=dict)  # "tokenizer", "enrich"


def enrich_here(issue: Issue, themes: list[Path], tell: Callable[[tuple], None] | None = None,
                folder: Path | None = None) -> Enriched:
    """Load jieba, enrich ISSUE in place (telling TELL of it as it goes) and find its search terms. FOLDER:
    the issue's, whose earlier builds' 摘要 and cuts are taken (enrich/kept.py), and this one's kept."""
    return enrich_given(lambda: issue, themes, tell, folder)


def enrich_given(receive: Callable[[], Issue], themes: list[Path], tell: Callable[[tuple], None] | None = None,
                 folder: Path | None = None) -> Enriched:
    """`enrich_here` of the issue RECEIVE() returns, asked for once jieba is loaded."""
    from huikan.enrich.issue import enrich_issue
    from huikan.enrich.kept import KeptEnrich
    from huikan.enrich.terms import search_terms
    from huikan.enrich.tokenizer import load as load_tokenizer

    mark = time.perf_counter()
    load_tokenizer([theme / "userdict.txt" for theme in themes])
    seconds = {"tokenizer": time.perf_counter() - mark}
    kept = KeptEnrich.for_issue(folder, themes) if folder is not None else None
    issue = receive()
    mark = time.perf_counter()
    enrich_issue(issue, themes, tell, kept)
    seconds["enrich"] = time.perf_counter() - mark
    if kept is None:
        return Enriched({a.id: search_terms(a) for a in issue.articles}, seconds)
    terms = {a.id: kept.search_terms(a) for a in issue.articles}
    kept.save()
    return Enriched(terms, seconds)


class Alongside:
    """Enrich started now, jieba loading while the issue is read; `enrich(issue)` hands it the issue, whose
    results are put into it as they come, while the build waits for what it needs: `intros()`,
    `articles(ids)`, and at the end `result()`."""

    def __init__(self, themes: list[Path], folder: Path | None = None):
        self.by_id: dict[str, Article] = {}
        self.summarised = False
        self.keyworded: set[str] = set()
        self.waited = 0.0  # seconds the build spent waiting
        # Not a daemon (Beside's processes are not): a long issue's enrich forks one of its own for the summaries.
        self.beside: Beside[Enriched] = Beside(lambda tell, receive: enrich_given(receive, themes, tell, folder),
                                              news=self._take, given=True)

    def enrich(self, issue: Issue) -> None:
        """Enrich ISSUE, as read and copy-edited."""
        self.by_id = {article.id: article for article in issue.articles}
        for article in issue.articles:  # (the child marks its own copy; the model written here needs it too)
            article.mark_computed()
        self.beside.give(issue)

    def _take(self, news: object) -> None:
        assert isinstance(news, tuple)
        kind, values = news
        if kind == "summaries":
            for key, (summary, intro) in values.items():
                self.by_id[key].summary, self.by_id[key].intro = summary, intro
            self.summarised = True
        else:
            for key, keywords in values.items():
                self.by_id[key].keywords = keywords
                self.keyworded.add(key)

    @property
    def complete(self) -> bool:
        """Every article has its 摘要, 导读 and 关键词 (the search terms may still be on their way)."""
        return self.summarised and len(self.keyworded) == len(self.by_id)

    def _wait(self, enough: Callable[[], bool]) -> None:
        mark = time.perf_counter()
        self.beside.listen(enough)
        self.waited += time.perf_counter() - mark

    def intros(self) -> None:
        """Wait until every article has its 摘要 and 导读."""
        self._wait(lambda: self.summarised)

    def articles(self, ids: Collection[str]) -> None:
        """Wait until the articles IDS have their 摘要, 导读 and 关键词."""
        self._wait(lambda: self.summarised and self.keyworded.issuperset(ids))

    def result(self) -> Enriched:
        mark = time.perf_counter()
        outcome = self.beside.result()
        self.waited += time.perf_counter() - mark
        return outcome

    def cancel(self) -> None:
        """Stop the child of a build that failed before it asked for the result."""
        self.beside.cancel()
