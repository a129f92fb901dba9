"""Extractive summaries: whole sentences central to the article, in article order."""

from __future__ import annotations

from collections import Counter

from huikan.enrich.text import is_informative, sentences, split_title
from huikan.enrich.tokenizer import words

REDUNDANCY = 0.6


def _terms(sentence: str) -> Counter:
    return Counter(w for w in words(sentence) if len(w) >= 2 and not w.isdigit())


def _overlap(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    shared = sum((a & b).values())
    return shared / min(sum(a.values()), sum(b.values()))


def summarize(text: str, budget: int = 150) -> str:
    """About BUDGET characters of whole sentences from TEXT, in their original order."""
    title, body = split_title(text)
    candidates = [s for s in sentences(body) if is_informative(s)]
    if not candidates:
        return ""
    term_sets = [_terms(s) for s in candidates]
    document = Counter()
    for terms in term_sets:
        document.update(set(terms))
    title_terms = _terms(title)
    scores = []
    n = len(candidates)
    for i, terms in enumerate(term_sets):
        centrality = sum(document[t] for t in terms) / (len(terms) + 4) / n if terms else 0.0
        to_title = _overlap(terms, title_terms) if title_terms else 0.0
        position = 1.0 - i / (n + 1)
        scores.append(centrality + 0.5 * to_title + 0.15 * position)
    order = sorted(range(n), key=lambda i: (-scores[i], i))
    picked: list[int] = []
    length = 0
    for i in order:
        size = len(candidates[i])
        if length + size > budget * 1.15 and picked:
            continue
        if size > budget * 1.5:
            continue
        if any(_overlap(term_sets[i], term_sets[j]) > REDUNDANCY for j in picked):
            continue
        picked.append(i)
        length += size
        if length >= budget * 0.85:
            break
    if not picked:
        picked = [min(range(n), key=lambda i: len(candidates[i]))]
    return "".join(candidates[i] for i in sorted(picked))
