"""Inter-character justification and punctuation compression for Chinese in WeasyPrint 70.

WeasyPrint justifies a line only by widening its spaces (U+0020, U+00A0), so a line of Han text is
not justified at all and a mixed line puts all its slack into a few word spaces. This module, the
only place huikan changes WeasyPrint's behaviour (parts.py only calls its PDF writer's helpers),
makes every Han character and CJK punctuation mark an expansion point too: `count_expandable_spaces`
counts them, and the text layout used to draw a justified line gives them the same extra spacing as
a space. The same text layout sets the marks that `typeset.halved` names half width (标点挤压), with
the font's `halt` feature on just those characters: every text of the PDF gets it, and no extra box.

Written against weasyprint 70.x (pinned in pyproject.toml); `tests/test_print_typography.py`
measures the result on the PDF, so an upgrade that breaks it fails there.
"""

from __future__ import annotations

import re

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text import line_break
from weasyprint.text.ffi import ffi, pango

from huikan.typeset import halved

SUPPORTED = ("70.",)
# Characters that take part in inter-character justification: Han, CJK punctuation, full-width forms,
# the dash, and the spaces WeasyPrint itself widens.
CJK = ("\u2e80-\u2fff\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60"
       "\u201c\u201d\u2018\u2019\u2026\u00b7")
EXPANDABLE = re.compile(f"[{CJK}\u2014 \u00a0]")
# What _set_text spaces, in runs; a dash stands alone, since in one run —— would become the font's
# two-em ligature, one expansion point fewer than the line was justified for.
SPACED_RUN = re.compile(f"[{CJK}]+|\u2014")

_original_set_text = line_break.Layout.set_text
_installed = False


def expandable_count(box) -> int:
    if isinstance(box, boxes.TextBox):
        return len(EXPANDABLE.findall(box.text))
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        return sum(expandable_count(child) for child in box.children)
    return 0


def _last_text(box):
    if isinstance(box, boxes.TextBox):
        return box.text
    for child in reversed(getattr(box, "children", [])):
        text = _last_text(child)
        if text:
            return text
    return ""


def _justify_line(context, line, extra_width):
    # The spacing after a line's last character falls outside the line: leave it out of the share.
    count = expandable_count(line) - bool(EXPANDABLE.match(_last_text(line)[-1:] or " "))
    if count > 0:
        inline.add_word_spacing(context, line, extra_width / count, 0)


def _set_text(self, text, justify=False):
    _original_set_text(self, text, justify)
    spacing = self.justification_spacing if justify else 0
    halves = halved(self.text) if self.text else []
    if not (spacing or halves):
        return
    attrs = pango.pango_layout_get_attributes(self.layout)
    if attrs == ffi.NULL:
        attrs = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    if spacing:
        _add_spacing(attrs, self.text, int(spacing * line_break.TO_UNITS))
    for start, end in _byte_ranges(self.text, halves):
        attr = pango.pango_attr_font_features_new(b"halt")
        attr.start_index, attr.end_index = start, end
        pango.pango_attr_list_insert(attrs, attr)
    pango.pango_layout_set_attributes(self.layout, attrs)


def _add_spacing(attrs, text: str, units: int) -> None:
    # One attribute per run of expandable characters, not per character: Pango splits its items at
    # every attribute boundary, and shaping many one-character items is what made justified lines slow.
    # Spaces are left out: they already carry the spacing from WeasyPrint itself.
    encoded_upto, position = 0, 0
    for run in SPACED_RUN.finditer(text):
        position += len(text[encoded_upto:run.start()].encode())
        size = len(run.group().encode())
        attr = pango.pango_attr_letter_spacing_new(units)
        attr.start_index, attr.end_index = position, position + size
        pango.pango_attr_list_insert(attrs, attr)
        position += size
        encoded_upto = run.end()


def _byte_ranges(text: str, positions: list[int]):
    """The UTF-8 byte range of each character of TEXT at POSITIONS (in order)."""
    encoded_upto, position = 0, 0
    for i in positions:
        position += len(text[encoded_upto:i].encode())
        size = len(text[i].encode())
        yield position, position + size
        position += size
        encoded_upto = i + 1


def install() -> None:
    """Patch WeasyPrint once per process; refuse versions it was not written for."""
    global _installed
    if _installed:
        return
    if not weasyprint.__version__.startswith(SUPPORTED):
        raise RuntimeError(f"huikan's Chinese justification supports WeasyPrint {SUPPORTED}, "
                           f"not {weasyprint.__version__}")
    line_break.Layout.set_text = _set_text
    inline.count_expandable_spaces = expandable_count
    inline.justify_line = _justify_line
    _installed = True
