"""编校 in `huikan check` and every build: each rule flags its wrong form at its line with its code and
leaves the right form alone; published prose (model numbers, dates, ratios, quotations, Latin text) is
not flagged; safe fixes reach the editions and, with check --fix, the .txt and .md sources."""

from __future__ import annotations

import json
import re
import subprocess

import docx
import pytest

from conftest import new_issue, run_huikan

# (wrong, right, code): each wrong form is a paragraph of its own in one article.
CASES = [
    ("会议结束.代表们陆续离场。", "会议结束。代表们陆续离场。", "zh-half-width-punct"),
    ('他说"质量第一"。', "他说“质量第一”。", "zh-straight-quote"),
    ("提出“三严三实“要求。", "提出“三严三实”要求。", "zh-unbalanced"),
    ("协会（上海召开年会。", "协会（上海）召开年会。", "zh-unbalanced"),
    ("学习《关于《质量法》的通知》。", "学习《关于〈质量法〉的通知》。", "zh-nested-title"),
    ("开展了培训、咨询、认证...", "开展了培训、咨询、认证……", "zh-ellipsis"),
    ("开展了培训、咨询、认证……等。", "开展了培训、咨询、认证等。", "zh-ellipsis-deng"),
    ("他--我的老师。", "他——我的老师。", "zh-dash"),
    ("卡尔•马克思说过。", "卡尔·马克思说过。", "zh-middle-dot"),
    ("学习《标准化法》、《计量法》。", "学习《标准化法》《计量法》。", "zh-enum-comma"),
    ("1、总体要求", "1.总体要求", "zh-ordinal-punct"),
    ("会期三天，，代表三百人。", "会期三天，代表三百人。", "zh-doubled-punct"),
    ("共１２３家企业参加。", "共123家企业参加。", "zh-full-width-digit"),
    ("合格率提高了3。14%。", "合格率提高了3.14%。", "zh-decimal-point"),
    ("会议定于15：40开始。", "会议定于15:40开始。", "zh-time-colon"),
    ("产值增长15～30%。", "产值增长15%～30%。", "zh-number-range"),
    ("抗战时期（1931-1945年）。", "抗战时期（1931—1945年）。", "zh-number-range"),
    ("预计投资9～16亿。", "预计投资9亿～16亿。", "zh-number-range"),
    ("协会于98年，正式成立。", "协会于1998年，正式成立。", "zh-year"),
    ("二零一二年春天。", "二〇一二年春天。", "zh-zero"),
    ("全年培训4千人。", "全年培训4000人。", "zh-mixed-numeral"),
    ("前后用了三、四个月。", "前后用了三四个月。", "zh-approximate"),
    ("每逢星期5开会。", "每逢星期五开会。", "zh-fixed-numeral"),
    ("这是我们的的目标。", "这是我们的目标。", "zh-doubled-char"),
    ("目前己经完成。", "目前已经完成。", "zh-typo"),
    ("推行卓越績效模式。", "推行卓越绩效模式。", "zh-traditional"),
]
HEADING = ("## 一、研究背景。", "## 一、研究背景", "zh-heading-period")
# Correct published prose that no rule may flag.
PUBLISHED = [
    "依据GB/T 15834-2011和ISO 9001:2015，自2020-06-30起实施，比例尺1:500。",
    "详见https://www.example.org/a-b?c=1的说明，state-of-the-art的方法。",
    "他说：“前后用了三、四个月，的的确确辛苦。”",
    "协会会长为了了解情况，实实在在地走访了企业，目的的确达到了。",
    "增长15%～30%，投资9亿～16亿，用了三四个月，时间是1931—1945年，3～5年内完成。",
    "主要做法：1）建立制度；2）加强培训。",
    "他——我的老师——说：“质量第一。”",
    "学习《关于〈质量法〉的通知》《计量法》。",
]


def article(paragraphs: list[str]) -> str:
    return "---\ntitle: 编校检查\n---\n\n" + "\n\n".join(paragraphs) + "\n"


def line_of(paragraphs: list[str], index: int) -> int:
    return 5 + 2 * index  # after the front matter (lines 1–3) and a blank line, a paragraph every two lines


def checked(folder, *options: str) -> tuple[list[dict], subprocess.CompletedProcess]:
    process = run_huikan("check", str(folder), "--format", "json", *options)
    return json.loads(process.stdout)["diagnostics"], process


