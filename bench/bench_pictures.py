"""Time and size an issue of phone photos: huikan's build with a cold and a warm picture cache against
WeasyPrint embedding the same photos as they are, in one run.

    python bench/bench_pictures.py [--photos 100] [--keep DIR]

The issue is made here (tests/phone_photos.py): PHOTOS phone photos of 4000 × 3000 (every tenth turned by
its EXIF tag, every twentieth CMYK) in Markdown articles of ten photos each. Each run is a fresh process:
  bare     WeasyPrint renders plain HTML of the articles with <img> of the original files;
  cold     `huikan build` with no build folder (every variant made);
  warm     `huikan build --force` again (the variants taken from the build before).
It prints seconds, peak memory (max RSS), the PDF's size against the photos' total, and cold/bare,
warm/bare. Aims: the PDF at most a quarter of the photos, cold no slower than before the pictures stage
(bare is its stand-in: that build embedded the originals as bare does), warm much faster.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_build import run_worker  # noqa: E402
from phone_photos import jpeg, photo, turned_phone_photo  # noqa: E402

# A build in a fresh process, as bench_build.py's, with the options given (--force for the warm run).
BUILD_WORKER = r"""
import json, resource, sys, time
start = time.perf_counter()
from huikan.cli import main
try:
    main(["build", sys.argv[1], "-o", sys.argv[2], "-q", *sys.argv[3:]])
except SystemExit as exc:
    if exc.code:
        raise
print(json.dumps({"seconds": time.perf_counter() - start,
                  "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

BARE_WORKER = r"""
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
from weasyprint import HTML
folder = Path(sys.argv[1])
parts = ['<html lang="zh-CN"><head><style>@page{size:A4;margin:24mm 20mm}body{font:10.5pt/1.75 "Noto Serif CJK SC"}'
         'img{max-width:100%;max-height:150mm}</style></head><body>']
for md in sorted(folder.glob("*.md")):
    for line in md.read_text(encoding="utf-8").splitlines():
        if line.startswith("!["):
            parts.append(f'<p><img src="{line.split("(")[1].rstrip(")")}"></p>')
        elif line:
            parts.append(f"<p>{line.lstrip('# ')}</p>")
parts.append("</body></html>")
data = HTML(string="".join(parts), base_url=str(folder) + "/").write_pdf()
Path(sys.argv[2]).write_bytes(data)
print(json.dumps({"seconds": time.perf_counter() - start, "bytes": len(data),
                  "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

def make_issue(folder: Path, photos: int) -> int:
    """The issue of PHOTOS phone photos; return the photos' total size in bytes."""
    images = folder / "images"
    images.mkdir(parents=True)
    (folder / "issue.toml").write_text('[publication]\ntitle = "上海质量"\n\n[issue]\nid = "photos"\n'
                                       'number = "2021年第1期"\ndate = 2021-01-31\n', encoding="utf-8")
    total = 0
    for start in range(0, photos, 10):
        lines = [f"# 现场照片之{start // 10 + 1}", "", "作者：张三", ""]
        for n in range(start, min(start + 10, photos)):
            if n % 10 == 1:
                data = turned_phone_photo(seed=n)
            else:
                data = jpeg(photo(seed=n, mode="CMYK" if n % 20 == 2 else "RGB"), quality=90)
            (images / f"p{n:03d}.jpg").write_bytes(data)
            total += len(data)
            lines += ["现场的情况如下图所示，参会代表进行了交流。" * 4, "",
                      f"![现场照片{n + 1}](images/p{n:03d}.jpg)", ""]
        (folder / f"a{start // 10:02d}.md").write_text("\n".join(lines), encoding="utf-8")
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="keep the issue and the outputs in this folder")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="huikan-bench-pictures-"))
    try:
        total = make_issue(work / "issue", args.photos)
        print(f"{args.photos} photos, {total / 2**20:.0f} MiB")
        bare = run_worker(BARE_WORKER, str(work / "issue"), str(work / "bare.pdf"))
        cold = run_worker(BUILD_WORKER, str(work / "issue"), str(work / "build"))
        warm = run_worker(BUILD_WORKER, str(work / "issue"), str(work / "build"), "--force")
        manifest = json.loads((work / "build" / "photos" / "build.json").read_text(encoding="utf-8"))
        for name, result in (("bare", bare), ("cold", cold), ("warm", warm)):
            size = result.get("bytes", manifest["outputs"]["pdf"]["bytes"])
            ratio = "" if name == "bare" else f"  {result['seconds'] / bare['seconds']:.2f}× bare"
            print(f"{name:<5} {result['seconds']:7.2f} s  peak {result['rss_kib'] / 1024:5.0f} MiB  "
                  f"PDF {size / 2**20:6.1f} MiB = {size / total:5.1%} of the photos{ratio}")
        print(f"stages of the warm build (s): {manifest['timings']}; variants {manifest['pictures']}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
