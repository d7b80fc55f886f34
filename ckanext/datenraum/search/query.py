"""Search parameters for our Solr schema (solr/conf/schema.xml).

CKAN sends free-text searches to Solr's dismax parser with ``qf = name title tags groups text``.
Our schema adds ``keywords_de`` (the keywords analysed as German), ``text_en`` (English
stemming) and ``text_parts`` (compounds split, see compounds.py), which only take part when the
query names them.

A query word that is a compound also looks for its parts as a phrase in ``text_parts``
("Wahlergebnisse" -> ``text_parts:"wahl ergebnisse"``). Dismax cannot say "this word, or that
phrase in one field", so such a query goes to Solr's edismax parser with CKAN's own ``mm`` and
``tie`` (docs/decisions/0410-compound-parts-as-phrases.md); every other query stays dismax.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from ckanext.datenraum.search import compounds

log = logging.getLogger(__name__)

# What ckan.lib.search.query.PackageSearchQuery.run sets for its dismax queries.
CKAN_TIE = "0.1"
# Minimum should match of a free-text query (CKAN's is "2<-1 5<80%"): one word of two to five
# may be missing ("Ladestation E-Auto" finds "Ausbau der Ladeinfrastruktur"), 80% of more; a
# result with every word scores higher and ranks first. Decision 0416.
MIN_SHOULD_MATCH = "1<-1 5<80%"
PARTS_FIELD = "text_parts"
# The parts may stand a few words apart and in either order: "Wahlergebnisse" also finds
# "Ergebnisse der Stadtratswahl" (parts "ergebnisse der stadtrats wahl").
PARTS_SLOP = 4
# q.op=OR: CKAN sends q.op=AND, under which edismax would require every word and ignore mm.
# sow=true: analyse word by word, as dismax does (edismax's default is field by field).
EDISMAX_PREFIX = "{!edismax q.op=OR sow=true}"
_PLAIN_WORD = re.compile(r"^[^\W\d_]{6,}$", re.UNICODE)
_BOOST = re.compile(rf"(?:^|\s){PARTS_FIELD}(?:\^([0-9.]+))?(?:\s|$)")


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
    q = q.replace("{", " ").replace("}", " ")  # no local parameters of the visitor's own
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


def parts_boost(query_fields: str) -> str | None:
    """The weight of ``text_parts`` in ``qf`` ("1" when unweighted), None when it is absent."""
    match = _BOOST.search(query_fields)
    return (match.group(1) or "1") if match else None


def with_compound_parts(q: str, boost: str) -> str | None:
    """The query with each compound word OR its parts as a phrase; None if no word splits."""
    rewritten, changed = [], False
    for token in _tokens(q):
        parts = compounds.split(token) if _PLAIN_WORD.match(token) else []
        if len(parts) > 1:
            phrase = " ".join(parts)
            rewritten.append(f'({token} {PARTS_FIELD}:"{phrase}"~{PARTS_SLOP}^{boost})')
            changed = True
        else:
            rewritten.append(token)
    return " ".join(rewritten) if changed else None


def _tokens(q: str) -> list[str]:
    """Whitespace-separated tokens, a quoted phrase kept as one."""
    return re.findall(r'[+-]?"[^"]*"|\S+', q)


def edismax_allowed(allowed_parsers: list[str] | str | None) -> bool:
    if isinstance(allowed_parsers, str):
        allowed_parsers = allowed_parsers.split()
    return "edismax" in (allowed_parsers or [])


def for_solr(
    search_params: dict[str, Any], query_fields: str, allowed_parsers: list[str] | None = None
) -> dict[str, Any]:
    """The search parameters we hand on: a repaired free-text query with our ``qf``, compound
    words also searched by their parts where CKAN lets edismax through."""
    q = search_params.get("q")
    if not is_free_text(q) or "qf" in search_params:
        return search_params
    search_params = dict(search_params, q=repaired_free_text(q))
    boost = parts_boost(query_fields)
    if boost is not None and not search_params.get("defType"):
        with_parts = with_compound_parts(search_params["q"], boost)
        if with_parts and edismax_allowed(allowed_parsers):
            # CKAN leaves qf, mm and tie alone when the query names a field: we set its values.
            # A query of one word is just its group "(word phrase)", to which edismax would
            # apply mm itself (both required): there, one of the two suffices.
            single = len(_tokens(search_params["q"])) == 1
            return search_params | {
                "q": EDISMAX_PREFIX + with_parts,
                "qf": query_fields,
                "mm": "1" if single else search_params.get("mm", MIN_SHOULD_MATCH),
                "tie": search_params.get("tie", CKAN_TIE),
            }
        if with_parts:
            log.warning(
                "compound parts not searched: add edismax to ckan.search.solr_allowed_query_parsers"
            )
    return with_query_fields(search_params, query_fields) | {
        "mm": search_params.get("mm", MIN_SHOULD_MATCH)
    }
