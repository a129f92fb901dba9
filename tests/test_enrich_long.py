"""Enrich on long and unusual inputs: the faster paths give exactly what the plain ones give."""

import random
import re
import sys

import jieba.posseg
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from huikan.diagnostics import Report
from huikan.enrich import dag
from huikan.enrich import issue as enrich_issue_module
from huikan.enrich.issue import enrich_issue
from huikan.enrich.keywords import candidates, default_stopwords
from huikan.enrich.segments import Segmented, Segments
from huikan.enrich.tokenizer import load
from huikan.enrich.viterbi import viterbi
from huikan.ingest import load_issue
from huikan.theme import theme_dirs
from realistic_issue import EVAL, make_issue

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
TEXT = st.text(st.one_of(HAN, st.sampled_from("，。abcXYZ0123 ·")), min_size=1, max_size=30)


def decode_both(text):
    load()
    args = (text, jieba.posseg.char_state_tab_P, jieba.posseg.start_P, jieba.posseg.trans_P, jieba.posseg.emit_P)
    # jieba.posseg.viterbi is ours once huikan is loaded; jieba's own stays in its module.
    return sys.modules["jieba.posseg.viterbi"].viterbi(*args), viterbi(*args)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_the_tag_decoder_agrees_with_jiebas_on_any_text(text):
    theirs, ours = decode_both(text)
    assert ours == theirs


def test_a_remembered_route_is_the_one_decoded_even_once_the_memory_starts_again(monkeypatch):
    from huikan.enrich import viterbi as decoder

    monkeypatch.setattr(decoder, "REMEMBERED", 2)
    runs = ["归母净利", "沃森博士", "蔚来汽车", "归母净利"]
    first = [decode_both(run) for run in runs]
    again = [decode_both(run) for run in runs]
    for theirs, ours in first + again:
        assert ours == theirs
    assert len(decoder._decoded) <= 2


def route_both(text):
    load()
    ours_dag, theirs_dag = jieba.dt.get_DAG(text), dag.replaced["get_DAG"](jieba.dt, text)
    ours, theirs = {}, {}
    jieba.dt.calc(text, ours_dag, ours)
    dag.replaced["calc"](jieba.dt, text, theirs_dag, theirs)
    return (ours_dag, ours), (theirs_dag, theirs)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_the_word_graph_and_route_agree_with_jiebas_on_any_text(text):
    ours, theirs = route_both(text)
    assert ours == theirs


def test_the_word_graph_and_route_agree_with_jiebas_on_the_seeds():
    load()
    assert jieba.Tokenizer.get_DAG is dag.get_dag  # the cut that enrich makes goes through ours
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            ours, theirs = route_both(line)
            assert ours == theirs, line


def test_the_tag_decoder_agrees_with_jiebas_on_the_seeds():
    for path in sorted(SEEDS.glob("*.txt")):
        for run in re.findall(r"[\u4e00-\u9fa5]{2,}", path.read_text(encoding="utf-8")):
            theirs, ours = decode_both(run)
            assert ours == theirs, run


def test_token_runs_are_counted_as_the_text_holds_them():
    load()
    cut = Segmented("质量强市示范城市创建，质量强市。国际质量")
    assert cut.count("质量强市") == 2
    assert cut.count("国际质量") == 1
    assert cut.count("国际质") == 0  # not on a token boundary


def test_summaries_made_in_a_second_process_are_the_ones_made_here(monkeypatch):
    def enriched():
        issue = load_issue(SEEDS, Report())
        enrich_issue(issue, theme_dirs(SEEDS))
        return [(a.summary, a.keywords, a.intro) for a in issue.articles]

    monkeypatch.setattr(enrich_issue_module, "PARALLEL_CHARS", 10**9)
    here = enriched()
    monkeypatch.setattr(enrich_issue_module, "PARALLEL_CHARS", 0)
    assert enriched() == here
    assert all(summary for summary, _, _ in here)


