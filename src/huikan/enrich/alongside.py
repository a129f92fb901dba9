"""Enrich in a forked process while the build imports WeasyPrint and prepares the outputs.

Loading jieba's tables (about 0.8 s) and importing WeasyPrint (about 0.7 s) are both pure Python work
that holds the GIL, so a thread cannot overlap them; a child process forked before WeasyPrint is
imported can. The child loads jieba, enriches the issue and finds each article's search terms; what
comes back is small (per article a 摘要, 关键词, 导读 and the terms), and it is the same as the build
would have made itself. Where fork is not available, or on one core, the work is done here when
`result()` is asked for.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from huikan.model import Issue


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


class ChildFailed(RuntimeError):
    """The forked enrich died, or raised an exception that could not be sent back: the stage's fault."""


class Alongside:
    """Enrich started now; `result()` waits for it and applies it to the issue."""

    def __init__(self, issue: Issue, themes: list[Path]):
        self.issue, self.themes = issue, themes
        self.process = None
        if (os.cpu_count() or 1) >= 2 and "fork" in mp.get_all_start_methods():
            context = mp.get_context("fork")
            self.receiver, sender = context.Pipe(duplex=False)
            # Not a daemon: a long issue's enrich forks a process of its own for the summaries.
            self.process = context.Process(target=_child, args=(sender, issue, themes))
            self.process.start()
            sender.close()

    def result(self) -> Enriched:
        if self.process is None:
            return enrich_here(self.issue, self.themes)
        try:
            outcome = self.receiver.recv()
        except EOFError:  # it died without a word: killed, or out of memory
            outcome = None
        except BaseException:  # stopped while waiting (Ctrl-C, SIGTERM): its work is not wanted
            self.cancel()
            raise
        finally:
            self.process.join()
            self.receiver.close()
        if outcome is None:
            raise ChildFailed(f"the enrich process ended with status {self.process.exitcode}")
        if isinstance(outcome, BaseException):
            raise outcome
        outcome.apply(self.issue)
        return outcome

    def cancel(self) -> None:
        """Stop the child of a build that failed before it asked for the result."""
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()


def _child(sender, issue: Issue, themes: list[Path]) -> None:
    try:
        sender.send(enrich_here(issue, themes))
    except BaseException as exc:  # all of it goes back to the build, which reports it as its own
        if os.environ.get("HUIKAN_DEBUG"):
            traceback.print_exc()
        try:
            sender.send(exc)
        except Exception:  # an exception that does not pickle
            sender.send(ChildFailed(f"{type(exc).__name__}: {exc}"))
    finally:
        sender.close()
