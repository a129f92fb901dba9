"""Whatever fails, the user gets one line naming the file, an exit status, and the last good outputs."""

import pytest

from conftest import SEEDS, new_issue, run_huikan
from huikan import cli
from huikan.ingest import READERS


def run_in_process(capsys, *args) -> tuple[int, list[str]]:
    with pytest.raises(SystemExit) as exited:
        cli.main(list(args))
    captured = capsys.readouterr()  # check prints its findings on stdout, the others on stderr
    lines = [line for line in (captured.out + captured.err).splitlines() if line.strip()]
    return exited.value.code, lines


def test_a_fault_in_a_writer_is_one_line_exit_3_and_the_last_build_stays(issue_copy, tmp_path, capsys, monkeypatch):
    out = tmp_path / "build"
    assert run_in_process(capsys, "build", str(issue_copy), "-o", str(out), "-q")[0] == 0
    capsys.readouterr()
    before = {p.name: p.read_bytes() for p in (out / "2020-06").iterdir()}
    (issue_copy / "000_5c2f2025e9d3839a.txt").write_text("新的一期\n\n正文有了改动。\n", encoding="utf-8")

    def broken(*args, **kwargs):
        raise ValueError("exceeded 255 char limit for property")

    monkeypatch.setattr("huikan.render.docx.render_docx", broken)
    status, lines = run_in_process(capsys, "build", str(issue_copy), "-o", str(out), "-q")
    assert status == 3
    assert len(lines) == 1 and "Traceback" not in lines[0]
    assert lines[0].startswith(f"{out / '2020-06' / '2020-06.docx'}: error: making the Word file failed (ValueError")
    assert lines[0].endswith("[internal]")
    after = {p.name: p.read_bytes() for p in (out / "2020-06").iterdir()}
    assert after == before  # nothing half-made replaced the good files, no temporary file left


def test_a_fault_in_enrich_while_the_pdf_is_laid_out_is_named_as_enrichs(issue_copy, tmp_path, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("no keyword for this")

    monkeypatch.setattr("huikan.enrich.issue.extract_keywords", broken)  # the forked enrich inherits it
    status, lines = run_in_process(capsys, "build", str(issue_copy), "-o", str(tmp_path / "build"), "-q")
    assert status == 3 and len(lines) == 1, lines
    assert lines[0].startswith(f"{issue_copy}: error: making 摘要 and 关键词 failed (ValueError: no keyword for this)")
    assert not (tmp_path / "build" / "2020-06").exists()  # nothing half-made put in place


def test_a_reader_that_fails_on_one_file_names_it_and_reads_the_others(issue_copy, capsys, monkeypatch):
    (issue_copy / "note.md").write_text("# 短讯\n\n正文。\n", encoding="utf-8")

    def broken(*args):
        raise KeyError("w:numId")

    monkeypatch.setitem(READERS, ".md", broken)
    status, lines = run_in_process(capsys, "check", str(issue_copy))
    assert status == 1
    errors = [line for line in lines if ": error: " in line]
    assert errors == [f"{issue_copy / 'note.md'}: error: huikan could not read this file (KeyError: 'w:numId'); "
                      "please report it with the file [reader-failed]"]


def test_an_unexpected_fault_outside_a_build_is_one_line_unless_debugging(capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "prepare", broken)
    status, lines = run_in_process(capsys, "inspect", str(SEEDS))
    assert status == 3 and len(lines) == 1
    assert "RuntimeError: boom" in lines[0] and lines[0].endswith("[internal]")
    monkeypatch.setenv("HUIKAN_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main(["inspect", str(SEEDS)])


def test_front_matter_values_of_the_wrong_kind_are_errors_at_their_line(tmp_path):
    folder = new_issue(tmp_path / "issue")
    (folder / "a.md").write_text('---\ntitle: 2020\nauthors: 5\nsummary: {a: 1}\nintro: "\\ud800"\n---\n正文。\n',
                                 encoding="utf-8")
    process = run_huikan("check", str(folder))
    assert process.returncode == 1 and "Traceback" not in process.stderr
    lines = process.stdout.splitlines()
    assert f"{folder / 'a.md'}:4: error: 'summary' must be text, not a dict [bad-front-matter]" in lines
    assert any(line.startswith(f"{folder / 'a.md'}:5: warning: ") and "[bad-character]" in line for line in lines)
