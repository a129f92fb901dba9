"""huikan check --fix: the stage's safe fixes written into the sources an editor keeps as text (.txt, .md),
each found again near its line; a Word file is corrected in Word, never rewritten here."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

WINDOW = 40  # lines after a block's first line where its text may stand (a paragraph wrapped in print)
WRITTEN = (".txt", ".md")
ENCODINGS = ("utf-8-sig", "utf-8", "gb18030")  # what ingest/decode.py reads without a guess, in its order


@dataclass(frozen=True)
class SourceFix:
    path: str
    line: int
    wrong: str
    right: str
    before: str  # the characters before and after it in the model's text
    after: str


@dataclass
class Rewrite:
    """One source file with its fixes made: the text before and after, and the fixes not found in it."""

    path: Path
    encoding: str
    old: str
    new: str
    missed: list[SourceFix]

    def diff(self) -> str:
        return "".join(difflib.unified_diff(self.old.splitlines(keepends=True), self.new.splitlines(keepends=True),
                                            f"{self.path}", f"{self.path} (fixed)"))

    def write(self) -> None:
        """Replace the file in one step: a temporary file beside it, renamed over it."""
        temporary = self.path.with_name(f".{self.path.name}.fix")
        temporary.write_bytes(self.new.encode(self.encoding))
        temporary.replace(self.path)


def rewrites(fixes: list[SourceFix]) -> tuple[list[Rewrite], list[str]]:
    """Each .txt or .md file with its fixes made; and what could not be written, said in a line each."""
    done: list[Rewrite] = []
    skipped: list[str] = []
    by_path: dict[str, list[SourceFix]] = {}
    for fix in fixes:
        by_path.setdefault(fix.path, []).append(fix)
    for name, found in sorted(by_path.items()):
        path = Path(name)
        if path.suffix.lower() not in WRITTEN:
            skipped.append(f"{name}: {len(found)} fix(es) not written: a {path.suffix} file is corrected in its "
                           "own program; the editions have them")
            continue
        raw = path.read_bytes()
        encoding = next((e for e in ENCODINGS if _decodes(raw, e)), None)
        if encoding is None:
            skipped.append(f"{name}: not written: not UTF-8 or GB18030 text")
            continue
        text = raw.decode(encoding)
        new, missed = _fixed(text, found)
        if new != text:
            done.append(Rewrite(path, encoding, text, new, missed))
        skipped += [f"{name}:{f.line}: 「{f.wrong}」 not found there as the editions read it: fix it by hand"
                    for f in missed]
    return done, skipped


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return encoding != "utf-8-sig" or raw.startswith(b"\xef\xbb\xbf")


def _fixed(text: str, fixes: list[SourceFix]) -> tuple[str, list[SourceFix]]:
    """TEXT with each fix made where it is found once, with its context or alone, near its line."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    missed = []
    for fix in sorted(fixes, key=lambda f: f.line, reverse=True):
        first = max(0, fix.line - 1)
        window = (starts[min(first, len(lines))], starts[min(first + WINDOW, len(lines))])
        at = _find_once(text, window, fix)
        if at is None:
            missed.append(fix)
            continue
        text = text[:at] + fix.right + text[at + len(fix.wrong):]
    return text, missed


def _find_once(text: str, window: tuple[int, int], fix: SourceFix) -> int | None:
    part = text[window[0]:window[1]]
    for before, after in ((fix.before, fix.after), ("", fix.after), (fix.before, ""), ("", "")):
        needle = before + fix.wrong + after
        if needle and part.count(needle) == 1:
            return window[0] + part.index(needle) + len(before)
    return None
