"""Headless Chromium (Debian's chromium and chromedriver, nothing downloaded) for the web edition."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
import time
from pathlib import Path

PHONE = (390, 844)
DESKTOP = (1280, 900)
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


def available() -> bool:
    return bool(shutil.which("chromium") and shutil.which("chromedriver"))


@contextlib.contextmanager
def serve(folder: Path):
    """FOLDER over HTTP on localhost, as GitHub Pages would serve it; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def chromium(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=shutil.which("chromedriver")))
    try:
        yield driver
    finally:
        driver.quit()


def until(driver, script: str, *args, test=bool, timeout: float = 60.0, what: str = ""):
    """What SCRIPT returns in the page once TEST holds for it, polled every 0.2 s.

    Each poll reads the page afresh in one script, so that no element is held from one poll to the
    next: a page that redraws (the preview after each build) or reloads would leave a held element
    stale. A script error while the page is between two states counts as a poll that failed.
    """
    from selenium.common.exceptions import JavascriptException

    end = time.monotonic() + timeout
    while True:
        try:
            value = driver.execute_script(script, *args)
        except JavascriptException as error:
            value = error
        if not isinstance(value, Exception) and test(value):
            return value
        if time.monotonic() > end:
            raise AssertionError(f"{what or script}: not within {timeout} s (last: {value!r})")
        time.sleep(0.2)
