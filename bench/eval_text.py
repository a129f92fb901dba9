"""Score huikan's summaries and keywords against human references, with baselines from the same run.

    python bench/eval_text.py [--realistic] ../shared/eval/summaries-dev.jsonl ../shared/eval/keywords-dev.jsonl

Each argument is a JSON-lines file. A record with a "summary" field is scored as a summary of its
"text"; a record with a "keywords" list is scored as keywords of "title" + newline + "text".

Metrics, ×100 and averaged per record:
- summaries: character-level ROUGE-1, ROUGE-2 and ROUGE-L F1; whitespace, punctuation and symbols
  (Unicode categories Z*, P*, S*) are ignored on both sides. Every system gets a budget equal to the
  mean reference length of the file.
- keywords: precision, recall and F1 of the first 5 keywords, a match being exact equality after
  removing spaces.

Fragments: the share of all keywords a system gives that no indexer would write, by these rules
(on jieba's tags of the keyword itself):
- unit: a run of Latin letters that is not a capital acronym or a name (lowercase or mixed case of up
  to three letters: pct, yoy, YoY, bps, gwh, cm, MPa), or a period code (Q2, H1, 2Q, H22);
- phrasing: report phrasing taken for a term (同比, 环比, 同期, 较上年, 较去年, 分别, 略降, 略增, 预计);
- edge: a keyword of two or more words (jieba) that begins with a preposition, conjunction, pronoun
  or a verb that opens a clause (向, 对, 其, 宣布, 估计 …: OPENERS), ends with a particle or a
  locative (的, 中, 后 …: CLOSERS), or holds an adverb (极其, 分别, 深刻 …: ADVERBS) — closed lists,
  because jieba's tags of a keyword out of its sentence are unreliable (宣布沪汉蓉, 知识极其渊博);
- cut: a keyword of two or more words that stands in the title followed by a further word, and that
  the text uses only inside that longer term (海岛生态压力定量 of 海岛生态压力定量评估).
Printed per file for every keyword system, and for huikan on the realistic test issue
(tests/realistic_issue.py) with --realistic.

Baselines: lead (first sentences up to the budget), plain TextRank over jieba tokens (Mihalcea &
Tarau 2004 sentence similarity, PageRank, best sentences up to the budget, in article order), and
jieba.analyse.extract_tags (TF-IDF, topK=5). The summary baselines cut at 。！？ and also at ；, which
scores them higher than whole sentences would.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

from huikan.enrich import extract_keywords, summarize
from huikan.enrich.tokenizer import words

K = 5


# ---------------------------------------------------------------- metrics

def rouge_chars(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c)[0] not in "ZPSC"]


def _f1(overlap: float, n_pred: int, n_ref: int) -> float:
    if not overlap or not n_pred or not n_ref:
        return 0.0
    p, r = overlap / n_pred, overlap / n_ref
    return 2 * p * r / (p + r)


def rouge_n(pred: list[str], ref: list[str], n: int) -> float:
    grams = lambda s: Counter(tuple(s[i:i + n]) for i in range(len(s) - n + 1))  # noqa: E731
    p, r = grams(pred), grams(ref)
    return _f1(sum((p & r).values()), sum(p.values()), sum(r.values()))


def lcs_length(a: list[str], b: list[str]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def rouge_scores(pred: str, ref: str) -> tuple[float, float, float]:
    p, r = rouge_chars(pred), rouge_chars(ref)
    return rouge_n(p, r, 1), rouge_n(p, r, 2), _f1(lcs_length(p, r), len(p), len(r))


def keyword_scores(pred: list[str], gold: list[str]) -> tuple[float, float, float]:
    norm = lambda w: re.sub(r"\s+", "", w)  # noqa: E731
    p = list(dict.fromkeys(norm(w) for w in pred[:K]))
    g = {norm(w) for w in gold}
    hits = sum(1 for w in p if w in g)
    precision = hits / len(p) if p else 0.0
    recall = hits / len(g) if g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


# ---------------------------------------------------------------- fragments

LATIN = re.compile(r"[A-Za-z]+")
PERIOD = re.compile(r"(?<![A-Za-z])(?:[QH]\d{1,2}|\d[QH]\d{0,2})(?![A-Za-z\d])")
PHRASING = ("同比", "环比", "同期", "较上年", "较去年", "分别", "略降", "略增", "预计")
# Closed classes, so that the rule does not hang on jieba's tags of a keyword out of its sentence.
OPENERS = {"向", "对", "在", "从", "把", "被", "给", "与", "和", "及", "跟", "由", "于", "将", "为", "以", "按",
           "并", "而", "或", "但", "其", "该", "此", "这", "那", "各", "每", "我", "你", "他", "本",
           "宣布", "估计", "估算", "运用", "采用", "实现", "带来", "进行", "通过", "使用", "利用", "稳", "只", "仅"}
CLOSERS = {"的", "了", "着", "过", "地", "得", "之", "中", "内", "后", "时", "等", "里", "上", "下", "带来"}
ADVERBS = {"极其", "非常", "十分", "很", "更", "最为", "已经", "正在", "分别", "均", "都", "也", "还", "又",
           "再", "就", "才", "略", "较", "深刻", "明显", "显著"}


def fragment_kind(keyword: str, title: str = "", text: str = "") -> str | None:
    """Which kind of fragment KEYWORD is (see the module's docstring), or None for a term."""
    from huikan.enrich.tokenizer import words

    for m in LATIN.finditer(keyword):
        run, after = m.group(0), keyword[m.end():m.end() + 1]
        if len(run) <= 3 and not run.isupper() and not after.isdigit() and after != "-" \
                and keyword[m.start() - 1:m.start()] != "-":
            return "unit"
    if PERIOD.search(keyword):
        return "unit"
    if any(p in keyword for p in PHRASING):
        return "phrasing"
    parts = [w for w in words(keyword) if w.strip()]
    if len(parts) >= 2 and (parts[0] in OPENERS or parts[-1] in CLOSERS or any(w in ADVERBS for w in parts)):
        return "edge"
    at = title.find(keyword) if title else -1
    if at >= 0:
        rest = [w for w in words(title[at + len(keyword):]) if w.strip()]
        longer = keyword + rest[0] if rest else ""
        if len(parts) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]{2,}", rest[0] if rest else "") \
                and text.count(longer) >= 1 and text.count(keyword) == text.count(longer):
            return "cut"  # the text never uses it but inside the title's longer term
    return None


