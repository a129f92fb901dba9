"""What enrich made of each article, kept between builds: its 摘要, its cut text, its 关键词 and its
search terms.

A rebuild after an edit summarises and cuts only the articles whose text changed. An article's 摘要
depends on its title, its text and the issue's summary length alone; its cut (jieba's tagged tokens,
and the candidate terms the issue's counts are made of) on its title and text. Its 关键词 depend on
its title, text and the keyword count, and on the issue's counts of its own candidate terms: they are
kept with those counts and ranked again when one of them changes (an edit elsewhere that brings or
takes away a term this article has too). Its search terms depend on its title, subtitle, 摘要, 关键词
and text. All depend on jieba's tables, the theme's user dictionary and stop words and huikan's
version too: the cache's context, whose change makes everything anew.

Kept in `$XDG_CACHE_HOME/huikan/enrich/<issue folder>/<context>/`: `summaries`, `keywords`, `search`
and a `cut-<key>` per article; a build removes what it did not use. Safe to delete at any time.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

from huikan import __version__
from huikan.cache import issue_cache, keep_only, read_plain, write_plain
from huikan.enrich.segments import Segmented, Segments
from huikan.enrich.terms import search_terms
from huikan.enrich.tokenizer import cache_file
from huikan.model import Article


def text_key(*parts: object) -> str:
    return hashlib.sha256("\0".join(map(str, parts)).encode()).hexdigest()[:32]


def context(themes: list[Path]) -> str:
    """The key of what every article's results depend on besides its own text."""
    # (the tables' file is named for jieba's version and their format)
    digest = hashlib.sha256(f"huikan {__version__} {cache_file().name}\n".encode())
    for theme in themes:
        for name in ("userdict.txt", "stopwords.txt"):
            path = Path(theme) / name
            digest.update(f"{name}\0".encode())
            digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:32]


class KeptEnrich:
    """The 摘要 and cuts an issue's earlier builds made, for this build to take (and to keep its own)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.summaries: dict[str, str] = _read_dict(folder / "summaries")
        self.used_summaries: dict[str, str] = {}
        self.used_cuts: set[str] = set()
        # key → (the terms whose issue counts the ranking read, those counts, the 关键词)
        self.ranked: dict[str, tuple] = _read_dict(folder / "keywords")
        self.used_ranked: dict[str, tuple] = {}
        self.searched: dict[str, list[str]] = _read_dict(folder / "search")
        self.used_searched: dict[str, list[str]] = {}

    @classmethod
    def for_issue(cls, issue_folder: Path, themes: list[Path]) -> KeptEnrich:
        return cls(issue_cache("enrich", issue_folder, context(themes)))

    def summary(self, title: str, body: str, budget: int) -> str | None:
        key = text_key(title, body, budget)
        found = self.summaries.get(key)
        if found is not None:
            self.used_summaries[key] = found
        return found

    def keep_summary(self, title: str, body: str, budget: int, summary: str) -> None:
        self.used_summaries[text_key(title, body, budget)] = summary

    def cut(self, title: str, body: str) -> tuple[Segments, set[str]] | None:
        """The article's cut and candidate terms, if kept."""
        key = text_key(title, body)
        kept = read_plain(self.folder / f"cut-{key}")
        if not (isinstance(kept, tuple) and len(kept) == 3):
            return None
        self.used_cuts.add(f"cut-{key}")
        title_clauses, body_clauses, terms = kept
        return Segments(Segmented.of_clauses(title_clauses), Segmented.of_clauses(body_clauses)), set(terms)

    def cut_path(self, title: str, body: str) -> Path:
        """Where the article's cut is kept (the helper process writes it there: keep_cut)."""
        return self.folder / f"cut-{text_key(title, body)}"

    def mark_kept(self, path: Path) -> None:
        self.used_cuts.add(path.name)

    def keywords(self, title: str, body: str, count: int, doc_freq: Counter, n_docs: int) -> list[str] | None:
        """The article's 关键词, if kept and the issue's counts of the terms they were ranked by are the same."""
        key = text_key(title, body, count, n_docs)
        found = self.ranked.get(key)
        if not (isinstance(found, tuple) and len(found) == 3):
            return None
        consulted, counts, keywords = found
        if tuple(doc_freq.get(term, 0) for term in consulted) != counts:
            return None
        self.used_ranked[key] = found
        return list(keywords)

    def keep_keywords(self, title: str, body: str, count: int, doc_freq: Counter, n_docs: int,
                      consulted: list[str], keywords: list[str]) -> None:
        counts = tuple(doc_freq.get(term, 0) for term in consulted)
        self.used_ranked[text_key(title, body, count, n_docs)] = (tuple(consulted), counts, list(keywords))

    def search_terms(self, article: Article) -> list[str]:
        """The article's search terms (terms.search_terms), kept or found now."""
        key = text_key(article.title, article.subtitle, article.summary, article.keywords, article.body_text())
        found = self.searched.get(key)
        if not isinstance(found, list):
            found = search_terms(article)
        self.used_searched[key] = found
        return found

    def save(self) -> None:
        """Keep this build's 摘要, 关键词 and search terms; remove the cuts it did not use, and the least
        recently used contexts and issues (cache.keep_only)."""
        write_plain(self.folder / "summaries", self.used_summaries)
        write_plain(self.folder / "keywords", self.used_ranked)
        if self.used_searched:  # (search terms are found after the rest: an enrich without them keeps the old)
            write_plain(self.folder / "search", self.used_searched)
        keep_only(self.folder, {*self.used_cuts, "summaries", "keywords", "search"})


def _read_dict(path: Path) -> dict:
    kept = read_plain(path)
    return kept if isinstance(kept, dict) else {}


def keep_cut(path: Path, segments: Segments, terms: set[str]) -> None:
    """Keep an article's cut and its candidate terms in PATH."""
    write_plain(path, (segments.title.clauses, segments.body.clauses, sorted(terms)))
