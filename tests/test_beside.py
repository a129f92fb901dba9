"""Work done in a forked process beside the build's: the same outputs as without it, and its failures
come back as the build's own."""

import hashlib
import os

import pytest

from conftest import SEEDS, new_issue
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


def test_a_pdf_in_parts_waits_for_each_parts_articles_and_is_the_same_bytes(tmp_path, monkeypatch):
    from huikan.render import pdf

    per_article = pdf.article_parts
    monkeypatch.setattr(pdf, "article_parts", lambda issue, budget=0: per_article(issue, 1))  # a part each
    forked = build_issue(SEEDS, tmp_path / "forked", ("pdf", "docx", "html"))
    monkeypatch.setattr(beside.os, "cpu_count", lambda: 1)
    here = build_issue(SEEDS, tmp_path / "here", ("pdf", "docx", "html"))
    assert digests(forked.folder) == digests(here.folder) and len(digests(here.folder)) == 3
    starts = [[a["start_page"] for a in built.manifest["articles"]] for built in (forked, here)]
    assert starts[0] == starts[1]


def test_a_build_gives_back_the_collectors_settings(tmp_path):
    import gc

    before = gc.get_threshold()
    build_issue(SEEDS, tmp_path / "out", ("pdf",))
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0 and gc.isenabled()


def test_the_pictures_the_child_made_are_counted_once(tmp_path, monkeypatch):
    from PIL import Image

    folder = new_issue(tmp_path / "issue")
    (folder / "images").mkdir()
    Image.new("RGB", (1200, 800), "steelblue").save(folder / "images" / "photo.png")
    (folder / "a.md").write_text("# 标题\n\n正文第一段。\n\n![图1 现场](images/photo.png)\n", encoding="utf-8")
    formats = ("pdf", "docx", "html", "wechat")
    forked = build_issue(folder, tmp_path / "forked", formats).manifest["pictures"]
    monkeypatch.setattr(beside.os, "cpu_count", lambda: 1)
    here = build_issue(folder, tmp_path / "here", formats).manifest["pictures"]
    # print, Word, two for screens, one for the 公众号 edition: each made once, by one process or the other
    assert forked == here == {"count": 1, "made": 5, "reused": 0}


def test_a_fault_in_the_child_comes_back_with_its_diagnostics():
    def fails():
        raise FaultError([Diagnostic("error", "x.docx", 0, "internal", "making the Word file failed")])

    with pytest.raises(FaultError) as caught:
        beside.Beside(fails).result()
    assert caught.value.diagnostics[0].format() == "x.docx: error: making the Word file failed [internal]"

    with pytest.raises(beside.ChildFailed, match="status 7"):
        beside.Beside(lambda: os._exit(7)).result()


@pytest.mark.parametrize("cores", [2, 1])
def test_work_begun_before_its_input_is_given_gets_it(monkeypatch, cores):
    monkeypatch.setattr(beside.os, "cpu_count", lambda: cores)
    told: list = []
    work = beside.Beside(lambda tell, receive: tell("begun") or sorted(receive()), news=told.append, given=True)
    assert work.forked == (cores > 1)
    work.give({"乙", "甲"})
    assert work.result() == ["乙", "甲"] and told == ["begun"]


def test_work_waiting_for_an_input_that_never_comes_ends_when_the_giver_is_gone():
    """The build died (or failed) before it had the issue to give: the work is told so, not left waiting."""
    work = beside.Beside(lambda receive: receive(), given=True)
    work.giver.close()  # as the build's end of the pipe is closed when its process ends
    work.giver = None
    work.process.join(30)  # (a work left waiting would still be alive)
    assert not work.process.is_alive()
    with pytest.raises(EOFError):
        work.result()


def test_giving_more_than_the_pipe_holds_does_not_wait_for_the_work_to_ask(tmp_path):
    """The build gives the enrich its issue (hundreds of kilobytes) while the enrich still loads jieba: the
    build goes on at once. Here the work asks only once the giver has gone on and said so."""
    import time

    said = tmp_path / "given"

    def work(receive):
        end = time.monotonic() + 20
        while not said.exists() and time.monotonic() < end:
            time.sleep(0.01)
        return said.exists(), len(receive())

    started = beside.Beside(work, given=True)
    started.give("质" * 1_000_000)
    said.touch()
    assert started.result() == (True, 1_000_000)
