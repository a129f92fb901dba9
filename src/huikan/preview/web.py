"""The web edition of an issue, made in the preview's own process within a second or two of a save.

The steps are the build's (ingest, the pictures' check, enrich, the pictures for screens), but
enrich remembers each article by its text (enrich/incremental.py), so an edit re-enriches one article
and not the issue. The result is a build folder of its own with the model and the screen pictures,
assembled into the site as `huikan publish` would (without the PDF and DOCX downloads, which the print
phase adds).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from huikan.build import write_model
from huikan.config import load_config
from huikan.copyedit import copyedit_issue
from huikan.diagnostics import ContentError, Report
from huikan.enrich.incremental import Incremental
from huikan.ingest import load_issue
from huikan.model import Issue
from huikan.pictures.store import PictureStore, make_screen_pictures
from huikan.pictures.survey import survey
from huikan.publish.site import BuiltIssue, assemble
from huikan.swap import fresh_staging, locked, put_in_place, recover
from huikan.theme import theme_dirs


class WebEdition:
    """Makes FOLDER's web edition into SITE, again and again, with a build folder under WORK."""

    def __init__(self, folder: Path, work: Path, site: Path):
        self.folder, self.work, self.site = folder, work, site
        self.enricher: Incremental | None = None

    def make(self) -> tuple[str, Report]:
        """Build the web edition; return the issue's id and what was found. Raise ContentError (or
        UsageError) as the build would, leaving the last site in place."""
        report = Report()
        config = load_config(self.folder)
        # (the print build reads and checks the same files: both keep what they made)
        issue = load_issue(self.folder, report, keep=True)
        copyedit_issue(issue, report, keep=True)
        survey(issue, report, config.limits)
        if report.errors:
            raise ContentError(report.errors)
        themes = theme_dirs(self.folder)
        if self.enricher is None or self.enricher.themes != themes:
            self.enricher = Incremental(themes)
        terms = self.enricher.enrich(issue)
        target = self.work / issue.id
        with locked(target):  # (a second preview of the same build folder waits)
            recover(target)
            staging = fresh_staging(target)
            try:
                self._write(issue, terms, report, staging, target)
                put_in_place(staging, target)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        publish(target, self.site)
        return issue.id, report

    def _write(self, issue: Issue, terms: dict[str, list[str]], report: Report, staging: Path, target: Path) -> None:
        """The web phase's build folder: the screen pictures, the model and a build.json without outputs."""
        store = PictureStore(self.folder, staging, target if target.is_dir() else None)
        make_screen_pictures(store, list(issue.pictures.values()))
        write_model(issue, terms, staging)
        manifest = {"issue": issue.header_json(), "outputs": {}, "diagnostics": [d.to_json() for d in report.items]}
        (staging / "build.json").write_text(json.dumps(manifest, ensure_ascii=False) + "\n", encoding="utf-8")


def publish(build: Path, site: Path) -> None:
    """Assemble SITE from one build folder, as `huikan publish` does."""
    issue = BuiltIssue.load(build)
    assemble([issue], site, issue.model["issue"]["title"] or "会刊", force=True)
