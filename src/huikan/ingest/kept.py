"""What the readers made of each article file, kept between builds: its articles and what was said of it.

A rebuild after an edit reads again only the files whose bytes changed. What a reader makes of a file
depends on its bytes, its name and where it is (the messages name its path), the limits and whether
a Word file's tracked changes are taken or refused, and huikan's version: all in the key of a file's
entry. A file a reader refused (an error said of it) is not kept: it is read again, as a fixed
converter or a raised limit may read it then.

Kept in `$XDG_CACHE_HOME/huikan/read/<issue folder>/<version>/`, an entry per file, as plain data; a
build removes what it did not use. Safe to delete at any time.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from huikan import __version__
from huikan.cache import issue_cache, keep_only, read_plain, write_plain
from huikan.config import Limits
from huikan.diagnostics import ERROR, Diagnostic
from huikan.model import Article, Block, Cell, Link, Note, Span

FORMAT = "1"  # of the entries: a change to the model's fields or a reader makes every key new


class KeptReads:
    """The articles earlier builds read from the issue's files, for this build to take (and keep its own)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.used: set[str] = set()

    @classmethod
    def for_issue(cls, issue_folder: Path) -> KeptReads:
        return cls(issue_cache("read", issue_folder, hashlib.sha256(
            f"huikan {__version__} format {FORMAT}".encode()).hexdigest()[:32]))

    @staticmethod
    def key(raw: bytes, name: str, shown: str, limits: Limits, track_changes: str) -> str:
        digest = hashlib.sha256("\0".join((name, shown, repr(limits), track_changes)).encode() + b"\0")
        digest.update(raw)
        return digest.hexdigest()[:32]

    def get(self, key: str) -> tuple[list[Article], list[Diagnostic]] | None:
        """The articles and messages kept under KEY, if they read back whole."""
        plain = read_plain(self.folder / key)
        try:
            assert isinstance(plain, dict)
            found = [_article(article) for article in plain["articles"]], \
                [Diagnostic(*said) for said in plain["said"]]
        except (AssertionError, KeyError, TypeError, ValueError):
            return None
        self.used.add(key)
        return found

    def put(self, key: str, articles: list[Article], said: list[Diagnostic]) -> None:
        """Keep what a reader made of a file (ARTICLES, and SAID of it), unless it refused the file."""
        if any(d.severity == ERROR for d in said):
            return
        plain = {"articles": [dataclasses.asdict(article) for article in articles],
                 "said": [(d.severity, d.path, d.line, d.code, d.message) for d in said]}
        if write_plain(self.folder / key, plain):
            self.used.add(key)

    def prune(self) -> None:
        """Remove the entries of files no longer as they were, and the least used issues' (cache.keep_only)."""
        keep_only(self.folder, self.used)


def _article(plain: dict) -> Article:
    return Article(**{**plain, "blocks": [_block(block) for block in plain["blocks"]]})


def _block(plain: dict) -> Block:
    return Block(**{**plain, **_inline(plain), "rows": [[_cell(cell) for cell in row] for row in plain["rows"]]})


def _cell(plain: dict) -> Cell:
    return Cell(**{**plain, **_inline(plain)})


def _inline(plain: dict) -> dict:
    return {"links": [Link(**link) for link in plain["links"]], "spans": [Span(**span) for span in plain["spans"]],
            "notes": [Note(**note) for note in plain["notes"]]}
