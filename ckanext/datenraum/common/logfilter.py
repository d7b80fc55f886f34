"""Logging that keeps the promises of the usage tables: no client address, agent or query.

``PrivacyLogFilter`` rewrites each record before any handler formats it:

- access-log records (werkzeug's development server, gunicorn's ``gunicorn.access``): the
  client address, the user agent and every request header become ``-``, the query string of the
  request line, the path and the referrer is cut (search terms, e-mail addresses and IBANs
  arrive there);
- every other record: IPv4 and IPv6 addresses in the message become ``-``.

Use it from an ini file through ``PrivacyStreamHandler`` (``logging.config.fileConfig`` cannot
attach filters), or from a dict config / gunicorn's ``logconfig_dict`` as a filter with
``"()": "ckanext.datenraum.common.logfilter.PrivacyLogFilter"``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping

ACCESS_LOGGERS = frozenset({"werkzeug", "gunicorn.access"})
REMOVED = "-"

_IPV4 = r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])"
# Full IPv6 (eight groups) or shortened with "::"; times such as 12:30:45 are neither.
_HEX = r"[0-9A-Fa-f]{1,4}"
_HEX_GROUPS = rf"{_HEX}(?::{_HEX})*"
_IPV6 = rf"(?<![\w:])(?:(?:{_HEX}:){{7}}{_HEX}|(?:{_HEX_GROUPS})?::(?:{_HEX_GROUPS})?)(?![\w:])"
_IPV4_ADDRESS = re.compile(_IPV4)
_IPV6_ADDRESS = re.compile(_IPV6)
_QUERY = re.compile(r"\?[^\s\"]*")
# gunicorn's atoms: h remote address, a user agent, q query string, u remote user; r request
# line, U path, f referrer (query cut); {name}i request headers, {name}e environment variables.
_REMOVED_ATOMS = frozenset({"h", "a", "q", "u"})
_CUT_ATOMS = frozenset({"r", "U", "f", "{referer}i"})


def without_addresses(text: str) -> str:
    """``text`` with IPv4 addresses, then IPv6 ones (also IPv4-mapped), replaced by ``-``."""
    return _IPV6_ADDRESS.sub(REMOVED, _IPV4_ADDRESS.sub(REMOVED, text))


def without_query_strings(text: str) -> str:
    return _QUERY.sub("", text)


def _scrub_atoms(atoms: MutableMapping) -> None:
    for key in list(atoms):
        value = atoms[key]
        if key in _REMOVED_ATOMS:
            atoms[key] = REMOVED
        elif key in _CUT_ATOMS:
            atoms[key] = without_addresses(without_query_strings(str(value)))
        elif key.startswith("{") and key[-2:] in ("}i", "}e"):
            atoms[key] = REMOVED


class PrivacyLogFilter(logging.Filter):
    """Removes client addresses, user agents and query strings from log records."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name in ACCESS_LOGGERS and isinstance(record.args, MutableMapping):
            _scrub_atoms(record.args)  # gunicorn: the format takes its atoms from this mapping
            return True
        message = record.getMessage()
        if record.name in ACCESS_LOGGERS:
            message = without_query_strings(message)
        record.msg, record.args = without_addresses(message), ()
        return True


class PrivacyStreamHandler(logging.StreamHandler):
    """A ``StreamHandler`` with ``PrivacyLogFilter`` attached (for ini-file configurations)."""

    def __init__(self, stream=None):
        super().__init__(stream)
        self.addFilter(PrivacyLogFilter())
