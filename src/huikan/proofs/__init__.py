"""Proof rounds (一校, 二校, 三校): builds kept as proofs, and what changed from one to the next.

    keep.py      a finished build kept as build/<id>/proofs/<n>/, carried from build to build
    compare.py   two proofs' models compared: articles added, removed, moved; each text's redline
    pages.py     the PDFs' pages read back: which pages changed, where a passage stands, its characters' boxes
    marked.py    <id>-changes.pdf: the new PDF with each change marked, after a page that lists them
    report.py    changes.html, the summary for the command line and its JSON

It reads build folders only (like publish), never the sources.
"""