@pytest.fixture(scope="module")
def wrong(tmp_path_factory):
    folder = new_issue(tmp_path_factory.mktemp("wrong") / "issue", "w")
    paragraphs = [w for w, _, _ in CASES]
    (folder / "a.md").write_text(article([HEADING[0], *paragraphs]), encoding="utf-8")
    diagnostics, _ = checked(folder)
    return diagnostics


@pytest.fixture(scope="module")
def right(tmp_path_factory):
    folder = new_issue(tmp_path_factory.mktemp("right") / "issue", "r")
    (folder / "a.md").write_text(article([HEADING[1], *(r for _, r, _ in CASES), *PUBLISHED]), encoding="utf-8")
    diagnostics, _ = checked(folder)
    return [d for d in diagnostics if d["code"].startswith("zh-")]


@pytest.mark.parametrize(("index", "case"), list(enumerate(CASES)), ids=[f"{c[2]}-{c[0]}" for c in CASES])
def test_each_rule_flags_the_wrong_form_at_its_line(wrong, index, case):
    text, _, code = case
    line = line_of([], index + 1)  # (the heading case is the first paragraph)
    at = [d for d in wrong if d["line"] == line and d["code"].startswith("zh-")]
    assert [d["code"] for d in at] == [code], (text, at)
    message = at[0]["message"]
    assert "GB/T 1583" in message or code in ("zh-doubled-punct", "zh-doubled-char", "zh-typo", "zh-traditional")
    if at[0]["severity"] == "warning":  # a finding that needs judgement names the right form
        assert re.sub(r"^.*?(?:should read|set as) 「", "", message) != message or code == "zh-unbalanced", message


def test_a_heading_ending_in_a_full_stop_is_set_without_it(wrong):
    assert [(d["code"], d["severity"]) for d in wrong if d["line"] == 5] == [("zh-heading-period", "note")]


def test_the_right_forms_and_published_prose_are_not_flagged(right):
    assert right == []


def test_issue_wide_consistency_is_reported_once_with_every_place(tmp_path):
    folder = new_issue(tmp_path / "issue")
    (folder / "a.md").write_text(article(["全年培训2,000人次。"]), encoding="utf-8")
    (folder / "b.md").write_text(article(["共有2000家企业参加，另有1500家观摩。"]), encoding="utf-8")
    diagnostics, _ = checked(folder)
    found = [d for d in diagnostics if d["code"] == "zh-consistency"]
    assert len(found) == 1 and found[0]["path"].endswith("a.md") and found[0]["line"] == 5
    assert "2,000 at a.md:5" in found[0]["message"] and "2000 at b.md:5" in found[0]["message"]


def test_rules_are_silenced_for_the_issue_or_one_article(tmp_path):
    folder = new_issue(tmp_path / "issue", extra='\n[check]\nignore = ["zh-approximate"]\n\n'
                       '[articles."b.md"]\nignore = ["zh-typo"]\n')
    (folder / "a.md").write_text(article(["前后用了三、四个月，目前己经完成。"]), encoding="utf-8")
    (folder / "b.md").write_text(article(["前后用了三、四个月，目前己经完成。"]), encoding="utf-8")
    diagnostics, _ = checked(folder)
    assert sorted((d["path"].rsplit("/", 1)[-1], d["code"]) for d in diagnostics if d["code"].startswith("zh-")) \
        == [("a.md", "zh-typo")]
    bad = new_issue(tmp_path / "bad", extra='\n[check]\nignore = ["typo"]\n')
    (bad / "a.md").write_text(article(["正文。"]), encoding="utf-8")
    process = run_huikan("check", str(bad))
    assert process.returncode == 2 and re.search(r"issue\.toml:\d+: error: ignore must list copy-editing codes",
                                                 process.stdout + process.stderr)


def test_github_annotations_put_the_findings_on_their_lines(tmp_path):
    folder = new_issue(tmp_path / "issue")
    (folder / "a.md").write_text(article(["正文一段。", "目前己经完成。"]), encoding="utf-8")
    process = run_huikan("check", str(folder), "--format", "github", env={"GITHUB_WORKSPACE": str(tmp_path)})
    assert "::warning file=issue/a.md,line=7,title=[zh-typo]::" in process.stdout


