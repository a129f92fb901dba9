"""Bytes from an editor's machine to clean Unicode text, with a diagnostic for every guess."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from huikan.diagnostics import Report

# C0 controls except tab and newline, DEL, C1 controls, non-characters: never wanted in an article.
CONTROL = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _looks_utf16(raw: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte of ASCII-range text is NUL."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    half = len(raw) // 2
    if odd > half * 0.3 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.3 and odd < half * 0.05:
        return "utf-16-be"
    return None


def decode(raw: bytes, path: str, report: Report) -> str:
    """Decode RAW (any encoding an editor's machine writes), normalise newlines, drop control characters."""
    text: str | None = None
    for bom, codec in BOMS:
        if raw.startswith(bom):
            text = raw.decode(codec, errors="replace")
            break
    if text is None:
        for candidate in ("utf-8", _looks_utf16(raw), "gb18030"):
            if candidate is None:
                continue
            try:
                text = raw.decode(candidate)
                break
            except UnicodeDecodeError:
                continue
    if text is None:
        best = from_bytes(raw).best()
        codec = best.encoding if best else "utf-8"
        text = raw.decode(codec, errors="replace")
        report.warning(path, 1, "encoding-guess",
                       f"not UTF-8 or GB18030; decoded as {codec}, check the characters")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if "\ufffd" in text:
        line = text[: text.index("\ufffd")].count("\n") + 1
        report.warning(path, line, "bad-bytes", "bytes that are not text were replaced by �")
    found = CONTROL.search(text)
    if found:
        line = text[: found.start()].count("\n") + 1
        report.warning(path, line, "control-chars", "control characters removed")
        text = CONTROL.sub("", text)
    return text.lstrip("\ufeff")
