"""What the rules found in each text, kept between builds.

The rules read one text at a time (`check_text`: the text, its kind, whether a quotation runs on into
it) against the word lists; a rebuild checks again only the texts an edit changed. What the issue
says two ways (consistency.py) is read anew in every build: it counts across all the texts. The
findings depend on huikan's version and the lists (the themes' `copyedit/` files) too: the cache's
context, whose change checks everything anew.

Kept in `$XDG_CACHE_HOME/huikan/copyedit/<issue folder>/<context>/findings`, as plain data; a build
keeps what it used. Safe to delete at any time.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from huikan import __version__
from huikan.cache import issue_cache, keep_only, read_plain, write_plain
from huikan.copyedit.findings import Finding

FINDINGS = "findings"


def context(themes: list[Path]) -> str:
    digest = hashlib.sha256(f"huikan {__version__}\n".encode())
    for theme in themes:
        for path in sorted((Path(theme) / "copyedit").glob("*.txt")):
            digest.update(f"{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


class KeptFindings:
    """The findings of an issue's texts an earlier build made, for this build to take (and keep its own)."""

    def __init__(self, folder: Path):
        self.folder = folder
        kept = read_plain(folder / FINDINGS)
        self.kept: dict[str, list[tuple]] = kept if isinstance(kept, dict) else {}
        self.used: dict[str, list[tuple]] = {}

    @classmethod
    def for_issue(cls, issue_folder: Path, themes: list[Path]) -> KeptFindings:
        return cls(issue_cache("copyedit", issue_folder, context(themes)))

    def get(self, text: str, kind: str, quote_goes_on: bool) -> list[Finding] | None:
        key = _key(text, kind, quote_goes_on)
        plain = self.kept.get(key)
        if not isinstance(plain, list):
            return None
        try:
            found = [Finding(*fields) for fields in plain]
        except TypeError:  # (an entry of another shape: checked again)
            return None
        self.used[key] = plain
        return found

    def put(self, text: str, kind: str, quote_goes_on: bool, found: list[Finding]) -> None:
        self.used[_key(text, kind, quote_goes_on)] = [dataclasses.astuple(finding) for finding in found]

    def save(self) -> None:
        """Keep this build's findings; remove the rest, and the least recently used contexts and issues."""
        if self.used != self.kept:
            write_plain(self.folder / FINDINGS, self.used)
        keep_only(self.folder, {FINDINGS})


def _key(text: str, kind: str, quote_goes_on: bool) -> str:
    return hashlib.sha256(f"{kind}\0{quote_goes_on}\0{text}".encode()).hexdigest()[:32]
