"""huikan: turn a periodical's raw article files into a print PDF, a DOCX and a web edition."""

__version__ = "0.1.0"
