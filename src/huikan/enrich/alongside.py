"""Enrich in a forked process while the build imports WeasyPrint and prepares the outputs.

Loading jieba's tables (about 0.8 s) and importing WeasyPrint (about 0.7 s) are both pure Python work
that holds the GIL, so a thread cannot overlap them; a child process forked before WeasyPrint is
imported can. The child loads jieba, enriches the issue and finds each article's search terms; what
comes back is small (per article a 摘要, 关键词, 导读 and the terms), and it is the same as the build
would have made itself. Where fork is not available, or on one core, the work is done here when
`result()` is asked for.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from huikan.beside import Beside, ChildFailed
from huikan.model import Issue

__all__ = ["Alongside", "ChildFailed", "Enriched", "enrich_here"]


@dataclass
class Enriched:
    """What enrich adds to the issue, by article id, and how long it took."""

    fields: dict[str, tuple[str, list[str], str]]  # summary, keywords, intro
    terms: dict[str, list[str]]
    seconds: dict[str, float] = field(default_factory=dict)  # "tokenizer", "enrich"

    def apply(self, issue: Issue) -> None:
        for article in issue.articles:
            article.summary, article.keywords, article.intro = self.fields[article.id]


def enrich_here(issue: Issue, themes: list[Path]) -> Enriched:
    """Load jieba, enrich ISSUE in place and find its search terms."""
    from huikan.enrich.issue import enrich_issue
    from huikan.enrich.terms import search_terms
    from huikan.enrich.tokenizer import load as load_tokenizer

    mark = time.perf_counter()
    load_tokenizer([theme / "userdict.txt" for theme in themes])
    loaded = time.perf_counter()
    enrich_issue(issue, themes)
    done = time.perf_counter()
    return Enriched({a.id: (a.summary, a.keywords, a.intro) for a in issue.articles},
                    {a.id: search_terms(a) for a in issue.articles},
                    {"tokenizer": loaded - mark, "enrich": done - loaded})


class Alongside:
    """Enrich started now; `result()` waits for it and applies it to the issue."""

    def __init__(self, issue: Issue, themes: list[Path]):
        self.issue = issue
        # Not a daemon (Beside's processes are not): a long issue's enrich forks one of its own for the summaries.
        self.beside: Beside[Enriched] = Beside(lambda: enrich_here(issue, themes))

    def result(self) -> Enriched:
        outcome = self.beside.result()
        outcome.apply(self.issue)  # (done here already when there was no fork: the same values again)
        return outcome

    def cancel(self) -> None:
        """Stop the child of a build that failed before it asked for the result."""
        self.beside.cancel()
