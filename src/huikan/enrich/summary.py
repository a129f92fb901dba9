"""Extractive summaries: whole sentences central to the article, in article order.

Sentences are ranked by TextRank centrality (PageRank over the TF-IDF cosine similarity of their
words, jieba's IDF as background) and closeness to the title. Sentences dense with figures read as
data rather than as a summary and shorter sentences carry more per character, so both are weighed.
The best sentences that fit the budget are taken, skipping any that repeat one already taken.

A sentence out of its paragraph is trimmed the way a copy editor would: an aside in brackets
（以下简称…, 同比+2.7pct） and a connective that leans on the sentence before (此外，同时，因此，) are
dropped (sentence compression as in Zajic et al. 2007, "Multi-candidate reduction").
"""

from __future__ import annotations

import math
import re
from collections import Counter

from huikan.enrich.text import is_informative, sentences, split_title
from huikan.enrich.tokenizer import background_idf, words

OVERRUN = 1.3  # the summary may run this far past its budget to end on a whole sentence
REPEAT = 0.5  # cosine similarity above which a sentence says again what a chosen one said
LENGTH_POWER = 0.5  # a sentence's score is divided by its length to this power: shorter ones say more per character
SAME_PARAGRAPH = 0.8  # how alike two sentences of one paragraph count, for the summary's coverage
POOL = 40  # sentences the choice is made among, the best by score
MMR = 0.5  # weight of a sentence's own score against its likeness to the sentences already chosen
FIGURES = 0.9  # weight against the square root of the share of digits in a sentence
TITLE = 0.5  # weight of the similarity to the title
DAMPING = 0.85
ROUNDS = 30  # at most; PageRank usually settles well before
CONVERGED = 1e-6  # no score moves more than this in a round
WINDOW = 80  # sentences either side that a sentence is compared with
FIGURE = re.compile(r"[\d.%％]")
ENDED = re.compile(r"[。！？!?…][”’」』）)]*$")
# 二是…, 其次…, （三）…: an item of a list means little without the sentence that opened it.
ENUMERATED = re.compile(r"^(?:[一二三四五六七八九十]+是|[一二三四五六七八九十]+[、.．]"
                        r"|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．)）]|第[一二三四五六七八九十]+[，、,]|首先|其次|再次|最后)")
# A byline or a dateline (作者：…, 记者 …, 本报讯 …): who wrote it and when, not what it says.
BYLINE = re.compile(r"^[（(【\[]?\s*(?:本(?:报|刊|网|台)讯|(?:作者|记者|通讯员|撰稿|供稿|摄影|文|图)\s*[:：/／\s])")
TERM = re.compile(r"[\W\d_a-zA-Z.%]+")
ASIDE = re.compile(r"\s*[（(][^（）()]{1,40}[)）]")
# Connectives that point back at the sentence before, which a summary may not hold.
LEAN_BACK = re.compile(r"^(?:此外|另外|同时|与此同时|其中|因此|所以|而且|并且|另一方面|对此|综上|总体来看|整体来看|"
                       r"总体而言|整体而言|总的来说|值得注意的是)[，,]\s*")