def test_safe_fixes_reach_every_edition_and_judgement_stays_the_editors(tmp_path):
    folder = new_issue(tmp_path / "issue", "e")
    (folder / "a.md").write_text(article(["他--我的老师，推行卓越績效模式，产值增长15～30%。"]), encoding="utf-8")
    process = run_huikan("build", str(folder), "-o", str(tmp_path / "out"), "--formats", "pdf,docx,html")
    assert process.returncode == 0, process.stderr
    out = tmp_path / "out" / "e"
    pdf = subprocess.run(["pdftotext", str(out / "e.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    word = "\n".join(p.text for p in docx.Document(str(out / "e.docx")).paragraphs)
    html = (out / "e.html").read_text(encoding="utf-8")
    for edition in (re.sub(r"\s", "", pdf), word, html):
        assert "他——我的老师" in edition and "15%～30%" in edition
        assert "卓越績效" in edition  # 简繁混用 is the editor's call: flagged, not changed
    build = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert {d["code"] for d in build["diagnostics"]} >= {"zh-dash", "zh-number-range", "zh-traditional"}


def test_check_fix_shows_the_diff_and_writes_text_sources_only_when_told(tmp_path):
    folder = new_issue(tmp_path / "issue")
    source = folder / "a.txt"
    source.write_bytes("质量月活动综述\r\n\r\n他--我的老师说，产值增长15～30%。\r\n".encode("gbk"))
    document = docx.Document()
    document.add_paragraph("质量报告", style="Title")
    document.add_paragraph("他--我的老师。")
    document.save(str(folder / "b.docx"))
    word = (folder / "b.docx").read_bytes()
    shown = run_huikan("check", str(folder), "--fix")  # no terminal and no --yes: shown, not written
    assert "-他--我的老师说，产值增长15～30%。" in shown.stdout
    assert "+他——我的老师说，产值增长15%～30%。" in shown.stdout
    assert "give --yes" in shown.stderr and "b.docx: 1 fix(es) not written" in shown.stderr
    assert source.read_bytes().decode("gbk") == "质量月活动综述\r\n\r\n他--我的老师说，产值增长15～30%。\r\n"
    written = run_huikan("check", str(folder), "--fix", "--yes")
    assert written.returncode == 0, written.stderr
    assert source.read_bytes().decode("gbk") == "质量月活动综述\r\n\r\n他——我的老师说，产值增长15%～30%。\r\n"
    assert (folder / "b.docx").read_bytes() == word  # a Word file is never rewritten
    again = run_huikan("check", str(folder), "--format", "json")
    left = {d["code"] for d in json.loads(again.stdout)["diagnostics"] if d["path"].endswith("a.txt")}
    assert not left & {"zh-dash", "zh-number-range"}


def test_a_rebuild_checks_only_the_texts_an_edit_changed(tmp_path, monkeypatch):
    """The findings of each text are kept between builds: after an edit only the changed paragraph is read
    again, and the messages and the fixed texts are those of a check without the cache."""
    import huikan.copyedit as copyedit_module
    from huikan.copyedit import copyedit_issue
    from huikan.diagnostics import Report
    from huikan.ingest import load_issue

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = new_issue(tmp_path / "issue")
    (folder / "a.md").write_text(article([w for w, _, _ in CASES]), encoding="utf-8")
    (folder / "b.md").write_text(article(["全年培训2,000人次。", "目前已经完成。"]), encoding="utf-8")
    copyedit_issue(load_issue(folder, Report()), Report(), keep=True)
    (folder / "b.md").write_text(article(["全年培训2,000人次。", "目前己经完成，共2000人。"]), encoding="utf-8")
    read: list[str] = []
    real = copyedit_module.check_text
    monkeypatch.setattr(copyedit_module, "check_text", lambda text, *more: read.append(text) or real(text, *more))
    issue, report = load_issue(folder, Report()), Report()
    copyedit_issue(issue, report, keep=True)
    assert read == ["目前己经完成，共2000人。"]
    monkeypatch.undo()
    fresh, fresh_report = load_issue(folder, Report()), Report()
    copyedit_issue(fresh, fresh_report)
    assert [d.format() for d in report.items] == [d.format() for d in fresh_report.items]
    assert any(d.code == "zh-typo" for d in report.items) and any(d.code == "zh-consistency" for d in report.items)
    assert [[b.text for b in a.blocks] for a in issue.articles] == [[b.text for b in a.blocks] for a in fresh.articles]
