"""Proofs kept inside the build folder (build/<id>/proofs/<n>/): a copy of the finished build with a
proof.json, carried over into each new build folder before it is swapped in, so that none is lost."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

PROOFS = "proofs"
CHANGES = "changes"
PAGE_KEYS = "pages.json"  # in a proof: its PDF's page keys (proofs/pages.py)
NOT_COPIED = {PROOFS, CHANGES, ".pictures"}  # a proof holds the editions and the model, not the caches


@dataclass(frozen=True)
class Proof:
    number: int
    label: str
    date: str  # the date from issue.toml, as the build had it
    pages: int | None
    folder: Path

    def to_json(self) -> dict:
        return {"number": self.number, "label": self.label, "date": self.date, "pages": self.pages,
                "folder": str(self.folder)}


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)  # a proof shares its files with the build it was made from
    except OSError:
        shutil.copy2(source, target)


def carry(old: Path, staging: Path) -> None:
    """The proofs of the build folder OLD into the new one being made (STAGING)."""
    if (old / PROOFS).is_dir():
        shutil.copytree(old / PROOFS, staging / PROOFS, copy_function=_link_or_copy, dirs_exist_ok=True)


def proofs(build: Path) -> list[Proof]:
    """The proofs kept in the build folder BUILD, oldest first."""
    found = []
    for folder in sorted((build / PROOFS).glob("*"), key=lambda p: int(p.name) if p.name.isdigit() else 0):
        try:
            data = json.loads((folder / "proof.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        found.append(Proof(int(data["number"]), data.get("label", ""), data.get("date", ""), data.get("pages"),
                           folder))
    return found


def keep(build: Path, label: str) -> Proof:
    """Keep the finished build in BUILD as its next proof, labelled LABEL (二校) or by its number."""
    number = max((p.number for p in proofs(build)), default=0) + 1
    target = build / PROOFS / str(number)
    staging = target.with_name(f".{number}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for item in build.iterdir():
        if item.name in NOT_COPIED or item.name.startswith("."):
            continue
        if item.is_dir():
            shutil.copytree(item, staging / item.name, copy_function=_link_or_copy)
        else:
            _link_or_copy(str(item), str(staging / item.name))
    manifest = json.loads((build / "build.json").read_text(encoding="utf-8"))
    pages = manifest.get("outputs", {}).get("pdf", {}).get("pages")
    proof = Proof(number, label or default_label(number), manifest.get("issue", {}).get("date") or "", pages, target)
    (staging / "proof.json").write_text(json.dumps({k: v for k, v in proof.to_json().items() if k != "folder"},
                                                   ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    pdf = manifest.get("outputs", {}).get("pdf")
    if pdf:  # each page's key, read once: every later comparison with this proof needs them
        from huikan.proofs.pages import page_keys

        keys = [key.key for key in page_keys(staging / pdf["path"])]
        (staging / PAGE_KEYS).write_text(json.dumps(keys) + "\n", encoding="utf-8")
    staging.rename(target)
    return proof


def default_label(number: int) -> str:
    """一校, 二校, 三校 … as an editor names the rounds."""
    return f"{'一二三四五六七八九十'[number - 1]}校" if number <= 10 else f"第{number}校"
