"""Assemble publish/ from built issues: archive, issue and article pages, search, feed, manifest.

Everything comes from build/<id>/ (build.json, issue.json, search.json, the PDF, DOCX and cover), so
the sharded CI jobs' artifacts assemble into the same tree as one run. Same inputs, same bytes: no
clock, sorted JSON, issue dates only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import struct
import uuid
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateError

from huikan.diagnostics import UsageError
from huikan.model import Block, Picture
from huikan.publish.search import build_index
from huikan.render.html import environment, render_inline, template_place
from huikan.render.html import shown as shown_picture
from huikan.swap import fresh_staging, holds_protected, locked, protected_paths, put_in_place, recover
from huikan.theme import default_theme_dir

GENERATOR = "huikan"  # in manifest.json: what tells huikan's own site folder from anyone else's
STATIC = ("site.css", "search.js", "wechat.js")
NAMESPACE = uuid.UUID("5f0c5d52-8a8e-4c4a-9a53-1b6d3f0e2a61")  # feed ids: uuid5 of issue/article


@dataclass
class BuiltIssue:
    """One issue as publishing sees it: its build folder (pictures included: images/)."""

    build: Path
    manifest: dict
    model: dict
    terms: dict

    @classmethod
    def load(cls, build: Path) -> BuiltIssue:
        read = lambda name: json.loads((build / name).read_text(encoding="utf-8"))  # noqa: E731
        model = read("issue.json")
        for article in model["articles"]:
            for block in article["blocks"]:  # issue.json leaves out what a block does not have
                for name, empty in (("level", 0), ("lead", ""), ("links", []), ("image", None)):
                    block.setdefault(name, empty)
        return cls(build, read("build.json"), model, read("search.json"))

    @property
    def id(self) -> str:
        return self.model["issue"]["id"]

    @property
    def date(self) -> str:
        return self.model["issue"]["date"] or ""


def wechat_part(page: Path) -> str | None:
    """The part to paste of an article's 公众号 edition (its page's body), if the build made one. It may
    come from an issue's own theme, so the article page carries it as text, escaped, never as markup."""
    if not page.is_file():
        return None
    html = page.read_text(encoding="utf-8")
    start, end = html.find(">", html.find("<body")) + 1, html.rfind("</body>")
    return html[start:end].strip() if 0 < start < end else None


def human_size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"


def chinese_date(iso: str) -> str:
    if not iso:
        return ""
    day = dt.date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日"


def png_size(path: Path) -> tuple[int, int] | None:
    if not path.is_file():
        return None
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def _sections(articles: list[dict]) -> list[dict]:
    sections: list[dict] = []
    for article in articles:
        if not sections or sections[-1]["title"] != article["section"]:
            sections.append({"title": article["section"], "articles": []})
        sections[-1]["articles"].append(article)
    return sections


def _atom_time(iso: str) -> str:
    return f"{iso or '1970-01-01'}T00:00:00+08:00"


