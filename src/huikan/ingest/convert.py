""".doc, .rtf, .odt and .wps files, converted to .docx by LibreOffice and then read as Word files.

The conversion runs `soffice --headless --convert-to docx` in a private temporary profile, with a
time limit, and keeps its result in huikan's cache under the file's sha256, so a file is converted
once however often the issue is built. Kingsoft's .wps is Word-like and LibreOffice reads it as such.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from huikan.cache import cache_root
from huikan.diagnostics import Report

CONVERTED = (".doc", ".rtf", ".odt", ".wps")
TIME_LIMIT = 120  # seconds; a file LibreOffice hangs on is given up, with an error


def to_docx(raw: bytes, suffix: str, path: str, report: Report) -> bytes | None:
    """RAW (a SUFFIX file) as .docx bytes; None, with an error in REPORT, where it cannot be converted."""
    key = hashlib.sha256(raw).hexdigest()
    cached = cache_root() / "converted" / f"{key}.docx"
    if cached.is_file():
        return cached.read_bytes()
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        report.error(path, 0, "needs-libreoffice", f"a {suffix} file is read through LibreOffice, which is not "
                     "installed (apt-get install libreoffice-writer-nogui), or save it as .docx")
        return None
    with tempfile.TemporaryDirectory(prefix="huikan-convert-") as work:
        source = Path(work) / f"article{suffix}"
        source.write_bytes(raw)
        command = [office, f"-env:UserInstallation=file://{work}/profile", "--headless", "--norestore",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", work, str(source)]
        # In a session of its own, so that a conversion that hangs is stopped with all its processes.
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        try:
            process.wait(timeout=TIME_LIMIT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            report.error(path, 0, "conversion-failed", f"LibreOffice did not convert this file within {TIME_LIMIT} s; "
                         "open it in Word or WPS and save it as .docx")
            return None
        result = Path(work) / "article.docx"
        if not result.is_file():
            report.error(path, 0, "conversion-failed", "LibreOffice could not convert this file; open it in Word or "
                         "WPS and save it as .docx")
            return None
        data = result.read_bytes()
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_name(f".{key}.{os.getpid()}.tmp")
    partial.write_bytes(data)
    os.replace(partial, cached)  # never a half-written file under the key
    return data
