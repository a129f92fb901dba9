"""The copy-editing stage (编校) measured on published text: precision, recall and speed.

    python bench/bench_copyedit.py [--show] [--repeat N]

Precision: the stage over the seeds, the realistic test issue (tests/realistic_issue.py) and the
evaluation texts of ../shared/eval (published research reports and paper abstracts, one article each):
the warnings per 10,000 characters; --show prints every warning, for a person to judge.
Recall: each evaluation text with no finding of its own gets one error of one rule class put into a copy
(a fixed seed chooses where), written as an article of an issue folder and read the way `huikan check`
reads it; found means a diagnostic of that class at the line the error is on. Target: at least 90 %.
Speed: the stage's time against the whole build of the realistic issue (build.json timings), target
at most 5 %; medians of --repeat builds.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(ROOT / "tests"))

from huikan.build import build_issue  # noqa: E402
from huikan.copyedit import copyedit_issue  # noqa: E402
from huikan.diagnostics import Report  # noqa: E402
from huikan.ingest import load_issue  # noqa: E402
from realistic_issue import make_issue  # noqa: E402

# One error of each rule class, put in after the first 「，」 of a paragraph (or as the class needs).
INSERTED = {
    "zh-straight-quote": '提出"高质量"要求，', "zh-unbalanced": "坚持（质量第一，",
    "zh-nested-title": "依据《关于《质量法》的通知》，",
    "zh-ellipsis": "质量、标准...", "zh-ellipsis-deng": "产品、服务……等，", "zh-dash": "质量--标准，",
    "zh-middle-dot": "卡尔•马克思说，", "zh-enum-comma": "《标准化法》、《计量法》等法律，",
    "zh-full-width-digit": "共１２３家企业，", "zh-decimal-point": "增长3。14%，", "zh-time-colon": "定于15：40开会，",
    "zh-number-range": "增长15～30%，", "zh-year": "98年，", "zh-zero": "二零一二年，", "zh-mixed-numeral": "共4千人，",
    "zh-approximate": "用了三、四个月，", "zh-fixed-numeral": "每逢星期5，", "zh-typo": "目前己经完成，",
    "zh-traditional": "卓越績效模式，",
}
REPLACED = {  # classes made by changing the paragraph's own text
    "zh-half-width-punct": ("。", "."), "zh-doubled-punct": ("，", "，，"), "zh-doubled-char": ("的", "的的"),
}
PREFIXED = {"zh-ordinal-punct": "1、"}
CLASSES = [*INSERTED, *REPLACED, *PREFIXED, "zh-heading-period"]


def eval_texts() -> list[str]:
    texts = []
    for name in ("summaries-dev.jsonl", "keywords-dev.jsonl"):
        path = EVAL / name
        if path.is_file():
            texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    return texts


def article(title: str, paragraphs: list[str]) -> str:
    return f"---\ntitle: {title}\n---\n\n" + "\n\n".join(paragraphs) + "\n"


def issue_folder(root: Path, articles: dict[str, str]) -> Path:
    root.mkdir(parents=True)
    (root / "issue.toml").write_text('[publication]\ntitle = "会刊"\n\n[issue]\nid = "bench"\n', encoding="utf-8")
    for name, text in articles.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def checked(folder: Path) -> tuple[Report, int]:
    report = Report()
    issue = load_issue(folder, report)
    chars = sum(len(a.title) + len(a.body_text()) for a in issue.articles)
    copyedit_issue(issue, report)
    return report, chars


def precision(work: Path, show: bool) -> None:
    print("precision: warnings of the stage on published text")
    texts = eval_texts()
    corpora = {"seeds": ROOT / "seeds", "realistic issue": make_issue(work / "realistic").folder}
    if texts:
        corpora["evaluation texts"] = issue_folder(work / "eval", {
            f"e{n:03d}.md": article(f"文本{n}", [p for p in text.split("\n") if p.strip()])
            for n, text in enumerate(texts)})
    total_chars = total_warnings = 0
    for name, folder in corpora.items():
        report, chars = checked(folder)
        warnings = [d for d in report.items if d.code.startswith("zh-") and d.severity == "warning"]
        notes = [d for d in report.items if d.code.startswith("zh-") and d.severity == "note"]
        total_chars, total_warnings = total_chars + chars, total_warnings + len(warnings)
        print(f"  {name:17} {chars:8,} chars  {len(warnings):4} warnings ({len(warnings) / chars * 1e4:.2f} per 10,000)"
              f"  {len(notes):4} fixes")
        if show:
            for d in warnings:
                print("    " + d.format())
    print(f"  {'all':17} {total_chars:8,} chars  {total_warnings:4} warnings "
          f"({total_warnings / max(total_chars, 1) * 1e4:.2f} per 10,000)")


def inject(text: str, code: str) -> str | None:
    """TEXT with one error of class CODE, or None where this text offers no place for it."""
    if code in INSERTED:
        at = text.find("，")
        return None if at < 0 else text[:at + 1] + INSERTED[code] + text[at + 1:]
    if code in REPLACED:
        old, new = REPLACED[code]
        at = text.find(old, 1)
        if at < 0 or (code == "zh-half-width-punct" and at + 1 >= len(text)) or (
                code == "zh-doubled-char" and (text[at - 1:at] in "目有别似真" or text[at + 1:at + 2] in "的确")):
            return None
        return text[:at] + new + text[at + len(old):]
    if code in PREFIXED:
        return PREFIXED[code] + text
    return text  # zh-heading-period: a heading is put before the paragraph


def recall(work: Path) -> None:
    texts = [t for t in eval_texts() if t.strip()]
    if not texts:
        print("recall: no evaluation texts (../shared/eval)")
        return
    clean_report, _ = checked(issue_folder(work / "clean", {
        f"c{n:03d}.md": article(f"文本{n}", [t.split("\n")[0]]) for n, t in enumerate(texts)}))
    dirty = {d.path.rsplit("/", 1)[-1] for d in clean_report.items if d.code.startswith("zh-")}
    clean = [t.split("\n")[0] for n, t in enumerate(texts) if f"c{n:03d}.md" not in dirty]
    rng = random.Random(15834)
    articles, expected = {}, {}
    for n, code in enumerate(CLASSES * 5):
        for text in rng.sample(clean, len(clean)):
            injected = inject(text, code)
            if injected is not None:
                break
        else:
            continue
        name = f"r{n:03d}.md"
        heading = "## 一、研究背景。\n\n" if code == "zh-heading-period" else ""
        articles[name] = f"---\ntitle: 文本{n}\n---\n\n{heading}{injected}\n"
        expected[name] = (code, 5)  # the heading, or the paragraph, stands on line 5
    report, _ = checked(issue_folder(work / "dirty", articles))
    found = {(d.path.rsplit("/", 1)[-1], d.code, d.line) for d in report.items}
    by_class: dict[str, list[bool]] = {}
    for name, (code, line) in expected.items():
        by_class.setdefault(code, []).append((name, code, line) in found)
    hits = sum(sum(v) for v in by_class.values())
    print(f"recall: {hits} of {len(expected)} errors found at their line with their code "
          f"({hits / len(expected):.1%}; {len(by_class)} rule classes, {len(clean)} clean texts)")
    for code, results in sorted(by_class.items()):
        if not all(results):
            print(f"  {code}: {sum(results)} of {len(results)}")


def speed(work: Path, repeat: int) -> None:
    folder = make_issue(work / "speed").folder
    shares, stage, totals = [], [], []
    for n in range(repeat):
        result = build_issue(folder, work / f"out{n}", ("pdf", "docx", "html"), force=True)
        timings = result.manifest["timings"]
        stage.append(timings["copyedit"])
        totals.append(timings["total"])
        shares.append(timings["copyedit"] / timings["total"])
    print(f"speed: the stage {statistics.median(stage):.3f} s of a {statistics.median(totals):.2f} s build of the "
          f"realistic issue: {statistics.median(shares):.1%} (target ≤ 5 %)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", action="store_true", help="print every warning on published text")
    parser.add_argument("--repeat", type=int, default=3, help="builds for the speed figure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        precision(Path(work), args.show)
        recall(Path(work))
        speed(Path(work), args.repeat)


if __name__ == "__main__":
    main()
