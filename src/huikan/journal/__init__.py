"""huikan init: a journal's own repository, with huikan as a dependency — its first issue, its theme folder,
the pinned huikan version and the GitHub Actions workflows (check on pull requests, build and publish on
push and on a schedule). The workflows are made from the templates in files/workflows/, from which
huikan's own repository's workflows are made too (`python -m huikan.journal`), so the two cannot drift.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from huikan import __version__
from huikan.diagnostics import UsageError
from huikan.scaffold import create_issue

FILES = Path(__file__).parent / "files"
WORKFLOWS = ("check.yml", "publish.yml")


@dataclass(frozen=True)
class Setting:
    """How a repository's workflows install huikan and find its issues."""

    install: str  # the command that installs huikan
    issues: str  # the issue folders, as shell globs
    apt: str  # the file that lists the system packages


JOURNAL = Setting("pip install -r requirements.txt", "issues/*/", "apt-packages.txt")
PROJECT = Setting("pip install .", "seeds issues/*/", ".ci/apt-packages.txt")  # huikan's own repository


def workflow(name: str, setting: Setting) -> str:
    """The workflow NAME (check.yml, publish.yml) for a repository of SETTING."""
    text = (FILES / "workflows" / name).read_text(encoding="utf-8")
    for key, value in (("install", setting.install), ("issues", setting.issues), ("apt", setting.apt)):
        text = text.replace(f"@@{key}@@", value)
    return text


def journal_files(title: str, issue_id: str) -> dict[str, str]:
    """The repository's files (path → text), but for the first issue's folder."""
    readme = (FILES / "README.md").read_text(encoding="utf-8")
    for key, value in (("title", title), ("version", __version__), ("issue", issue_id)):
        readme = readme.replace(f"@@{key}@@", value)
    return {
        "README.md": readme,
        "requirements.txt": f"# The huikan that made this repository; change it deliberately (every issue is built "
                            f"again).\nhuikan=={__version__}\n",
        ".gitignore": (FILES / "gitignore").read_text(encoding="utf-8"),
        "apt-packages.txt": (FILES / "apt-packages.txt").read_text(encoding="utf-8"),
        "theme/README.md": (FILES / "theme-README.md").read_text(encoding="utf-8"),
        **{f".github/workflows/{name}": workflow(name, JOURNAL) for name in WORKFLOWS},
    }


def create_journal(folder: Path, title: str, publisher: str, issue_id: str,
                   force: bool = False) -> tuple[list[Path], list[Path]]:
    """Write a journal repository into FOLDER: (files written, files that existed and were kept)."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()) and not force:
        raise UsageError.single(str(folder), 0, "not-empty", "the folder is not empty: huikan init starts a new "
                                "repository (--force writes into it, keeping every file that is there)")
    written, kept = [], []
    for name, text in journal_files(title, issue_id).items():
        path = folder / name
        if path.exists():
            kept.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    issue = folder / "issues" / issue_id
    if (issue / "issue.toml").exists():
        kept.append(issue / "issue.toml")
    else:
        written += create_issue(issue, title, publisher, formats=("pdf", "docx", "html", "wechat"))
    return written, kept


def copy_theme(theme: Path, issue: Path) -> list[Path]:
    """The journal's theme files (but its README) into the new issue's templates/."""
    made = []
    for source in sorted(p for p in Path(theme).rglob("*") if p.is_file() and p.name != "README.md"):
        target = issue / "templates" / source.relative_to(theme)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            made.append(target)
    return made
