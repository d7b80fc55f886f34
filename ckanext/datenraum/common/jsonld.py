"""JSON-LD into an rdflib graph without rdflib fetching anything itself.

rdflib loads a remote ``@context`` (and ``@import``) with its own HTTP client: no address
check, no size cap, no timeout, and it reads ``file://`` contexts from the server's disk. Here
every context named by URL is fetched first through the safe fetcher (``http(s)`` only, with
the caller's policy) and put inline; a context that is not ``http(s)`` is refused. rdflib then
sees a document with no context left to fetch.
"""

from __future__ import annotations

import json

import rdflib

from ckanext.datenraum.common.http import FetchError, FetchPolicy, fetch

MAX_CONTEXTS = 10
MAX_DEPTH = 100


class ContextRefused(ValueError):
    """A JSON-LD context that may not be or could not be loaded."""


def parse_into(graph: rdflib.Graph, content: bytes | str, *, base: str, policy: FetchPolicy):
    """Parse JSON-LD ``content`` into ``graph`` with ``base`` for relative IRIs."""
    try:
        document = json.loads(content)
    except (ValueError, RecursionError) as error:
        raise ValueError(f"not JSON: {type(error).__name__}") from None
    loaded: dict[str, object] = {}
    document = _inline(document, policy, loaded, depth=0)
    graph.parse(data=json.dumps(document), format="json-ld", publicID=base)
    return graph


def _inline(value, policy: FetchPolicy, loaded: dict, depth: int):
    if depth > MAX_DEPTH:
        raise ContextRefused("JSON-LD nested too deeply")
    if isinstance(value, list):
        return [_inline(item, policy, loaded, depth + 1) for item in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        if key == "@context":
            result[key] = _context(item, policy, loaded, depth + 1)
        elif key == "@import" and isinstance(item, str):
            imported = _context(_load(item, policy, loaded), policy, loaded, depth + 1)
            if not isinstance(imported, dict):
                raise ContextRefused(f"JSON-LD @import {item} is not a context object")
            result.update({k: v for k, v in imported.items() if k not in value})
        else:
            result[key] = _inline(item, policy, loaded, depth + 1)
    return result


def _context(context, policy: FetchPolicy, loaded: dict, depth: int):
    if isinstance(context, str):
        return _context(_load(context, policy, loaded), policy, loaded, depth + 1)
    if isinstance(context, list):
        return [_context(item, policy, loaded, depth + 1) for item in context]
    return _inline(context, policy, loaded, depth + 1)


def _load(url: str, policy: FetchPolicy, loaded: dict):
    if not url.startswith(("http://", "https://")):
        raise ContextRefused(f"JSON-LD context {url[:200]!r} refused: only http(s) contexts")
    if url in loaded:
        return loaded[url]
    if len(loaded) >= MAX_CONTEXTS:
        raise ContextRefused(f"more than {MAX_CONTEXTS} JSON-LD contexts")
    try:
        document = json.loads(fetch(url, policy).content)
    except FetchError as error:
        raise ContextRefused(f"JSON-LD context {url} could not be loaded: {error}") from None
    except (ValueError, RecursionError):
        raise ContextRefused(f"JSON-LD context {url} is not JSON") from None
    context = document.get("@context") if isinstance(document, dict) else None
    if not isinstance(context, dict | list | str):
        raise ContextRefused(f"JSON-LD context {url} has no @context")
    loaded[url] = context
    return context
