"""Harvest messages: stored in English, shown on the health page in the page's language.

Gather and object errors are stored as text in ckanext-harvest's tables, whose own pages show
them as they are, so they stay readable English sentences. They are built from the templates
below (and the safe fetcher's, ``common.http.MESSAGES``); :func:`localise` finds the template
back and renders the translated one, its parts localised in turn. Jobs run with English
forced (:func:`stored_in_english`), so CKAN's validator messages inside are English msgids
too, whatever ``ckan.locale_default`` the consumer runs with: a message never shows German on
/en/ or English on /de/ because of where the job ran.
"""

from __future__ import annotations

import contextlib
import functools
import re

from ckanext.datenraum.common.http import MESSAGES as FETCH_MESSAGES

GATHER_FAILED = "{harvester}: {reason} (no dataset was changed)"
LISTING_INCOMPLETE = (
    "{harvester}: {reason}; the listing is incomplete: the {read} records read before were "
    "processed, none was withdrawn"
)
GUARD_TRIPPED = (
    "Mass-withdrawal guard: {missing} of {current} datasets ({share}) are missing at the "
    "partner, more than the threshold of {threshold}; nothing was withdrawn"
)
INVALID_DATASET = "Invalid dataset {guid}: {errors}"
IMPORT_FAILED = "Import of {guid} failed: {reason}"
NOT_JSON = "Harvested content is not JSON"
UNREADABLE_RECORD = "unreadable dataset: {reason}"

# Most specific first: the first template that matches a stored text is the one shown.
TEMPLATES = (
    GUARD_TRIPPED,
    INVALID_DATASET,
    IMPORT_FAILED,
    LISTING_INCOMPLETE,
    GATHER_FAILED,
    NOT_JSON,
    UNREADABLE_RECORD,
    *FETCH_MESSAGES,
)
# Parameters that are themselves messages (localised in turn) or validation errors.
_NESTED = {"reason"}
_ERRORS = "errors"


MAX_STORED = 2000


def summarised(message, limit: int = MAX_STORED) -> str:
    """``message`` as it may be stored: at most ``limit`` characters and a count of the rest (a
    partner's 900 KB answer quoted in an error is no report, issue 12 item 8)."""
    text = str(message)
    if len(text) <= limit:
        return text
    return f"{text[:limit].rstrip()} … [{len(text) - limit} more characters not stored]"


@contextlib.contextmanager
def stored_in_english():
    """Gettext answers English (the msgids) while a harvest stage runs."""
    try:
        from flask_babel import force_locale
    except ImportError:  # pragma: no cover - CKAN always has it
        yield
        return
    with force_locale("en"):
        yield


def validation_errors(error_dict: dict) -> str:
    """``field: message; field: message`` of a CKAN ``ValidationError`` (first message each)."""
    return "; ".join(
        f"{key}: {_first_message(messages)}" for key, messages in (error_dict or {}).items()
    )


def localise(message: str, translate=None) -> str:
    """``message`` in the current language: its template translated, its parts localised."""
    if translate is None:
        import ckan.plugins.toolkit as tk

        translate = tk._
    for template, pattern in _patterns():
        match = pattern.fullmatch(message)
        if match is None:
            continue
        params = {}
        for key, value in match.groupdict().items():
            if key in _NESTED:
                value = localise(value, translate)
            elif key == _ERRORS:
                value = _localise_errors(value, translate)
            params[key] = value
        try:
            return translate(template).format(**params)
        except (KeyError, IndexError, ValueError):  # a translation with other placeholders
            return template.format(**params)
    return message


def _localise_errors(text: str, translate) -> str:
    parts = []
    for part in text.split("; "):
        field, separator, reason = part.partition(": ")
        parts.append(f"{field}{separator}{translate(reason)}" if separator else translate(part))
    return "; ".join(parts)


@functools.cache
def _patterns() -> list[tuple[str, re.Pattern]]:
    return [(template, _pattern(template)) for template in TEMPLATES]


def _pattern(template: str) -> re.Pattern:
    pieces = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        re.escape(piece) if position % 2 == 0 else f"(?P<{piece}>.+?)"
        for position, piece in enumerate(pieces)
    )
    return re.compile(regex, re.DOTALL)


def _first_message(messages) -> str:
    while isinstance(messages, list | dict) and messages:
        messages = messages[0] if isinstance(messages, list) else next(iter(messages.values()))
    return str(messages)[:200] if messages else "invalid"
