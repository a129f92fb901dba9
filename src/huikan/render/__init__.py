"""Render: the enriched Issue model to HTML, PDF and DOCX."""
