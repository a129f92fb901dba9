"""A realistic test issue: about 60 articles in four 栏目, as editors really make them.

    python tests/realistic_issue.py OUT [--eval ../shared/eval]

It mixes `.txt` copied out of print (page-break cuts, half-width punctuation, dashed subtitles and
◆ bylines), `.md` with a front matter and `.docx` from Word; a column of short news items (200–800
characters); titles that end in ？ or ！; a title of 80 characters; two long reports (20,000 and
150,000+ characters); authors, Latin words and figures; in some research notes a 统计表, a list of
measures and a photo, in Markdown and in Word. The text comes from the seeds' paragraphs and,
where the evaluation data is present (`../shared/eval`), from its real research notes and paper
titles and abstracts, read there at run time and never copied into the project.

`make_issue()` returns what was written, article by article, so that tests can check that none of
it is lost on the way to the PDF, the Word file and the web page. Everything is seeded: the same
inputs give the same issue.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.shared import Inches
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
EVAL = ROOT.parent / "shared" / "eval"

TITLE_80 = ("关于深入贯彻落实《质量强国建设纲要》全面提升产品、工程和服务质量，"
            "加快推进质量强市示范城市创建工作和质量基础设施一站式服务平台建设的实施意见（2021—2025年）")
QUESTION_TITLES = [
    ("企业为什么要做质量管理？", "——访上海某汽车零部件企业总经理", "王建国"),
    ("质量成本，省下来的还是花出去的？", "", "李明"),
    ("数字化转型，质量管理准备好了吗？", "——写在2020年全面质量管理推进工作四十周年之际", "陈晓燕"),
    ("标准从哪里来？标准到哪里去？", "", "赵磊"),
    ("向质量强国进发！", "——上海市第三十届QC小组成果发表赛侧记", "周敏"),
    ("让每一件产品都经得起检验！", "", "孙立新"),
    ("零缺陷是口号还是方法？", "——与一位老质量人的对话", "吴海波"),
    ("用户满意度能不能量化？", "", "郑婷"),
]
NEWS_TITLES = [
    "市质协召开2020年度会员代表大会", "质量大讲堂走进临港新片区", "卓越绩效自评师培训班开班",
    "QC小组活动推进会在浦东召开", "协会与长三角三省质协签署合作协议", "首席质量官研修班结业",
    "ISO 9001:2015内审员培训圆满结束", "质量月活动启动仪式举行", "用户满意度测评工作会议召开",
    "协会领导走访会员单位", "六西格玛绿带项目评审会举行", "上海质量诊所开诊一周年",
]
REPORT_SUBTITLE = "——2020年6月18日在第七届会员代表大会上"
AUTHORS = ["唐晓芬", "俞光耀", "王建国", "李明", "陈晓燕", "张伟", "刘芳", "Martin Wang", "黄蓉", "钱学军"]


@dataclass
class Written:
    """One article as the generator wrote it: what a reader of the outputs must find again."""

    file: str
    section: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    subtitle: str = ""
    short: bool = False  # a short news item
    tables: list[list[list[str]]] = field(default_factory=list)  # each table's rows of cell texts
    items: list[str] = field(default_factory=list)  # list items' texts, without their numbers
    pictures: list[str] = field(default_factory=list)  # the pictures' captions


@dataclass
class RealisticIssue:
    folder: Path
    articles: list[Written]


def seed_paragraphs() -> list[str]:
    """Whole paragraphs of the seeds, as huikan reads them (tests/test_ingest_seeds.py checks that reading)."""
    from huikan.diagnostics import Report
    from huikan.ingest import load_issue

    found = [block.text for article in load_issue(SEEDS, Report()).articles for block in article.blocks
             if block.type == "paragraph" and 40 <= len(block.text) <= 400 and re.search(r"[。！？]”?$", block.text)
             and not block.lead and not re.match(r"^[一二三四五六七八九十（(\d]", block.text)]
    return list(dict.fromkeys(found))


def eval_records(eval_dir: Path | None, name: str) -> list[dict]:
    if eval_dir is None or not (eval_dir / name).is_file():
        return []
    with (eval_dir / name).open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def cut_by_page_break(paragraph: str, rng: random.Random) -> str:
    """The paragraph as print extraction leaves it when a page or column break falls inside it."""
    chars = [i for i in range(10, len(paragraph) - 10) if "\u4e00" <= paragraph[i] <= "\u9fff"
             and "\u4e00" <= paragraph[i - 1] <= "\u9fff"]
    if not chars:
        return paragraph
    at = rng.choice(chars)
    return paragraph[:at] + "\n\n\n" + paragraph[at:]


def half_width(paragraph: str, rng: random.Random) -> str:
    """Some of the full-width commas and colons typed half width, as OCR and old systems leave them."""
    return "".join(",:"["，：".index(ch)] if ch in "，：" and rng.random() < 0.3 else ch for ch in paragraph)


def write_txt(path: Path, title: str, subtitle: str, author: str, paragraphs: list[str], rng: random.Random,
              headings: dict[int, str] | None = None) -> None:
    lines = ["", "", title, ""]
    if subtitle:
        lines += [subtitle, ""]
    if author:
        lines += [f"◆{author} / 文", "", ""]
    for number, paragraph in enumerate(paragraphs):
        if headings and number in headings:
            lines += [headings[number], ""]
        text = half_width(paragraph, rng)
        if rng.random() < 0.15:
            text = cut_by_page_break(text, rng)
        lines += [text, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_md(path: Path, title: str, authors: list[str], paragraphs: list[str], subtitle: str = "",
             rich: Written | None = None) -> None:
    front = [f"title: {json.dumps(title, ensure_ascii=False)}"]
    if subtitle:
        front.append(f"subtitle: {json.dumps(subtitle, ensure_ascii=False)}")
    if authors:
        front.append("authors: [" + ", ".join(json.dumps(a, ensure_ascii=False) for a in authors) + "]")
    # A paragraph is one Markdown line; characters Markdown would read as markup are escaped.
    body = [re.sub(r"([\\`*_\[\]<>#|~])", r"\\\1", p) for p in paragraphs]
    body = [re.sub(r"^(\d+)([.)])", r"\1\\\2", p) for p in body]
    body = [re.sub(r"^([-+=])", r"\\\1", p) for p in body]
    if rich is not None:
        body.insert(2, rich_markdown(rich))
    path.write_text("---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")


def write_docx(path: Path, title: str, paragraphs: list[str], headings: dict[int, str] | None = None,
               rich: Written | None = None) -> None:
    """A Word article; with RICH, its table, list and picture after the second paragraph."""
    document = docx.Document()
    document.core_properties.author = "投稿人"
    document.add_paragraph(title, style="Title")
    for number, paragraph in enumerate(paragraphs):
        if headings and number in headings:
            document.add_paragraph(headings[number], style="Heading 1")
        document.add_paragraph(paragraph)
        if rich is not None and number == 1:
            rows = rich.tables[0]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
            for item in rich.items:
                document.add_paragraph(item, style="List Number")
            document.add_picture(str(path.parent / "images" / f"{path.stem}.png"), width=Inches(4))
            document.add_paragraph(rich.pictures[0], style="Caption")
    document.save(str(path))


def rich_content(written: Written, n: int, folder: Path) -> None:
    """Give WRITTEN a 统计表, three measures as a list and a photo (written to images/)."""
    year, rate = 2016 + n % 4, 93 + n % 5
    written.tables = [[["指标", f"{year}年", f"{year + 1}年", "增幅"],
                       ["产品质量合格率（%）", f"{rate}.{n % 10}", f"{rate + 1}.{(n + 3) % 10}", f"{1 + n % 3}.2"],
                       ["顾客满意度指数", f"{76 + n}", f"{78 + n}", f"{2 + n % 2}.6"],
                       ["质量损失率（%）", f"{2 + n % 3}.1", f"{1 + n % 3}.8", f"-0.{3 + n % 5}"]]]
    written.items = [f"建立第{n + 1}批质量标杆企业名录；", "推行首席质量官制度；", "开展质量诊断与对标提升。"]
    written.pictures = [f"第{n + 1}期质量诊所专家现场诊断"]
    (folder / "images").mkdir(exist_ok=True)
    Image.new("RGB", (1200, 800), (40 + 8 * n, 90, 150)).save(folder / "images" / f"{Path(written.file).stem}.png")


def rich_markdown(written: Written) -> str:
    """WRITTEN's table (with its 表题), list and picture as Markdown."""
    rows = written.tables[0]
    table = ["| " + " | ".join(rows[0]) + " |", "| --- |" + " ---: |" * (len(rows[0]) - 1)]
    table += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    items = [f"{k}. {item}" for k, item in enumerate(written.items, 1)]
    picture = f"![{written.pictures[0]}](images/{Path(written.file).stem}.png)"
    return "\n\n".join(["表1 主要质量指标", "\n".join(table), "\n".join(items), picture])


