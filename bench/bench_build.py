"""Time huikan's build against a bare WeasyPrint render of the same text, in one run.

    python bench/bench_build.py [--scales 1,10,50] [--repeat N] [--keep DIR]

For each scale N, an issue of N copies of the seed articles is made. Two measurements run, each a
process timed from its start to its exit, as a user waits for it (Python's start-up and teardown
counted alike):
  (a) bare: WeasyPrint alone renders the same articles as plain <h1>/<p> HTML in the same font;
  (b) huikan: the `python -m huikan build` command on the issue (ingest, enrich, PDF, DOCX, HTML), with
      no build folder and the print, read, copy-editing and enrich caches cold (the bench keeps a cache
      of its own; jieba's tables are copied into it from the user's, as any machine has them after its
      first build);
  (c) warm: the same command again after one article in the middle gained a sentence: the print pages
      of the others are kept (target: at most 25% of the cold build).
It prints seconds, pages, ms per page, peak memory (max RSS), PDF bytes per page, and b/a, then the
marginal time per page between one scale and the next (start-up costs cancel out), and huikan's
stages with enrich's share of the build (target: at most 20%): its own time in the process beside the
build, and the time the build waited for it (the rest ran while the PDF was laid out). With
--repeat N, (a) and (b) run N times each, alternating, and the median run of each is shown: a
one-second render varies by a third from run to run on a shared machine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

BARE_WORKER = r"""
import json, sys
from pathlib import Path
from huikan.diagnostics import Report
from huikan.ingest import load_issue
from markupsafe import escape
from weasyprint import HTML
issue = load_issue(Path(sys.argv[1]), Report())
parts = ['<html lang="zh-CN"><head><style>@page{size:A4;margin:24mm 20mm}'
         'body{font:10.5pt/1.75 "Noto Serif CJK SC"}h1{font:18pt "Noto Sans CJK SC";break-before:page}'
         'p{margin:0;text-indent:2em;text-align:justify}</style></head><body>']
for article in issue.articles:
    parts.append(f"<h1>{escape(article.title)}</h1>")
    parts.extend(f"<p>{escape(block.text)}</p>" for block in article.blocks)
parts.append("</body></html>")
document = HTML(string="".join(parts)).render()
data = document.write_pdf()
Path(sys.argv[2]).write_bytes(data)
print(json.dumps({"pages": len(document.pages), "bytes": len(data)}))
"""

def make_volume(scale: int, folder: Path) -> Path:
    """An issue of SCALE copies of the seed articles, each copy with its own sections."""
    config = tomllib.loads((SEEDS / "issue.toml").read_text(encoding="utf-8"))
    folder.mkdir(parents=True)
    lines = ['[publication]', f'title = "{config["publication"]["title"]}"', "",
             '[issue]', f'id = "bench-{scale}x"', f'number = "{config["issue"]["number"]}"',
             f'date = {config["issue"]["date"]}', ""]
    for copy in range(scale):
        for section in config["sections"]:
            names = []
            for name in section["articles"]:
                new = f"c{copy:02d}_{name}"
                shutil.copyfile(SEEDS / name, folder / new)
                names.append(new)
            lines += ["[[sections]]", f'title = "{section["title"]}"',
                      "articles = [" + ", ".join(f'"{n}"' for n in names) + "]", ""]
    (folder / "issue.toml").write_text("\n".join(lines), encoding="utf-8")
    return folder


def run_timed(command: list[str], env: dict | None = None) -> dict:
    """Run COMMAND as a user's shell would: its time from start to exit (Python's start-up and teardown
    included) and its peak memory, with what it printed last on stdout, if that is JSON."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"benchmark run failed: {' '.join(command)}\n{err.read()}")
        lines = out.read().strip().splitlines()
    found = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return {**found, "seconds": seconds, "rss_kib": usage.ru_maxrss}


