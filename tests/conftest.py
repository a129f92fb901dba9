"""Shared fixtures: the sample issue is built once per test session through the real command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
THEME = ROOT / "templates"


def run_huikan(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the huikan command as a user would; return the finished process."""
    return subprocess.run([sys.executable, "-m", "huikan", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)


def new_issue(folder: Path, issue_id: str = "t", extra: str = "") -> Path:
    """FOLDER as an issue folder with a minimal issue.toml (five lines, then EXTRA); its articles are the test's."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "issue.toml").write_text(f'[publication]\ntitle = "上海质量"\n\n[issue]\nid = "{issue_id}"\n{extra}',
                                       encoding="utf-8")
    return folder


class Built:
    def __init__(self, out: Path, process: subprocess.CompletedProcess):
        self.process = process
        self.folder = out / "2020-06"
        self.manifest = json.loads((self.folder / "build.json").read_text(encoding="utf-8"))
        self.pdf = self.folder / "2020-06.pdf"
        self.docx = self.folder / "2020-06.docx"
        self.html = self.folder / "2020-06.html"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    out = tmp_path_factory.mktemp("build")
    process = run_huikan("build", str(SEEDS), "-o", str(out))
    assert process.returncode == 0, process.stderr
    return Built(out, process)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The sample issue published: publish/ as readers get it."""
    work = tmp_path_factory.mktemp("publish")
    process = run_huikan("publish", str(SEEDS), "-o", str(work / "publish"), "--build", str(work / "build"))
    assert process.returncode == 0, process.stderr
    return work / "publish"


@pytest.fixture
def issue_copy(tmp_path) -> Path:
    """A writable copy of the sample issue."""
    target = tmp_path / "issue"
    shutil.copytree(SEEDS, target)
    return target
