"""Time enrich (摘要, 关键词, 导读) on long inputs against plain jieba word cutting of the same text.

    python bench/bench_enrich.py [--repeat N]

Inputs, made from the seeds' paragraphs:
  report     one article of about 165,000 characters, ordinary paragraphs (a compilation of reports);
  unbroken   one paragraph of 200,000 characters with no punctuation at all (a pasted table or OCR);
  issue      the realistic test issue (tests/realistic_issue.py): 59 articles, two long reports.
For each, enrich of the whole issue runs in this process after jieba's tables are loaded, and so
does `jieba.lcut` over the same text, the least any jieba-based enrich must do; the ratio of the two
is printed beside the seconds. Targets: report ≤ 3 s, unbroken ≤ 10 s.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from huikan.diagnostics import Report  # noqa: E402
from huikan.enrich import enrich_issue  # noqa: E402
from huikan.enrich.tokenizer import load, words  # noqa: E402
from huikan.ingest import load_issue  # noqa: E402
from huikan.model import Article, Block, Issue, Section  # noqa: E402
from huikan.theme import theme_dirs  # noqa: E402
from realistic_issue import make_issue, seed_paragraphs  # noqa: E402


def one_article_issue(title: str, paragraphs: list[str]) -> Issue:
    article = Article(id="a", source="a.txt", title=title,
                      blocks=[Block("paragraph", p, n) for n, p in enumerate(paragraphs, 1)])
    return Issue(id="bench", title="会刊", sections=[Section("", [article])])


def long_report(chars: int) -> Issue:
    pool, paragraphs, total = seed_paragraphs(), [], 0
    while total < chars:
        paragraphs.append(pool[len(paragraphs) % len(pool)])
        total += len(paragraphs[-1])
    return one_article_issue("2020年上海市质量工作汇编", paragraphs)


def unbroken(chars: int) -> Issue:
    text = re.sub(r"[\W_]", "", "".join(seed_paragraphs()))
    return one_article_issue("无标点长段", [(text * (chars // len(text) + 1))[:chars]])


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement; the median is shown")
    args = parser.parse_args(argv)
    load([])
    themes = theme_dirs(ROOT / "seeds")
    with tempfile.TemporaryDirectory() as work:
        folder = make_issue(Path(work) / "realistic").folder
        inputs = {"report": long_report(165_000), "unbroken": unbroken(200_000),
                  "issue": load_issue(folder, Report())}
        print(f"{'input':<9} {'chars':>8} {'enrich s':>9} {'jieba.lcut s':>13} {'ratio':>6}")
        for name, issue in inputs.items():
            text = "\n".join(a.title + "\n" + a.body_text() for a in issue.articles)

            def fresh(issue=issue):
                for article in issue.articles:
                    article.summary, article.keywords, article.intro = "", [], ""
                enrich_issue(issue, themes)

            ours = statistics.median(timed(fresh) for _ in range(args.repeat))
            reference = statistics.median(timed(lambda text=text: words(text)) for _ in range(args.repeat))
            print(f"{name:<9} {len(text):>8} {ours:>9.2f} {reference:>13.2f} {ours / reference:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
