"""What a Word file holds that the editions leave out or change, told to the editor: pending tracked
changes, comments, unknown symbols, its own table of contents, drop caps, page headers."""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.table import Table

from huikan.diagnostics import Report
from huikan.ingest.word_markup import Markup


def report_markup(found: Markup, track_changes: str, path: str, report: Report) -> None:
    if found.changes:
        who = "、".join(sorted(found.authors)) or "an unnamed author"
        done = "rejected" if track_changes == "reject" else "accepted"
        report.warning(path, 0, "tracked-changes", f"{found.changes} tracked changes by {who} are still pending "
                       f"in this file: read with all of them {done}, as Word would show it after doing so")
    for (font, code), times in sorted(found.unknown_symbols.items()):
        report.warning(path, 0, "unknown-symbol", f"a {font or 'symbol'} font symbol (code {code}, {times}×) has no "
                       "Unicode character huikan knows: left out; type the character itself")
    if found.contents_dropped:
        report.note(path, 0, "own-contents", "the file's own table of contents is left out (huikan makes the 目录)")
    if found.frames:
        report.note(path, 0, "frames", f"{found.frames} layout table(s) or text box(es) hold the text: read as "
                    "the article's own paragraphs")
    if found.drop_caps:
        report.note(path, 0, "drop-cap", f"{found.drop_caps} drop cap(s) set as ordinary first letters")


def report_comments(document, paragraphs, path: str, report: Report) -> None:
    """Word comments (批注) are never printed: each is listed, with what it comments on, for the editor."""
    try:
        comments = {str(c.comment_id): c for c in document.comments}
    except Exception:  # no comments part, or one python-docx cannot read
        return
    if not comments:
        return
    for number, _, item in paragraphs:
        element = item._tbl if isinstance(item, Table) else item._p
        for start in element.iter(qn("w:commentRangeStart")):
            comment = comments.get(start.get(qn("w:id")) or "")
            if comment is None:
                continue
            said = " ".join(p.text for p in comment.paragraphs).strip()
            commented = commented_text(element, start.get(qn("w:id")))
            report.warning(path, number, "comment", f"comment by {comment.author or 'an unnamed author'} on "
                           f"'{commented[:30]}': '{said[:80]}' (comments are not printed)")


def commented_text(element, comment_id: str | None) -> str:
    """The text between a comment's range start and end inside ELEMENT."""
    inside, text = False, []
    for node in element.iter(qn("w:commentRangeStart"), qn("w:commentRangeEnd"), qn("w:t")):
        if node.tag == qn("w:commentRangeStart") and node.get(qn("w:id")) == comment_id:
            inside = True
        elif node.tag == qn("w:commentRangeEnd") and node.get(qn("w:id")) == comment_id:
            break
        elif node.tag == qn("w:t") and inside:
            text.append(node.text or "")
    return "".join(text)


def report_headers(document, path: str, report: Report) -> None:
    texts: set[str] = set()
    for section in document.sections:
        for kind in ("header", "footer", "first_page_header", "first_page_footer", "even_page_header",
                     "even_page_footer"):
            try:
                part = getattr(section, kind)
                if not part.is_linked_to_previous:
                    texts.update(p.text.strip() for p in part.paragraphs if p.text.strip())
            except Exception:  # a reference to a header the file lacks (no r:id, or a wrong one): the
                continue  # editions set their own headers, so nothing is lost
    if texts:
        report.note(path, 0, "headers-left-out", f"the file's page headers and footers ('{sorted(texts)[0][:30]}') "
                    "are left out: the editions set their own")