def median_run(runs: list[dict]) -> dict:
    """The run with the median time (the lower one of the middle two)."""
    seconds = statistics.median_low(run["seconds"] for run in runs)
    return next(run for run in runs if run["seconds"] == seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10,50", help="comma-separated copies of the seed articles")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement; the median is shown")
    parser.add_argument("--keep", type=Path, help="keep the volumes and outputs in this folder")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",")]
    work = args.keep or Path(tempfile.mkdtemp(prefix="huikan-bench-"))
    # A cache of the bench's own, so that emptying its print cache leaves the user's alone; jieba's tables
    # and the compiled templates are copied in, as a user's machine has them after the first build.
    cache = work / "cache"
    user_cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "huikan"
    (cache / "huikan").mkdir(parents=True, exist_ok=True)
    for kept in user_cache.glob("jieba-*.pickle"):
        shutil.copy2(kept, cache / "huikan" / kept.name)
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    header = f"{'scale':>5} {'run':<7} {'seconds':>8} {'pages':>6} {'ms/page':>8} {'peak MiB':>9} {'KiB/page':>9}"
    print(header)
    medians: dict[int, dict[str, dict]] = {}
    try:
        for scale in scales:
            issue = make_volume(scale, work / f"issue-{scale}x")
            bares, builds, warms = [], [], []
            edited = sorted(issue.glob("*.txt"))[len(list(issue.glob("*.txt"))) // 2]  # an article in the middle
            for _ in range(args.repeat):
                bare_pdf = work / f"bare-{scale}x.pdf"
                bares.append(run_timed([sys.executable, "-c", BARE_WORKER, str(issue), str(bare_pdf)]))
                # Cold: no build folder, nothing kept (the print, read, copy-editing and enrich caches
                # emptied; jieba's tables stay cached).
                shutil.rmtree(work / "build", ignore_errors=True)
                for kind in ("print", "read", "copyedit", "enrich"):
                    shutil.rmtree(cache / "huikan" / kind, ignore_errors=True)
                command = [sys.executable, "-m", "huikan", "build", str(issue), "-o", str(work / "build"), "-q"]
                run = run_timed(command, env)
                manifest = json.loads((work / "build" / f"bench-{scale}x" / "build.json").read_text(encoding="utf-8"))
                pdf = manifest["outputs"]["pdf"]
                run.update(pages=pdf["pages"], bytes=pdf["bytes"], timings=manifest["timings"])
                builds.append(run)
                # Warm: one article changed by a sentence at its end, the rest kept.
                text = edited.read_text(encoding="utf-8")
                edited.write_text(text.rstrip() + "本文有删改。\n", encoding="utf-8")
                try:
                    warm = run_timed(command, env)
                finally:
                    edited.write_text(text, encoding="utf-8")
                manifest = json.loads((work / "build" / f"bench-{scale}x" / "build.json").read_text(encoding="utf-8"))
                warm.update(laid_out=(manifest.get("print") or {}).get("laid_out"), timings=manifest["timings"])
                warms.append(warm)
            bare, built = median_run(bares), median_run(builds)
            medians[scale] = {"bare": bare, "huikan": built}
            for name, run in (("bare", bare), ("huikan", built)):
                print(f"{scale:>4}× {name:<7} {run['seconds']:8.2f} {run['pages']:6d} "
                      f"{1000 * run['seconds'] / run['pages']:8.1f} {run['rss_kib'] / 1024:9.0f} "
                      f"{run['bytes'] / 1024 / run['pages']:9.1f}")
            warm = median_run(warms)
            print(f"{scale:>4}× warm    {warm['seconds']:8.2f}   one article changed: {warm['laid_out']} article(s) "
                  f"laid out, {warm['seconds'] / built['seconds']:.0%} of the cold build (PDF stage "
                  f"{warm['timings']['pdf']:.2f} s, enrich wait {warm['timings']['enrich_wait']:.2f} s)")
            stages = built["timings"]
            timings = ", ".join(f"{k} {v:.2f}" for k, v in stages.items())
            print(f"{scale:>4}× b/a {built['seconds'] / bare['seconds']:.2f}   (huikan stages, s: {timings}; "
                  f"enrich {stages['enrich'] / stages['total']:.0%} of the build, "
                  f"its wait {stages['enrich_wait'] / stages['total']:.0%})")
        for small, large in itertools.pairwise(scales):
            steps = []
            for name in ("bare", "huikan"):
                a, b = medians[small][name], medians[large][name]
                steps.append(f"{name} {1000 * (b['seconds'] - a['seconds']) / (b['pages'] - a['pages']):.1f}")
            print(f"marginal ms/page {small}×→{large}×: " + ", ".join(steps))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