def _vector(sentence: str, idf: dict[str, float], median: float) -> dict[str, float]:
    """The sentence's TF-IDF vector, of unit length, so that a dot product is the cosine."""
    counts = Counter(w for w in words(sentence) if len(w) >= 2 and not TERM.fullmatch(w))
    vector = {w: c * idf.get(w, median) for w, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {w: v / norm for w, v in vector.items()} if norm else {}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(a[w] * b[w] for w in a.keys() & b.keys())


def _centrality(neighbours: list[dict[int, float]]) -> list[float]:
    """PageRank over the sentence graph; NEIGHBOURS[i] maps j to the similarity of i and j (j ≠ i)."""
    n = len(neighbours)
    out_weight = [sum(row.values()) or 1.0 for row in neighbours]
    # Each sentence's incoming links with their weights already divided by the sender's out-weight.
    links = [[(j, weight / out_weight[j]) for j, weight in row.items()] for row in neighbours]
    score = [1.0] * n
    for _ in range(ROUNDS):
        previous = score
        score = [(1 - DAMPING) + DAMPING * sum(weight * score[j] for j, weight in row) for row in links]
        if max(abs(a - b) for a, b in zip(score, previous, strict=True)) < CONVERGED:
            break
    top = max(score)
    return [s / top for s in score]


def _is_heading(line: str) -> bool:
    return len(line) <= 40 and not ENDED.search(line)


def _core(text: str) -> str:
    return re.sub(r"\W", "", text)


def candidate_sentences(body: str, title: str = "") -> list[tuple[int, str]]:
    """The sentences a summary may use, each with the number of its paragraph: not headings, captions or
    dates, not the title again, a byline or a dateline, long enough to say something."""
    out: list[tuple[int, str]] = []
    for n, line in enumerate(body.split("\n")):
        line = line.strip()
        if not line or _is_heading(line):
            continue
        out.extend((n, s) for s in sentences(line)
                   if ENDED.search(s) and not ENUMERATED.match(s) and not BYLINE.match(s) and is_informative(s)
                   and not (title and _core(s) == _core(title)))
    return out


def trimmed(sentence: str) -> str:
    """SENTENCE without its bracketed asides and a leading connective that leans on what came before."""
    return LEAN_BACK.sub("", ASIDE.sub("", sentence)).strip() or sentence


def summarize(text: str, budget: int = 150, *, title: str | None = None) -> str:
    """About BUDGET characters of whole sentences from TEXT, in their original order.

    TEXT may begin with the title on its own first line, or TITLE gives it and TEXT is the body; the
    title is not part of the summary.
    """
    title, body = split_title(text, title)
    found = candidate_sentences(body, title)
    if not found:
        return ""
    paragraphs = [n for n, _ in found]
    parts = [trimmed(sentence) for _, sentence in found]
    idf, median = background_idf()
    vectors = [_vector(s, idf, median) for s in parts]
    n = len(parts)
    # Sentences are linked to those within WINDOW of them: every pair in an article of up to WINDOW + 1
    # sentences, and linear time in a long report or compilation, where distant parts are about other things.
    neighbours: list[dict[int, float]] = [{} for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, min(n, i + WINDOW + 1)):
            weight = _cosine(vectors[i], vectors[j])
            if weight:
                neighbours[i][j] = neighbours[j][i] = weight
    central = _centrality(neighbours)
    title_vector = _vector(title, idf, median) if title else {}
    scores = []
    for i, sentence in enumerate(parts):
        figures = math.sqrt(len(FIGURE.findall(sentence)) / len(sentence))
        value = central[i] + TITLE * _cosine(vectors[i], title_vector) - FIGURES * figures
        scores.append(max(value, 1e-6) / len(sentence) ** LENGTH_POWER)
    chosen = _select(parts, paragraphs, vectors, scores, budget * OVERRUN)
    if not chosen:  # every sentence is longer than the budget: the best one alone
        chosen = [max(range(n), key=lambda i: scores[i])]
    return "".join(parts[i] for i in sorted(chosen))


def _select(parts: list[str], paragraphs: list[int], vectors: list[dict[str, float]], scores: list[float],
            limit: float) -> list[int]:
    """Sentences by maximal marginal relevance (Carbonell & Goldstein 1998): each step takes the one whose
    score, less its likeness to those already taken, is highest, while they fit in LIMIT characters;
    never one that says again what a taken one said (REPEAT). A sentence of a paragraph already drawn
    from counts as SAME_PARAGRAPH alike, so that the summary covers the article's parts."""
    top = max(scores) or 1.0
    value = [v / top for v in scores]
    chosen: list[int] = []
    length = 0
    # Only the best POOL sentences are weighed against each other: a summary holds a few, and this keeps
    # the choice linear in a long report.
    left = set(sorted(range(len(parts)), key=lambda i: (-scores[i], i))[:POOL])
    likeness = dict.fromkeys(left, 0.0)  # each one's likeness to the most alike sentence taken so far
    while left:
        best = max(left, key=lambda i: (MMR * value[i] - (1 - MMR) * likeness[i], -i))
        left.discard(best)
        if length + len(parts[best]) > limit:
            continue
        if any(_cosine(vectors[best], vectors[j]) > REPEAT for j in chosen):
            continue
        chosen.append(best)
        length += len(parts[best])
        for i in left:
            likeness[i] = max(likeness[i], _cosine(vectors[i], vectors[best]),
                              SAME_PARAGRAPH * (paragraphs[i] == paragraphs[best]))
    return chosen
