"""Build one issue: ingest → enrich → render, written atomically, described by build.json."""

from __future__ import annotations

import gc
import hashlib
import json
import shutil
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from huikan import __version__
from huikan.beside import Beside
from huikan.build_key import issue_key
from huikan.config import OUTPUT_FORMATS, load_config
from huikan.confine import escapes
from huikan.diagnostics import ERROR, ContentError, Diagnostic, FaultError, Report, UsageError
from huikan.model import Issue
from huikan.progress import Progress
from huikan.proofs.keep import CHANGES, Proof, carry, keep, proofs
from huikan.swap import fresh_staging, holds_protected, locked, protected_paths, put_in_place, recover
from huikan.theme import theme_dirs, theme_file

if TYPE_CHECKING:
    from huikan.proofs.report import Summary

# The renderers, jieba and WeasyPrint are imported when an issue is really built, so that finding an
# issue up to date stays fast.

FORMATS = ("pdf", "docx", "html")  # what a build makes unless told
# On request: <id>-booklet.pdf, the print PDF imposed for an office printer; wechat/<article id>.html,
# each article ready to paste into the 公众号 editor.
MORE_FORMATS = tuple(f for f in OUTPUT_FORMATS if f not in FORMATS)
OTHER_LABELS = {"docx": "DOCX", "html": "HTML", "wechat": "公众号"}  # the outputs made beside the PDF
COLLECTOR_THRESHOLDS = (2000, 10, 10)  # a build's, against Python's (700, 10, 10): see fewer_collections()


@dataclass
class BuildResult:
    issue: Issue | None  # None when the outputs were up to date
    folder: Path
    report: Report
    manifest: dict = field(default_factory=dict)
    up_to_date: bool = False
    proof: Proof | None = None  # the proof this build was kept as (--proof)
    changes: Summary | None = None  # what changed since the proof before it


def prepare(folder: Path, report: Report) -> Issue:
    """Ingest and enrich: the model every output is made from."""
    from huikan.copyedit import copyedit_issue
    from huikan.enrich import enrich_issue
    from huikan.ingest import load_issue

    issue = load_issue(folder, report)
    copyedit_issue(issue, report)
    enrich_issue(issue, theme_dirs(folder))
    return issue


@contextmanager
def stage(name: str, where: Path | str) -> Iterator[None]:
    """Turn an unexpected failure in stage NAME into a diagnostic about WHERE instead of a traceback."""
    try:
        yield
    except (ContentError, UsageError, FaultError, OSError):
        raise  # said as they are: the editor's mistakes, a bad setting, a fault already described, a full disk
    except MemoryError:
        raise FaultError([Diagnostic(ERROR, str(where), 0, "out-of-memory", f"{name}: out of memory")]) from None
    except Exception as exc:
        raise FaultError([Diagnostic(ERROR, str(where), 0, "internal",
                                     f"{name} failed ({type(exc).__name__}: {exc}); this is a fault in huikan, "
                                     "not in the sources: please report it")]) from exc


def picture_roots(folder: Path, themes: list[Path], report: Report) -> list[Path]:
    """Where the PDF may take pictures from: the issue's images/ (unless it links outside) and the theme."""
    images = folder / "images"
    if escapes(folder, images):
        report.warning(str(images), 0, "outside-issue",
                       "images/ links outside the issue folder: no picture is read from it")
        return themes
    return [images, *themes]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class PdfOptions:
    """Command-line choices for the outputs (most of them the PDF's); they win over issue.toml."""

    variant: str | None = None  # "pdf/a-3b", "pdf/ua-1", "pdf/x-4", …; None keeps issue.toml's
    tags: bool = False
    allow_missing_glyphs: bool = False
    medium: str = "print"  # "screen": no bleed, marks, padding or inside covers
    bleed_mm: float | None = None  # None keeps issue.toml's [print] (or the medium's default)
    marks: tuple[str, ...] | None = None
    pages_multiple_of: int | None = None
    booklet: str | None = None  # the sheet, e.g. "A3"
    allow_missing_pictures: bool = False  # a placeholder box where a picture is missing or broken


