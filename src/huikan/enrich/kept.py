"""What enrich made of each article, kept between builds: its 摘要 and its cut text.

A rebuild after an edit summarises and cuts only the articles whose text changed. An article's 摘要
depends on its title, its text and the issue's summary length alone; its cut (jieba's tagged tokens,
and the candidate terms the issue's counts are made of) on its title and text. Both depend on jieba's
tables, the theme's user dictionary and stop words and huikan's version too: the cache's context,
whose change makes everything anew. The 关键词 are ranked in every build, against the issue's counts,
from the kept cuts: one article's edit changes the counts of all.

Kept in `$XDG_CACHE_HOME/huikan/enrich/<issue folder>/<context>/`: `summaries` and a `cut-<key>` per
article; a build removes what it did not use. Safe to delete at any time.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from huikan import __version__
from huikan.cache import issue_cache, keep_only, read_plain, write_plain
from huikan.enrich.segments import Segmented, Segments
from huikan.enrich.tokenizer import cache_file


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
        kept = read_plain(folder / "summaries")
        self.summaries: dict[str, str] = kept if isinstance(kept, dict) else {}
        self.used_summaries: dict[str, str] = {}
        self.used_cuts: set[str] = set()

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

    def save(self) -> None:
        """Keep this build's 摘要; remove the cuts it did not use, and the least recently used contexts and
        issues (cache.keep_only)."""
        write_plain(self.folder / "summaries", self.used_summaries)
        keep_only(self.folder, {*self.used_cuts, "summaries"})


def keep_cut(path: Path, segments: Segments, terms: set[str]) -> None:
    """Keep an article's cut and its candidate terms in PATH."""
    write_plain(path, (segments.title.clauses, segments.body.clauses, sorted(terms)))
