"""Search without a server: one index for the archive from the terms each build found (enrich/terms.py)."""

from __future__ import annotations


def build_index(issues: list[tuple[dict, dict[str, list[str]], str]]) -> dict:
    """One index for the archive: ISSUES are (issue.json model, its terms, its URL folder).

    {"docs": [[title, url, issue number], …], "terms": {term: [doc, …]}}
    """
    docs: list[list[str]] = []
    terms: dict[str, list[int]] = {}
    for model, issue_terms, folder in issues:
        for article in model["articles"]:
            number = len(docs)
            docs.append([article["title"], f"{folder}/{article['id']}.html", model["issue"]["number"]])
            for term in issue_terms.get(article["id"], []):
                terms.setdefault(term, []).append(number)
    return {"docs": docs, "terms": dict(sorted(terms.items()))}
