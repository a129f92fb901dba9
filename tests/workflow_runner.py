"""A GitHub Actions workflow run on this machine, as far as a test needs: its jobs in the order their
`needs` give, a matrix job once per entry, each job in a fresh copy of the repository, every `run:` step
executed by bash with the step's environment (`${{ … }}` expressions filled in), $GITHUB_OUTPUT read back
into `steps.<id>.outputs`, and the actions the workflows use stood in for: checkout, setup-python and
cache do nothing (the copy is the checkout; this machine has Python), upload-artifact and
download-artifact copy files through a folder, upload-pages-artifact checks the site is there.

Two commands are stand-ins too, put first on PATH: `sudo apt-get` does nothing (the packages are
installed here, as .ci/run installs them), and `pip install -r requirements.txt` checks that the file
pins the huikan this test runs, the one already installed, instead of fetching it."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

import huikan

EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")


@dataclass
class Run:
    repo: Path
    work: Path
    github: dict
    outputs: dict[str, dict] = field(default_factory=dict)  # job → its outputs
    artifacts: Path = field(init=False)
    logs: list[str] = field(default_factory=list)
    pages: Path | None = None

    def __post_init__(self):
        self.artifacts = self.work / "artifacts"
        self.artifacts.mkdir(parents=True, exist_ok=True)
        self.shims = self.work / "shims"
        self.shims.mkdir(exist_ok=True)
        (self.shims / "sudo").write_text('#!/bin/sh\n[ "$1" = apt-get ] && exit 0\nexec "$@"\n')
        (self.shims / "pip").write_text(
            "#!/bin/sh\n# pip install -r requirements.txt: the file must pin the huikan installed here.\n"
            f'[ "$1 $2" = "install -r" ] && grep -qx "huikan=={huikan.__version__}" "$3" && exit 0\n'
            'echo "pip stand-in: not asked for" "$@" >&2; exit 1\n')
        for shim in self.shims.iterdir():
            shim.chmod(0o755)


def run_workflow(path: Path, run: Run) -> None:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    done: list[str] = []
    while len(done) < len(jobs):
        name = next(n for n, job in jobs.items() if n not in done
                    and all(need in done for need in _listed(job.get("needs"))))
        job = jobs[name]
        context = {"needs": {n: {"outputs": run.outputs.get(n, {})} for n in _listed(job.get("needs"))},
                   "github": run.github, "env": workflow.get("env", {})}
        condition = job.get("if")
        if condition and not _truth(condition, context):
            done.append(name)
            continue
        matrix = job.get("strategy", {}).get("matrix")
        entries = [{}]
        if matrix is not None:
            entries = _value(matrix, context)["include"] if isinstance(matrix, str) else matrix["include"]
        for entry in entries:
            _run_job(name, job, {**context, "matrix": entry}, {**workflow.get("env", {}), **job.get("env", {})}, run)
        done.append(name)


def _listed(value) -> list[str]:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def _run_job(name: str, job: dict, context: dict, env: dict, run: Run) -> None:
    workspace = run.work / f"job-{name}-{context['matrix'].get('shard', 0)}"
    shutil.copytree(run.repo, workspace, ignore=shutil.ignore_patterns("build", "publish"))
    steps: dict[str, dict] = {}
    context = {**context, "steps": steps}
    for number, step in enumerate(job["steps"]):
        if step.get("if") and not _truth(step["if"], context):
            continue
        if "run" in step:
            output = run.work / f"output-{name}-{number}"
            output.write_text("")
            environment = {**os.environ, **{k: _fill(str(v), context) for k, v in env.items()},
                           **{k: _fill(str(v), context) for k, v in step.get("env", {}).items()},
                           "GITHUB_OUTPUT": str(output), "GITHUB_WORKSPACE": str(workspace),
                           "PATH": f"{run.shims}:{Path(sys.executable).parent}:{os.environ['PATH']}"}
            process = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workspace, env=environment,
                                     capture_output=True, text=True, timeout=900)
            run.logs.append(f"$ {name}: {step.get('name', step['run'][:40])}\n{process.stdout}{process.stderr}")
            assert process.returncode == 0, run.logs[-1]
            if "id" in step:
                steps[step["id"]] = {"outputs": dict(line.split("=", 1) for line in
                                                     output.read_text().splitlines() if "=" in line)}
        else:
            _action(step, workspace, context, run)
    run.outputs[name] = {k: _fill(str(v), context) for k, v in job.get("outputs", {}).items()}


def _action(step: dict, workspace: Path, context: dict, run: Run) -> None:
    action = step["uses"].split("@")[0]
    given = {k: _fill(str(v), context) for k, v in step.get("with", {}).items()}
    if action == "actions/upload-artifact":
        patterns = [p.strip() for p in given["path"].splitlines() if p.strip()]
        found = [f for p in patterns for f in sorted(workspace.glob(p.rstrip("/")))]
        files = [f for path in found for f in ([path] if path.is_file() else sorted(path.rglob("*"))) if f.is_file()]
        assert files or given.get("if-no-files-found") != "error", f"{given['name']}: no files"
        # The artifact's root: the least common ancestor of the search paths (each up to its first wildcard).
        fixed = [workspace / re.split(r"[*?\[]", p)[0] for p in patterns]
        root = Path(os.path.commonpath([str(f if f.is_dir() else f.parent) for f in fixed]))
        for f in files:
            target = run.artifacts / given["name"] / f.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, target)
    elif action == "actions/download-artifact":
        into = workspace / given["path"]
        for artifact in sorted(run.artifacts.iterdir()):
            if fnmatch.fnmatch(artifact.name, given.get("pattern", "*")):
                shutil.copytree(artifact, into, dirs_exist_ok=True)
    elif action == "actions/upload-pages-artifact":
        site = workspace / given["path"]
        assert (site / "index.html").is_file(), "no site to deploy"
        run.pages = site
    # actions/checkout, setup-python, cache, deploy-pages: nothing to do here


def _value(expression: str, context: dict):
    """A ${{ }} expression's value: a property path, fromJSON(…), or a quoted string."""
    expression = expression.strip()
    if expression.startswith("${{"):
        expression = EXPRESSION.fullmatch(expression).group(1)
    if expression.startswith("fromJSON(") and expression.endswith(")"):
        return json.loads(_value(expression[9:-1], context))
    if expression.startswith("'") and expression.endswith("'"):
        return expression[1:-1]
    value = context
    for part in expression.split("."):
        value = value.get(part, "") if isinstance(value, dict) else ""
    return value


def _fill(text: str, context: dict) -> str:
    return EXPRESSION.sub(lambda m: str(_value(m.group(1), context)), text)


def _truth(condition: str, context: dict) -> bool:
    """`a != ''` and `a == 'b'`, as the workflows' conditions are written."""
    condition = EXPRESSION.sub(lambda m: m.group(1), condition)
    left, operator, right = re.fullmatch(r"(.+?)\s*(==|!=)\s*(.+)", condition.strip()).groups()
    equal = str(_value(left, context)) == str(_value(right, context))
    return equal if operator == "==" else not equal
