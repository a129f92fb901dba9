"""Plain-text articles as editors save them (a title block typed line under line) beside text copied out
of print (every line a paragraph, or paragraphs wrapped over lines), in UTF-8 and GBK, with LF and CRLF."""

from __future__ import annotations

import json

import pytest

from conftest import new_issue, run_huikan

TYPED = ("推进质量强市建设的几点思考\n◆王明 / 文\n摘要：本文总结了近年来质量强市建设的经验与不足。\n"
         "关键词：质量强市；标准化；品牌\n\n近年来，我市围绕质量强市目标开展了大量工作，\n取得了明显成效。\n\n"
         "今后要进一步加强标准化建设。\n")
NAME_ONLY = ("标准化助力企业转型\n王明\n（上海市质量协会，上海 200000）\n摘要：标准化是企业转型的重要抓手。\n"
             "关键词：标准化、转型\n企业转型离不开标准化。\n标准化工作大有可为。\n")
# As copied out of print: every line set off by blank lines, the paragraph wrapped where the page broke it.
PRINTED = ("\n推进质量强市建设的几点思考\n\n——写在质量月之际\n\n◆王明 / 文\n\n近年来，我市围绕质量强市目标开展了\n\n"
           "大量工作，取得了明显成效。\n\n今后要进一步加强标准化建设。\n")

BODY = ["近年来，我市围绕质量强市目标开展了大量工作，取得了明显成效。", "今后要进一步加强标准化建设。"]


def read(tmp_path, text: str, encoding: str, newline: str) -> tuple[dict, list[dict]]:
    folder = new_issue(tmp_path / "issue")
    (folder / "a.txt").write_bytes(text.replace("\n", newline).encode(encoding))
    process = run_huikan("inspect", str(folder), "--json")
    assert process.returncode == 0, process.stderr
    data = json.loads(process.stdout)
    return data["articles"][0], data["diagnostics"]


def texts(article: dict) -> list[str]:
    return [b["text"] for b in article["blocks"]]


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_title_block_typed_line_under_line_is_read_as_a_copy_editor_would(tmp_path, encoding, newline):
    article, diagnostics = read(tmp_path, TYPED, encoding, newline)
    assert (article["title"], article["subtitle"], article["authors"]) == ("推进质量强市建设的几点思考", "", ["王明"])
    assert article["summary"] == "本文总结了近年来质量强市建设的经验与不足。"
    assert article["keywords"] == ["质量强市", "标准化", "品牌"]
    assert texts(article) == BODY
    assert not [d for d in diagnostics if d["code"] in ("missing-title", "rejoined")]


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_name_alone_under_the_title_is_the_byline_not_a_subtitle(tmp_path, encoding, newline):
    article, _ = read(tmp_path, NAME_ONLY, encoding, newline)
    assert (article["title"], article["subtitle"], article["authors"], article["affiliation"]) == \
        ("标准化助力企业转型", "", ["王明"], "（上海市质量协会，上海 200000）")
    assert (article["summary"], article["keywords"]) == ("标准化是企业转型的重要抓手。", ["标准化", "转型"])
    assert texts(article) == ["企业转型离不开标准化。", "标准化工作大有可为。"]


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_text_copied_out_of_print_reads_as_before(tmp_path, encoding, newline):
    article, diagnostics = read(tmp_path, PRINTED, encoding, newline)
    assert (article["title"], article["subtitle"], article["authors"]) == \
        ("推进质量强市建设的几点思考", "写在质量月之际", ["王明"])
    assert texts(article) == BODY
    assert [d["code"] for d in diagnostics if d["code"] == "rejoined"] == ["rejoined"]  # the page break mended


def test_two_plain_names_and_an_editors_subtitle(tmp_path):
    article, _ = read(tmp_path, "质量之道\n——企业家访谈录\n王明　李华\n\n质量是企业的生命。\n", "utf-8", "\n")
    assert (article["subtitle"], article["authors"]) == ("企业家访谈录", ["王明", "李华"])
    assert texts(article) == ["质量是企业的生命。"]