def build_issue(folder: Path, out_root: Path, formats: tuple[str, ...] | None = None, strict: bool = False,
                progress: Progress | None = None, pdf_options: PdfOptions = PdfOptions(),
                force: bool = False, more_will_do: bool = False, proof: str | None = None,
                keep_proofs: bool = False) -> BuildResult:
    """Build FOLDER into OUT_ROOT/<issue id>/; raise ContentError (nothing written) if it cannot be built.

    When the outputs there were made from exactly these inputs (same key), nothing is rebuilt; with
    MORE_WILL_DO (publish), neither when they were made from the same inputs with more formats than
    FORMATS, so that a build the user made with the 公众号 edition keeps it. The folder is replaced whole
    when the build is done (swap.py), one build of an issue at a time; the proofs kept in it are carried
    into the new one. PROOF (a label, or "") keeps the build as the next proof and compares it with the one
    before (build/<id>/changes/); so does KEEP_PROOFS (the build command's) with `[issue] keep_proofs`, for
    a build that differs from the last proof (the preview's builds are never kept).
    """
    folder = Path(folder)
    progress = progress or Progress()
    config = load_config(folder)
    formats = formats or config.formats or FORMATS  # the command line's, else issue.toml's
    key = issue_key(folder, extra=f"{sorted(formats)} {pdf_options} strict={strict}")  # as _with_more_formats
    issue_id = config.id
    out_dir = Path(out_root) / issue_id
    check_build_folder(out_dir, folder)
    with locked(out_dir, lambda: progress.say("waiting for another build of this issue to finish")):
        recover(out_dir)
        previous = up_to_date(out_dir, key)
        if previous is None and more_will_do:
            previous = _with_more_formats(out_dir, folder, formats, f"{pdf_options} strict={strict}")
        if previous is not None and not force:
            result = BuildResult(None, out_dir, Report(), previous, up_to_date=True)
        else:
            staging = fresh_staging(out_dir)
            try:
                with fewer_collections():
                    result = _build(folder, out_dir, staging, key, formats, strict, progress, pdf_options,
                                    keep_pages=not force)
                carry(out_dir, staging)
                put_in_place(staging, out_dir)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        if proof is not None or (keep_proofs and config.keep_proofs and not _kept_already(out_dir, result)):
            with stage("keeping the proof", out_dir):
                result.proof, result.changes = keep_and_compare(out_dir, proof or "", issue_id)
    return result


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Python's cyclic collector, run less often during a build.

    A layout makes and drops boxes by the hundred thousand, few of them in cycles, and the collector
    walked every live object (modules, fonts, the painted pages) again and again: 0.6 s of an 8 s
    layout of 150 pages, 0.2 s with what is alive when the build starts frozen out of the walks and
    a first generation of 2,000 objects. The thresholds are restored after the build."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _choose_press(issue: Issue, options: PdfOptions, formats: tuple[str, ...]) -> None:
    """The command line's print settings win over issue.toml's."""
    press = issue.press
    if options.bleed_mm is not None:
        press.bleed_mm = options.bleed_mm
    if options.marks is not None:
        press.marks = options.marks
    if options.pages_multiple_of is not None:
        press.pages_multiple_of = options.pages_multiple_of
    if options.booklet is not None:
        press.booklet = options.booklet
    if "booklet" in formats and press.pages_multiple_of % 4:
        press.pages_multiple_of = 4  # a booklet's sheets hold four pages each


