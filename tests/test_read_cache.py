"""A rebuild reads again only the article files that changed: the others' articles and messages are kept
from the build before (ingest/kept.py), and the issue read is the one a reading without the cache gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document

import huikan.ingest as ingest
from conftest import SEEDS
from huikan.diagnostics import Report
from huikan.ingest import load_issue


@pytest.fixture
def issue(tmp_path, monkeypatch) -> Path:
    """The seeds and a Word file, with a cache of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "issue"
    shutil.copytree(SEEDS, folder)
    word = Document()
    word.add_heading("会员单位质量月活动综述", level=0)
    word.add_paragraph("九月是全国“质量月”。本会组织会员单位开展了形式多样的质量月活动，共有四十余家企业参加。")
    word.save(folder / "005_word.docx")
    return folder


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The names of the files the readers are given, as they are given them."""
    names: list[str] = []

    def counted(reader):
        def read(raw, name, *rest):
            names.append(name)
            return reader(raw, name, *rest)
        return read

    monkeypatch.setattr(ingest, "READERS", {suffix: counted(reader) for suffix, reader in ingest.READERS.items()})
    return names


def read(folder: Path, keep: bool = True) -> tuple[list[dict], list[str]]:
    report = Report()
    issue = load_issue(folder, report, keep=keep)
    return [article.to_json() for article in issue.articles], [d.format() for d in report.items]


def test_unchanged_files_are_not_read_again(issue, reads):
    first = read(issue)
    assert len(reads) == 6  # five seeds and the Word file
    reads.clear()
    assert read(issue) == first
    assert reads == []
    assert read(issue, keep=False) == first  # what a reading without the cache gives


def test_a_changed_file_is_read_again_and_its_old_entry_removed(issue, reads, tmp_path):
    read(issue)
    source = issue / "002_54376ca8c0ea4f5c.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("质量", "品质", 1), encoding="utf-8")
    reads.clear()
    articles, said = read(issue)
    assert reads == ["002_54376ca8c0ea4f5c.txt"]
    assert (articles, said) == read(issue, keep=False)
    assert any("品质" in block["text"] for a in articles if a["source"] == source.name for block in a["blocks"])
    assert len([p for p in (tmp_path / "cache" / "huikan" / "read").rglob("*") if p.is_file()]) == 6


def test_a_file_a_reader_refuses_is_read_each_time(issue, reads):
    (issue / "006_broken.docx").write_bytes(b"PK\x03\x04 not a Word file at all")
    _, said = read(issue)
    assert any("006_broken.docx" in line and "error" in line for line in said)
    reads.clear()
    assert read(issue)[1] == said
    assert reads == ["006_broken.docx"]
