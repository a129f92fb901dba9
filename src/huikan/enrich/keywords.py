"""Keywords an author would list: noun phrases weighted by TF-IDF, fragments merged away."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from huikan.enrich.text import split_title
from huikan.enrich.tokenizer import background_idf, tagged

NOUN_TAGS = {"n", "nr", "nrt", "ns", "nt", "nz", "nw", "vn", "eng", "l", "j", "an"}
HEAD_TAGS = {"n", "nr", "nrt", "ns", "nt", "nz", "nw", "vn", "eng", "j"}
MAX_PHRASE_CHARS = 8
TITLE_WEIGHT = 2.0


@lru_cache(maxsize=1)
def default_stopwords() -> frozenset[str]:
    from huikan.theme import default_theme_dir

    return frozenset(read_word_list(default_theme_dir() / "stopwords.txt"))


def read_word_list(path: Path) -> list[str]:
    if not path.is_file():
        return []
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.append(word)
    return words


def candidates(text: str, stopwords: frozenset[str]) -> Counter:
    """Count nouns and runs of adjacent nouns (质量/管理/小组 → 质量管理小组)."""
    counts: Counter = Counter()
    for chunk in re.split(r"[，。；：！？、“”《》（）(),;:!?\s]+", text):
        if not chunk:
            continue
        tokens = tagged(chunk)
        run: list[str] = []
        for word, flag in tokens + [("", "x")]:
            noun = flag in NOUN_TAGS and word not in stopwords and len(word) >= 1
            if noun and not re.fullmatch(r"[\d.%]+", word):
                run.append(word)
                if len(word) >= 2:
                    counts[word] += 1
                continue
            for size in (2, 3):
                for i in range(len(run) - size + 1):
                    phrase = "".join(run[i:i + size])
                    if len(phrase) <= MAX_PHRASE_CHARS:
                        counts[phrase] += 1
            run = []
    return Counter({w: c for w, c in counts.items() if w not in stopwords and len(w) >= 2})


def weight(word: str, count: int, idf: dict[str, float], median: float, total: int) -> float:
    background = idf.get(word, median * 1.1 if len(word) >= 4 else median)
    return (count / max(total, 1)) * background * (1 + 0.15 * min(len(word), 6))


def extract_keywords(text: str, k: int = 5, *, doc_freq: Counter | None = None, n_docs: int = 0,
                     stopwords: frozenset[str] | None = None) -> list[str]:
    """The K keywords of TEXT (the title, if any, on the first line), best first.

    DOC_FREQ/N_DOCS are document frequencies over the issue (or archive): a word found in
    most documents (质量 in a quality journal) is no one's keyword.
    """
    stops = default_stopwords() if stopwords is None else stopwords
    title, body = split_title(text)
    counts = candidates(body, stops)
    for word, count in candidates(title, stops).items():
        counts[word] += count * TITLE_WEIGHT
    idf, median = background_idf()
    total = sum(counts.values())
    scores = {}
    for word, count in counts.items():
        score = weight(word, count, idf, median, total)
        if doc_freq is not None and n_docs >= 3:
            df = doc_freq.get(word, 0)
            if df >= n_docs * 0.8:
                continue
            score *= math.log((n_docs + 1) / (df + 1)) + 1
        scores[word] = score
    ranked = sorted(scores, key=lambda w: (-scores[w], w))
    chosen: list[str] = []
    for word in ranked:
        if any(word in c or c in word for c in chosen):
            # Prefer the longer of two overlapping terms when it is nearly as strong (市质协 over 质协).
            for i, c in enumerate(chosen):
                if word in c:
                    break
                if c in word and scores[word] >= 0.5 * scores[c]:
                    chosen[i] = word
                    break
            continue
        chosen.append(word)
        if len(chosen) == k:
            break
    return chosen[:k]
