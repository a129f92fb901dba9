"""The project's own documents agree with its code: the architecture names every module, the version is one."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import huikan

ROOT = Path(__file__).resolve().parents[1]
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def modules_named() -> set[str]:
    """Module paths from the folder tree in docs/architecture.md (`  ingest/` opens a folder)."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    tree = text[text.index("src/huikan/\n"):]
    tree = tree[:tree.index("```")]
    named, folder = set(), ""
    for line in tree.splitlines()[1:]:
        m = re.match(r"^( +)(\S+)", line)
        if not m:
            continue
        indent, name = len(m.group(1)), m.group(2)
        if name.endswith("/"):
            folder = name
        elif name.endswith(".py"):
            named.add((folder if indent > 2 else "") + name)
    return named


def test_architecture_names_every_module_and_only_real_ones():
    source = ROOT / "src" / "huikan"
    actual = {p.relative_to(source).as_posix() for p in source.rglob("*.py")}
    named = modules_named()
    assert actual - named == set(), "modules missing from docs/architecture.md"
    assert named - actual == set(), "docs/architecture.md names modules that do not exist"


def test_architecture_paths_exist():
    """Every project path the page names in backquotes (a folder or file) is there."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    for path in re.findall(r"`((?:src|templates|tests|bench|docs|seeds|\.ci|\.github)/[\w./-]*)`", text):
        assert (ROOT / path).exists(), path


def test_one_version_everywhere():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == huikan.__version__
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{huikan.__version__}]" in changelog, "the current version has no CHANGELOG entry"


def test_readme_links_the_project_documents():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/architecture.md)" in readme and "(CHANGELOG.md)" in readme
