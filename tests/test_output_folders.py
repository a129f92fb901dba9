"""Output folders: nothing of the user's is destroyed, and a killed run leaves the old outputs or the new ones."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SEEDS, run_huikan

FIRST = "000_5c2f2025e9d3839a.txt"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def consistent_build(folder: Path) -> bool:
    """Whether build.json describes exactly the outputs beside it."""
    manifest = json.loads((folder / "build.json").read_text(encoding="utf-8"))
    return all(hashlib.sha256((folder / e["path"]).read_bytes()).hexdigest() == e["sha256"]
               for e in manifest["outputs"].values())


def consistent_site(folder: Path) -> bool:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    on_disk = {p for p in snapshot(folder) if p != "manifest.json"}
    return on_disk == set(manifest["files"]) and all(
        hashlib.sha256((folder / name).read_bytes()).hexdigest() == entry["sha256"]
        for name, entry in manifest["files"].items())


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.endswith((".tmp", ".old")))


def change_an_article(issue: Path, n: int) -> None:
    path = issue / FIRST
    path.write_text(path.read_text(encoding="utf-8") + f"\n\n第{n}次修改后补充的一段正文。\n", encoding="utf-8")


def test_publish_refuses_a_folder_that_is_not_a_site_and_keeps_its_files(tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("我的论文", encoding="utf-8")
    process = run_huikan("publish", str(SEEDS), "-o", str(precious), "--build", str(tmp_path / "build"))
    assert process.returncode == 2
    assert process.stderr.strip() == (
        f"{precious}: error: holds files that are not a huikan web edition (no huikan manifest.json), and "
        "publishing replaces the whole folder: choose another folder with -o, empty it, or pass --force to "
        "replace it [not-a-site]")
    assert (precious / "thesis.txt").read_text(encoding="utf-8") == "我的论文"
    assert not (tmp_path / "build").exists()  # refused before anything was built
    forced = run_huikan("publish", str(SEEDS), "-o", str(precious), "--build", str(tmp_path / "build"), "--force")
    assert forced.returncode == 0, forced.stderr
    assert not (precious / "thesis.txt").exists() and (precious / "index.html").is_file()
    again = run_huikan("publish", str(SEEDS), "-o", str(precious), "--build", str(tmp_path / "build"))
    assert again.returncode == 0, again.stderr  # now it is a huikan site: replaced without --force


@pytest.mark.parametrize("where", ["parent of the issue", "current folder", "home"])
def test_publish_never_replaces_the_sources_the_current_folder_or_home(tmp_path, issue_copy, where):
    out = {"parent of the issue": issue_copy.parent, "current folder": tmp_path, "home": tmp_path / "home"}[where]
    out.mkdir(exist_ok=True)
    (out / "mine.txt").write_text("保留", encoding="utf-8")
    process = run_huikan("publish", str(issue_copy), "-o", str(out), "--build", str(tmp_path / "b"), "--force",
                         cwd=tmp_path, env={"HOME": str(tmp_path / "home")})
    assert process.returncode == 2
    assert "[protected-folder]" in process.stderr and "publishing here would replace" in process.stderr
    assert (out / "mine.txt").read_text(encoding="utf-8") == "保留"


def test_build_writes_beside_the_users_files_and_never_over_its_sources(tmp_path, issue_copy):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("我的论文", encoding="utf-8")
    assert run_huikan("build", str(issue_copy), "-o", str(precious), "-q").returncode == 0
    assert (precious / "thesis.txt").read_text(encoding="utf-8") == "我的论文"
    assert consistent_build(precious / "2020-06")

    (precious / "2020-06" / "build.json").unlink()
    (precious / "2020-06" / "notes.txt").write_text("编辑笔记", encoding="utf-8")
    process = run_huikan("build", str(issue_copy), "-o", str(precious), "-q")
    assert process.returncode == 2 and "[not-a-build]" in process.stderr
    assert (precious / "2020-06" / "notes.txt").is_file()

    sources = tmp_path / "issues" / "2020-06"
    sources.parent.mkdir()
    issue_copy.rename(sources)
    process = run_huikan("build", str(sources), "-o", str(sources.parent), "-q")
    assert process.returncode == 2 and "[protected-folder]" in process.stderr
    assert (sources / FIRST).is_file()


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "huikan", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def killed_after(seconds: float, *args: str) -> None:
    process = start(*args)
    time.sleep(seconds)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait()


def kill_points(*args: str) -> list[float]:
    """Moments to kill a run at: across the whole run, and densely near its end, where the files are written."""
    started = time.perf_counter()
    assert run_huikan(*args, "--force" if args[0] == "build" else "-q").returncode == 0
    whole = time.perf_counter() - started
    return [whole * f for f in (0.2, 0.5, 0.8)] + [max(0.1, whole - d) for d in (0.7, 0.5, 0.35, 0.25, 0.15, 0.05)]


def test_a_build_killed_at_any_moment_leaves_the_old_outputs_or_the_new(tmp_path, issue_copy):
    out = tmp_path / "build"
    assert run_huikan("build", str(issue_copy), "-o", str(out), "-q").returncode == 0
    for n, seconds in enumerate(kill_points("build", str(issue_copy), "-o", str(out), "-q")):
        before = snapshot(out / "2020-06")
        change_an_article(issue_copy, n)
        killed_after(seconds, "build", str(issue_copy), "-o", str(out), "-q")
        after = snapshot(out / "2020-06")
        assert after == before or consistent_build(out / "2020-06"), f"killed after {seconds} s"
        assert not [name for name in after if name.startswith(".")], f"killed after {seconds} s"
    finished = run_huikan("build", str(issue_copy), "-o", str(out), "-q")
    assert finished.returncode == 0, finished.stderr
    assert consistent_build(out / "2020-06") and leftovers(out) == []


def test_a_publish_killed_at_any_moment_leaves_the_old_site_or_the_new(tmp_path, issue_copy):
    site, build = tmp_path / "publish", tmp_path / "build"
    assert run_huikan("publish", str(issue_copy), "-o", str(site), "--build", str(build), "-q").returncode == 0
    change_an_article(issue_copy, 99)  # so that the measured run builds the issue, as each killed run must
    for n, seconds in enumerate(kill_points("publish", str(issue_copy), "-o", str(site), "--build", str(build))):
        before = snapshot(site)
        change_an_article(issue_copy, 10 + n)
        killed_after(seconds, "publish", str(issue_copy), "-o", str(site), "--build", str(build), "-q")
        assert snapshot(site) == before or consistent_site(site), f"killed after {seconds} s"
    finished = run_huikan("publish", str(issue_copy), "-o", str(site), "--build", str(build), "-q")
    assert finished.returncode == 0, finished.stderr
    assert consistent_site(site) and leftovers(tmp_path) == [] and leftovers(build) == []


def test_two_builds_of_one_issue_at_once_take_turns(tmp_path, issue_copy):
    out = tmp_path / "build"
    first = start("build", str(issue_copy), "-o", str(out), "--force")
    second = start("build", str(issue_copy), "-o", str(out), "--force")
    errors = [first.communicate(timeout=600)[1], second.communicate(timeout=600)[1]]
    assert first.returncode == 0 and second.returncode == 0, errors
    assert any("waiting for another build of this issue" in e for e in errors)
    assert consistent_build(out / "2020-06") and leftovers(out) == []
    assert os.listdir(out) == ["2020-06"] or set(os.listdir(out)) == {"2020-06", ".2020-06.lock"}


def test_where_the_folder_cannot_be_exchanged_a_run_killed_between_renames_is_put_back(tmp_path, monkeypatch):
    from huikan import swap

    target = tmp_path / "2020-06"
    target.mkdir()
    (target / "build.json").write_text("old", encoding="utf-8")
    monkeypatch.setattr(swap, "_exchange", lambda a, b: False)
    staging = swap.fresh_staging(target)
    (staging / "build.json").write_text("new", encoding="utf-8")
    swap.put_in_place(staging, target)  # the two renames, completed
    assert (target / "build.json").read_text(encoding="utf-8") == "new" and leftovers(tmp_path) == []
    # Killed after the first rename: only .2020-06.old is left, and the next run puts it back.
    os.replace(target, tmp_path / ".2020-06.old")
    (tmp_path / ".2020-06.tmp").mkdir()
    swap.recover(target)
    assert (target / "build.json").read_text(encoding="utf-8") == "new" and leftovers(tmp_path) == []


def test_a_build_killed_while_a_process_it_forked_lives_leaves_the_folder_free(tmp_path):
    """A build forks processes (enrich, the Word file); killed while one of them lives on, it must not leave
    the issue's build folder locked: the next build (or the preview) would wait for ever."""
    from huikan.swap import locked

    target = tmp_path / "build" / "t"
    script = ("import os, sys, time\nfrom pathlib import Path\nfrom huikan.swap import locked\n"
              f"with locked(Path({str(target)!r})):\n"
              "    child = os.fork()\n"
              "    if child == 0:\n"
              "        os.close(1), os.close(2)\n"  # (the test reads the output to its end)
              "        time.sleep(60)\n"
              "        os._exit(0)\n"
              "    print(child, flush=True)\n"
              "    os.kill(os.getpid(), 9)\n")
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    child = int(process.stdout.split()[0])
    try:
        waited: list[bool] = []
        with locked(target, lambda: waited.append(True)):
            assert waited == []
    finally:
        os.kill(child, signal.SIGKILL)
