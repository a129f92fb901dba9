"""Make the README's pictures: the sample issue's cover, 目录 and an article opener, a page of short
items run on, with a list and a table, an article in the 公众号 edition beside its first page in print,
and the preview's spreads view.

    python docs/make_pictures.py [preview]     (preview: only the preview's picture)

Builds seeds/ and a small demonstration issue into a temporary folder and renders PDF pages to
docs/*.png with pdftoppm (poppler-utils), and the 公众号 page with headless Chromium at a phone's width
(tests/browser.py: Debian's chromium and chromedriver, selenium from the test extra).
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DPI = "60"


# A 协会动态 column of short items, run on: one plain, one with a list, one with a table.
NEWS = {
    "n1.md": "# 质量大讲堂走进临港新片区\n\n6月18日，市质协“质量大讲堂”走进临港新片区，来自30余家企业的质量负责人"
             "参加活动。专家围绕卓越绩效模式和数字化质量管理作了专题讲座，与会人员结合企业实际进行了交流。\n",
    "n2.md": "# 市质协部署下半年重点工作\n\n会议明确了下半年的三项重点工作：\n\n1. 深入开展质量提升行动，"
             "推进**质量强市**建设。\n2. 完善团体标准管理平台，做好标准化服务。\n3. 办好质量月系列活动。\n",
    "n3.md": "# 上半年会员服务情况\n\n上半年，市质协各项会员服务稳步推进，主要指标如下。\n\n表1 会员服务主要指标\n\n"
             "| 项目 | 2019年上半年 | 2020年上半年 |\n| :--- | ---: | ---: |\n| 培训人次 | 3,120 | 4,580 |\n"
             "| 诊断服务 | 46 | 62 |\n| 新增会员 | 85 | 103 |\n",
}
NEWS_TOML = """[publication]
title = "上海质量"

[issue]
id = "demo"
number = "2020年第6期"
date = 2020-06-30

[[sections]]
title = "协会动态"
layout = "run-on"
articles = ["n1.md", "n2.md", "n3.md"]
"""


WECHAT_ARTICLE = "004_2a33f5eb3ae65cfd"  # 上海发布《开展质量提升行动的实施方案》
PHONE = (375, 812)


def build(folder: Path, out: str, formats: str = "pdf") -> tuple[Path, dict]:
    # For screen: the pages as trimmed, without the print edition's bleed.
    subprocess.run([sys.executable, "-m", "huikan", "build", str(folder), "-o", out, "-q", "--formats", formats,
                    "--for", "screen"],
                   check=True)
    manifest = json.loads(next(Path(out).glob("*/build.json")).read_text(encoding="utf-8"))
    return Path(out) / manifest["issue"]["id"] / manifest["outputs"]["pdf"]["path"], manifest


def picture(pdf: Path, page: int, name: str) -> None:
    subprocess.run(["pdftoppm", "-png", "-r", DPI, "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(ROOT / "docs" / name)], check=True)
    print(f"docs/{name}.png: page {page}")


def main() -> int:
    if sys.argv[1:] == ["preview"]:
        with tempfile.TemporaryDirectory() as tmp:
            preview_screenshot(Path(tmp))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        preview_screenshot(Path(tmp))
        pdf, manifest = build(ROOT / "seeds", f"{tmp}/seeds", "pdf,wechat")
        for name, page in (("cover", 1), ("toc", 2), ("opener", manifest["articles"][1]["start_page"])):
            picture(pdf, page, name)
        start = next(a["start_page"] for a in manifest["articles"] if a["id"] == WECHAT_ARTICLE)
        picture(pdf, start, "wechat-pdf")
        phone_screenshot(pdf.parent / "wechat" / f"{WECHAT_ARTICLE}.html", Path(tmp) / "profile", "wechat")
        demo = Path(tmp) / "demo"
        demo.mkdir()
        (demo / "issue.toml").write_text(NEWS_TOML, encoding="utf-8")
        for name, text in NEWS.items():
            (demo / name).write_text(text, encoding="utf-8")
        pdf, manifest = build(demo, f"{tmp}/demo-build")
        picture(pdf, manifest["articles"][0]["start_page"], "run-on")
    return 0


def phone_screenshot(page: Path, profile: Path, name: str) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    import browser

    with browser.chromium(profile) as driver:
        driver.set_window_size(*PHONE)
        driver.get(page.as_uri())
        driver.save_screenshot(str(ROOT / "docs" / f"{name}.png"))
    print(f"docs/{name}.png: {page.name} at {PHONE[0]} px")


def preview_screenshot(tmp: Path) -> None:
    """`huikan preview` of a copy of the seeds, its spreads view in a desktop window."""
    sys.path.insert(0, str(ROOT / "tests"))
    import browser

    shutil.copytree(ROOT / "seeds", tmp / "issue")
    process = subprocess.Popen([sys.executable, "-m", "huikan", "preview", str(tmp / "issue"), "-o",
                                str(tmp / "preview-build"), "--port", "0"], stderr=subprocess.PIPE, text=True)
    try:
        url = next(m.group(1) for line in process.stderr if (m := re.search(r"at (http://\S+/) ", line)))
        for _ in range(600):
            with urllib.request.urlopen(url + "_preview/state.json") as answer:
                state = json.loads(answer.read())
            if state["building"] == "" and state["print"]:
                break
            time.sleep(0.2)
        with browser.chromium(tmp / "profile") as driver:
            driver.set_window_size(1280, 760)
            driver.get(url)
            time.sleep(2)  # the thumbnails load
            driver.save_screenshot(str(ROOT / "docs" / "preview.png"))
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(60)
    print("docs/preview.png: huikan preview seeds, the spreads")


if __name__ == "__main__":
    sys.exit(main())