class Site:
    def __init__(self, issues: list[BuiltIssue], out: Path, site_title: str, site_url: str = ""):
        # Newest first; the id breaks ties so the order never depends on the file system.
        self.issues = sorted(issues, key=lambda i: (i.date, i.id), reverse=True)
        self.out = out
        self.env = environment([default_theme_dir()])
        self.inline = lambda block, last=True: render_inline(block, "screen", last=last)
        self.common = {"site_title": site_title, "site_url": site_url}

    def page(self, template: str, target: Path, root: str, **values) -> None:
        try:
            html = self.env.get_template(template).render(root=root, **self.common, **values)
        except TemplateError as exc:
            raise UsageError.single(*template_place(exc), "template", f"the theme's template failed: {exc}") from None
        target.write_text(html, encoding="utf-8")

    def entry(self, issue: BuiltIssue) -> dict:
        outputs = issue.manifest["outputs"]
        labels = (("pdf", "下载 PDF（印刷版）"), ("booklet", "下载 PDF（骑马订小册子，双面打印）"),
                  ("docx", "下载 Word 文件"))
        downloads = [{"path": outputs[fmt]["path"], "label": label, "size": human_size(outputs[fmt]["bytes"])}
                     for fmt, label in labels if fmt in outputs]
        return {"issue": issue.model["issue"], "folder": issue.id, "date": chinese_date(issue.date),
                "articles": issue.model["articles"], "sections": _sections(issue.model["articles"]),
                "downloads": downloads, "cover": png_size(issue.build / "cover.png")}

    def write_issue(self, issue: BuiltIssue) -> None:
        folder = self.out / issue.id
        folder.mkdir()
        for entry in issue.manifest["outputs"].values():
            if entry["path"].endswith((".pdf", ".docx")):
                shutil.copyfile(issue.build / entry["path"], folder / entry["path"])
        if (issue.build / "cover.png").is_file():
            shutil.copyfile(issue.build / "cover.png", folder / "cover.png")
        pictures = {ref: Picture.from_json(ref, data) for ref, data in issue.model.get("pictures", {}).items()}
        if (issue.build / "images").is_dir():  # the pictures made for screens, upright and sRGB
            shutil.copytree(issue.build / "images", folder / "images")
        entry = self.entry(issue)
        self.page("web/issue.html", folder / "index.html", "../", entry=entry)
        articles = issue.model["articles"]
        for n, article in enumerate(articles):
            shown = {**article, "blocks": [Block.from_json(b) for b in article["blocks"]]}
            self.page("web/article.html", folder / f"{article['id']}.html", "../", entry=entry, article=shown,
                      inline=self.inline, picture=lambda ref: shown_picture(pictures, ref, "screen"),
                      wechat=wechat_part(issue.build / "wechat" / f"{article['id']}.html"),
                      previous=articles[n - 1] if n else None,
                      next=articles[n + 1] if n + 1 < len(articles) else None)

    def write_feed(self) -> None:
        entries = []
        for issue in self.issues:
            for article in issue.model["articles"]:
                entries.append({
                    "id": uuid.uuid5(NAMESPACE, f"{issue.id}/{article['id']}").urn,
                    "title": article["title"], "updated": _atom_time(issue.date),
                    "href": f"{issue.id}/{article['id']}.html", "authors": article["authors"],
                    "keywords": article["keywords"], "summary": article["summary"],
                })
        newest = self.issues[0].model["issue"] if self.issues else {"publisher": "", "date": ""}
        xml = self.env.get_template("web/feed.xml").render(
            entries=entries, feed_id=uuid.uuid5(NAMESPACE, self.common["site_title"]).urn,
            updated=_atom_time(newest["date"]), publisher=newest["publisher"] or self.common["site_title"],
            **self.common)
        (self.out / "feed.xml").write_text(xml, encoding="utf-8")

    def write(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        for name in STATIC:
            shutil.copyfile(default_theme_dir() / "web" / name, self.out / name)
        for issue in self.issues:
            self.write_issue(issue)
        self.page("web/archive.html", self.out / "index.html", "", issues=[self.entry(i) for i in self.issues])
        index = build_index([(i.model, i.terms, i.id) for i in self.issues])
        data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
        # Markup in a title stays a string even if the script is ever inlined in a page (</script>).
        data = data.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
        script = "window.HUIKAN_SEARCH = " + data + ";\n"
        (self.out / "search-index.js").write_text(script, encoding="utf-8")
        self.write_feed()
        write_manifest(self.out)


def write_manifest(folder: Path) -> dict:
    """publish/manifest.json: every other file with its sha256 and size, in path order."""
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json"):
        data = path.read_bytes()
        files[path.relative_to(folder).as_posix()] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    manifest = {"generator": GENERATOR, "files": files}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def assemble(issues: list[BuiltIssue], out: Path, site_title: str, site_url: str = "", force: bool = False,
             protected: tuple[Path, ...] = ()) -> None:
    """Write the site beside OUT, then put it in OUT's place at once: a failure leaves the old site.

    OUT is replaced only if it is absent, empty or a site huikan made (its manifest.json says so), or
    with FORCE; never if that would remove a PROTECTED folder, the current folder or the home folder.
    """
    out = Path(out)
    check_site_folder(out, force, protected)
    with locked(out):
        recover(out)
        staging = fresh_staging(out)
        try:
            Site(issues, staging, site_title, site_url).write()
            put_in_place(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def is_site(folder: Path) -> bool:
    """Whether FOLDER is a web edition huikan wrote (a manifest.json of huikan's, or of its first form)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and (manifest.get("generator") == GENERATOR or set(manifest) == {"files"})


def check_site_folder(out: Path, force: bool, protected: tuple[Path, ...]) -> None:
    kept = holds_protected(out, protected_paths(list(protected)))
    if kept is not None:
        raise UsageError.single(str(out), 0, "protected-folder",
                                f"publishing here would replace {kept}; choose another folder with -o")
    if out.exists() and not out.is_dir():
        raise UsageError.single(str(out), 0, "not-a-site", "is a file, not a folder; choose another folder with -o")
    if out.is_dir() and any(out.iterdir()) and not is_site(out) and not force:
        raise UsageError.single(str(out), 0, "not-a-site",
                                "holds files that are not a huikan web edition (no huikan manifest.json), and "
                                "publishing replaces the whole folder: choose another folder with -o, empty it, "
                                "or pass --force to replace it")


def site_title_of(issues: list[BuiltIssue]) -> str:
    titles = [i.model["issue"]["title"] for i in issues]
    return max(sorted(set(titles)), key=titles.count) if titles else "会刊"
