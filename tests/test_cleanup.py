"""Each repair of the catalogue on its own, on text other than the seeds."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huikan.diagnostics import Report
from huikan.ingest import cleanup
from huikan.ingest.text import read_text


@pytest.mark.parametrize("raw,clean", [
    ("企业,政府和社会", "企业，政府和社会"),
    ("截至2018年4月,市质协", "截至2018年4月，市质协"),
    ("投入产出比为1:78,成效明显", "投入产出比为1:78，成效明显"),
    ("共计1,000家企业", "共计1,000家企业"),
    ("他说:好!对吗?", "他说：好！对吗？"),
    ("(一) 总体目标", "（一）总体目标"),
    ("详见 http://example.com/a,b;c:d 网站", "详见 http://example.com/a,b;c:d 网站"),
    ("Quality, in English; fine: yes!", "Quality, in English; fine: yes!"),
    ("沃森 (Gregory H. Watson),无疑", "沃森（Gregory H. Watson），无疑"),
    ("质 量 管 理", "质量管理"),
    ("自 2013年以来", "自2013年以来"),
])
def test_clean_text(raw, clean):
    assert cleanup.clean_text(raw) == clean


@pytest.mark.parametrize("first,second,expected", [
    ("后疫情时代如何化危为机、助", "力高质量发展", True),
    ("是基于对质量的执着承诺。”", "下一段", False),
    ("体现了三个特点：", "一是不走样", False),
    ("质协用户评价中心，", "2016年又与德国质协合作成立", True),
    ("推进工作，", "第二，围绕上海", False),
])
def test_joins(first, second, expected):
    assert cleanup.joins(first, second) is expected


def test_signatures_and_end_marks():
    assert cleanup.take_signature("提升整体服务能级。☞（钟和）") == ("提升整体服务能级。", "钟和")
    assert cleanup.signature_only("（上海市质协秘书处）") == "上海市质协秘书处"
    assert cleanup.signature_only("（一）总体目标") == ""
    assert cleanup.take_end_mark("经营管理机制。④") == "经营管理机制。"


def test_run_in_heads():
    assert cleanup.run_in_head("（一）总体目标。提出到2020年") == "（一）总体目标。"
    assert cleanup.run_in_head("第一，深入学习讲话精神，贯彻落实质量强国战略。市质协要") == \
        "第一，深入学习讲话精神，贯彻落实质量强国战略。"
    assert cleanup.run_in_head("普通段落。") == ""


def test_links_in_angle_brackets():
    text, links = cleanup.split_links("全文详见网站<http://www.example.gov.cn/a/b.html>。")
    assert text == "全文详见网站http://www.example.gov.cn/a/b.html。"
    assert links == [(6, 40, "http://www.example.gov.cn/a/b.html")]


def test_a_cut_paragraph_around_a_caption_in_a_new_article():
    long = "这是一段足够长的正文，用来确认它不会被当成副标题或者小标题来处理，"
    source = f"测试标题\n\n{long}讲到一半被分\n\n● 会议现场\n\n页打断了。\n\n第二段。\n"
    report = Report()
    [article] = read_text(source, "x.txt", "x.txt", report)
    assert article.title == "测试标题"
    assert [(b.type, b.text) for b in article.blocks] == [
        ("paragraph", long + "讲到一半被分页打断了。"), ("caption", "会议现场"), ("paragraph", "第二段。")]


HAN = st.sampled_from(list("质量管理协会上海发展标准企业服务创新"))
PIECES = st.one_of(HAN, st.sampled_from(list("，。；：？！、“”（）《》")), st.sampled_from(list("0123456789")),
                   st.sampled_from(["ISO", "9001", " ", "1:78", "1,000", "http://a.cn/x", "(一)", ",", ";", ":"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=40).map("".join))
def test_cleaning_clean_text_changes_nothing(text):
    once = cleanup.clean_text(text)
    assert cleanup.clean_text(once) == once


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(PIECES, min_size=1, max_size=30).map("".join), min_size=1, max_size=6))
def test_reading_a_clean_article_again_gives_the_same_blocks(paragraphs):
    opening = "本文第一段是一段完整的正文，它足够长，不会被当成副标题、作者或者小标题。"
    source = "\n\n".join(["标题", opening] + [p for p in paragraphs if p.strip()] + ["结束。"])
    first = read_text(source, "a.txt", "a.txt", Report())[0]
    again_source = "\n\n".join([first.title] + [b.marker + b.text for b in first.blocks])  # a list item's marker too
    again = read_text(again_source, "a.txt", "a.txt", Report())[0]
    assert [(b.type, b.text) for b in again.blocks] == [(b.type, b.text) for b in first.blocks]