def test_what_the_helper_process_cuts_and_finds_is_what_is_found_here(monkeypatch, tmp_path):
    folder = make_issue(tmp_path / "realistic", EVAL if EVAL.is_dir() else None).folder

    def enriched():
        issue = load_issue(folder, Report())
        for article in issue.articles:
            article.summary = article.summary or "（编辑部写的摘要。）"  # the helper then begins cutting at once
        enrich_issue(issue, theme_dirs(folder))
        return issue.articles, [(a.summary, a.keywords, a.intro) for a in issue.articles]

    monkeypatch.setattr(enrich_issue_module, "PARALLEL_CHARS", 10**9)
    _, here = enriched()
    cut_here = []
    of = Segments.of
    monkeypatch.setattr(Segments, "of", classmethod(lambda cls, *args: cut_here.append(1) or of(*args)))
    monkeypatch.setattr(enrich_issue_module, "PARALLEL_CHARS", 0)
    articles, forked = enriched()
    assert forked == here
    assert 0 < len(cut_here) < len(articles)  # the helper cut the last articles and found their keywords
    assert all(keywords for _, keywords, _ in forked)


def test_a_long_unpunctuated_paragraph_gets_keywords_and_no_made_up_summary():
    from huikan.enrich import extract_keywords, summarize

    rng = random.Random(7)
    seeds = re.sub(r"[\W\d_a-zA-Z]", "", "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))))
    start = rng.randrange(len(seeds) // 2)
    text = "无标点长段\n" + (seeds[start:] * 3)[:60_000]
    keywords = extract_keywords(text)
    assert len(keywords) == 5 and all(k in text for k in keywords)
    assert summarize(text) == ""  # no sentence ends: nothing to quote whole


def test_enrich_in_a_forked_process_gives_what_it_gives_here():
    from huikan.enrich.alongside import Alongside, enrich_here

    here, there = (load_issue(SEEDS, Report()) for _ in range(2))
    expected = enrich_here(here, theme_dirs(SEEDS))
    made = Alongside(theme_dirs(SEEDS))
    made.enrich(there)
    made = made.result()
    assert made.terms == expected.terms
    assert [(a.summary, a.keywords, a.intro) for a in there.articles] == \
        [(a.summary, a.keywords, a.intro) for a in here.articles]


def test_a_failure_in_the_forked_enrich_comes_back_as_itself(monkeypatch):
    import os

    from huikan.enrich import alongside

    def fails(receive, themes, tell, folder):
        receive()
        raise ValueError("a stopword list that cannot be read")

    def enriching(issue):
        started = alongside.Alongside(theme_dirs(SEEDS))
        started.enrich(issue)
        return started

    monkeypatch.setattr(alongside, "enrich_given", fails)  # the forked child inherits the patch
    issue = load_issue(SEEDS, Report())
    try:
        enriching(issue).result()
    except ValueError as exc:
        assert "stopword list" in str(exc)
    else:
        raise AssertionError("the child's error was lost")

    monkeypatch.setattr(alongside, "enrich_given", lambda receive, themes, tell, folder: os._exit(9))  # killed, say
    try:
        enriching(issue).result()
    except alongside.ChildFailed as exc:
        assert "status 9" in str(exc)
    else:
        raise AssertionError("a child that died unheard was not reported")


def test_enrich_tells_every_summary_first_then_each_articles_keywords_and_the_layout_waits_for_its_own():
    from huikan.enrich import enrich_issue
    from huikan.enrich.alongside import Alongside

    issue = load_issue(SEEDS, Report())
    told: list[tuple] = []
    enrich_issue(issue, theme_dirs(SEEDS), told.append)
    ids = [a.id for a in issue.articles]
    assert told[0] == ("summaries", {a.id: (a.summary, a.intro) for a in issue.articles})
    assert told[1:] == [("keywords", {a.id: a.keywords}) for a in issue.articles]

    there = load_issue(SEEDS, Report())
    fields = Alongside(theme_dirs(SEEDS))
    fields.enrich(there)
    fields.intros()
    assert [(a.summary, a.intro) for a in there.articles] == [(a.summary, a.intro) for a in issue.articles]
    fields.articles(ids[:1])
    assert there.articles[0].keywords == issue.articles[0].keywords
    fields.articles(ids)
    assert fields.complete and [a.keywords for a in there.articles] == [a.keywords for a in issue.articles]
    fields.result()


def test_a_second_enrich_summarises_and_cuts_only_the_changed_article(tmp_path, monkeypatch):
    """With the enrich cache, an article whose text is unchanged is neither summarised nor cut again, and the
    results are those of an enrich without the cache."""
    from huikan.enrich.kept import KeptEnrich

    themes = theme_dirs(SEEDS)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    enrich_issue(load_issue(SEEDS, Report()), themes, kept=KeptEnrich.for_issue(SEEDS, themes))
    issue = load_issue(SEEDS, Report())
    changed = issue.articles[2]
    changed.blocks[-1].text += "本文有删改。"
    summarised: list[str] = []
    cut: list[str] = []
    real_summarize, real_cut = enrich_issue_module.summarize, Segments.of
    monkeypatch.setattr(enrich_issue_module, "summarize", lambda body, budget, title:
                        summarised.append(title) or real_summarize(body, budget, title=title))
    monkeypatch.setattr(Segments, "of", classmethod(lambda cls, body, title=None: cut.append(title) or
                                                    real_cut.__func__(cls, body, title)))
    ranked = ranking(monkeypatch)
    enrich_issue(issue, themes, kept=KeptEnrich.for_issue(SEEDS, themes))
    assert summarised == [changed.title] and cut == [changed.title]
    assert ranked == [changed.title]  # the others' counts are the same: their 关键词 are kept
    monkeypatch.undo()
    fresh = load_issue(SEEDS, Report())
    fresh.articles[2].blocks[-1].text += "本文有删改。"
    enrich_issue(fresh, themes)
    assert [(a.summary, a.keywords, a.intro) for a in issue.articles] == \
        [(a.summary, a.keywords, a.intro) for a in fresh.articles]


def ranking(monkeypatch) -> list[str]:
    """The titles of the articles whose 关键词 enrich ranks from now on, in order."""
    ranked: list[str] = []
    real = enrich_issue_module.extract_keywords
    monkeypatch.setattr(enrich_issue_module, "extract_keywords",
                        lambda body, count, **asked: ranked.append(asked["title"]) or real(body, count, **asked))
    return ranked


def test_keywords_are_ranked_again_where_an_edit_changes_the_issue_counts_they_rest_on(tmp_path, monkeypatch):
    """An article that takes up a term of another's changes that term's count in the issue: the other
    article's 关键词 are ranked again, and both are what an enrich without the cache finds."""
    from huikan.enrich.kept import KeptEnrich

    themes = theme_dirs(SEEDS)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    before = load_issue(SEEDS, Report())
    enrich_issue(before, themes, kept=KeptEnrich.for_issue(SEEDS, themes))
    stops = frozenset(default_stopwords())
    first, other = before.articles[0], before.articles[2]
    theirs = candidates(Segments.of(other.body_text(), other.title), stops)
    # a term of the first article's that the other one takes up by the sentence added: one count more
    term = next(term for term in sorted(candidates(Segments.of(first.body_text(), first.title), stops) - theirs)
                if term in candidates(Segments.of(other.body_text() + f"本文也谈{term}。", other.title), stops))
    issue, fresh = load_issue(SEEDS, Report()), load_issue(SEEDS, Report())
    for copy in (issue, fresh):
        copy.articles[2].blocks[-1].text += f"本文也谈{term}。"
    ranked = ranking(monkeypatch)
    enrich_issue(issue, themes, kept=KeptEnrich.for_issue(SEEDS, themes))
    assert before.articles[0].title in ranked and issue.articles[2].title in ranked
    monkeypatch.undo()
    enrich_issue(fresh, themes)
    assert [a.keywords for a in issue.articles] == [a.keywords for a in fresh.articles]


def test_a_cache_folder_outside_the_cache_removes_nothing_beside_it(tmp_path, monkeypatch):
    from huikan.cache import used_now

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    mine = [tmp_path / "work" / f"folder{n}" for n in range(25)]
    for folder in mine:
        folder.mkdir(parents=True)
    (mine[0] / "kept").mkdir()
    used_now(mine[0] / "kept")
    assert all(folder.is_dir() for folder in mine)
