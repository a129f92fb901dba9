"""huikan preview as an editor uses it: the spreads of the realistic issue in Chromium, an edit followed in
place, a broken issue.toml shown over the page and gone when fixed; and only the build's files served."""

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

import browser
from conftest import ROOT, SEEDS
from realistic_issue import EVAL, make_issue

FIRST_BUILD = 300  # seconds: a slow CI machine lays out the realistic issue's 190 pages in well under this
# Read in the page in one script each (browser.until): a spread's top in the window and how far the page is
# scrolled; the web frame's article title, address and height once its page has loaded.
PLACE = ("const s = document.querySelector(arguments[0]);"
         "return [s ? s.getBoundingClientRect().top : null, window.scrollY];")
FRAME = ("const frame = document.getElementById('web-frame'), page = frame.contentDocument;"
         "if (!page || page.readyState !== 'complete') return null;"
         "const h1 = page.querySelector('h1');"
         "return {title: h1 ? h1.textContent : '', path: frame.contentWindow.location.pathname,"
         " y: frame.contentWindow.scrollY};")


class Preview:
    """`huikan preview` running as a user starts it, on a free port."""

    def __init__(self, folder: Path, out: Path, *extra: str, started_in_background: bool = False):
        # A shell starts a background job with SIGINT ignored: Ctrl-C (and SIGTERM) must stop it all the same.
        ignore = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if started_in_background else None
        self.process = subprocess.Popen([sys.executable, "-m", "huikan", "preview", str(folder), "-o", str(out),
                                         "--port", "0", *extra], stderr=subprocess.PIPE, text=True,
                                        cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"}, preexec_fn=ignore)
        self.lines: list[str] = []
        self.url = None
        started = threading.Event()

        def read():
            for line in self.process.stderr:
                self.lines.append(line.rstrip("\n"))
                found = re.search(r"at (http://\S+/) ", line)
                if found:
                    self.url = found.group(1)
                    started.set()
            started.set()

        threading.Thread(target=read, daemon=True).start()
        assert started.wait(60) and self.url, "\n".join(self.lines)

    def state(self) -> dict:
        with urllib.request.urlopen(self.url + "_preview/state.json", timeout=10) as answer:
            return json.loads(answer.read())

    def wait_for(self, test, timeout: float, what: str) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            state = self.state()
            if test(state):
                return state
            time.sleep(0.3)
        raise AssertionError(f"{what}: not within {timeout} s\n" + "\n".join(self.lines[-20:]))

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)  # Ctrl-C
        return self.process.wait(60)


