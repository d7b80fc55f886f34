"""Which search terms the public report may name.

Two rules on top of the personal-data filter (which runs when a term is recorded):

- k counts people: a term is listed only when at least k distinct daily network pseudonyms
  searched it (summed over the days of the period), so one client repeating a term, or
  switching its user agent, cannot publish it;
- no term reveals a dataset the public cannot see: a term whose words appear in the name or
  title of a private, draft or deleted dataset is dropped, unless a public dataset's name or
  title has them too (then the term tells nothing about the hidden one).
"""

from __future__ import annotations

import hashlib
import hmac
import re

import sqlalchemy as sa
from ckan import model as ckan_model

from ckanext.datenraum.usage import privacy

_WORD = re.compile(r"[^\W_]+")


def searcher_pseudonym(salt: bytes, address: str) -> str:
    """The day's pseudonym of a searching person's network alone: what the public k counts.

    A client chooses its user agent, so one machine could pose as seven browser families; it
    cannot choose its network. Derived with its own prefix, so it cannot be linked to the
    visitor pseudonym of the same request without the salt.
    """
    material = f"search-network|{privacy.truncate_ip(address)}".encode()
    return hmac.new(salt, material, hashlib.sha256).hexdigest()[:16]


def words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall((text or "").lower()))


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    if not needle or len(needle) > len(haystack):
        return False
    return any(
        haystack[start : start + len(needle)] == needle
        for start in range(len(haystack) - len(needle) + 1)
    )


def _hidden_dataset_words(visible_organization_id: str | None = None) -> list[tuple[str, ...]]:
    package = ckan_model.Package
    rows = ckan_model.Session.query(package.name, package.title).filter(
        package.type == "dataset",
        sa.or_(package.private.is_(True), package.state != "active"),
    )
    if visible_organization_id:
        rows = rows.filter(
            sa.or_(package.owner_org.is_(None), package.owner_org != visible_organization_id)
        )
    found = []
    for name, title in rows:
        found += [words(name), words(title)]
    return [entry for entry in found if entry]


def _public_dataset_mentions(term_words: tuple[str, ...]) -> bool:
    package = ckan_model.Package
    pattern = "%" + "%".join(term_words) + "%"
    candidates = ckan_model.Session.query(package.name, package.title).filter(
        package.type == "dataset",
        package.private.is_(False),
        package.state == "active",
        sa.or_(package.title.ilike(pattern), package.name.ilike(pattern)),
    )
    return any(
        _contains(words(name), term_words) or _contains(words(title), term_words)
        for name, title in candidates.limit(50)
    )


def reveals_hidden_dataset(term: str, hidden: list[tuple[str, ...]]) -> bool:
    term_words = words(term)
    if not term_words:
        return False
    for entry in hidden:
        if _contains(term_words, entry) or _contains(entry, term_words):
            return not _public_dataset_mentions(term_words)
    return False


def without_hidden_datasets(
    rows: list[dict], visible_organization_id: str | None = None
) -> list[dict]:
    """``rows`` (with a ``term`` each) minus those that name a dataset the public cannot see.

    ``visible_organization_id``: the audience are that organisation's admins, who see its own
    private and draft datasets anyway (a term naming one of those is what they need to know).
    """
    if not rows:
        return rows
    hidden = _hidden_dataset_words(visible_organization_id)
    return [row for row in rows if not reveals_hidden_dataset(row["term"], hidden)]