def check_build_folder(out_dir: Path, folder: Path) -> None:
    """OUT_DIR is replaced by each build: it must be huikan's own, and hold no sources or home."""
    protected = holds_protected(out_dir, protected_paths([folder]))
    if protected is not None:
        raise UsageError.single(str(out_dir), 0, "protected-folder",
                                f"building here would replace {protected}; choose another output folder (-o)")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / "build.json").is_file():
        raise UsageError.single(str(out_dir), 0, "not-a-build",
                                "this folder holds files huikan did not make (no build.json); move them away "
                                "or choose another output folder (-o)")


def _build(folder: Path, out_dir: Path, staging: Path, key: str, formats: tuple[str, ...], strict: bool,
           progress: Progress, pdf_options: PdfOptions, keep_pages: bool = True) -> BuildResult:
    """Make every output in STAGING, to be put in OUT_DIR's place. KEEP_PAGES: take what an earlier build
    made of the articles that are unchanged, their 摘要 and cut text (enrich/kept.py) and their print
    pages (render/pdf/kept.py), and keep this build's; else make all anew."""
    from huikan.enrich.alongside import Alongside
    from huikan.pictures.store import PictureStore, make_screen_pictures

    themes = theme_dirs(folder)
    report = Report()
    timings: dict[str, float] = {}
    started = time.perf_counter()

    # jieba loads and the 摘要 and 关键词 are made in a process forked now, which loads jieba while the issue
    # is read here and enriches it while WeasyPrint is imported and the PDF laid out: the fork must come
    # before the renderers' imports.
    enriching = Alongside(themes, folder if keep_pages else None)
    try:
        issue = _read_issue(folder, report, timings, progress, pdf_options, formats, strict, keep_pages)
    except BaseException:
        enriching.cancel()
        raise
    enriching.enrich(issue)
    store = PictureStore(folder, staging, out_dir if out_dir.is_dir() else None)
    beside: Beside[Others] | None = None
    try:
        if "html" in formats:  # the screen pictures, beside the HTML, while enrich works
            mark = time.perf_counter()
            with stage("making the pictures for screens", folder):
                make_screen_pictures(store, list(issue.pictures.values()))
            timings["pictures"] += time.perf_counter() - mark
        # The other renderers asked for too, before the fork below: its child starts with them imported.
        if "docx" in formats:
            import huikan.render.docx
        if "wechat" in formats:
            import huikan.render.wechat  # noqa: F401
        from huikan.render.pdf import render_pdf, thumbnail
        from huikan.render.pdf.glyphs import report_missing_glyphs
        from huikan.render.pdf.pictures import LOW_PPI, PrintPictures

        if pdf_options.variant:
            issue.pdf_variant = pdf_options.variant
        issue.pdf_tags = issue.pdf_tags or pdf_options.tags
        if "pdf" in formats:
            # (before the 摘要 and 关键词 are made: they are made of the articles' own characters, and ……)
            with stage("checking the fonts", folder):
                report_missing_glyphs(issue, folder, themes, pdf_options.allow_missing_glyphs, report)
            if report.errors:
                raise ContentError(report.errors)

        # Outputs are made under their final names in the staging folder; messages name where they will be.
        if issue.press.booklet and "booklet" not in formats:
            formats = (*formats, "booklet")
        if "booklet" in formats and "pdf" not in formats:
            formats = ("pdf", *formats)  # the booklet is made from the print PDF
        special = {"booklet": f"{issue.id}-booklet.pdf", "wechat": "wechat"}
        names = {fmt: special.get(fmt, f"{issue.id}.{fmt}") for fmt in formats}
        files = {fmt: staging / name for fmt, name in names.items()}
        shown = {fmt: out_dir / name for fmt, name in names.items()}
        pages = None
        # The Word file, the web page and the 公众号 edition are made in a process forked as soon as every
        # article has its 摘要 and 关键词, while this one goes on with the PDF (on two cores); their timings
        # and findings come back with them.
        others: list[str] = [fmt for fmt in OTHER_LABELS if fmt in formats]
        made = Others(issue, themes, files, shown, store, others)

        def start_others() -> None:
            nonlocal beside
            if beside is None and others and "pdf" in formats:
                beside = Beside(made.make)

        fields = ArrivingFields(enriching, folder, start_others)
        progress.start("摘要 and 关键词", len(issue.articles))
        fields.intros()  # what the PDF waits for first
        progress.advance(len(issue.articles))
        if "pdf" in formats:
            mark = time.perf_counter()
            with stage("making the PDF", shown["pdf"]):
                printed = PrintPictures(store, {p.sha256: p for p in issue.pictures.values() if not p.problem})
                pages, refused = render_pdf(issue, themes, folder, picture_roots(folder, themes, report),
                                            files["pdf"], pictures=printed, progress=progress, fields=fields,
                                            keep=keep_pages)
            second = f", {pages.laid_out_beside} of them in a second process" if pages.laid_out_beside else ""
            progress.say(f"print edition: {pages.laid_out} of {len(issue.articles)} articles laid out{second}")
            for url in refused:
                report.warning(str(folder), 0, "refused-resource", f"not rendered, outside the issue folder: {url}")
            report_low_resolution(printed, LOW_PPI, report)
            timings["pdf"] = time.perf_counter() - mark - fields.waited_in(mark)
        if "booklet" in formats:
            progress.start("booklet", 1)
            with stage("making the booklet", shown["booklet"]):
                from huikan.config import BOOKLET_SHEETS
                from huikan.render.pdf.booklet import booklet_sheet, make_booklet

                sheet = issue.press.booklet or booklet_sheet(issue.page_mm)
                make_booklet(files["pdf"].read_bytes(), BOOKLET_SHEETS[sheet], files["booklet"])
            progress.advance()
        fields.articles([article.id for article in issue.articles])
        for n, kind in enumerate(others):
            progress.start(OTHER_LABELS[kind], 1)
            if n == 0:
                made = beside.result() if beside is not None else made.make()
            progress.advance()
        with stage("making 摘要 and 关键词", folder):
            enriched = enriching.result()  # the search terms come last
    finally:
        enriching.cancel()
        if beside is not None:
            beside.cancel()
    timings["tokenizer"] = enriched.seconds["tokenizer"]
    timings["enrich"] = enriched.seconds["enrich"]
    timings["enrich_wait"] = enriching.waited  # what the build waited for them, all told
    timings.update(made.timings)
    report.items.extend(made.found)
    if beside is not None and beside.forked:  # the child's copy of the store counted what it made, ours not
        store.made += made.made
        store.reused += made.reused
    write_model(issue, enriched.terms, staging)
    outputs: dict[str, dict] = {}
    for fmt, path in files.items():
        if path.is_dir():  # the 公众号 edition: a file per article
            outputs[fmt] = {"path": path.name, "files": sorted(p.name for p in path.glob("*.html"))}
            continue
        entry = {"path": path.name, "sha256": sha256(path), "bytes": path.stat().st_size}
        if fmt == "pdf" and pages is not None:
            entry["pages"] = pages.pages
            # What the preview draws again after an edit: the pages whose key changed (key, width, height).
            entry["page_keys"] = [[key, round(width, 3), round(height, 3)] for key, width, height in pages.keys]
        outputs[fmt] = entry
    if "pdf" in files:
        with stage("making the cover picture", shown["pdf"]):
            thumbnail(files["pdf"], staging / "cover.png")
    timings["total"] = time.perf_counter() - started

    manifest = {
        "key": key,
        "issue": issue.header_json(),
        "version": __version__,
        "outputs": outputs,
        "articles": [
            {"id": a.id, "title": a.title, "section": a.section,
             "start_page": pages.starts.get(a.id) if pages else None,
             "end_page": pages.ends.get(a.id) if pages else None}
            for a in issue.articles
        ],
        "timings": {k: round(v, 3) for k, v in timings.items()},
        # How many articles the print edition laid out (the others' pages were kept from an earlier build), and
        # how many of those in a second process beside the build's.
        "print": {"articles": len(issue.articles), "laid_out": pages.laid_out,
                  "laid_out_beside": pages.laid_out_beside} if pages else None,
        # The pictures' variants this build made, and those it took from the build before (pictures/store.py).
        "pictures": {"count": len(issue.pictures), "made": store.made, "reused": store.reused},
        "diagnostics": [d.to_json() for d in report.items],
    }
    (staging / "build.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return BuildResult(issue, out_dir, report, manifest)


def _read_issue(folder: Path, report: Report, timings: dict[str, float], progress: Progress,
                pdf_options: PdfOptions, formats: tuple[str, ...], strict: bool, keep_pages: bool) -> Issue:
    """Ingest, copy-edit and check the pictures of the issue in FOLDER: the model to enrich and render."""
    from huikan.copyedit import copyedit_issue
    from huikan.ingest import load_issue
    from huikan.pictures.survey import survey

    mark = time.perf_counter()
    with stage("reading the issue", folder):
        issue = load_issue(folder, report, pdf_options.medium, progress, keep=keep_pages)
        _choose_press(issue, pdf_options, formats)
    timings["ingest"] = time.perf_counter() - mark
    mark = time.perf_counter()
    with stage("copy-editing the issue", folder):
        copyedit_issue(issue, report, keep=keep_pages)
    timings["copyedit"] = time.perf_counter() - mark
    mark = time.perf_counter()
    progress.start("pictures", 1)
    with stage("checking the pictures", folder):
        survey(issue, report, load_config(folder).limits, pdf_options.allow_missing_pictures)
    progress.advance()
    timings["pictures"] = time.perf_counter() - mark
    if report.errors or (strict and report.warnings):
        raise ContentError(report.errors + (report.warnings if strict else []))
    return issue


class ArrivingFields:
    """The build's side of the enrich being made beside it: the PDF's layouts wait here for the articles
    they show (render/pdf's `Fields`), and once every article has its 摘要 and 关键词 the other outputs
    are started (COMPLETE)."""

    def __init__(self, enriching, folder: Path, complete: Callable[[], None]):
        self.enriching, self.folder, self.complete = enriching, folder, complete
        self.waits: list[tuple[float, float]] = []  # (began, seconds)

    def _wait(self, wait: Callable[[], None]) -> None:
        began = time.perf_counter()
        with stage("making 摘要 and 关键词", self.folder):
            wait()
        self.waits.append((began, time.perf_counter() - began))
        if self.enriching.complete:
            self.complete()

    def intros(self) -> None:
        self._wait(self.enriching.intros)

    def articles(self, ids: Collection[str]) -> None:
        self._wait(lambda: self.enriching.articles(ids))

    def waited_in(self, since: float) -> float:
        """Seconds spent waiting since SINCE (a perf_counter time)."""
        return sum(seconds for began, seconds in self.waits if began >= since)


class Others:
    """The outputs made from the model alone (the Word file, the web page, the 公众号 edition), possibly in a
    forked process: what they found and the pictures they made come back with them."""

    def __init__(self, issue: Issue, themes: list[Path], files: dict[str, Path], shown: dict[str, Path],
                 store, formats: list[str]):
        self.issue, self.themes, self.files, self.shown, self.store = issue, themes, files, shown, store
        self.formats = formats
        self.timings: dict[str, float] = {}
        self.found: list[Diagnostic] = []
        self.made = self.reused = 0  # picture variants, beyond those the store had counted when this began

    def __getstate__(self) -> dict:  # what comes back through the pipe: not the model
        return {"timings": self.timings, "found": self.found, "made": self.made, "reused": self.reused}

    def make(self) -> Others:
        from huikan.render.html import render_html

        report = Report()
        before = (self.store.made, self.store.reused)
        for fmt in self.formats:
            mark = time.perf_counter()
            if fmt == "docx":
                from huikan.render.docx import render_docx

                with stage("making the Word file", self.shown["docx"]):
                    render_docx(self.issue, self.files["docx"], theme_file("reference.docx", self.themes), self.store)
            elif fmt == "html":
                with stage("making the web page", self.shown["html"]):
                    self.files["html"].write_text(render_html(self.issue, self.themes, "screen"), encoding="utf-8")
            else:
                from huikan.render.wechat import render_wechat

                with stage("making the 公众号 edition", self.shown["wechat"]):
                    render_wechat(self.issue, self.themes, self.files["wechat"], self.store, report)
            self.timings[fmt] = time.perf_counter() - mark
        self.found = report.items
        self.made, self.reused = self.store.made - before[0], self.store.reused - before[1]
        return self


def _kept_already(out_dir: Path, result: BuildResult) -> bool:
    """Whether the last proof was made from the same inputs as this build (same key)."""
    kept = proofs(out_dir)
    try:
        last = json.loads((kept[-1].folder / "build.json").read_text(encoding="utf-8")) if kept else {}
    except (OSError, ValueError):
        return False
    return last.get("key") == result.manifest.get("key")


def keep_and_compare(out_dir: Path, label: str, issue_id: str) -> tuple[Proof, Summary | None]:
    """The build in OUT_DIR kept as its next proof, and compared with the proof before it (if any)."""
    from huikan.proofs.report import Edition, diff

    proof = keep(out_dir, label)
    before = [p for p in proofs(out_dir) if p.number < proof.number]
    if not before:
        return proof, None
    older = Edition(before[-1].folder, before[-1].label, before[-1].date)
    return proof, diff(older, Edition(proof.folder, proof.label, proof.date), out_dir / CHANGES, issue_id)


def write_model(issue: Issue, terms: dict[str, list[str]], folder: Path) -> None:
    """What publishing needs without building again: the model (issue.json) and its search terms."""
    model = {"issue": issue.header_json(), "articles": [a.to_json() for a in issue.articles],
             "pictures": {ref: picture.to_json() for ref, picture in issue.pictures.items()}}
    (folder / "issue.json").write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (folder / "search.json").write_text(json.dumps(terms, ensure_ascii=False) + "\n", encoding="utf-8")


def report_low_resolution(printed, low_ppi: int, report: Report) -> None:
    """A picture printed at under LOW_PPI is soft on paper: said at the first place that shows it."""
    for picture in printed.pictures.values():
        ppi = printed.lowest.get(picture.sha256)
        if ppi is not None and ppi < low_ppi and picture.uses:
            path, line = picture.uses[0]
            report.warning(path, line, "low-resolution", f"{picture.name} prints at {ppi:.0f} ppi where it stands "
                           f"({picture.width} × {picture.height} pixels); print shops ask for 300: use a larger "
                           "original or place it smaller")


def _with_more_formats(out_dir: Path, folder: Path, formats: tuple[str, ...], options: str) -> dict | None:
    """The build.json in OUT_DIR if it is up to date for the formats it made, and those include FORMATS."""
    try:
        made = sorted(json.loads((out_dir / "build.json").read_text(encoding="utf-8")).get("outputs", {}))
    except (OSError, ValueError, AttributeError):
        return None
    if not set(formats) < set(made):
        return None
    return up_to_date(out_dir, issue_key(folder, extra=f"{made} {options}"))


def up_to_date(out_dir: Path, key: str) -> dict | None:
    """The build.json in OUT_DIR if it was made with KEY and every output it lists is still there."""
    try:
        manifest = json.loads((out_dir / "build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("key") != key:
        return None
    files = [out_dir / entry["path"] for entry in manifest.get("outputs", {}).values()]
    files += [out_dir / "issue.json", out_dir / "search.json"]
    return manifest if all(f.exists() for f in files) else None