@pytest.mark.skipif(not browser.available(), reason="needs Debian's chromium and chromium-driver (see README)")
def test_the_preview_follows_edits_in_place_and_shows_a_broken_issue_over_the_last_good_one(tmp_path):
    from selenium.webdriver.common.by import By

    folder = make_issue(tmp_path / "issue", EVAL if EVAL.is_dir() else None).folder
    out = tmp_path / "build"
    preview = Preview(folder, out)
    try:
        state = preview.wait_for(lambda s: s["print"] is not None, FIRST_BUILD, "the first full build")
        spreads = state["print"]["spreads"]
        assert spreads[0][0]["number"] == 1 and len(spreads[0]) == 1  # the cover alone
        assert [p["number"] for p in spreads[1]] == [2, 3]
        assert state["print"]["pages"] > 100
        # An article of the middle of the issue whose title is in its Markdown front matter.
        middle = state["print"]["pages"] // 2
        article = min((a for a in state["articles"] if a["pages"] and a["source"].endswith(".md")),
                      key=lambda a: abs(a["pages"][0] - middle))
        first = next(s[0]["number"] for s in spreads if article["pages"][0] in [p["number"] for p in s])

        spread = f'.spread[data-first="{first}"]'
        with browser.chromium(tmp_path / "profile") as driver:
            # Every look at the page is one script that reads it afresh (browser.until): the page redraws
            # the spreads after each build and reloads the web frame, and a held element would go stale.
            driver.set_window_size(1280, 900)
            driver.get(preview.url)
            browser.until(driver, "return document.querySelector(arguments[0]) !== null && document.querySelector("
                          "'.spread[data-first=\"1\"] .page.right img') !== null", spread, what="the spreads")
            driver.execute_script("document.querySelector(arguments[0]).scrollIntoView(); window.scrollBy(0, -80);"
                                  "window.marker = 'same';", spread)
            top, scrolled = browser.until(driver, PLACE, spread, test=lambda v: v[0] is not None and 0 < v[0] < 300,
                                          what="the spread scrolled to")
            assert scrolled > 2000

            # An edit: the article's title changed on disk, as an editor saves it.
            source = folder / article["source"]
            text = source.read_text(encoding="utf-8")
            new_title = article["title"] + "（修订稿）"
            source.write_text(text.replace(f'title: "{article["title"]}"', f'title: "{new_title}"', 1),
                              encoding="utf-8")
            browser.until(driver, "return document.getElementById('spreads').textContent.includes(arguments[0])",
                          new_title, timeout=FIRST_BUILD, what="the new title in the spreads")
            assert driver.execute_script("return window.marker") == "same"  # no reload of the page
            # Once the full build is done, the spread's thumbnails of the new PDF, drawn when the page asks for
            # them, are in.
            preview.wait_for(lambda s: s["building"] == "" and s["print"] is not None, FIRST_BUILD,
                             "the full build after the edit")
            browser.until(driver, "const pictures = [...document.querySelectorAll(arguments[0] + ' img')];"
                          "return pictures.length > 0 && pictures.every(p => p.complete && p.naturalWidth > 0)",
                          spread, timeout=FIRST_BUILD, what="the spread's thumbnails")
            now, _ = driver.execute_script(PLACE, spread)
            assert now is not None and abs(now - top) < 40, (top, now)  # the same spread, where it was

            # issue.toml broken: the overlay names the file and line; the last good edition stays beneath.
            toml = folder / "issue.toml"
            good = toml.read_text(encoding="utf-8")
            toml.write_text(good.replace("[issue]", "[issue\n", 1), encoding="utf-8")
            message = browser.until(driver, "const o = document.getElementById('overlay');"
                                    "return o.hidden ? null : o.innerText", timeout=FIRST_BUILD, what="the overlay")
            assert re.search(r"issue\.toml:\d+: error: .*\[bad-toml\]", message), message
            assert driver.execute_script("return document.querySelector(arguments[0] + ' img') !== null", spread)

            toml.write_text(good, encoding="utf-8")  # fixed: the page comes back by itself
            browser.until(driver, "return document.getElementById('overlay').hidden", timeout=FIRST_BUILD,
                          what="the overlay gone")
            assert driver.execute_script("return window.marker") == "same"

            # The web edition keeps its place too: the same article page, at the same height (once the full
            # build after the fix is done, so that the edit below is the only change).
            preview.wait_for(lambda s: s["building"] == "" and not s["error"], FIRST_BUILD, "the build after the fix")
            driver.set_window_size(1280, 480)  # a short window: room to scroll even a short article
            driver.find_element(By.ID, "tab-web").click()  # the tabs are never redrawn
            page = f"/site/{state['issue']['id']}/{article['id']}.html"
            driver.execute_script("document.getElementById('web-frame').src = arguments[0]", page)
            browser.until(driver, FRAME, test=lambda v: v and new_title in v["title"] and v["path"] == page,
                          what="the article in the web frame")
            height = driver.execute_script("const w = document.getElementById('web-frame').contentWindow;"
                                           "w.scrollTo(0, 400); return w.scrollY")
            assert height > 100  # (the page may be too short to scroll all the way)
            edited = source.read_text(encoding="utf-8").replace("（修订稿）", "（第二稿）", 1)
            source.write_text(edited, encoding="utf-8")
            browser.until(driver, FRAME, timeout=FIRST_BUILD, what="the edited article at the same height",
                          test=lambda v: v and "（第二稿）" in v["title"] and v["path"] == page
                          and abs(v["y"] - height) < 5)
            new_title = new_title.replace("（修订稿）", "（第二稿）")
            preview.wait_for(lambda s: s["building"] == "" and s["print"] and not s["error"], FIRST_BUILD,
                             "the full build after the fix")
            # The print edition has the new title too, on the same spread.
            state = preview.state()
            edited = next(a for a in state["articles"] if a["id"] == article["id"])
            assert edited["title"] == new_title and edited["pages"] == article["pages"]
    finally:
        status = preview.stop()
        print("\n".join(preview.lines))  # shown with a failure: what the preview did
    assert status == 0, "\n".join(preview.lines)
    # Ctrl-C leaves the build folder and nothing half-made beside it.
    assert sorted(p.name for p in out.iterdir() if not p.name.endswith(".lock")) == [".preview", "realistic"]
    assert not list(folder.rglob(".*.tmp"))


