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
