"""摘要, 关键词 and 导读 as an editor reads them: whole sentences, whole names, nothing generic."""

import importlib.util
import json
import re

import pytest

from conftest import ROOT, SEEDS, run_huikan
from huikan.enrich import extract_keywords, summarize

SENTENCE_END = re.compile(r"[。！？][”’」』）)]*$")


@pytest.fixture(scope="module")
def seed_articles():
    process = run_huikan("inspect", str(SEEDS), "--json")
    assert process.returncode == 0, process.stderr
    return json.loads(process.stdout)["articles"]


def body(article) -> str:
    return "\n".join(b["text"] for b in article["blocks"])


def split_sentences(text: str) -> list[str]:
    return re.findall(r"[^。！？]+[。！？][”’」』）)]*", text)


def test_no_seed_article_has_the_word_every_article_uses(seed_articles):
    for article in seed_articles:
        assert "质量" not in article["keywords"], (article["title"], article["keywords"])


def test_seed_keywords_are_whole_terms_of_their_own_article(seed_articles):
    for article in seed_articles:
        keywords = article["keywords"]
        assert 3 <= len(keywords) <= 6, keywords
        text = article["title"] + "\n" + body(article)
        for word in keywords:
            assert word in text, (word, article["title"])
            # No keyword is a piece of another (光耀 beside 俞光耀, 质协 beside 市质协).
            assert not any(word != other and word in other for other in keywords), keywords


def test_names_are_kept_whole(seed_articles):
    by_source = {a["source"]: a for a in seed_articles}
    keywords = by_source["000_5c2f2025e9d3839a.txt"]["keywords"]
    assert "俞光耀" in keywords and "光耀" not in keywords
    # A name joined by middle dots stays one name.
    watson = next(a for a in seed_articles if a["title"].startswith("质量："))
    assert not any(word in ("雷戈里", "H") for word in watson["keywords"]), watson["keywords"]


def test_seed_summaries_are_whole_sentences_of_their_own_article(seed_articles):
    for article in seed_articles:
        summary = article["summary"]
        assert 60 <= len(summary) <= 220, (len(summary), summary)
        assert SENTENCE_END.search(summary), summary
        # An aside in brackets is the one thing a summary drops from inside a sentence.
        text = re.sub(r"\s*[（(][^（）()]*[)）]", "", body(article))
        for sentence in split_sentences(summary):
            assert sentence in text, sentence
        # Headings are not summary material.
        for block in article["blocks"]:
            if block["type"] == "heading":
                assert block["text"] not in summary


def test_intro_lines_fit_the_toc(seed_articles):
    for article in seed_articles:
        assert 0 < len(article["intro"]) <= 60, article["intro"]


def test_editor_values_win_and_the_budget_is_a_setting(issue_copy):
    config = issue_copy / "issue.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        '[articles."003_134084127a1d6434.txt"]',
        '[enrich]\nsummary_length = 80\nkeywords = 3\n\n'
        '[articles."000_5c2f2025e9d3839a.txt"]\n'
        'summary = "编辑写的摘要。"\nkeywords = ["两会精神", "市质协"]\nintro = "编辑写的导读"\n\n'
        '[articles."003_134084127a1d6434.txt"]'), encoding="utf-8")
    process = run_huikan("inspect", str(issue_copy), "--json")
    assert process.returncode == 0, process.stderr
    articles = {a["source"]: a for a in json.loads(process.stdout)["articles"]}
    edited = articles["000_5c2f2025e9d3839a.txt"]
    assert edited["summary"] == "编辑写的摘要。"
    assert edited["keywords"] == ["两会精神", "市质协"]
    assert edited["intro"] == "编辑写的导读"
    for source, article in articles.items():
        if source != "000_5c2f2025e9d3839a.txt":
            assert len(article["keywords"]) == 3
            assert len(article["summary"]) <= 80 * 1.3 or len(split_sentences(article["summary"])) == 1


def test_an_issue_extends_the_stopwords_and_the_dictionary(issue_copy):
    (issue_copy / "templates").mkdir()
    (issue_copy / "templates" / "stopwords.txt").write_text("市质协\n", encoding="utf-8")
    process = run_huikan("inspect", str(issue_copy), "--json")
    assert process.returncode == 0, process.stderr
    for article in json.loads(process.stdout)["articles"]:
        assert "市质协" not in article["keywords"]


def test_bad_enrich_settings_are_reported_with_their_line(issue_copy):
    config = issue_copy / "issue.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + "\n[enrich]\nkeywords = 12\n", encoding="utf-8")
    process = run_huikan("check", str(issue_copy))
    assert process.returncode == 2, process.stderr
    line = len(text.splitlines()) + 3
    output = process.stdout + process.stderr
    assert f"issue.toml:{line}: error: enrich.keywords must be 3 to 6 [bad-value]" in output
    assert "Traceback" not in output


ARTICLE = """质量管理小组活动推动企业创新
质量管理小组是职工参与质量改进的有效形式。
今年，全市共有一千二百个质量管理小组登记注册，比上年增加一成。
一是开展小组活动诊断。
专家认为，质量管理小组活动激发了一线职工的创造力，推动了企业创新。
会议表彰了优秀质量管理小组和优秀推进者。
"""


