"""The seeds as a careful copy editor would leave them."""

import re

import pytest

from conftest import SEEDS
from huikan.diagnostics import Report
from huikan.ingest import load_issue


@pytest.fixture(scope="module")
def seeds():
    report = Report()
    issue = load_issue(SEEDS, report)
    return issue, report


def by_title(issue, title):
    return next(a for a in issue.articles if a.title == title)


def texts(article, kind="paragraph"):
    return [b.text for b in article.blocks if b.type == kind]


def all_text(article):
    return "\n".join(b.text for b in article.blocks)


def test_six_articles_the_second_inside_002(seeds):
    issue, _ = seeds
    assert len(issue.articles) == 6
    sources = [a.source for a in issue.articles]
    assert sources.count("002_54376ca8c0ea4f5c.txt") == 2


def test_002_is_stitched_across_the_insert(seeds):
    issue, _ = seeds
    host = by_title(issue, "在常态化疫情防控中 高质量推进复工复产")
    assert host.subtitle == "2020年度上海市质协工作重点"
    body = all_text(host)
    assert "顺利完成党总支换届工作，加强组织建设" in body
    assert host.signature == "上海市质协秘书处"
    assert texts(host)[-1].endswith("完善知识与出版业务的经营管理机制。")
    assert not host.truncated
    assert "沃森" not in body and "上接" not in body


def test_the_inserted_article_is_its_own_and_truncated(seeds):
    issue, report = seeds
    inner = by_title(issue, "质量：“追求善、制止恶”")
    assert inner.subtitle == "质量大师沃森印象"
    assert inner.authors == ["西土瓦"]
    notes = [b for b in inner.blocks if b.type == "editor_note"]
    assert len(notes) == 1 and notes[0].text.startswith("本篇文章，是2019年第12期特稿文章")
    assert inner.truncated and texts(inner)[-1].endswith("记者都有些焦")
    warning = next(d for d in report.items if d.code == "truncated")
    assert warning.severity == "warning" and warning.path.endswith("002_54376ca8c0ea4f5c.txt") and warning.line == 75


def test_titles_subtitles_authors(seeds):
    issue, _ = seeds
    a000 = by_title(issue, "学习全国两会精神 助力高质量发展")
    assert a000.signature == "钟和" and a000.subtitle == "上海市质协召开传达学习全国两会精神会议"
    a001 = issue.articles[1]
    assert a001.subtitle == "上海市质量协会第六届理事会工作报告" and a001.authors == ["唐晓芬"]
    assert by_title(issue, "上海发布 《开展质量提升行动的实施方案》")


def test_003_without_override_warns_and_derives_a_title(issue_copy):
    config = issue_copy / "issue.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text[: text.index("# The source of this report")], encoding="utf-8")
    report = Report()
    issue = load_issue(issue_copy, report)
    article = next(a for a in issue.articles if a.source.startswith("003"))
    assert article.title.startswith("2015年2月2日至3日")
    warning = next(d for d in report.items if d.code == "missing-title")
    assert warning.severity == "warning" and warning.path.endswith("003_134084127a1d6434.txt")


@pytest.mark.parametrize("sentence", [
    "后疫情时代如何化危为机、助力高质量发展，",
    "把“守初心、担使命，找差距、抓落实”的主题活动常态化",
    "已经成为国际质量界公认的品牌专业会议。",
    "会员服务满意率不断提升。",
    "质协用户评价中心，2016年又与德国质协合作成立",
])
def test_cut_paragraphs_are_whole_again(seeds, sentence):
    issue, _ = seeds
    assert any(sentence in p for a in issue.articles for p in texts(a))


def test_captions_are_blocks_not_body(seeds):
    issue, report = seeds
    a001 = issue.articles[1]
    assert texts(a001, "caption") == ["2018年首届进博会国际质量创新论坛现场", "2017年中国质量（上海）大会现场"]
    assert not any("●" in p or "进博会国际质量创新论坛现场" in p for p in texts(a001))
    lines = sorted(d.line for d in report.items if d.code == "caption-without-picture")
    assert lines == [57, 99]


def test_003_paragraphs_follow_its_lines(seeds):
    issue, _ = seeds
    a003 = next(a for a in issue.articles if a.source.startswith("003"))
    assert [b.line for b in a003.blocks] == list(range(1, 10))


@pytest.mark.parametrize("title,count", [("不忘初心，牢记使命 为推动高质量发展作出新贡献", 5),
                                         ("在常态化疫情防控中 高质量推进复工复产", 6),
                                         ("上海发布 《开展质量提升行动的实施方案》", 3)])
def test_numbered_headings_are_level_1(seeds, title, count):
    issue, _ = seeds
    headings = [b for b in by_title(issue, title).blocks if b.type == "heading"]
    assert len(headings) == count and all(h.level == 1 for h in headings)
    assert [h.text[0] for h in headings] == list("一二三四五六")[:count]


def test_run_in_head_and_link_in_004(seeds):
    issue, _ = seeds
    a004 = by_title(issue, "上海发布 《开展质量提升行动的实施方案》")
    head = next(b for b in a004.blocks if b.text.startswith("（一）总体目标。"))
    assert head.lead == "（一）总体目标。"
    linked = [b for b in a004.blocks if b.links]
    assert len(linked) == 1
    link = linked[0].links[0]
    assert link.href == "http://www.shanghai.gov.cn/nw2/nw2314/nw2319/nw12344/u26aw55048.html"
    assert linked[0].text[link.start:link.end] == link.href
    assert "<http" not in linked[0].text


def test_no_marker_left_in_body(seeds):
    issue, _ = seeds
    for article in issue.articles:
        for text in texts(article):
            for marker in ("●", "◆", "☞", "(上接", "（上接", "编者按"):
                assert marker not in text, (article.title, marker)
            assert not text.endswith("④") and "上海市质协秘书处）" not in text and "（钟和）" not in text


def test_punctuation_is_full_width_in_chinese_context(seeds):
    issue, _ = seeds
    body = "\n".join(all_text(a) for a in issue.articles)
    assert not re.search(r"[\u4e00-\u9fff][,;:!?()]|[,;:!?()][\u4e00-\u9fff]", body)
    assert "1:78" in body
    a003 = next(a for a in issue.articles if a.source.startswith("003"))
    assert texts(a003)[0].startswith("2015年2月2日至3日，全国质量管理暨质量强市示范城市创建工作现场会")
    assert "（Gregory H. Watson）" in body


def test_check_lists_truncation_and_captions_as_warnings():
    from conftest import run_huikan

    process = run_huikan("check", str(SEEDS))
    assert process.returncode == 0
    out = process.stdout
    assert re.search(r"002_54376ca8c0ea4f5c\.txt:75: warning: .*\[truncated\]", out)
    assert re.search(r"001_aa18179e77685e74\.txt:57: warning: .*\[caption-without-picture\]", out)
