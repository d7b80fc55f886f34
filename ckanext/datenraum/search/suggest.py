"""Help when a search fails: "Meinten Sie …", autocomplete and related themes.

All three ask our Solr core directly, through CKAN's own connection, with the filters CKAN puts
on public searches (this site, active, public): the spellcheck handler ``/spell`` and the
suggester ``/suggest`` of solrconfig.xml, and a relaxed ``select`` for the themes.
"""

from __future__ import annotations

import logging
import re

import ckan.plugins.toolkit as tk
import pysolr
from ckan.lib.search.common import SearchError, make_connection
from ckan.lib.search.query import solr_literal

from ckanext.datenraum.search import query

log = logging.getLogger(__name__)

DICTIONARIES = ("titles", "tags", "organizations")
MAX_PER_KIND = 5
MAX_THEMES = 6


def context_key(site_id: str) -> str:
    """The suggesters' context of this site's public datasets: letters and digits only, as the
    context filter is parsed as a query ("datenraum-test" would mean "datenraum NOT test")."""
    return "site" + re.sub(r"[^a-z0-9]", "", (site_id or "").lower())


def _public_filters() -> list[str]:
    site_id = solr_literal(tk.config.get("ckan.site_id"))
    return [f"+site_id:{site_id}", "+state:active", "+capacity:public"]


def _select(handler: str, q: str, params: dict) -> dict | None:
    """A Solr request; None (and a log line) when Solr cannot answer it."""
    try:
        connection = make_connection(decode_dates=False)
        return connection.search(q, search_handler=handler, **params).raw_response
    except (pysolr.SolrError, SearchError, OSError) as error:
        log.warning("Solr %s request failed: %s", handler, error)
        return None


def did_you_mean(q: str | None) -> str | None:
    """The visitor's query with its misspelt words corrected, where that finds public datasets."""
    if not query.is_free_text(q):
        return None
    typed = query.repaired_free_text(q)
    if not typed:
        return None
    response = _select("spell", typed, {"spellcheck.q": typed, "fq": _public_filters()})
    collations = ((response or {}).get("spellcheck") or {}).get("collations") or []
    for name, value in zip(collations[::2], collations[1::2], strict=False):
        if name == "collation":
            corrected = value["collationQuery"] if isinstance(value, dict) else value
            if corrected and corrected.casefold() != typed.casefold():
                return corrected
    return None


def autocomplete(prefix: str) -> dict[str, list[dict]]:
    """Titles, keywords and publishers whose words start with what was typed."""
    prefix = (prefix or "").strip()
    found: dict[str, list[dict]] = {kind: [] for kind in DICTIONARIES}
    if len(prefix) < 2:
        return found
    context = context_key(tk.config.get("ckan.site_id"))
    response = _select("suggest", prefix, {"suggest.q": prefix, "suggest.cfq": context})
    for kind in DICTIONARIES:
        entries = ((response or {}).get("suggest") or {}).get(kind, {}).get(prefix, {})
        seen: set[str] = set()
        for entry in entries.get("suggestions", []):
            term = entry.get("term", "")
            if term and term.casefold() not in seen and len(found[kind]) < MAX_PER_KIND:
                seen.add(term.casefold())
                found[kind].append({"label": term, "value": entry.get("payload") or term})
    return found


def related_themes(q: str | None) -> list[dict]:
    """Themes of datasets that match any word of a query that matched nothing as a whole,
    else the catalogue's largest themes: {"uri", "count"}, most datasets first."""
    typed = query.repaired_free_text(q) if query.is_free_text(q) else ""
    params = {
        "defType": "edismax" if typed else "lucene",
        "qf": tk.config.get("ckanext.datenraum.search.query_fields"),
        "mm": "1",
        "q.op": "OR",
        "fq": _public_filters(),
        "rows": 0,
        "facet": "true",
        "facet.field": "datenraum_theme",
        "facet.mincount": 1,
        "facet.limit": MAX_THEMES,
    }
    response = _select("select", typed or "*:*", params)
    counts = ((response or {}).get("facet_counts") or {}).get("facet_fields", {})
    values = counts.get("datenraum_theme", [])
    themes = [{"uri": uri, "count": n} for uri, n in zip(values[::2], values[1::2], strict=False)]
    if not themes and typed:
        return related_themes(None)
    return themes
