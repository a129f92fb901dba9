"""What changed between two proofs, for the editor and the print shop: changes.html (the redline),
<id>-changes.pdf (marked), and the same summary as lines for the command line or as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from huikan.proofs.compare import Change, Changes, compare
from huikan.proofs.keep import PAGE_KEYS, Proof, proofs
from huikan.proofs.marked import character_boxes, write_marked
from huikan.proofs.pages import PageTexts, changed_pages, locate, page_keys

CONTEXT = 12  # characters shown on each side of a change
CHUNK = 40  # characters looked for at a time: a long passage may run over a page


@dataclass
class Edition:
    """A build folder, the current one or a kept proof: its model, manifest and PDF."""

    folder: Path
    label: str
    date: str = ""

    @property
    def model(self) -> dict:
        return json.loads((self.folder / "issue.json").read_text(encoding="utf-8"))

    @property
    def manifest(self) -> dict:
        return json.loads((self.folder / "build.json").read_text(encoding="utf-8"))

    def pdf(self) -> Path | None:
        entry = self.manifest.get("outputs", {}).get("pdf")
        return self.folder / entry["path"] if entry else None

    def page_keys(self, pdf: Path) -> list[str]:
        """Its pages' keys: kept with a proof, read from the PDF for the build as it is."""
        try:
            return json.loads((self.folder / PAGE_KEYS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return [key.key for key in page_keys(pdf)]


@dataclass
class Summary:
    older: Edition
    newer: Edition
    changes: Changes
    pages: list[int] = field(default_factory=list)  # the new proof's pages to replace
    page_counts: tuple[int, int] = (0, 0)
    shifted_from: int | None = None  # the first page after which the pages moved
    marked: Path | None = None
    html: Path | None = None

    def lines(self) -> list[str]:
        old_count, new_count = self.page_counts
        edited, made = len(self.changes.edited()), len(self.changes.texts) - len(self.changes.edited())
        said = [f"{self.older.label} → {self.newer.label}: "
                + (f"{edited} text(s) changed" + (f", {made} computed 摘要, 关键词 or 导读 with them" if made else "")
                   if self.changes else "no change")]
        for kind, items in (("added", self.changes.added), ("removed", self.changes.removed)):
            said += [f"  article {kind}: {a['title']} ({a['source']})" for a in items]
        said += [f"  article moved: {a['title']} ({a['source']}), {a['from'] or '—'} → {a['to'] or '—'}"
                 for a in self.changes.moved]
        said += [f"  article reordered: {a['title']} ({a['source']}), {a['from']} → {a['to']}"
                 for a in self.changes.reordered]
        for change in self.changes.texts:
            pages = f"p. {change.old_page or '–'} → {change.new_page or '–'}"
            said.append(f"  {change.source}:{change.line}: {change.kind} ({pages}): {plain_redline(change)}")
        said.append(f"改动的页：{page_list(self.pages) or '无'}")
        said.append(f"页数：{old_count} → {new_count}" + ("" if self.shifted_from is None
                                                         else f"；第{self.shifted_from}页起页面移动"))
        return said

    def to_json(self) -> dict:
        return {
            "from": {"label": self.older.label, "date": self.older.date, "folder": str(self.older.folder)},
            "to": {"label": self.newer.label, "date": self.newer.date, "folder": str(self.newer.folder)},
            "pages": {"changed": self.pages, "count": list(self.page_counts), "shifted_from": self.shifted_from},
            "articles": {"added": self.changes.added, "removed": self.changes.removed, "moved": self.changes.moved,
                         "reordered": self.changes.reordered},
            "changes": [{"article": c.article, "source": c.source, "line": c.line, "kind": c.kind, "old": c.old,
                         "new": c.new, "old_page": c.old_page, "new_page": c.new_page,
                         "segments": [list(s) for s in c.segments]} for c in self.changes.texts],
            "files": {"html": str(self.html) if self.html else None, "pdf": str(self.marked) if self.marked else None},
        }


def editions(build: Path, older: int | None = None, newer: int | None = None) -> tuple[Edition, Edition]:
    """The proofs to compare in the build folder BUILD: OLDER (default the last proof) and NEWER (default the
    build as it is now). A number that is no proof raises LookupError with the numbers there are."""
    kept = {p.number: p for p in proofs(build)}
    if not kept:
        raise LookupError("no proof kept yet: build with --proof first")

    def edition(number: int) -> Edition:
        if number not in kept:
            raise LookupError(f"no proof {number}; the proofs are {', '.join(map(str, sorted(kept)))}")
        proof: Proof = kept[number]
        return Edition(proof.folder, proof.label, proof.date)

    first = edition(older if older is not None else max(kept))
    second = edition(newer) if newer is not None else Edition(build, "当前版本", "")
    return first, second


def page_list(pages: list[int]) -> str:
    """5、9–12、37: the pages, runs of three or more joined."""
    runs: list[list[int]] = []
    for page in pages:
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    return "、".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else "、".join(map(str, r)) for r in runs)


def trimmed(segments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The redline with the unchanged text cut to CONTEXT characters on each side of a change."""
    out = []
    for n, (op, text) in enumerate(segments):
        if op == "=":
            first, last = n == 0, n == len(segments) - 1
            if first and len(text) > CONTEXT:
                text = "…" + text[-CONTEXT:]
            elif last and len(text) > CONTEXT:
                text = text[:CONTEXT] + "…"
            elif len(text) > 2 * CONTEXT:
                text = text[:CONTEXT] + "…" + text[-CONTEXT:]
        out.append((op, text))
    return out


def plain_redline(change: Change) -> str:
    return "".join(text if op == "=" else f"[{op}{text}]" for op, text in trimmed(change.segments))


def html_redline(change: Change) -> Markup:
    tags = {"=": "{}", "-": "<del>{}</del>", "+": "<ins>{}</ins>"}
    return Markup("").join(Markup(tags[op]).format(text) for op, text in trimmed(change.segments))


def diff(older: Edition, newer: Edition, target: Path, issue_id: str, marked: bool = True) -> Summary:
    """Compare OLDER with NEWER and write TARGET (build/<id>/changes/): changes.html and <id>-changes.pdf."""
    changes = compare(older.model, newer.model)
    summary = Summary(older, newer, changes)
    old_pdf, new_pdf = older.pdf(), newer.pdf()
    target.mkdir(parents=True, exist_ok=True)
    wanted: dict[int, list[int]] = {}
    if old_pdf and new_pdf:
        old_keys, new_keys = older.page_keys(old_pdf), newer.page_keys(new_pdf)
        summary.pages = changed_pages(old_keys, new_keys)
        summary.page_counts = (len(old_keys), len(new_keys))
        summary.shifted_from = _shifted_from(older.manifest, newer.manifest, len(old_keys), len(new_keys))
        wanted = _place_changes(changes, older, newer, old_pdf, new_pdf)
    summary.html = target / "changes.html"
    _write(summary.html, changes_page(summary, issue_id))
    if marked and new_pdf:
        summary.marked = target / f"{issue_id}-changes.pdf"
        first = target / ".summary.pdf"
        _summary_pdf(summary, first)
        write_marked(new_pdf, first, character_boxes(new_pdf, wanted), summary.marked)
        first.unlink()
    (target / "changes.json").write_text(json.dumps(summary.to_json(), ensure_ascii=False, indent=1) + "\n",
                                         encoding="utf-8")
    return summary


def _shifted_from(old: dict, new: dict, old_count: int, new_count: int) -> int | None:
    """The first page from which an article starts elsewhere than before (or the count changed there)."""
    starts_old = {a["id"]: a.get("start_page") for a in old.get("articles", [])}
    moved = [a["start_page"] for a in new.get("articles", [])
             if a.get("start_page") and starts_old.get(a["id"]) not in (None, a["start_page"])]
    if moved:
        return min(moved)
    return min(old_count, new_count) + 1 if old_count != new_count else None


def _place_changes(changes: Changes, older: Edition, newer: Edition, old_pdf: Path,
                   new_pdf: Path) -> dict[int, list[int]]:
    """Each change's page in both proofs; the new proof's characters to mark, by page."""
    old_span, new_span = _pages_of_articles(older.manifest), _pages_of_articles(newer.manifest)
    old_pages, new_pages = PageTexts(old_pdf), PageTexts(new_pdf)
    wanted: dict[int, list[int]] = {}
    taken_old: set[tuple[int, int]] = set()
    taken_new: set[tuple[int, int]] = set()
    try:
        for change in changes.texts:
            if change.old:
                spans = [(0, len(change.old))] if not change.new else change.spans("-")
                first, last = old_span(change)
                found = None
                if spans:  # (its first stretch: enough to tell the page, and found even if the text runs on)
                    start, end = spans[0]
                    found = locate(old_pages, change.old, start, min(end, start + CHUNK), first, last,
                                   taken=taken_old)
                change.old_page = found[0] if found else None
            if change.new:
                first, last = new_span(change)
                # What was added is highlighted; where text was taken out, the character before it gets the bar.
                places = change.spans("+") + [(max(0, at - 1), max(at, 1)) for at in _cut_at(change)]
                places = [(k, min(k + CHUNK, end)) for start, end in places for k in range(start, max(end, start + 1),
                                                                                               CHUNK)]
                for start, end in places or [(0, 0)]:
                    found = locate(new_pages, change.new, start, end, first, last, taken=taken_new)
                    if found is None:
                        continue
                    number, at, stop = found
                    change.new_page = change.new_page or number
                    wanted.setdefault(number, []).extend(new_pages[number].index[at:stop])
    finally:
        old_pages.close()
        new_pages.close()
    return wanted


def _pages_of_articles(manifest: dict):
    """A change → the pages to look for it on: its article's, or the front matter's for a 导读 (the 目录's)."""
    spans = {a["id"]: (a.get("start_page") or 1, a.get("end_page")) for a in manifest.get("articles", [])}
    front = max(1, min((first for first, _ in spans.values()), default=2) - 1)

    def pages(change: Change) -> tuple[int, int | None]:
        return (1, front) if change.kind.startswith("导读") else spans.get(change.article, (1, None))
    return pages


def _cut_at(change: Change) -> list[int]:
    """Where in the new text something was taken out and nothing put in its place."""
    cuts, at = [], 0
    for n, (op, text) in enumerate(change.segments):
        if op == "-" and not (n + 1 < len(change.segments) and change.segments[n + 1][0] == "+"):
            cuts.append(at)
        if op != "-":
            at += len(text)
    return cuts



def _write(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


STYLE = """body { font-family: "Noto Serif CJK SC", serif; max-width: 50rem; margin: 2rem auto; line-height: 1.7; }
del { color: #c62828; text-decoration: line-through; } ins { color: #1565c0; text-decoration: underline; }
.where { color: #666; font-size: .9em; } .pages { font-size: 1.2em; } li { margin: .4em 0; }"""


def changes_page(summary: Summary, issue_id: str) -> str:
    """changes.html: the pages to replace, the articles added, removed, moved, then every text's redline."""
    changes = summary.changes
    head = Markup("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{} 改动："
                  "{} → {}</title><style>{}</style></head><body>\n").format(
        issue_id, summary.older.label, summary.newer.label, Markup(STYLE))
    parts = [head, Markup("<h1>{} → {}</h1>\n").format(summary.older.label, summary.newer.label)]
    old_count, new_count = summary.page_counts
    parts.append(Markup('<p class="pages">改动的页：{}</p>\n<p>页数：{} → {}{}</p>\n').format(
        page_list(summary.pages) or "无", old_count, new_count,
        "" if summary.shifted_from is None else f"；第{summary.shifted_from}页起页面移动"))
    for title, items, show in (("新增的文章", changes.added, lambda a: ""),
                               ("删去的文章", changes.removed, lambda a: ""),
                               ("换了栏目的文章", changes.moved, lambda a: f"：{a['from'] or '—'} → {a['to'] or '—'}"),
                               ("换了次序的文章", changes.reordered, lambda a: f"：第{a['from']}篇 → 第{a['to']}篇")):
        if items:
            parts.append(Markup("<h2>{}</h2>\n<ul>\n").format(title))
            parts += [Markup('<li>{}{} <span class="where">{}</span></li>\n').format(a["title"], show(a), a["source"])
                      for a in items]
            parts.append(Markup("</ul>\n"))
    by_article: dict[str, list[Change]] = {}
    for change in changes.texts:
        by_article.setdefault(change.article, []).append(change)
    titles = {a["id"]: a.get("title", "") for a in summary.newer.model["articles"]}
    for article_id, found in by_article.items():
        parts.append(Markup('<h2 id="{}">{}</h2>\n<ul>\n').format(article_id, titles.get(article_id, article_id)))
        for change in found:
            parts.append(Markup('<li data-source="{}" data-line="{}"><span class="where">{}:{}，{}，第{}页 → 第{}页'
                                "</span><br>{}</li>\n").format(
                change.source, change.line, change.source, change.line, change.kind, change.old_page or "–",
                change.new_page or "–", html_redline(change)))
        parts.append(Markup("</ul>\n"))
    if not changes:
        parts.append(Markup("<p>两版文字相同。</p>\n"))
    parts.append(Markup("</body></html>\n"))
    return str(Markup("").join(parts))


def _summary_pdf(summary: Summary, target: Path) -> None:
    """The marked PDF's first page: what changed and which pages to replace, set by WeasyPrint."""
    from huikan.render.pdf import single_page

    old_count, new_count = summary.page_counts
    items = "".join(f"<li>{escape(line.strip())}</li>" for line in summary.lines()[1:-2])
    html = (f"<html lang='zh-CN'><head><style>@page {{ size: A4; margin: 20mm; }} body {{ font-family: "
            f"'Noto Sans CJK SC', sans-serif; font-size: 10pt; }} h1 {{ font-size: 18pt; }} .pages {{ font-size: "
            f"16pt; }}</style></head><body><h1>{escape(summary.older.label)} → {escape(summary.newer.label)}</h1>"
            f"<p class='pages'>改动的页：{escape(page_list(summary.pages) or '无')}</p>"
            f"<p>页数：{old_count} → {new_count}"
            f"{'' if summary.shifted_from is None else f'；第{summary.shifted_from}页起页面移动'}</p>"
            f"<p>（页码为印刷版的页码；本页之后是印刷版，改动处以底色和页边的竖线标出。）</p><ul>{items}</ul></body></html>")
    single_page(html, target)