def fragment_shares(lists: list[tuple[list[str], str, str]]) -> tuple[float, Counter]:
    """The share of fragments among all the keywords of LISTS ((keywords, title, text) triples), and their
    kinds."""
    kinds: Counter = Counter()
    total = 0
    for keywords, title, text in lists:
        for keyword in keywords[:K]:
            total += 1
            kind = fragment_kind(keyword, title, text)
            if kind:
                kinds[kind] += 1
    return (sum(kinds.values()) / total if total else 0.0), kinds


# ---------------------------------------------------------------- baselines

CLAUSE = re.compile(r"[^。！？；;!?\n]*(?:[。！？；;!?]+[”’」』）)]*|$)")


def sentences(text: str) -> list[str]:
    return [m.group(0).strip() for m in CLAUSE.finditer(text) if m.group(0).strip()]


def fill_budget(ranked: list[int], parts: list[str], budget: int) -> str:
    """The best-ranked sentences that fit in BUDGET characters (at least one), in text order."""
    chosen, length = [], 0
    for i in ranked:
        if chosen and length + len(parts[i]) > budget:
            continue
        chosen.append(i)
        length += len(parts[i])
    return "".join(parts[i] for i in sorted(chosen))


def lead(text: str, budget: int) -> str:
    parts = sentences(text)
    out, length = [], 0
    for s in parts:
        if out and length + len(s) > budget:
            break
        out.append(s)
        length += len(s)
    return "".join(out)


def textrank(text: str, budget: int, damping: float = 0.85, rounds: int = 50) -> str:
    parts = sentences(text)
    if not parts:
        return ""
    bags = [{w for w in words(s) if w.strip() and not re.fullmatch(r"\W+", w)} for s in parts]
    n = len(parts)
    sim = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            shared = len(bags[i] & bags[j])
            if shared and len(bags[i]) > 1 and len(bags[j]) > 1:
                sim[i][j] = sim[j][i] = shared / (math.log(len(bags[i])) + math.log(len(bags[j])))
    out_weight = [sum(row) for row in sim]
    score = [1.0] * n
    for _ in range(rounds):
        score = [(1 - damping) + damping * sum(sim[j][i] / out_weight[j] * score[j]
                                               for j in range(n) if sim[j][i])
                 for i in range(n)]
    ranked = sorted(range(n), key=lambda i: (-score[i], i))
    return fill_budget(ranked, parts, budget)


