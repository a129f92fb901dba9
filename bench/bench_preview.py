"""Time the preview's loop on the realistic test issue: from saving one article to the web edition
showing it, and to the spreads showing the new PDF, against a full `huikan build` of the same issue in
the same run.

    python bench/bench_preview.py [--edits 3] [--keep DIR]

The issue is written by tests/realistic_issue.py (with ../shared/eval if present). `huikan preview` runs
as a user starts it; each edit changes the title of an article in the middle of the issue, as an editor
saves it, and the times are read from the preview's own state (`/_preview/state.json`) and its pages:
  web      save → the article's page in the web edition has the new title;
  spreads  save → the spreads' state lists the new title with its pages in a new PDF, and the thumbnails of
           the article's first two pages come (drawn when asked for, as the page's images ask for them),
           for a new title (a word) and for a page's worth of paragraphs added (with a new title, to know it);
  rebuild  `huikan build` after a word of the article changed (the others' pages and 摘要 kept);
  build    `huikan build --force` of the issue, in a fresh process (the reference).
Between edits it waits PAUSE seconds, as an editor reads the page before the next save.
Aims: web ≤ 2 s; spreads ≤ 3 s for a word, ≤ 5 s for a page added.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from realistic_issue import EVAL, make_issue  # noqa: E402

# A page's worth of text, added to the article as paragraphs (about 1,700 characters: an A4 page holds ~1,500).
MORE = "本会将继续加强质量管理工作，推动会员单位提升产品和服务质量，为高质量发展作出新的贡献。" * 4
PAGE_PARAGRAPHS = 10


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read()


def wait(test, timeout: float = 600) -> float:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if test():
            return time.monotonic()
        time.sleep(0.05)
    raise SystemExit("the preview did not get there in time")


def state_of(url: str) -> dict:
    return json.loads(fetch(url + "_preview/state.json"))


def page_shows(page: str, title: str):
    return lambda: title.encode() in fetch(page)


def spreads_show(url: str, title: str):
    """The print phase is done, its articles list TITLE with its pages, and the thumbnails of its first two
    pages are there."""
    def test() -> bool:
        state = state_of(url)
        article = next((a for a in state["articles"] if a["title"] == title and a["pages"]), None)
        if state["building"] != "" or state["print"] is None or article is None:
            return False
        first = article["pages"][0]
        for page in (p for spread in state["print"]["spreads"] for p in spread if first <= p["number"] <= first + 1):
            try:
                fetch(url + page["thumbnail"])
            except urllib.error.HTTPError:
                return False
        return True
    return test


def full_build(folder: Path, out: Path, *more: str) -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "huikan", "build", str(folder), "-o", str(out), "-q", *more],
                   check=True, capture_output=True)
    return time.monotonic() - started


def one_word_rebuild(source: Path, folder: Path, out: Path, n: int) -> float:
    """`huikan build` after a word of SOURCE's last paragraph changed: the other articles kept."""
    text = source.read_text(encoding="utf-8").rstrip()
    source.write_text(text[:-1] + f"（{n}）" + text[-1:] + "\n", encoding="utf-8")
    return full_build(folder, out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--pause", type=float, default=5.0, help="seconds between one edit's result and the next")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        folder = make_issue(work / "issue", EVAL if EVAL.is_dir() else None).folder
        process = subprocess.Popen([sys.executable, "-m", "huikan", "preview", str(folder), "-o", str(work / "build"),
                                    "--port", "0"], stderr=subprocess.PIPE, text=True)
        try:
            url = next(m.group(1) for line in process.stderr if (m := re.search(r"at (http://\S+/) ", line)))
            threading.Thread(target=process.stderr.read, daemon=True).start()  # what it says next
            first = time.monotonic()
            wait(lambda: state_of(url)["print"] is not None and state_of(url)["building"] == "")
            print(f"first preview (web and print, cold): {time.monotonic() - first:.1f} s")
            s = state_of(url)
            middle = s["print"]["pages"] // 2
            article = min((a for a in s["articles"] if a["pages"] and a["source"].endswith(".md")),
                          key=lambda a: abs(a["pages"][0] - middle))
            page = f"{url}site/{s['issue']['id']}/{article['id']}.html"
            source = folder / article["source"]
            web, spreads, grown, builds = [], [], [], []
            title = article["title"]
            for n in range(1, args.edits + 1):  # a word: the article's title
                time.sleep(args.pause)
                new = f"{article['title']}（第{n}稿）"
                text = source.read_text(encoding="utf-8")
                saved = time.monotonic()
                source.write_text(text.replace(f'title: "{title}"', f'title: "{new}"', 1), encoding="utf-8")
                title = new
                web.append(wait(page_shows(page, new)) - saved)
                spreads.append(wait(spreads_show(url, new)) - saved)
                drawn = state_of(url)["print"]["drawn"]
                print(f"edit {n}: web {web[-1]:.2f} s, spreads {spreads[-1]:.1f} s ({drawn} of "
                      f"{s['print']['pages']} pages to draw)")
            for n in range(1, args.edits + 1):  # a page more: paragraphs added at the article's end
                time.sleep(args.pause)
                pages = state_of(url)["print"]["pages"]
                new = f"{article['title']}（第{n}次加页）"
                text = source.read_text(encoding="utf-8").replace(f'title: "{title}"', f'title: "{new}"', 1)
                title = new
                saved = time.monotonic()
                source.write_text(text.rstrip() + f"\n\n{MORE}" * PAGE_PARAGRAPHS + "\n", encoding="utf-8")
                grown.append(wait(spreads_show(url, new)) - saved)
                after = state_of(url)["print"]
                print(f"page added {n}: spreads {grown[-1]:.1f} s ({after['drawn']} of {after['pages']} pages "
                      f"to draw, {pages} pages before)")
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(60)
        warm = []
        for n in range(args.edits):
            builds.append(full_build(folder, work / "reference", "--force"))
            warm.append(one_word_rebuild(source, folder, work / "reference", n))
        reference = statistics.median(builds)
        print()
        print("| measure (median) | seconds | against a full build |")
        print("| --- | --- | --- |")
        print(f"| save → web edition shows it | {statistics.median(web):.2f} | "
              f"{statistics.median(web) / reference:.2f}× |")
        print(f"| save → spreads show the new PDF | {statistics.median(spreads):.1f} | "
              f"{statistics.median(spreads) / reference:.2f}× |")
        print(f"| save → spreads, a page added to the article | {statistics.median(grown):.1f} | "
              f"{statistics.median(grown) / reference:.2f}× |")
        print(f"| `huikan build` after a word changed, the rest kept | {statistics.median(warm):.1f} | "
              f"{statistics.median(warm) / reference:.2f}× |")
        print(f"| full `huikan build --force` | {reference:.1f} | 1.00× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