def research_paragraphs(record: dict) -> list[str]:
    """A research note's lines, joined into paragraphs where a line does not end a sentence."""
    paragraphs: list[str] = []
    for line in record["text"].splitlines():
        line = line.strip()
        if not line:
            continue
        if paragraphs and not re.search(r"[。！？；]$", paragraphs[-1]):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
    return [p for p in paragraphs if len(p) >= 8]


def long_report(pool: list[str], target: int, rng: random.Random) -> tuple[list[str], dict[int, str]]:
    """Paragraphs drawn from POOL until TARGET characters, with 一、 and （一） headings between them."""
    paragraphs: list[str] = []
    headings: dict[int, str] = {}
    numerals = "一二三四五六七八九十"
    total, part, sub = 0, 0, 0
    while total < target:
        if len(paragraphs) % 24 == 0:
            headings[len(paragraphs)] = f"{_numeral(part + 1, numerals)}、围绕重点任务推进第{part + 1}方面工作"
            part, sub = part + 1, 0
        elif len(paragraphs) % 6 == 0:
            sub += 1
            headings[len(paragraphs)] = f"（{_numeral(sub, numerals)}）第{sub}项具体举措"
        paragraph = rng.choice(pool)
        paragraphs.append(paragraph)
        total += len(paragraph)
    return paragraphs, headings


