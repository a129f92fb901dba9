"""What a contributor sees on a pull request: `huikan check --format github` annotations on the lines
of the files they changed, and the workflow that runs it."""

import re
import shutil
from pathlib import Path

import yaml

from conftest import ROOT, SEEDS, new_issue, run_huikan

WORKFLOW = ROOT / ".github" / "workflows" / "check.yml"
ANNOTATION = re.compile(r"^::(error|warning|notice) file=([^,]+)(?:,line=(\d+))?,title=\[([\w-]+)\]::(.*)$")


def annotations(process) -> list[tuple[str, str, int, str, str]]:
    found = []
    for line in process.stdout.splitlines():
        match = ANNOTATION.match(line)
        assert match, f"not an annotation: {line!r}"
        kind, path, number, code, message = match.groups()
        found.append((kind, path, int(number or 0), code, message))
    return found


def test_each_kind_of_finding_is_an_annotation_on_its_line(tmp_path):
    repo = tmp_path / "repo"
    folder = new_issue(repo / "issues" / "2026-12", extra='\n[[sections]]\ntitle = "要闻"\narticles = ["a.md"]\n')
    (folder / "a.md").write_text("# 标题\n\n正文第一段。\n\n![图1 现场](images/missing.jpg)\n", encoding="utf-8")
    shutil.copy(SEEDS / "001_aa18179e77685e74.txt", folder / "b.txt")  # unlisted; a paragraph rejoined
    process = run_huikan("check", "--format", "github", "issues/2026-12", cwd=repo, env={"GITHUB_WORKSPACE": str(repo)})
    assert process.returncode == 1, process.stderr  # an error: the check fails
    found = annotations(process)
    kinds = {(kind, code) for kind, _, _, code, _ in found}
    assert ("error", "picture-missing") in kinds
    assert ("warning", "unlisted-article") in kinds
    assert ("notice", "rejoined") in kinds
    picture = next(f for f in found if f[3] == "picture-missing")
    assert picture[1:3] == ("issues/2026-12/a.md", 5)  # relative to the repository, the line of the picture
    rejoined = next(f for f in found if f[3] == "rejoined")
    assert rejoined[1] == "issues/2026-12/b.txt" and rejoined[2] > 1
    unlisted = next(f for f in found if f[3] == "unlisted-article")
    assert unlisted[1] == "issues/2026-12/b.txt" and unlisted[2] == 0  # a whole file: no line=


def test_paths_given_absolute_are_made_relative_to_the_workspace(tmp_path):
    repo = tmp_path / "repo"
    folder = new_issue(repo / "seeds-copy")
    (folder / "a.txt").write_text("标题\n\n正文，见 ![图](images/none.png)。\n", encoding="utf-8")
    (folder / "b.md").write_text("# B\n\n![图](../../outside.png)\n", encoding="utf-8")
    process = run_huikan("check", "--format", "github", str(folder), env={"GITHUB_WORKSPACE": str(repo)})
    paths = {path for _, path, _, _, _ in annotations(process)}
    assert paths and all(not path.startswith("/") for path in paths), paths


def test_a_message_cannot_end_the_annotation_early():
    from huikan.diagnostics import Diagnostic

    line = Diagnostic("warning", "a, b:c.md", 3, "x", "first line\n::error::forged 100%").github(Path.cwd())
    assert "\n" not in line
    assert line == "::warning file=a%2C b%3Ac.md,line=3,title=[x]::first line%0A::error::forged 100%25"


def test_a_broken_issue_toml_is_an_error_annotation_with_exit_2(tmp_path):
    new_issue(tmp_path / "bad", extra="number = \n")
    process = run_huikan("check", "--format", "github", "bad", cwd=tmp_path, env={"GITHUB_WORKSPACE": str(tmp_path)})
    assert process.returncode == 2
    (kind, path, line, code, _), = annotations(process)
    assert (kind, path, code) == ("error", "bad/issue.toml", "bad-toml") and line == 6


def test_json_stays_as_it_was():
    process = run_huikan("check", str(SEEDS), "--format", "json")
    assert process.returncode == 0
    assert '"diagnostics"' in process.stdout and run_huikan("check", str(SEEDS), "--json").stdout == process.stdout


def test_the_pull_request_workflow_checks_builds_and_never_deploys():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert set(flow[True]) == {"pull_request"}  # YAML reads the key `on` as True
    assert flow["permissions"] == {"contents": "read"}
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "secrets." not in text and "deploy" not in text.split("jobs:")[1]
    steps = flow["jobs"]["check"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "huikan check --format github $FOLDERS" in runs
    assert "huikan build $FOLDERS" in runs and "--formats pdf,docx" in runs
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert "build/*/*.pdf" in upload["with"]["path"] and "build/*/*.docx" in upload["with"]["path"]
    assert all(step.get("with", {}).get("persist-credentials") is False
               for step in steps if step.get("uses", "").startswith("actions/checkout@"))
