"""Keywords an author would list: whole terms, ranked by how much the text is about them.

Candidates are runs of up to six jieba tokens that begin and end on a content word (单纯/收缩期/
高血压, 经济/增长) and hold no function word, adverb, locative or stop word, no unit, period code or
lowercase abbreviation (pct, Q2; an acronym in capitals such as SEM may stand); the default
stopwords.txt adds report phrasing (同比, 分别) and clause-opening verbs (宣布, 实现). Strings of the
title that the text repeats as units are candidates too, where jieba cuts them wrongly (title_strings).
A candidate's frequency counts every occurrence of its string that starts and ends on token
boundaries; the C-value correction (Frantzi et al. 2000) then subtracts what its longer candidates
account for, so a fragment that only ever occurs inside a longer term (光耀 in 俞光耀, 质协 in 市质协)
scores nothing, while a term used on its own as well keeps its own weight. The score weighs that
frequency by the words' background IDF squared, the term's length, the title and the first
occurrence's place.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from huikan.enrich.segments import RUN_CHARS, Segmented, Segments
from huikan.enrich.text import split_title
from huikan.enrich.tokenizer import background_idf, dictionary_tag, tagged

# jieba part-of-speech tags (ICTCLAS set).
EDGE_TAGS = {"n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "nw", "ng", "vn", "eng", "l", "j", "i", "t", "s", "v"}
# Prepositions, conjunctions, pronouns, particles and punctuation: the tags jieba rarely gets wrong.
FUNCTION_TAGS = {"x", "w", "p", "c", "r", "u", "uj", "ul", "uz", "ug", "uv", "ud", "y", "e", "o"}
START_TAGS = {"a", "b"}  # 大/角度/机动, 显性/遗传: a modifier may open a term, never close it
# Adverbs, prepositions, conjunctions, pronouns, particles and locatives never stand in a term.
BREAK_TAGS = {"x", "w", "p", "c", "r", "u", "uj", "ul", "uz", "ug", "uv", "ud", "y", "e", "o", "zg", "d", "f"}
MAX_TOKENS = 6
MAX_CHARS = RUN_CHARS
TITLE_WEIGHT = 4  # an occurrence in the title counts as four in the body
TITLE_BONUS = 2.0  # and a term of the title is worth twice as much
MERGE = 0.5  # a longer term replaces a chosen part once it has half the part's uses in the body
SPECIFICITY_POWER = 2  # the background IDF squared: a rare word counts for much more than a common one
LONG_CHARS = 5  # beyond this, each further character costs a quarter of the weight
NUMBER = re.compile(r"[\d.%％]+")
LATIN = re.compile(r"[A-Za-z]+")
PERIOD = re.compile(r"(?:[QH]\d{1,2}|\d[QH]\d{0,2})")  # report shorthand for a quarter or a half: Q3, 1H, H22


@lru_cache(maxsize=65536)
def _latin_ok(word: str) -> bool:
    """A Latin word may be a term if it is an acronym (SEM, EBITDA) or a name (Lyapunov); not a unit or
    report shorthand (pct, yoy, YoY, bps, cm, MPa), a period code (Q3, H1) or a chemical symbol alone."""
    if PERIOD.fullmatch(word):
        return False
    return all((run.isupper() and len(run) >= 2) or (run[0].isupper() and len(run) >= 4) for run in LATIN.findall(word))


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


@dataclass
class Candidate:
    tokens: tuple[str, ...]
    first: int  # index of the clause it first occurs in
    frequency: float = 0.0
    longer: list[str] = field(default_factory=list)


def _modifier_phrase(word: str) -> bool:
    """A phrase the dictionary keeps as one word, opening with an adverb or adjective (深刻印象, 重要作用)."""
    return len(word) >= 4 and dictionary_tag(word[:2]) in ("a", "ad", "d")


def _edge(word: str, flag: str) -> bool:
    # A one-character verb is a light verb (要, 做, 有), never the end of a term.
    return flag in EDGE_TAGS and not (flag == "v" and len(word) < 2)


def _spans(tokens: list[tuple[str, str]], stopwords: frozenset[str]):
    # What each token may be, judged once: a run of up to MAX_TOKENS asks of each token up to six times.
    breaks = [flag in BREAK_TAGS or word in stopwords or bool(NUMBER.fullmatch(word)) or not _latin_ok(word)
              for word, flag in tokens]
    edges = [_edge(word, flag) for word, flag in tokens]
    words = tuple(word for word, _ in tokens)
    for i, (word, flag) in enumerate(tokens):
        if not (edges[i] or flag in START_TAGS) or word in stopwords or not _latin_ok(word):
            continue
        if flag == "v" and i and tokens[i - 1][1] == "d":
            continue  # 不/忘初心: a verb after an adverb is a predicate
        for j in range(i + 1, min(len(tokens), i + MAX_TOKENS) + 1):
            if breaks[j - 1]:
                break
            if not edges[j - 1]:
                continue
            # A verb alone is an action, not a term; inside a term it is fine (经济增长).
            if j - i == 1 and (tokens[i][1] == "v" or _modifier_phrase(tokens[i][0])):
                continue
            yield words[i:j]


def _first_clauses(seg: Segmented, stopwords: frozenset[str]) -> dict[str, tuple[tuple[str, ...], int]]:
    """Each candidate term of SEG with its tokens and the clause it first occurs in, found once per text:
    the issue's counts and the article's keywords both ask."""
    cached = seg.cache.get(stopwords)
    if cached is None:
        cached = {}
        for index, tokens in enumerate(seg.clauses):
            for span in _spans(tokens, stopwords):
                term = "".join(span)
                if 2 <= len(term) <= MAX_CHARS and term not in stopwords and term not in cached:
                    cached[term] = (span, index)
        seg.cache[stopwords] = cached
    return cached


def candidate_terms(seg: Segmented, stopwords: frozenset[str], start: int = 0) -> dict[str, Candidate]:
    return {term: Candidate(span, start + index) for term, (span, index) in _first_clauses(seg, stopwords).items()}


def candidates(segments: Segments, stopwords: frozenset[str]) -> set[str]:
    """The candidate terms of an article, for issue-wide document frequencies."""
    return _first_clauses(segments.body, stopwords).keys() | _first_clauses(segments.title, stopwords).keys()


FUNCTION_CHARS = frozenset("的了着之与和及或并对在从向为以其于把被将等中内后上下里间时")
HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def title_strings(title: str, body: str, stopwords: frozenset[str]) -> dict[str, int]:
    """Strings of the title that the body repeats as a unit, with their count in the body.

    jieba cuts rare terms wrongly (现收现付制 as 现/收现/付制), so the title's Chinese runs are also read as
    strings: one that the body uses at least twice, seen there after two or more different characters
    (or at a clause's edge) and before two or more — its accessor variety (Feng et al. 2004) — is a unit
    of the text, not a piece of a longer one. It may not begin or end with a function character.
    """
    found: dict[str, int] = {}
    for run in HAN_RUN.findall(title):
        for i in range(len(run)):
            if run[i] in FUNCTION_CHARS:
                continue
            for j in range(i + 2, min(len(run), i + RUN_CHARS) + 1):
                string = run[i:j]
                if string[-1] in FUNCTION_CHARS or string in stopwords:
                    continue
                at = [m.start() for m in re.finditer(re.escape(string), body)]
                if len(at) < 2:
                    break  # a longer string is rarer still
                left = {body[k - 1] if k and "\u4e00" <= body[k - 1] <= "\u9fff" else "" for k in at}
                right = {body[k + len(string)] if k + len(string) < len(body)
                         and "\u4e00" <= body[k + len(string)] <= "\u9fff" else "" for k in at}
                if (len(left) >= 2 and len(right) >= 2) or ("" in left and "" in right):
                    found[string] = len(at)
    return found


def _string_term(tokens: list[tuple[str, str]]) -> bool:
    """Whether a title string, cut into TOKENS, may be a term. jieba may cut and tag it wrongly inside,
    so only what is sure is judged: no function word at its edges, no unit or code, not a set phrase
    opening with an adverb or adjective. (A verb alone may stand: authors list 分割, 吸收 from a title.)"""
    (first, first_tag), (_, last_tag) = tokens[0], tokens[-1]
    if first_tag in FUNCTION_TAGS or last_tag in FUNCTION_TAGS or not all(_latin_ok(w) for w, _ in tokens):
        return False
    return not (len(tokens) == 1 and _modifier_phrase(first))


def _substrings(term: str) -> set[str]:
    return {term[i:j] for i in range(len(term)) for j in range(i + 2, len(term) + 1)} - {term}


def _length_weight(term: str) -> float:
    n = len(term)
    return math.log2(1 + n) * 0.75 ** max(0, n - LONG_CHARS)


def _overlap(a: str, b: str) -> bool:
    """Whether A and B run into each other by two or more characters (质量强市示范 / 示范城市创建)."""
    return any(a.endswith(b[:n]) or b.endswith(a[:n]) for n in range(2, min(len(a), len(b))))


def extract_keywords(text: str, k: int = 5, *, title: str | None = None, doc_freq: Counter | None = None,
                     n_docs: int = 0, stopwords: frozenset[str] | None = None,
                     segments: Segments | None = None, consulted: list[str] | None = None) -> list[str]:
    """The K keywords of TEXT (the title, if any, on its own first line, or given as TITLE), best first.

    DOC_FREQ/N_DOCS count the documents of the issue (or archive) that have each candidate: a term
    found in most of them (质量 in a quality journal) is no one's keyword, and rarer ones weigh more.
    SEGMENTS is TEXT already cut (`Segments.of(text)`), when the caller has it. CONSULTED, if given, gets
    the terms whose counts in DOC_FREQ the ranking may read: with the same counts of these, the same
    keywords (the enrich cache keeps them so).
    """
    stops = default_stopwords() if stopwords is None else stopwords
    segments = segments or Segments.of(text, title)
    body_seg, title_seg = segments.body, segments.title
    terms = candidate_terms(body_seg, stops)
    n_clauses = max(1, len(body_seg.clauses))
    for term, cand in candidate_terms(title_seg, stops, start=n_clauses).items():
        terms.setdefault(term, cand)
    in_body = body_seg.counts(terms.keys())
    in_title = title_seg.counts(terms.keys())
    title_text, body_text = split_title(text, title)
    for string, count in title_strings(title_text, body_text, stops).items():
        tokens = tagged(string)
        if string not in terms and _string_term(tokens):
            terms[string] = Candidate(tuple(w for w, _ in tokens), n_clauses)
            in_body[string], in_title[string] = count, 1
    for term, cand in terms.items():
        cand.frequency = in_body[term] + TITLE_WEIGHT * in_title[term]
    for longer in terms:
        for part in _substrings(longer):
            if part in terms:
                terms[part].longer.append(longer)
    if consulted is not None:
        consulted.extend(sorted(terms))
    idf, median = background_idf()
    scores: dict[str, float] = {}
    for term, cand in terms.items():
        own = cand.frequency
        if cand.longer:
            own -= sum(terms[t].frequency for t in cand.longer) / len(cand.longer)
        if own <= 0:
            continue
        specificity = max(idf.get(w, median) for w in cand.tokens) ** SPECIFICITY_POWER
        score = own * specificity * _length_weight(term)
        if in_title[term]:
            score *= TITLE_BONUS
        if cand.first < n_clauses:  # earlier in the body, more central
            score *= 2 - cand.first / n_clauses
        if doc_freq is not None and n_docs >= 3:
            df = doc_freq.get(term, 0)
            if df >= max(3, n_docs * 0.8):
                continue
            score *= math.log((n_docs + 1) / (df + 1)) + 1
        scores[term] = score
    chosen: list[str] = []
    for term in sorted(scores, key=lambda t: (-scores[t], t)):
        if any(term in c or _overlap(term, c) for c in chosen):
            continue  # a part of a keyword already chosen adds nothing
        parts = [i for i, c in enumerate(chosen) if c in term]
        if parts:
            # A longer term takes the place of the chosen ones it contains only where it is how they
            # are used (质量强市 → 质量强市示范城市); otherwise it would only repeat them.
            if all(in_body[term] >= max(2, MERGE * in_body[chosen[i]]) for i in parts):
                chosen[parts[0]] = term
                chosen = [c for i, c in enumerate(chosen) if i not in parts[1:]]
            continue
        chosen.append(term)
        if len(chosen) == k:
            break
    return chosen