def _numeral(n: int, numerals: str) -> str:
    if n <= 10:
        return numerals[n - 1]
    tens, ones = divmod(n, 10)
    return (numerals[tens - 1] if tens > 1 else "") + "十" + (numerals[ones - 1] if ones else "")


def make_issue(folder: Path, eval_dir: Path | None = EVAL) -> RealisticIssue:
    """Write the realistic issue into FOLDER (which must not exist) and return what it holds."""
    rng = random.Random(2026)
    folder.mkdir(parents=True)
    seeds = seed_paragraphs()
    notes = eval_records(eval_dir, "summaries-dev.jsonl")
    papers = eval_records(eval_dir, "keywords-dev.jsonl")
    written: list[Written] = []

    # 协会动态: short news items, one after another (200–800 characters each).
    for n, title in enumerate(NEWS_TITLES):
        paragraphs: list[str] = []
        target = rng.randint(200, 800)
        while sum(map(len, paragraphs)) < target - 60 or not paragraphs:
            candidate = rng.choice(seeds)
            if sum(map(len, paragraphs)) + len(candidate) <= 800:
                paragraphs.append(candidate)
            elif not paragraphs:
                paragraphs.append(candidate[: candidate.find("。", 150) + 1] or candidate[:300])
            else:
                break
        name = f"n{n:02d}.{'md' if n % 3 == 2 else 'txt'}"
        if name.endswith(".md"):
            write_md(folder / name, title, [], paragraphs)
        else:
            write_txt(folder / name, title, "", "", paragraphs, rng)
        written.append(Written(name, "协会动态", title, paragraphs, short=True))

    # 专题: titles that end in ？ or ！, dashed subtitles, ◆ bylines, Latin and figures; one 80-character title.
    for n, (title, subtitle, author) in enumerate(QUESTION_TITLES):
        paragraphs = rng.sample(seeds, rng.randint(4, 9))
        paragraphs.insert(1, f"该企业自2015年起推行ISO 9001:2015与IATF 16949体系，一次交检合格率由96.5%提高到99.2%，"
                             f"PPM值下降了{40 + n}%。")
        name = f"t{n:02d}.txt"
        write_txt(folder / name, title, subtitle, author, paragraphs, rng)
        written.append(Written(name, "专题", title, paragraphs, [author], subtitle))
    paragraphs = rng.sample(seeds, 6)
    write_md(folder / "t08.md", TITLE_80, ["质量发展处"], paragraphs)
    written.append(Written("t08.md", "专题", TITLE_80, paragraphs, ["质量发展处"]))

    # 行业观察: research notes (from the evaluation data where present) in Markdown and Word.
    titles = [p["title"] for p in papers if 8 <= len(p["title"]) <= 36]
    for n in range(24):
        if notes:
            record = notes[(n * 5) % len(notes)]
            paragraphs = research_paragraphs(record)
            title = titles[n % len(titles)] if titles else f"行业观察之{n + 1}"
        else:
            paragraphs = rng.sample(seeds, rng.randint(3, 8))
            title = f"行业观察之{n + 1}：质量提升的实践与思考"
        name = f"r{n:02d}.{'docx' if n % 2 else 'md'}"
        authors = rng.sample(AUTHORS, rng.randint(1, 2))
        article = Written(name, "行业观察", title, paragraphs, authors)
        rich = article if n % 6 in (0, 1) and len(paragraphs) >= 3 else None
        if rich is not None:
            rich_content(rich, n, folder)
        if name.endswith(".docx"):
            write_docx(folder / name, title, paragraphs, rich=rich)
            article.authors = []
        else:
            write_md(folder / name, title, authors, paragraphs, rich=rich)
        written.append(article)

    # and papers' abstracts, short, with Latin terms and formulas.
    for n in range(12):
        if papers:
            record = papers[(n * 11 + 5) % len(papers)]
            paragraphs, title = [record["text"]], record["title"]
        else:
            paragraphs, title = [rng.choice(seeds)], f"质量工程研究{n + 1}"
        name = f"p{n:02d}.md"
        write_md(folder / name, title, rng.sample(AUTHORS, 2), paragraphs)
        written.append(Written(name, "行业观察", title, paragraphs))

    # 工作报告: two long reports, 20,000 and 150,000+ characters.
    pool = seeds + [p for record in notes for p in research_paragraphs(record) if len(p) >= 40]
    for name, title, target in (("L1.txt", "上海市质量协会第七届理事会工作报告", 20_000),
                                ("L2.docx", "2020年上海市质量发展状况调查汇编", 152_000)):
        paragraphs, headings = long_report(pool, target, rng)
        if name.endswith(".docx"):
            write_docx(folder / name, title, paragraphs, headings)
        else:
            write_txt(folder / name, title, REPORT_SUBTITLE, "唐晓芬", paragraphs, rng, headings)
        authors, subtitle = (["唐晓芬"], REPORT_SUBTITLE) if name.endswith(".txt") else ([], "")
        written.append(Written(name, "工作报告", title, paragraphs + list(headings.values()), authors, subtitle))

    sections: dict[str, list[str]] = {}
    for article in written:
        sections.setdefault(article.section, []).append(article.file)
    config = ['[publication]', 'title = "上海质量"', 'publisher = "上海市质量协会"', "",
              '[issue]', 'id = "realistic"', 'number = "2020年第7期"', "date = 2020-07-31", 'page_size = "A4"', ""]
    for title in ("协会动态", "专题", "行业观察", "工作报告"):
        files = ", ".join(f'"{f}"' for f in sections[title])
        config += ["[[sections]]", f'title = "{title}"', f"articles = [{files}]", ""]
    (folder / "issue.toml").write_text("\n".join(config), encoding="utf-8")
    return RealisticIssue(folder, written)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where to write the issue (must not exist)")
    parser.add_argument("--eval", type=Path, default=EVAL, help="the evaluation data, if present")
    args = parser.parse_args(argv)
    issue = make_issue(args.folder, args.eval if args.eval.is_dir() else None)
    chars = sum(len(p) for a in issue.articles for p in a.paragraphs)
    print(f"{args.folder}: {len(issue.articles)} articles, {chars} characters")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
