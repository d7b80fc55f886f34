"""Search parameters for our Solr schema (solr/conf/schema.xml).

CKAN sends free-text searches to Solr's dismax parser with ``qf = name title tags groups text``.
Our schema adds ``keywords_de`` (the keywords analysed as German) and ``text_en`` (English
stemming), which only take part when the query names them.
"""

from __future__ import annotations

from typing import Any


def is_free_text(q: str | None) -> bool:
    """CKAN uses dismax (and so ``qf``) only for queries without a field name (``a:b``)."""
    return bool(q) and q.strip() not in ('""', "''", "*:*") and ":" not in q


def with_query_fields(search_params: dict[str, Any], query_fields: str) -> dict[str, Any]:
    """Adds our ``qf`` to a free-text search unless the caller chose its own."""
    if "qf" in search_params or not is_free_text(search_params.get("q")):
        return search_params
    return dict(search_params, qf=query_fields)


# Boolean operators Solr refuses when nothing stands on one side of them.
_OPERATORS = frozenset({"AND", "OR", "NOT", "&&", "||", "!", "+", "-"})
_BINARY = frozenset({"AND", "OR", "&&", "||"})


def repaired_free_text(q: str) -> str:
    """What a visitor typed, minus what would only make Solr fail: an unmatched double quote
    and operators with nothing to combine ("Baum AND", "AND OR", a lone "-"). An empty result means
    "everything", as an empty search box does."""
    if q.count('"') % 2:
        unmatched = q.rfind('"')
        q = q[:unmatched] + q[unmatched + 1 :]
    words = []
    for word in q.split():
        if word in _BINARY and words and words[-1] in _BINARY:  # "Baum AND OR Wald"
            words[-1] = word
        else:
            words.append(word)
    while words and words[-1] in _OPERATORS:
        words.pop()
    while words and words[0] in _BINARY:
        words.pop(0)
    return " ".join(words)


def for_solr(search_params: dict[str, Any], query_fields: str) -> dict[str, Any]:
    """The search parameters we hand on: a repaired free-text query with our ``qf``."""
    q = search_params.get("q")
    if is_free_text(q):
        search_params = dict(search_params, q=repaired_free_text(q))
    return with_query_fields(search_params, query_fields)
