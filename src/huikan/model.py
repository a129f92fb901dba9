"""The document model every stage shares: ingest fills it, enrich adds to it, render reads it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# How the editions mark an article whose source ends mid-sentence (the Word reader looks for it).
TRUNCATED_NOTE = "（本文原稿不完整）"


@dataclass
class Link:
    """A link over text[start:end] of its block."""

    start: int
    end: int
    href: str


@dataclass
class Block:
    type: str
    text: str
    line: int = 0
    level: int = 0  # headings: 1 for 一、, 2 for （一）
    lead: str = ""  # a run-in head the paragraph starts with, set in bold
    links: list[Link] = field(default_factory=list)
    image: str | None = None  # captions: the picture, when the source has one

    def to_json(self) -> dict:
        out: dict = {"type": self.type}
        if self.type == "heading":
            out["level"] = self.level
        out["text"] = self.text
        if self.lead:
            out["lead"] = self.lead
        if self.links:
            out["links"] = [{"start": k.start, "end": k.end, "href": k.href} for k in self.links]
        if self.image:
            out["image"] = self.image
        out["line"] = self.line
        return out

    @classmethod
    def from_json(cls, data: dict) -> Block:
        links = [Link(k["start"], k["end"], k["href"]) for k in data.get("links", [])]
        return cls(data["type"], data["text"], data.get("line", 0), data.get("level", 0), data.get("lead", ""),
                   links, data.get("image"))


@dataclass
class Article:
    id: str
    source: str  # file name inside the issue folder
    title: str = ""
    subtitle: str = ""
    kicker: str = ""
    authors: list[str] = field(default_factory=list)
    summary: str = ""
    keywords: list[str] = field(default_factory=list)
    signature: str = ""  # end signature, e.g. （上海市质协秘书处）
    truncated: bool = False
    blocks: list[Block] = field(default_factory=list)
    line: int = 1  # where the article starts in its source
    section: str = ""
    intro: str = ""  # 导读: one short line for the 目录 and the web edition

    def body_text(self) -> str:
        """The article's running text, one block a line (for enrich and checks)."""
        return "\n".join(b.text for b in self.blocks if b.type in ("paragraph", "heading", "quote"))

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "source": self.source,
            "section": self.section,
            "title": self.title,
            "subtitle": self.subtitle,
            "kicker": self.kicker,
            "authors": list(self.authors),
            "signature": self.signature,
            "summary": self.summary,
            "keywords": list(self.keywords),
            "intro": self.intro,
            "truncated": self.truncated,
            "line": self.line,
            "blocks": [b.to_json() for b in self.blocks],
        }


@dataclass
class Section:
    title: str
    articles: list[Article] = field(default_factory=list)


@dataclass
class Issue:
    id: str
    title: str  # the publication's title, the masthead
    publisher: str = ""
    number: str = ""
    date: dt.date | None = None
    page_size: str = "A4"
    page_mm: tuple[float, float] = (210, 297)
    columns: int = 1
    summary_length: int = 150  # characters a computed 摘要 aims at
    keyword_count: int = 5  # computed 关键词 per article
    pdf_variant: str | None = None  # "pdf/a-3b", "pdf/ua-1" or a plain PDF
    pdf_tags: bool = False  # a tagged (structured) PDF
    sections: list[Section] = field(default_factory=list)
    folder: str = ""

    @property
    def articles(self) -> list[Article]:
        return [a for s in self.sections for a in s.articles]

    def header_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "number": self.number,
            "date": self.date.isoformat() if self.date else None,
        }
