"""One preview: what the page shows, kept up to date with the sources.

After each change the full build starts in a process of its own while the web edition is made in
this one (a second or two, shown as soon as it is made); when the full build is done, its spreads are
shown at once, the thumbnails of the pages that changed drawn as the page asks for them and one after
another beside that (spreads.Thumbnails), and the site is assembled again from it, with its downloads.
A change that comes during the full build stops it and starts again from the web edition. A failure
of either shows its diagnostics over the last good edition, which stays as it was.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from pathlib import Path

from huikan.diagnostics import ContentError, Diagnostic, UsageError
from huikan.preview import spreads
from huikan.preview.printed import Outcome, PrintBuild
from huikan.preview.web import WebEdition, publish

POLL = 0.2  # how often a running full build is asked whether it is done, or stopped for a newer edit


class Session:
    def __init__(self, folder: Path, out: Path, log=print):
        self.folder, self.out, self.log = Path(folder), Path(out), log
        self.work = self.out / ".preview"
        self.site, self.pages = self.work / "site", self.work / "pages"
        self.thumbnails = spreads.Thumbnails(self.pages)
        self.web = WebEdition(self.folder, self.work / "web", self.site)
        self.lock = threading.Condition()
        self.dirty = threading.Event()
        self.stopping = threading.Event()
        self.printing: PrintBuild | None = None
        self.spare: PrintBuild | None = None  # the next build's process, warming up
        self.issue_id: str | None = None
        # "version" goes up with every change of the state; the page asks for the state again.
        self.state: dict = {"session": uuid.uuid4().hex, "version": 0, "building": "web", "issue": None,
                            "web": None, "web_version": 0, "print": None, "articles": [], "diagnostics": [],
                            "error": [], "timings": {}}
        self.dirty.set()  # the first build

    # -- what the server reads -------------------------------------------------------------------------

    def snapshot(self) -> dict:
        with self.lock:
            return json.loads(json.dumps(self.state))

    def wait_for_change(self, seen: int, timeout: float) -> int:
        """The state's version once it is newer than SEEN (or after TIMEOUT)."""
        with self.lock:
            self.lock.wait_for(lambda: self.state["version"] != seen or self.stopping.is_set(), timeout)
            return self.state["version"]

    def _update(self, **values) -> None:
        with self.lock:
            self.state.update(values)
            self.state["version"] += 1
            self.lock.notify_all()

    # -- what the watcher and the command call ---------------------------------------------------------

    def changed(self, paths: set[str]) -> None:
        self.log(f"changed: {', '.join(sorted(Path(p).name for p in paths)[:5])}")
        self.dirty.set()

    def stop(self) -> None:
        self.stopping.set()
        self.dirty.set()
        with self.lock:
            self.lock.notify_all()

    def run(self) -> None:
        """Rebuild whenever the sources change, until stopped."""
        self.spare = PrintBuild()
        try:
            while not self.stopping.is_set():
                self.dirty.wait()
                if self.stopping.is_set():
                    break
                self.dirty.clear()
                try:
                    started = self._start_print()  # beside the web edition: the two take a core each
                    if self._make_web():
                        self._finish_print(started)
                    else:
                        self._stop_print()
                except Exception as exc:  # a fault in huikan: on the page, and the preview goes on
                    self._stop_print()
                    self._failed([self._fault(exc)], "print")
        finally:
            for process in (self.printing, self.spare):
                if process is not None:
                    process.stop(self.issue_id)

    # -- the two phases --------------------------------------------------------------------------------

    def _make_web(self) -> bool:
        self._update(building="web")
        started = time.perf_counter()
        try:
            self.issue_id, report = self.web.make()
        except (UsageError, ContentError) as exc:
            self._failed(exc.diagnostics, "web")
            return False
        except Exception as exc:  # a fault in huikan: on the page, and the preview goes on
            self._failed([self._fault(exc)], "web")
            return False
        seconds = time.perf_counter() - started
        model = json.loads((self.work / "web" / self.issue_id / "issue.json").read_text(encoding="utf-8"))
        self._update(building="print", issue=model["issue"], web=f"site/{self.issue_id}/index.html",
                     web_version=self.state["web_version"] + 1, error=[],
                     articles=self._articles(model, self.state["print"]),
                     diagnostics=[d.to_json() for d in report.items if d.severity != "note"],
                     timings={**self.state["timings"], "web": round(seconds, 2)})
        self.log(f"web edition in {seconds:.1f} s")
        return True

    def _start_print(self) -> float:
        """Start the full build; return when."""
        self.printing, self.spare = self.spare or PrintBuild(), None
        self.printing.start(self.folder, self.out)
        return time.perf_counter()

    def _stop_print(self) -> None:
        """Stop the full build (a newer edit, or sources the web edition could not read)."""
        if self.printing is not None:
            self.printing.stop(self.issue_id)
            self.printing = None
            if not self.stopping.is_set():
                self.spare = PrintBuild()

    def _finish_print(self, started: float) -> None:
        """Wait for the full build started at STARTED, then show its print edition."""
        assert self.printing is not None
        outcome: Outcome | None = None
        try:
            try:
                while outcome is None and not self.dirty.is_set():  # (a newer edit: this build would be out of date)
                    outcome = self.printing.wait(POLL)
                if outcome is None:
                    self.printing.stop(self.issue_id)
            finally:
                self.printing = None
            if outcome is None:
                return
            if outcome.status != 0 or outcome.folder is None:
                self._failed([Diagnostic(**d) for d in outcome.diagnostics], "print")
                return
            self._show_print(Path(outcome.folder), outcome, started)
        finally:
            if not self.stopping.is_set():  # the next build's process, warming up once this one is shown
                self.spare = PrintBuild()
        while not self.dirty.is_set() and self.thumbnails.draw_next():  # (those the page has not asked for yet)
            pass

    def _show_print(self, build: Path, outcome: Outcome, started: float) -> None:
        """The spreads of BUILD's PDF shown, then the site again, now with the PDF and DOCX to download."""
        findings = [d for d in outcome.diagnostics if d["severity"] != "note"]
        shown = self._print_state(build, findings)
        shown["changes"] = self._changes(build, shown)
        seconds = time.perf_counter() - started  # the process's start and the build
        self._update(building="", print=shown,
                     articles=self._articles(json.loads((build / "issue.json").read_text(encoding="utf-8")), shown),
                     diagnostics=findings,
                     timings={**self.state["timings"], "print": round(seconds, 1)})
        self.log(f"print edition in {seconds:.1f} s, {shown['pages']} pages ({shown['drawn']} to draw)")
        publish(build, self.site)
        self._update(web_version=self.state["web_version"] + 1)

    def _fault(self, exc: Exception) -> Diagnostic:
        return Diagnostic("error", str(self.folder), 0, "internal", f"{type(exc).__name__}: {exc}; this is a fault "
                          "in huikan, not in the sources: please report it")

    def _failed(self, diagnostics: list[Diagnostic], phase: str) -> None:
        self._update(building="", error=[d.to_json() for d in diagnostics])
        for d in diagnostics:
            self.log(d.format())
        self.log(f"the {phase} edition was not made: the last good one stays")

    def _print_state(self, build: Path, findings: list[dict]) -> dict:
        """The print edition as the page shows it; FINDINGS are marked on the pages they concern."""
        manifest = json.loads((build / "build.json").read_text(encoding="utf-8"))
        model = json.loads((build / "issue.json").read_text(encoding="utf-8"))
        pdf = build / manifest["outputs"]["pdf"]["path"]
        printed = spreads.pages_in(pdf, manifest["outputs"]["pdf"])
        drawn = self.thumbnails.show(pdf, printed)
        spreads.forget(self.pages, {page.key for page in printed})
        # A finding about an article's file is shown on the page where that article begins.
        start = {a["id"]: a["start_page"] for a in manifest["articles"]}
        page_of_source: dict[str, int] = {}
        for article in model["articles"]:
            if start.get(article["id"]):
                page_of_source.setdefault(article["source"], start[article["id"]])
        notes: dict[int, list[int]] = {}
        for n, d in enumerate(findings):
            page = page_of_source.get(Path(d["path"]).name)
            if page:
                notes.setdefault(page, []).append(n)
        pages = [{"number": n, "thumbnail": f"pages/{page.key}.png", "diagnostics": notes.get(n, []),
                  "shape": round(page.height / page.width, 4)} for n, page in enumerate(printed, 1)]
        return {"pdf": f"print/{pdf.name}", "docx": "print/" + manifest["outputs"]["docx"]["path"]
                if "docx" in manifest["outputs"] else None, "pages": len(pages), "drawn": drawn,
                "spreads": [[pages[n - 1] for n in spread] for spread in spreads.facing(len(pages))],
                "starts": {a["id"]: [a["start_page"], a["end_page"]] for a in manifest["articles"]}}

    def _changes(self, build: Path, shown: dict) -> dict | None:
        """What changed since the last proof (huikan build --proof): its redline, served with the build, and
        the spreads' pages that changed, marked; None before the first proof."""
        from huikan.proofs.keep import CHANGES
        from huikan.proofs.report import diff, editions

        try:
            older, newer = editions(build)
        except LookupError:
            return None
        with spreads.PDFIUM:  # (the pages' texts are read with PDFium, as the thumbnails are drawn)
            summary = diff(older, newer, build / CHANGES, build.name, marked=False)
        changed = set(summary.pages)
        for spread in shown["spreads"]:
            for page in spread:
                page["changed"] = page["number"] in changed
        return {"against": older.label, "html": f"print/{CHANGES}/changes.html", "pages": summary.pages,
                "texts": len(summary.changes.edited())}

    @staticmethod
    def _articles(model: dict, printed: dict | None) -> list[dict]:
        """The articles as the page lists them: the newest titles, and their pages in the last PDF."""
        starts = (printed or {}).get("starts", {})
        return [{"id": a["id"], "title": a["title"], "section": a["section"], "source": a["source"],
                 "pages": starts.get(a["id"])} for a in model["articles"]]

