"""编校: the copy-editing stage, between ingest and the pictures. It reads every text of the model as a
copy editor reads a proof (titles, headings, paragraphs, list items, table cells, captions, notes, the
authors' own 摘要 and 关键词) against GB/T 15834-2011 (punctuation), GB/T 15835-2011 (numbers), the
look-alike typos and the issue's own consistency; it applies the safe fixes to the model, each said in
a note, and leaves everything that needs judgement to the editor as a warning, `[zh-…]`.

    punctuation.py  the marks (GB/T 15834)      numbers.py      the numbers (GB/T 15835)
    words.py        doubled characters, typos, 简繁混用       consistency.py  one issue, one way
    places.py       where the texts are in the model, and how a fix is written back
    kept.py         the findings of each text, kept between builds
    sources.py      huikan check --fix: the safe fixes written into .txt and .md sources
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from huikan.copyedit import numbers, punctuation, words
from huikan.copyedit.consistency import Consistency
from huikan.copyedit.findings import SHIELD, Finding, inside, quoted_spans, shielded
from huikan.copyedit.kept import KeptFindings
from huikan.copyedit.places import Place, places
from huikan.copyedit.sources import SourceFix
from huikan.diagnostics import Report
from huikan.model import Issue
from huikan.theme import theme_dirs

# Rules that judge what words and numbers say: a quotation and a title are left as their authors wrote them.
CONTENT_CODES = {"zh-typo", "zh-doubled-char", "zh-traditional", "zh-approximate", "zh-year", "zh-mixed-numeral",
                 "zh-fixed-numeral"}
CONTEXT = 3  # characters shown on each side of a finding


def copyedit_issue(issue: Issue, report: Report, keep: bool = False) -> list[SourceFix]:
    """The stage as a build, check and the preview run it: the issue's own settings and word lists. KEEP:
    take what earlier builds found in the texts that are unchanged, and keep this one's (kept.py)."""
    from huikan.config import load_config

    folder = Path(issue.folder)
    config = load_config(folder)
    themes = theme_dirs(folder)
    kept = KeptFindings.for_issue(folder, themes) if keep else None
    made = copyedit(issue, themes, report, config.ignore,
                    {name: tuple(o.ignore or ()) for name, o in config.overrides.items()}, kept)
    if kept is not None:
        kept.save()
    return made


def copyedit(issue: Issue, themes: list[Path], report: Report, ignore: Iterable[str] = (),
             ignore_by_source: dict[str, tuple[str, ...]] | None = None,
             kept: KeptFindings | None = None) -> list[SourceFix]:
    """Check every text of ISSUE; fix the safe findings in the model and return them (for check --fix).
    IGNORE: codes silenced for the issue; IGNORE_BY_SOURCE: for one article file. KEPT: the findings of
    earlier builds, by text."""
    lists = words.load_lists(themes)
    consistency = Consistency()
    made: list[SourceFix] = []
    for place in places(issue):
        silenced = set(ignore) | set((ignore_by_source or {}).get(place.source, ()))
        checked = kept.get(place.text, place.kind, place.quote_goes_on) if kept is not None else None
        if checked is None:
            checked = check_text(place.text, place.kind, lists, place.quote_goes_on)
            if kept is not None:
                kept.put(place.text, place.kind, place.quote_goes_on, checked)
        found = [f for f in checked if f.code not in silenced]
        fixes = [f for f in found if f.safe]
        for finding in found:
            severity = "note" if finding.safe else "warning"
            report.add(severity, place.path, place.line, finding.code, describe(place.text, finding))
        if fixes:
            made += [SourceFix(place.path, place.line, place.text[f.start:f.end], f.right,
                               place.text[max(0, f.start - CONTEXT):f.start], place.text[f.end:f.end + CONTEXT])
                     for f in fixes]
            place.fix(fixes)
        if "zh-consistency" not in silenced:
            consistency.read(place)
    for diagnostic in consistency.findings():
        report.items.append(diagnostic)
    return made


def check_text(text: str, kind: str, lists: words.WordLists, quote_goes_on: bool = False) -> list[Finding]:
    """The findings in TEXT, a KIND of text (paragraph, heading, title, caption, cell, note …), in order and
    without two on the same characters (the first rule to claim them keeps them)."""
    if not text or kind == "preformatted":
        return []
    seen = shielded(text)
    quoted = quoted_spans(text)
    found: list[Finding] = []
    for rule in (*punctuation.RULES, *numbers.RULES):
        found += rule(seen, kind)
    found += punctuation.unbalanced(text, kind, quote_goes_on)
    for word_rule in (words.doubled, words.typos, words.traditional):
        found += word_rule(seen, lists)
    kept: list[Finding] = []
    for finding in sorted(found, key=lambda f: (f.start, -f.end)):
        if SHIELD in seen[finding.start:finding.end]:
            continue
        if finding.code in CONTENT_CODES and inside(quoted, finding.start):
            continue
        if kept and finding.start < kept[-1].end and finding.end > kept[-1].start:
            continue
        kept.append(finding)
    return kept


def describe(text: str, finding: Finding) -> str:
    """「…wrong…」 → 「…right…」: why (clause), with a few characters around it."""
    before = text[max(0, finding.start - CONTEXT):finding.start]
    after = text[finding.end:finding.end + CONTEXT]
    wrong = before + text[finding.start:finding.end] + after
    where = f" ({finding.clause})" if finding.clause else ""
    if finding.safe:
        return f"「{wrong}」 set as 「{before}{finding.right}{after}」: {finding.why}{where}"
    if finding.right or (finding.end > finding.start and finding.code != "zh-unbalanced"):
        return f"「{wrong}」 should read 「{before}{finding.right}{after}」: {finding.why}{where}"
    return f"「{wrong}」: {finding.why}{where}"


__all__ = ["Place", "check_text", "copyedit", "copyedit_issue"]
