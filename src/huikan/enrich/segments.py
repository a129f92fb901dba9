"""An article cut once into clauses and tagged tokens, for its keywords and the issue's counts."""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass

from huikan.enrich.text import split_title
from huikan.enrich.tokenizer import tagged

CLAUSE = re.compile(r"[^，。；：！？、“”‘’《》〈〉（）()【】\[\],;:!?\s]+")
GLOSS = re.compile(r"[（(][A-Za-z][A-Za-z0-9 .,&/+-]*[）)]")
RUN_CHARS = 12  # the longest run of tokens counted: no term is longer


class Segmented:
    """A text cut into clauses (runs between punctuation) and each clause into tagged tokens."""

    def __init__(self, text: str):
        # A Latin gloss in brackets (沃森（Gregory H. Watson）) repeats the term before it.
        text = GLOSS.sub(" ", text)
        # Words are interned: a long issue holds every article's tokens at once, and most words recur.
        self.clauses: list[list[tuple[str, str]]] = [[(sys.intern(word), flag) for word, flag in tagged(m.group(0))]
                                                     for m in CLAUSE.finditer(text)]
        self.cache: dict = {}  # what is derived from the tokens, by whoever derives it (keywords.py)

    @classmethod
    def of_clauses(cls, clauses: list) -> Segmented:
        """A text as it was cut before (its `clauses`, as enrich/kept.py keeps them)."""
        segmented = cls.__new__(cls)
        segmented.clauses = [[(sys.intern(word), flag) for word, flag in tokens] for tokens in clauses]
        segmented.cache = {}
        return segmented

    def counts(self, terms) -> Counter:
        """How often each of TERMS occurs as a run of whole tokens within a clause (国际质 is not in 国际质量).

        An occurrence that begins and ends on token boundaries is exactly such a run, so one pass over
        the tokens counts every term at once, in time linear in the text; only TERMS are kept.
        """
        found: Counter = Counter()
        for tokens in self.clauses:
            for i in range(len(tokens)):
                run = ""
                for j in range(i, len(tokens)):
                    run += tokens[j][0]
                    if len(run) > RUN_CHARS:
                        break
                    if run in terms:
                        found[run] += 1
        return found

    def count(self, term: str) -> int:
        return self.counts({term})[term]


@dataclass(frozen=True)
class Segments:
    """An article's title and body, each cut once."""

    title: Segmented
    body: Segmented

    @classmethod
    def of(cls, text: str, title: str | None = None) -> Segments:
        """TEXT is the article with its title, if any, on the first line, or its body if TITLE is given."""
        title, body = split_title(text, title)
        return cls(Segmented(title), Segmented(body))
