"""Real Word footnotes: a footnotes part, a footnote reference where each mark stands, Word's own styles.

python-docx has no footnote API, and its default template has no footnotes part: the part is made
here, with the separator and continuation separator Word expects as footnotes -1 and 0, and each note
gets a footnote of its own that Word renumbers when an editor adds or removes one.
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from huikan.model import Note

TEXT_STYLE, REFERENCE_STYLE = "footnote text", "footnote reference"  # Word's built-in names
SEPARATORS = (f'<w:footnotes {nsdecls("w")}>'
              '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
              'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
              '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
              'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
              '</w:footnotes>')


class Footnotes:
    """The document's footnotes part, made the first time a note is added."""

    def __init__(self, document):
        self.document = document
        self.root = None
        self.next_id = 1
        self.styles: dict[str, str] = {}

    def add(self, paragraph, note: Note) -> None:
        """A footnote with NOTE's text, its reference at the end of PARAGRAPH (as written so far)."""
        root = self._part()
        styles = self.styles
        footnote = OxmlElement("w:footnote")
        footnote.set(qn("w:id"), str(self.next_id))
        body = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        pstyle = OxmlElement("w:pStyle")
        pstyle.set(qn("w:val"), styles[TEXT_STYLE])
        ppr.append(pstyle)
        body.append(ppr)
        body.append(_reference_run(styles[REFERENCE_STYLE], "w:footnoteRef"))
        text = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = " " + note.text
        text.append(t)
        body.append(text)
        footnote.append(body)
        root.append(footnote)
        reference = _reference_run(styles[REFERENCE_STYLE], "w:footnoteReference")
        reference[-1].set(qn("w:id"), str(self.next_id))
        paragraph._p.append(reference)
        self.next_id += 1

    def _part(self):
        if self.root is None:
            document_part = self.document.part
            for rid, relationship in list(document_part.rels.items()):
                if relationship.reltype == RT.FOOTNOTES:  # a reference document's own (sample) footnotes
                    document_part.drop_rel(rid)
            part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(SEPARATORS),
                           document_part.package)
            document_part.relate_to(part, RT.FOOTNOTES)
            self.root = part.element
            _add_styles(self.document)
            self.styles = {style.name: style.style_id for style in self.document.styles}
        return self.root


def _reference_run(style_id: str, tag: str):
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rstyle = OxmlElement("w:rStyle")
    rstyle.set(qn("w:val"), style_id)
    rpr.append(rstyle)
    run.append(rpr)
    run.append(OxmlElement(tag))
    return run


def _add_styles(document) -> None:
    """Word's footnote text (小五号) and footnote reference (raised) styles, where the document lacks them."""
    names = {style.name for style in document.styles}
    if TEXT_STYLE not in names:
        style = document.styles.add_style(TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.font.size = Pt(9)
        style.paragraph_format.first_line_indent = Pt(0)
    if REFERENCE_STYLE not in names:
        style = document.styles.add_style(REFERENCE_STYLE, WD_STYLE_TYPE.CHARACTER)
        style.font.superscript = True

