"""Make the README's pictures from the sample issue: the cover, the 目录 and an article opener.

    python docs/make_pictures.py

Builds seeds/ into a temporary folder and renders three PDF pages to docs/*.png with pdftoppm
(poppler-utils).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DPI = "60"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "huikan", "build", str(ROOT / "seeds"), "-o", tmp, "-q",
                        "--formats", "pdf"], check=True)
        folder = next(Path(tmp).iterdir())
        manifest = json.loads((folder / "build.json").read_text(encoding="utf-8"))
        pdf = folder / manifest["outputs"]["pdf"]["path"]
        opener = manifest["articles"][1]["start_page"]
        for name, page in (("cover", 1), ("toc", 2), ("opener", opener)):
            target = ROOT / "docs" / name
            subprocess.run(["pdftoppm", "-png", "-r", DPI, "-f", str(page), "-l", str(page), "-singlefile",
                            str(pdf), str(target)], check=True)
            print(f"docs/{name}.png: page {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