def jieba_tags(text: str) -> list[str]:
    import jieba.analyse

    return jieba.analyse.extract_tags(text, topK=K)


# ---------------------------------------------------------------- runs

def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def input_text(record: dict) -> str:
    return (record["title"] + "\n" + record["text"]) if record.get("title") else record["text"]


def score_systems(systems: dict, records: list[dict], score, columns: tuple[str, ...]) -> None:
    """Run every system on every record; print the mean of each score ×100 and the time taken."""
    print(f"  {'system':<18} " + " ".join(f"{c:>6}" for c in columns) + f" {'seconds':>8}")
    for name, system in systems.items():
        start = time.perf_counter()
        scores = [score(system(input_text(r)), r) for r in records]
        elapsed = time.perf_counter() - start
        means = [100 * sum(col) / len(col) for col in zip(*scores, strict=True)]
        print(f"  {name:<18} " + " ".join(f"{m:6.2f}" for m in means) + f" {elapsed:8.2f}")


def evaluate_summaries(records: list[dict]) -> None:
    budget = round(sum(len(r["summary"]) for r in records) / len(records))
    print(f"summaries: {len(records)} records, budget {budget} chars (mean reference length)")
    systems = {
        "lead": lambda t: lead(t, budget),
        "textrank (jieba)": lambda t: textrank(t, budget),
        "huikan": lambda t: summarize(t, budget),
    }
    score_systems(systems, records, lambda out, r: rouge_scores(out, r["summary"]), ("R-1", "R-2", "R-L"))
    print("  keywords of these texts (no reference):")
    print_fragments({name: [(system(r["text"]), "", r["text"]) for r in records]
                     for name, system in KEYWORD_SYSTEMS.items()})


def evaluate_realistic() -> None:
    """Fragments among the 关键词 of the realistic test issue, enriched as a build does (issue-wide counts)."""
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from huikan.diagnostics import Report
    from huikan.enrich import enrich_issue
    from huikan.ingest import load_issue
    from huikan.theme import theme_dirs
    from realistic_issue import make_issue

    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "issue"
        make_issue(folder)
        issue = load_issue(folder, Report())
        enrich_issue(issue, theme_dirs(folder))
        texts = {a.id: (a.keywords, a.title, a.body_text()) for a in issue.articles}
    print(f"realistic test issue: {len(texts)} articles")
    baseline = [(jieba_tags(title + "\n" + body), title, body) for _, title, body in texts.values()]
    print_fragments({"jieba extract_tags": baseline, "huikan": list(texts.values())})


KEYWORD_SYSTEMS = {
    "jieba extract_tags": jieba_tags,
    "huikan": lambda t: extract_keywords(t, K),
}


def evaluate_keywords(records: list[dict]) -> None:
    print(f"keywords: {len(records)} records, first {K} keywords, exact match")
    score_systems(KEYWORD_SYSTEMS, records, lambda out, r: keyword_scores(out, r["keywords"]), ("P", "R", "F1"))
    print_fragments({"authors' own": [(r["keywords"], r["title"], r["text"]) for r in records],
                     **{name: [(system(input_text(r)), r["title"], r["text"]) for r in records]
                        for name, system in KEYWORD_SYSTEMS.items()}})


def print_fragments(lists: dict[str, list[tuple[list[str], str, str]]]) -> None:
    print(f"  {'fragments':<18} {'share':>6}  kinds")
    for name, pairs in lists.items():
        share, kinds = fragment_shares(pairs)
        print(f"  {name:<18} {100 * share:5.1f}%  " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="JSON-lines files with references")
    parser.add_argument("--realistic", action="store_true",
                        help="also the fragments among the keywords of the realistic test issue")
    args = parser.parse_args(argv)
    words("预热")  # load jieba before any system is timed
    if args.realistic:
        evaluate_realistic()
    for path in args.files:
        try:
            records = load(path)
        except (OSError, json.JSONDecodeError) as exc:
            print(f"{path}: error: {exc}", file=sys.stderr)
            return 1
        if not records:
            print(f"{path}: error: no records", file=sys.stderr)
            return 1
        if "summary" in records[0]:
            evaluate_summaries(records)
        elif "keywords" in records[0]:
            evaluate_keywords(records)
        else:
            print(f"{path}:1: error: records have neither 'summary' nor 'keywords'", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
