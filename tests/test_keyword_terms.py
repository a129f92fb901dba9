"""Keywords an indexer would write and summaries an editor would keep, on real sentences: each kind of
fragment the rules reject, the author's own 关键词 and 摘要 used, no title or byline in a summary."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_huikan
from huikan.enrich import extract_keywords, summarize

sys.path.insert(0, str(ROOT / "bench"))
from eval_text import fragment_kind

# A broker's research note, as the eval's are written: units, period codes and report phrasing.
NOTE = ("海天味业2020年半年报点评\n"
        "公司上半年实现营收116.12亿元，同比增长14.75%，毛利率同比提升0.3pct，费用率同比下降1.2pct。"
        "分品类看，酱油、蚝油分别同比增长14.3%和17.8%，Q2单季度酱油收入增速达到16.5%。"
        "公司酱油龙头地位稳固，渠道下沉持续推进，经销商数量较上年增加。"
        "我们预计公司2020年归母净利润同比增长18%，酱油业务仍是增长主力，维持买入评级。"
        "调味品行业集中度提升，海天味业凭借渠道优势持续受益，酱油和蚝油产能扩张顺利。")


def test_units_period_codes_and_report_phrasing_are_never_keywords():
    keywords = extract_keywords(NOTE, 5)
    assert keywords and "海天味业" in keywords and "酱油" in "".join(keywords)
    for keyword in keywords:
        assert not any(bad in keyword for bad in ("pct", "Q2", "同比", "分别", "较上年", "亿元")), keyword
        assert fragment_kind(keyword, "海天味业2020年半年报点评", NOTE) is None, keyword


def test_a_clause_opening_verb_or_a_preposition_does_not_open_a_keyword():
    text = ("铁路建设新进展\n"
            "中国铁路总公司宣布沪汉蓉铁路全线提速，沪汉蓉铁路的运能将提高三成。我们估计装配式建筑的占比继续上升，"
            "装配式建筑成本下降。沪汉蓉铁路沿线城市的客流增长明显，沪汉蓉铁路成为长江经济带的主通道。")
    keywords = extract_keywords(text, 5)
    assert "沪汉蓉铁路" in keywords
    assert not [k for k in keywords if k.startswith(("宣布", "估计", "向", "对"))], keywords


def test_a_set_phrase_of_an_adverb_and_its_noun_is_not_a_keyword():
    text = ("质量科学的国际交流\n"
            "沃森先生知识渊博，给与会者留下了深刻印象。沃森先生介绍了质量科学的最新进展，质量科学的国际交流日益密切，"
            "深刻印象之外，质量科学的方法也被广泛采用。")
    keywords = extract_keywords(text, 5)
    assert "深刻印象" not in keywords and "质量科学" in keywords


def test_a_term_of_the_title_is_taken_whole_even_where_jieba_cuts_it():
    text = ("现收现付制养老保险与经济增长\n"
            "本文讨论现收现付制对经济增长的影响。现收现付制下，养老保险的缴费率决定储蓄。与积累制相比，"
            "现收现付制降低了储蓄率，从而影响经济增长。完全积累制与现收现付制的比较表明，养老保险改革应当渐进。")
    keywords = extract_keywords(text, 5)
    assert "现收现付制" in keywords and "收现付制" not in keywords
    assert "养老保险" in keywords and "经济增长" in keywords


def test_the_fragment_rules_name_each_kind():
    assert fragment_kind("pct") == "unit" and fragment_kind("YoY") == "unit" and fragment_kind("Q20") == "unit"
    assert fragment_kind("H22带来") == "unit" and fragment_kind("EBITDA") is None and fragment_kind("SEM") is None
    assert fragment_kind("毛利率同比") == "phrasing" and fragment_kind("新签订单较上年") == "phrasing"
    assert fragment_kind("宣布沪汉蓉") == "edge" and fragment_kind("知识极其渊博") == "edge"
    text = "对海岛生态压力定量评估的方法。海岛生态压力定量评估需要数据。"
    assert fragment_kind("海岛生态压力定量", "海岛生态压力定量评估研究", text) == "cut"
    assert fragment_kind("海岛生态压力定量评估", "海岛生态压力定量评估研究", text) is None


@pytest.fixture()
def paper(tmp_path) -> Path:
    folder = tmp_path / "issue"
    folder.mkdir()
    (folder / "issue.toml").write_text('[publication]\ntitle = "会刊"\n\n[issue]\nid = "p"\n', encoding="utf-8")
    (folder / "a.txt").write_text(
        "中小企业质量管理体系的建设\n\n文/张三\n\n"
        "摘要：本文分析了中小企业建设质量管理体系的难点，提出了分步实施的办法。\n\n"
        "关键词：质量管理体系；中小企业；分步实施\n\n"
        "一、引言\n\n中小企业是经济的重要组成部分，质量管理体系是其稳定发展的基础。\n", encoding="utf-8")
    (folder / "b.txt").write_text("协会召开年会\n\n协会于六月召开年会，会员代表二百余人参加了会议。"
                                  "会议审议了工作报告，选举产生了新一届理事会。\n", encoding="utf-8")
    return folder


def test_an_authors_abstract_and_keywords_lines_are_used_and_not_repeated_as_text(paper):
    process = run_huikan("inspect", str(paper), "--json")
    assert process.returncode == 0, process.stderr
    articles = {a["source"]: a for a in json.loads(process.stdout)["articles"]}
    a = articles["a.txt"]
    assert a["keywords"] == ["质量管理体系", "中小企业", "分步实施"]
    assert a["summary"] == "本文分析了中小企业建设质量管理体系的难点，提出了分步实施的办法。"
    texts = [b["text"] for b in a["blocks"]]
    assert texts[0] == "一、引言" and not any("关键词" in t or "摘要" in t for t in texts)
    assert articles["b.txt"]["keywords"]  # computed


def test_check_says_which_articles_have_their_own_abstract_and_how_many_are_computed(paper):
    process = run_huikan("check", str(paper))
    assert process.returncode == 0
    assert (f"{paper / 'a.txt'}:1: note: 《中小企业质量管理体系的建设》 has its own 摘要和关键词; they are used as "
            "they are [abstract-given]") in process.stdout
    assert f"{paper / 'issue.toml'}:1: note: 1 of 2 articles get a computed 摘要 or 关键词 [abstract-computed]" \
        in process.stdout


def test_a_summary_never_holds_the_title_a_byline_or_a_dateline():
    title = "市质协召开质量提升推进会"
    body = ("市质协召开质量提升推进会。\n本报讯（记者 李四）6月5日，市质协召开质量提升推进会，三百家企业参加。\n"
            "记者 李四 王五\n会议总结了上半年质量提升行动的成效，部署了下半年的重点工作。"
            "与会企业交流了质量管理的经验，质量提升行动将覆盖全市重点行业。")
    summary = summarize(body, 80, title=title)
    assert summary and not summary.startswith(title) and "本报讯" not in summary and "记者" not in summary
    assert "质量提升行动" in summary
    assert len(summary) <= 80 * 1.3  # the overrun the README states


def test_a_summary_drops_asides_and_connectives_that_lean_on_the_sentence_before():
    body = ("会议由市质协会长主持。\n"
            "今年全市共有一百二十家企业（其中制造业企业八十家）通过了质量管理体系认证。\n"
            "此外，协会组织编写的团体标准已经发布实施，覆盖食品和装备两个行业。")
    summary = summarize(body, 90, title="年度工作回顾")
    assert "一百二十家企业通过了质量管理体系认证。" in summary
    assert "（" not in summary and "其中制造业" not in summary
    assert "协会组织编写的团体标准已经发布实施" in summary and "此外" not in summary


def test_a_summary_takes_no_sentence_twice():
    sentence = "质量提升行动覆盖全市重点行业，企业质量管理水平明显提高。"
    body = "\n".join([sentence, "会议部署了下半年的工作，强调标准引领。", sentence, "企业代表交流了经验。"])
    summary = summarize(body, 150, title="会议纪要")
    assert summary.count(sentence) == 1


def test_only_a_labelled_line_is_taken_for_the_authors_abstract():
    from huikan.diagnostics import Report
    from huikan.ingest.text import read_text

    text = "年会纪要\n\n提要求：各单位于月底前报送材料。\n\n关键词的选择由编辑部负责。\n\n会议审议了工作报告。\n"
    article = read_text(text, "c.txt", "c.txt", Report())[0]
    assert not article.summary and not article.keywords
    assert [b.text for b in article.blocks][:2] == ["提要求：各单位于月底前报送材料。", "关键词的选择由编辑部负责。"]
