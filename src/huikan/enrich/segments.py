"""An article cut once into clauses and tagged tokens, for its keywords and the issue's counts."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

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
        self.clauses: list[list[tuple[str, str]]] = [tagged(m.group(0)) for m in CLAUSE.finditer(text)]

    def count(self, term: str) -> int:
        """Occurrences of TERM that begin and end on token boundaries (国际质 is not in 国际质量)."""
        return self.runs[term]

    @cached_property
    def runs(self) -> Counter:
        """How often each run of whole tokens within a clause occurs, up to RUN_CHARS characters.

        An occurrence that begins and ends on token boundaries is exactly such a run, so one pass over
        the tokens counts every term at once, in time linear in the text.
        """
        found: Counter = Counter()
        for tokens in self.clauses:
            words = [word for word, _ in tokens]
            for i in range(len(words)):
                run = ""
                for j in range(i, len(words)):
                    run += words[j]
                    if len(run) > RUN_CHARS:
                        break
                    found[run] += 1
        return found


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
