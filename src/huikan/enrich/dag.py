"""jieba's word graph and best route through it, with the same results in about half the time.

Every cut (plain and tagged) first builds the graph of the dictionary words that start at each
character (`get_DAG`), then the most probable route through it (`calc`). jieba looks each fragment up
twice and builds the route from a generator per character; these do one lookup and a plain loop,
with the same arithmetic in the same order, so the routes are the same to the last bit. `install()`
puts them in place of `jieba.Tokenizer`'s (jieba 0.42, pinned in pyproject.toml).
"""

from __future__ import annotations

from collections.abc import Callable
from math import log

replaced: dict[str, Callable] = {}  # jieba's own, kept for the test that compares the two


def get_dag(self, sentence: str) -> dict[int, list[int]]:
    """For each index k, the ends i of the dictionary words sentence[k:i + 1] (k itself if none)."""
    self.check_initialized()
    freq = self.FREQ.get
    dag: dict[int, list[int]] = {}
    n = len(sentence)
    for k in range(n):
        ends = []
        i = k
        while i < n:
            count = freq(sentence[k:i + 1])
            if count is None:  # not even a prefix of a word: no longer word starts here
                break
            if count:
                ends.append(i)
            i += 1
        dag[k] = ends or [k]
    return dag


def calc(self, sentence: str, dag: dict[int, list[int]], route: dict) -> None:
    """ROUTE[k]: the log probability of the best cut of sentence[k:] and the end of its first word."""
    n = len(sentence)
    route[n] = (0, 0)
    logtotal = log(self.total)
    freq = self.FREQ.get
    for k in range(n - 1, -1, -1):
        best = None
        for x in dag[k]:
            step = (log(freq(sentence[k:x + 1]) or 1) - logtotal + route[x + 1][0], x)
            if best is None or step > best:
                best = step
        route[k] = best


def install() -> None:
    import jieba

    if not replaced:
        replaced.update(get_DAG=jieba.Tokenizer.get_DAG, calc=jieba.Tokenizer.calc)
    jieba.Tokenizer.get_DAG = get_dag
    jieba.Tokenizer.calc = calc
