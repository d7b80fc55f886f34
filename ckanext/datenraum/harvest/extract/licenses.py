"""Licence statements from partner hints, as the partner wrote them (most specific first).

Which licence a statement names is decided once, in ``mapping.resolve_licence`` with the
vocabulary layer's licence table; extractors only collect. The GDI-DE convention puts a JSON
object (``{"id": "<dcat-ap.de id>", "name": …, "url": …}``) into an ISO otherConstraints.
"""

from __future__ import annotations

import json

DCATDE_LICENSES = "http://dcat-ap.de/def/licenses/"
# Texts in licence or rights fields that state access, not a licence.
_NOT_LICENCES = ("info:eu-repo/semantics/", "http://inspire.ec.europa.eu/metadata-codelist/")


def licence_statements(hints) -> list[str]:
    """The licence statements of constraint texts, rights values or URLs, in order."""
    statements: list[str] = []
    for hint in hints:
        if not isinstance(hint, str) or not hint.strip():
            continue
        for statement in _from_json(hint.strip()) or [hint.strip()]:
            if statement not in statements and not statement.startswith(_NOT_LICENCES):
                statements.append(statement)
    return statements


def _from_json(text: str) -> list[str]:
    if not text.startswith("{"):
        return []
    try:
        data = json.loads(text)
    except ValueError:
        return []
    if not isinstance(data, dict):
        return []
    found = []
    if isinstance(data.get("id"), str) and data["id"].strip():
        found.append(DCATDE_LICENSES + data["id"].strip())
    for key in ("url", "name", "quelle"):
        if isinstance(data.get(key), str) and data[key].strip():
            found.append(data[key].strip())
    return found
