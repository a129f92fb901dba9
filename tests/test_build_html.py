"""The single-page HTML edition: every article, a working 目录, nothing fetched from elsewhere."""

import re
from html.parser import HTMLParser


class Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.hrefs, self.sources, self.h1 = set(), [], [], []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
        for key in ("src", "srcset"):
            if key in attrs:
                self.sources.append(attrs[key])
        self._in_h1 = tag == "h1"

    def handle_data(self, data):
        if self._in_h1:
            self.h1.append(data)

    def handle_endtag(self, tag):
        self._in_h1 = False


def test_html_has_every_article_and_working_toc_links(built):
    html = built.html.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in html
    page = Collect()
    page.feed(html)
    for article in built.manifest["articles"]:
        assert article["title"] in page.h1
        assert f"art-{article['id']}" in page.ids
    internal = [h for h in page.hrefs if h.startswith("#")]
    assert len(internal) == len(built.manifest["articles"])
    assert all(h[1:] in page.ids for h in internal)
    assert not page.sources and not re.search(r"url\(\s*['\"]?https?:", html)
