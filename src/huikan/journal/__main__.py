"""python -m huikan.journal: write huikan's own repository's workflows from the templates (run from the
repository's root after changing a template; a test checks that they agree)."""

from pathlib import Path

from huikan.journal import PROJECT, WORKFLOWS, workflow

for name in WORKFLOWS:
    Path(".github/workflows", name).write_text(workflow(name, PROJECT), encoding="utf-8")
    print(f"wrote .github/workflows/{name}")
