"""How far a build has got: a bar on a terminal, the stage lines in a log, nothing with --quiet."""

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

from conftest import SEEDS, run_huikan

ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def on_a_terminal(*args: str, delay: float | None = 0.0) -> str:
    """What `huikan ARGS` writes to a 120-column pseudo-terminal, escape sequences and all.

    The bars show from the start (DELAY), so that what they show does not hang on how fast this machine
    builds the sample issue; `delay=None` keeps the command's own second."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    with_delay = f"from huikan.progress import Bar; Bar.DELAY = {delay}; from huikan.cli import run; run()"
    command = [sys.executable, "-m", "huikan"] if delay is None else [sys.executable, "-c", with_delay]
    process = subprocess.Popen([*command, *args], stdin=follower, stdout=follower,
                               stderr=follower, env={**os.environ, "TERM": "xterm-256color"})
    os.close(follower)
    out = b""
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the other end closed: the command is done
            break
        if not data:
            break
        out += data
    os.close(leader)
    assert process.wait(timeout=600) == 0
    return out.decode("utf-8")


def test_a_build_on_a_terminal_shows_bars_and_ends_with_every_stage_done(tmp_path):
    out = on_a_terminal("build", str(SEEDS), "-o", str(tmp_path / "build"))
    assert "━" in out and "left" in out
    # The last frame the bar drew: after its last "erase line", before the diagnostics and the summary.
    last = ESCAPE.sub("", out.rsplit("\x1b[2K", 1)[1])
    frame = [line.strip() for line in last.splitlines() if "━" in line]
    stages = {re.sub(r"\s*━.*", "", line): re.search(r"(\d+)/(\d+)", line).groups() for line in frame}
    assert list(stages) == ["seeds: articles read", "seeds: pictures", "seeds: 摘要 and 关键词", "seeds: PDF",
                            "seeds: DOCX", "seeds: HTML"]
    assert stages["seeds: articles read"] == ("5", "5")
    assert all(done == total for done, total in stages.values()), stages
    assert ESCAPE.sub("", out).rstrip().splitlines()[-1].startswith("huikan: built")
    # Found up to date, in well under the command's own second: no bar at all, just the summary.
    again = on_a_terminal("build", str(SEEDS), "-o", str(tmp_path / "build"), delay=None)
    assert "━" not in again and "up to date" in ESCAPE.sub("", again)


def test_a_log_gets_the_stage_lines_and_no_bar(tmp_path):
    process = run_huikan("build", str(SEEDS), "-o", str(tmp_path / "build"))
    assert process.returncode == 0
    assert "━" not in process.stderr and "\x1b[" not in process.stderr
    lines = [line for line in process.stderr.splitlines() if line.startswith("huikan: seeds: ")]
    assert lines == ["huikan: seeds: articles read", "huikan: seeds: pictures", "huikan: seeds: 摘要 and 关键词",
                     "huikan: seeds: PDF", "huikan: seeds: print edition: 6 of 6 articles laid out",
                     "huikan: seeds: DOCX", "huikan: seeds: HTML"]


def test_quiet_prints_only_the_diagnostics_even_on_a_terminal(tmp_path):
    out = ESCAPE.sub("", on_a_terminal("build", str(SEEDS), "-o", str(tmp_path / "build"), "--quiet"))
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines and all(re.match(r"^\S+:\d+: (warning|error): .* \[[\w-]+\]$", line) for line in lines), lines


def test_publish_shows_its_builds_the_same_way(tmp_path):
    out = on_a_terminal("publish", str(SEEDS), "-o", str(tmp_path / "site"), "--build", str(tmp_path / "build"))
    assert "seeds: PDF" in ESCAPE.sub("", out) and "━" in out
    assert ESCAPE.sub("", out).rstrip().splitlines()[-1].startswith("huikan: published 1 issue(s)")