def test_a_busy_port_gets_the_next_one(tmp_path):
    import socket

    from huikan.preview.server import serve
    from huikan.preview.session import Session

    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    busy = holder.getsockname()[1]
    server = serve(Session(SEEDS, tmp_path / "build"), "127.0.0.1", busy)
    try:
        assert server.server_address[1] != busy
    finally:
        server.server_close()
        holder.close()


def test_another_host_is_warned_of_and_ctrl_c_stops_a_build_cleanly(tmp_path):
    preview = Preview(SEEDS, tmp_path / "build", "--host", "0.0.0.0", started_in_background=True)
    assert any("warning: serving on 0.0.0.0" in line and "[open-host]" in line for line in preview.lines)
    preview.wait_for(lambda s: s["building"] == "print", 120, "the full build to start")
    assert preview.stop() == 0
    assert not [p for p in (tmp_path / "build").iterdir() if p.name.endswith((".tmp", ".old"))]


def test_a_folder_that_is_not_an_issue_is_an_error(tmp_path):
    process = subprocess.run([sys.executable, "-m", "huikan", "preview", str(tmp_path / "none")],
                             capture_output=True, text=True, timeout=60)
    assert process.returncode == 2 and "[no-config]" in process.stderr and "Traceback" not in process.stderr


@pytest.fixture
def served(tmp_path):
    """A preview server (not building) over a build folder with a site, a page and a secret beside them."""
    from huikan.preview.server import serve
    from huikan.preview.session import Session

    session = Session(SEEDS, tmp_path / "build")
    session.site.mkdir(parents=True)
    (session.site / "index.html").write_text("<p>site</p>", encoding="utf-8")
    session.pages.mkdir()
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (tmp_path / "build" / "secret.txt").write_text("secret", encoding="utf-8")
    (session.site / "planted").symlink_to(tmp_path / "secret.txt")
    (session.site / "planted-dir").symlink_to(tmp_path, target_is_directory=True)
    server = serve(session, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def status_of(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", path, skip_accept_encoding=True)  # sent as written, not normalised
    connection.endheaders()
    answer = connection.getresponse()
    return answer.status, answer.read()


@pytest.mark.parametrize("path", [
    "/site/../secret.txt", "/site/../../secret.txt", "/site/%2e%2e/secret.txt", "/site/%2E%2E/%2e%2e/secret.txt",
    "/site/..%2fsecret.txt", "/site/..%5csecret.txt", "/site/%252e%252e/secret.txt", "/site//etc/passwd",
    "/site/planted", "/site/planted-dir/secret.txt", "/pages/../site/index.html", "/etc/passwd",
    "/_preview/../../pyproject.toml", "/print/../secret.txt", "/site/index.html%00.png",
])
def test_nothing_outside_the_build_is_served(served, path):
    status, body = status_of(served, path)
    assert status == 404 and b"secret" not in body, path


def test_the_page_and_the_site_are_served(served):
    assert status_of(served, "/site/index.html") == (200, b"<p>site</p>")
    status, body = status_of(served, "/")
    assert status == 200 and "版面（对页）".encode() in body
    assert status_of(served, "/_preview/preview.js")[0] == 200
