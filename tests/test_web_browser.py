"""The web edition in a real browser (headless Chromium) at phone and desktop widths."""

import json
import urllib.request
from pathlib import Path

import pytest

import browser
from conftest import ROOT

SCREENSHOTS = ROOT / "build" / "screenshots"  # kept by CI with build/
pytestmark = pytest.mark.skipif(not browser.available(),
                                reason="needs Debian's chromium and chromium-driver (see README)")


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    with browser.chromium(tmp_path_factory.mktemp("profile")) as driver:
        yield driver


@pytest.fixture(scope="module")
def served(site):
    with browser.serve(site) as base:
        yield base


def pages(site: Path) -> dict[str, str]:
    first = json.loads((site / "manifest.json").read_text())["files"]
    article = sorted(name for name in first if name.startswith("2020-06/0") and name.endswith(".html"))[1]
    return {"archive": "index.html", "issue": "2020-06/index.html", "article": article}


# The browser's own pages (a late new-tab page, its favicons and resources) are not the site's requests.
# Chromium's own pages (its new-tab page loads chrome-untrusted://new-tab-page/… on some runs, and aborts it)
BROWSER_SCHEMES = ("chrome:", "chrome-untrusted:", "chrome-extension:", "chrome-search:", "about:", "devtools:")


def network_problems(driver, base: str) -> list[str]:
    return problems_in_log([json.loads(entry["message"])["message"] for entry in driver.get_log("performance")], base)


def problems_in_log(messages: list[dict], base: str) -> list[str]:
    """Requests off BASE, error statuses and failed loads, from Chromium's performance log."""
    problems, internal = [], set()
    for message in messages:
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if url.startswith(BROWSER_SCHEMES):
                internal.add(params.get("requestId"))
            elif not url.startswith((base, "data:")):
                problems.append(f"request to another host: {url}")
        elif message["method"] == "Network.responseReceived" and params["response"]["status"] >= 400:
            problems.append(f"{params['response']['status']} {params['response']['url']}")
        elif message["method"] == "Network.loadingFailed" and params.get("requestId") not in internal:
            problems.append(f"failed: {params.get('errorText')}")
    return problems


def test_network_check_ignores_the_browser_but_not_the_site():
    base = "http://127.0.0.1:8000/"

    def sent(request_id, url):
        return {"method": "Network.requestWillBeSent", "params": {"requestId": request_id, "request": {"url": url}}}

    internal = [sent("1", "chrome://favicon2/?size=24"), sent("2", "chrome://resources/js/x.js"),
                {"method": "Network.loadingFailed", "params": {"requestId": "2", "errorText": "net::ERR_ABORTED"}},
                sent("6", "chrome-untrusted://new-tab-page/one-google-bar?paramsencoded="),
                {"method": "Network.loadingFailed", "params": {"requestId": "6", "errorText": "net::ERR_ABORTED"}},
                sent("3", base + "index.html")]
    assert problems_in_log(internal, base) == []
    outside = [*internal, sent("4", "https://fonts.example.com/a.woff2"),
               {"method": "Network.loadingFailed",
                "params": {"requestId": "5", "errorText": "net::ERR_FILE_NOT_FOUND"}}]
    assert problems_in_log(outside, base) == ["request to another host: https://fonts.example.com/a.woff2",
                                              "failed: net::ERR_FILE_NOT_FOUND"]


@pytest.mark.parametrize("width, height", [browser.PHONE, browser.DESKTOP], ids=["phone", "desktop"])
def test_pages_load_cleanly_and_fit_the_screen(chromium, served, site, width, height):
    chromium.set_window_size(width, height)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in pages(site).items():
        chromium.get_log("browser")
        chromium.get_log("performance")
        chromium.get(served + path)
        chromium.execute_script("return document.fonts.ready")
        chromium.save_screenshot(str(SCREENSHOTS / f"{name}-{width}.png"))
        errors = [e["message"] for e in chromium.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, (path, errors)
        assert not network_problems(chromium, served), path
        assert chromium.execute_script("return document.documentElement.lang") == "zh-CN"
        overflow = chromium.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, width, overflow)
        images = chromium.execute_script("return [...document.images].filter(i => !i.alt).length")
        assert images == 0, path


def test_every_internal_link_resolves(chromium, served, site):
    checked = set()
    for path in pages(site).values():
        chromium.get(served + path)
        for href in chromium.execute_script("return [...document.links].map(a => a.href)"):
            target = href.split("#")[0]
            if target.startswith(served) and target not in checked:
                with urllib.request.urlopen(target) as response:
                    assert response.status == 200, target
                checked.add(target)
    assert len(checked) >= 8


@pytest.mark.parametrize("word", ["卓越绩效", "长三角"])
def test_search_finds_articles_by_a_chinese_word(chromium, served, word):
    from selenium.webdriver.common.by import By

    chromium.set_window_size(*browser.DESKTOP)
    chromium.get(served + "index.html")
    box = chromium.find_element(By.ID, "search-box")  # the box stays; the results are redrawn at each key
    box.clear()
    box.send_keys(word)
    # The results for the whole word, read in one script (an element held across a redraw goes stale).
    links = browser.until(chromium, "return document.getElementById('search-box').value === arguments[0] ?"
                          "[...document.querySelectorAll('#search-results a')].map(a => a.href) : []", word,
                          timeout=10, what="search results")
    chromium.save_screenshot(str(SCREENSHOTS / f"search-{len(word)}.png"))
    for link in links:
        chromium.get(link)
        assert word in chromium.execute_script("return document.querySelector('article').textContent"), link
