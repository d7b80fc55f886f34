"""Size limits every capability applies to user and partner input.

One place for the numbers: the input guard refuses longer values with a field error, and the
JSON checks refuse documents nested deeper than any real one (Python's parser would raise a
RecursionError, which is no field error but an HTTP 500).
"""

from __future__ import annotations

# Titles and names as people read them (dataset, resource, organisation, publisher, user): the
# guard refuses longer ones and the dataset schema says so at the title (CKAN sets no limit).
TITLE_CHARS = 500
# Free text: descriptions, notes, "about" pages, harvest source configurations.
LONG_TEXT_CHARS = 100_000
# Everything else: each value fits Solr's limit of 32,766 UTF-8 bytes for an indexed string
# field even when every character takes four bytes.
DEFAULT_CHARS = 8_000
# Solr refuses an indexed string term longer than this (UTF-8 bytes).
INDEXED_STRING_BYTES = 32_766
# GeoJSON: deeper than a GeometryCollection of MultiPolygons needs, far below the recursion limit.
GEOJSON_DEPTH = 16
# A whole request body to the action API.
JSON_DEPTH = 64


def json_depth_exceeds(document: str | bytes, limit: int) -> bool:
    """Whether the arrays and objects of a JSON text nest deeper than ``limit``.

    A linear scan that skips strings, so it is safe on any input (no parser recursion).
    """
    text = document.decode("utf-8", "replace") if isinstance(document, bytes) else document
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False
