"""Work done in a forked process beside the build's: the same outputs as without it, and its failures
come back as the build's own."""

import hashlib
import os

import pytest

from conftest import SEEDS
from huikan import beside
from huikan.build import build_issue
from huikan.diagnostics import Diagnostic, FaultError


def digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()
            and p.suffix in (".pdf", ".docx", ".html")}


def test_the_outputs_are_the_same_bytes_with_or_without_the_fork(tmp_path, monkeypatch):
    forked = build_issue(SEEDS, tmp_path / "forked", ("pdf", "docx", "html", "wechat"))
    monkeypatch.setattr(beside.os, "cpu_count", lambda: 1)  # one core: everything in the build's process
    here = build_issue(SEEDS, tmp_path / "here", ("pdf", "docx", "html", "wechat"))
    assert digests(forked.folder) == digests(here.folder) and len(digests(here.folder)) == 3
    assert forked.manifest["diagnostics"] == here.manifest["diagnostics"]
    assert sorted(forked.manifest["timings"]) == sorted(here.manifest["timings"])
    assert forked.manifest["outputs"]["wechat"] == here.manifest["outputs"]["wechat"]


def test_a_fault_in_the_child_comes_back_with_its_diagnostics():
    def fails():
        raise FaultError([Diagnostic("error", "x.docx", 0, "internal", "making the Word file failed")])

    with pytest.raises(FaultError) as caught:
        beside.Beside(fails).result()
    assert caught.value.diagnostics[0].format() == "x.docx: error: making the Word file failed [internal]"

    with pytest.raises(beside.ChildFailed, match="status 7"):
        beside.Beside(lambda: os._exit(7)).result()