def test_public_api_takes_a_title_on_the_first_line():
    summary = summarize(ARTICLE, budget=60)
    assert "质量管理小组活动推动企业创新" not in summary  # the title is not summary text
    assert SENTENCE_END.search(summary)
    for sentence in split_sentences(summary):
        assert sentence in ARTICLE
    assert not summary.startswith("一是")  # a list item needs the sentence that opened the list
    keywords = extract_keywords(ARTICLE, k=3)
    assert len(keywords) == 3
    assert keywords[0] == "质量管理小组"
    assert summarize(ARTICLE, 60) == summary and extract_keywords(ARTICLE, 3) == keywords


VARIED = """上海市质量协会今年组织了十二场质量大讲堂。
首席质量官培训班吸引了两百多家企业参加。
卓越绩效模式在中小企业中得到推广。
团体标准管理平台已经上线试运行。
长三角质协联席会议在嘉兴召开。
质量信得过班组建设经验在全市交流。
群众性质量管理活动成果发表赛共评出一等奖三十项。
协会还与高校合作开展质量人才培养。
"""


def test_summaries_follow_the_budget():
    short, long = summarize(VARIED, 40), summarize(VARIED, 120)
    assert len(short) < len(long) <= 120 * 1.3
    assert summarize("", 100) == "" and extract_keywords("", 5) == []
    # Saying the same thing twice is not a longer summary.
    repeated = "\n".join(["上海市质量协会今年组织了十二场质量大讲堂。"] * 6)
    assert summarize(repeated, 120) == "上海市质量协会今年组织了十二场质量大讲堂。"


def load_eval_script():
    spec = importlib.util.spec_from_file_location("eval_text", ROOT / "bench" / "eval_text.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_evaluation_metrics():
    ev = load_eval_script()
    assert ev.rouge_scores("质量提升，行动。", "质量 提升行动") == (1.0, 1.0, 1.0)
    r1, r2, rl = ev.rouge_scores("甲乙丙丁", "甲丙乙戊")
    assert r1 == pytest.approx(0.75) and r2 == 0.0 and rl == pytest.approx(0.5)
    p, r, f = ev.keyword_scores(["质量 强市", "深圳", "会议"], ["质量强市", "深圳", "示范城市", "创建"])
    assert (p, r) == (pytest.approx(2 / 3), 0.5) and f == pytest.approx(4 / 7)


def test_evaluation_script_runs_on_reference_files(tmp_path):
    summaries = tmp_path / "summaries.jsonl"
    keywords = tmp_path / "keywords.jsonl"
    summaries.write_text(json.dumps({"id": "s1", "title": "", "text": ARTICLE.split("\n", 1)[1],
                                     "summary": "质量管理小组活动激发了一线职工的创造力。"}, ensure_ascii=False)
                         + "\n", encoding="utf-8")
    keywords.write_text(json.dumps({"id": "k1", "title": "质量管理小组活动推动企业创新",
                                    "text": ARTICLE.split("\n", 1)[1], "keywords": ["质量管理小组", "企业创新"]},
                                   ensure_ascii=False) + "\n", encoding="utf-8")
    import subprocess
    import sys

    process = subprocess.run([sys.executable, str(ROOT / "bench" / "eval_text.py"), str(summaries), str(keywords)],
                             capture_output=True, text=True, timeout=300)
    assert process.returncode == 0, process.stderr
    for name in ("lead", "textrank (jieba)", "jieba extract_tags", "huikan"):
        assert name in process.stdout
    assert "budget 20 chars" in process.stdout
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n', encoding="utf-8")
    process = subprocess.run([sys.executable, str(ROOT / "bench" / "eval_text.py"), str(bad)],
                             capture_output=True, text=True, timeout=300)
    assert process.returncode == 1 and f"{bad}:1: error:" in process.stderr


def test_intro_line_cuts_a_long_first_sentence_at_a_clause():
    from huikan.enrich.issue import intro_line
    from huikan.model import Article

    long = ("上海市质量协会组织会员单位开展质量提升行动，围绕长三角一体化发展、团体标准建设和质量人才培养，"
            "形成了一批可复制可推广的经验做法。")
    intro = intro_line(Article(id="a", source="a.txt", summary=long))
    assert intro == "上海市质量协会组织会员单位开展质量提升行动，围绕长三角一体化发展、团体标准建设和质量人才培养……"
    assert len(intro) <= 60
    short = intro_line(Article(id="b", source="b.txt", summary=long + "协会表示将继续推进。"))
    assert short == "协会表示将继续推进。"


TAGGING = r"""
import json
from huikan.enrich import tokenizer
text = "俞光耀在上海市质量协会作报告，提出推进质量强市示范城市建设，雷戈里·H·沃森出席。"
tokenizer.load()
print(json.dumps([tokenizer.tagged(text), tokenizer.words(text), tokenizer.background_idf()[1],
                  tokenizer.background_idf()[0].get("质量")], ensure_ascii=False))
"""


def test_jiebas_tables_cached_after_the_first_start_give_the_same_tokens_and_tags(tmp_path):
    """The first start reads jieba's own files and caches their tables; later starts read the cache."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path))

    def run() -> str:
        process = subprocess.run([sys.executable, "-c", TAGGING], env=env, capture_output=True, text=True)
        assert process.returncode == 0, process.stderr
        return process.stdout

    from_jieba = run()
    [cache] = (tmp_path / "huikan").glob("jieba-*.pickle")
    assert run() == from_jieba
    tagged, _, median, _ = json.loads(from_jieba)
    assert ["俞光耀", "nr"] in tagged and ["报告", "n"] in tagged and median > 5
    cache.write_bytes(b"not a pickle")  # a damaged cache is read around and written again
    assert run() == from_jieba
    assert cache.stat().st_size > 1_000_000
