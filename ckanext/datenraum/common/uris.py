"""What counts as a web address or an e-mail address, for every capability the same."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

EMAIL = re.compile(
    r"^[^@\s<>\"'(),;:/]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)


def is_web_uri(value) -> bool:
    """An absolute ``http(s)`` URI with a host and without spaces."""
    if not isinstance(value, str) or not value or " " in value:
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def is_email(value) -> bool:
    return isinstance(value, str) and bool(EMAIL.match(value.strip()))


def email_in(value: str | None) -> str | None:
    """The e-mail address ``value`` names: bare, as ``mailto:`` (also doubled) or as the last
    path segment of an IRI a parser resolved against a base (``https://host/a/x@y.de``)."""
    if not value:
        return None
    text = value.strip()
    while text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    text = text.split("?", 1)[0]
    if is_email(text):
        return text
    last = text.rstrip("/").rsplit("/", 1)[-1]
    return last if is_email(last) else None
