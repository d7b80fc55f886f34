"""Where a request's data holds forbidden characters or values that are too long (pure).

The result mirrors the data's shape the way CKAN's validation errors do: ``{"title": [msg]}``,
``{"resources": [{}, {"url": [msg]}]}``, so the API and the forms show each error at its field.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Mapping

from ckanext.datenraum.common import limits
from ckanext.datenraum.common.text import FORBIDDEN

_TITLE_KEYS = frozenset({"title", "name", "fullname", "display_name", "label"})
_LONG_TEXT_KEYS = frozenset(
    {"notes", "description", "about", "comment", "message", "config", "rights", "text"}
)
_GEOMETRY_KEYS = frozenset({"geom", "spatial", "geometry"})


_LONG_TEXT_ENDINGS = ("_about", "_text", "_css", "_description", "_notes")


def limit_for(key: str) -> int:
    """The longest value a field of this name may hold (config keys by their last part)."""
    name = key.rsplit(".", 1)[-1]
    if name in _TITLE_KEYS:
        return limits.TITLE_CHARS
    if name in _LONG_TEXT_KEYS or name in _GEOMETRY_KEYS or name.endswith(_LONG_TEXT_ENDINGS):
        return limits.LONG_TEXT_CHARS
    return limits.DEFAULT_CHARS


# Dataset fields Solr indexes as text (no term limit) or splits up (resources, extras, tags).
_NOT_INDEXED_AS_ONE_STRING = frozenset({"notes", "resources", "extras", "tags", "groups"})


@dataclasses.dataclass(frozen=True)
class Problem:
    """What is wrong with one value: a forbidden character (at ``position``) or its length."""

    kind: str  # "character", "length" or "bytes"
    code_point: str = ""
    position: int = 0
    length: int = 0
    limit: int = 0


def forbidden_character(text: str) -> Problem | None:
    match = FORBIDDEN.search(text)
    if match is None:
        return None
    return Problem("character", f"U+{ord(match.group()):04X}", match.start() + 1)


def text_problem(text: str, key: str, *, check_length: bool = True) -> Problem | None:
    problem = forbidden_character(text)
    if problem or not check_length:
        return problem
    limit = limit_for(key)
    return Problem("length", length=len(text), limit=limit) if len(text) > limit else None


def find_problems(
    data,
    message: Callable[[Problem], str],
    *,
    check_length: bool = True,
    only: Callable[[str], Problem | None] | None = None,
    key: str = "",
):
    """Errors for every string in ``data`` (dicts, lists, strings), or an empty value.

    ``only`` replaces the whole check (the request guard looks for what cannot be parsed at
    all, whatever the length).
    """
    if isinstance(data, str):
        problem = only(data) if only else text_problem(data, key, check_length=check_length)
        return [message(problem)] if problem else []
    if isinstance(data, Mapping):
        return _mapping_problems(data, message, check_length, only, key)
    if isinstance(data, (list, tuple)):
        return _list_problems(data, message, check_length, only, key)
    return []


def _mapping_problems(data, message, check_length, only, key):
    errors = {}
    for name, value in data.items():
        name_text = name if isinstance(name, str) else str(name)
        key_problem = forbidden_character(name_text)
        if key_problem:
            errors[name_text.encode("unicode_escape").decode("ascii")] = [message(key_problem)]
            continue
        found = find_problems(value, message, check_length=check_length, only=only, key=name_text)
        if found:
            errors[name_text] = found
    return errors


def _list_problems(data, message, check_length, only, key):
    found = [
        find_problems(item, message, check_length=check_length, only=only, key=key) for item in data
    ]
    if not any(found):
        return []
    if any(isinstance(item, Mapping) for item in data):
        return [item or {} for item in found]
    return [text for item in found for text in item][:1]


_UNPARSEABLE = re.compile("[\x00\ud800-\udfff]")


def unparseable(text: str) -> Problem | None:
    """What PostgreSQL and Solr cannot take at all, whatever the action: NUL, lone surrogates."""
    match = _UNPARSEABLE.search(text)
    if match is None:
        return None
    return Problem("character", f"U+{ord(match.group()):04X}", match.start() + 1)


def index_size_problems(dataset: Mapping, message: Callable[[Problem], str]) -> dict:
    """Dataset fields too large for the one Solr string term they are indexed as.

    Solr refuses a document with a string term over 32,766 UTF-8 bytes ("immense term"), and
    the schema indexes every other field, lists of subfields (publisher, spatial coverage, …)
    as their stored JSON, that way.
    """
    errors = {}
    for name, value in dataset.items():
        if name in _NOT_INDEXED_AS_ONE_STRING or value is None or isinstance(value, bool):
            continue
        stored = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        size = len(stored.encode("utf-8", "surrogatepass"))
        if size > limits.INDEXED_STRING_BYTES:
            errors[name] = [
                message(Problem("bytes", length=size, limit=limits.INDEXED_STRING_BYTES))
            ]
    return errors


def blanked(data, errors):
    """``data`` with an empty string wherever ``errors`` (same shape) names a problem."""
    if isinstance(data, dict) and isinstance(errors, dict):
        return {
            key: (blanked(value, errors[key]) if key in errors else value)
            for key, value in data.items()
        }
    if isinstance(data, list) and isinstance(errors, list):
        return [
            blanked(item, errors[index]) if index < len(errors) and errors[index] else item
            for index, item in enumerate(data)
        ]
    return ""


def merged_errors(schema_errors, guard_errors):
    """Both error dicts in one (CKAN's shape); where both name a field, the guard's message."""
    if isinstance(schema_errors, dict) and isinstance(guard_errors, dict):
        merged = dict(schema_errors)
        for key, value in guard_errors.items():
            merged[key] = merged_errors(schema_errors.get(key), value)
        return merged
    both_lists = isinstance(schema_errors, list) and isinstance(guard_errors, list)
    if both_lists and all(isinstance(item, dict) for item in schema_errors + guard_errors):
        longest = max(len(schema_errors), len(guard_errors))
        pad = [{}] * longest
        return [
            merged_errors((schema_errors + pad)[index], (guard_errors + pad)[index])
            for index in range(longest)
        ]
    return guard_errors
