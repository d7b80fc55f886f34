"""Chained write actions: every string of the data is checked before the original action runs.

Covers what text reaches from the web forms, the API, harvesters and the CLI: datasets and
resources (the ``*_patch`` actions and ``package_revise`` end in ``package_update``), their
views and relationships, organisations, groups, members, users, tags, vocabularies and the
runtime configuration. Nothing is half-written: the original action never starts.
"""

from __future__ import annotations

import functools

import ckan.plugins.toolkit as tk

from ckanext.datenraum.guard import checks, messages

GUARDED_ACTIONS = (
    "package_create",
    "package_update",
    "resource_create",
    "resource_update",
    "resource_view_create",
    "resource_view_update",
    "package_relationship_create",
    "package_relationship_update",
    "organization_create",
    "organization_update",
    "group_create",
    "group_update",
    "member_create",
    "organization_member_create",
    "group_member_create",
    "user_create",
    "user_update",
    "user_invite",
    "tag_create",
    "vocabulary_create",
    "vocabulary_update",
    "config_option_update",
    "api_token_create",
)


# Their data is one dataset, which Solr indexes (harvest sources are datasets too).
DATASET_ACTIONS = frozenset({"package_create", "package_update"})


def refuse_unsafe_text(data_dict, *, dataset: bool = False) -> None:
    """Raise a ValidationError naming every field with a forbidden character or too long."""
    data_dict = data_dict or {}
    errors = checks.find_problems(data_dict, messages.problem_message)
    if dataset and not errors and isinstance(data_dict, dict):
        errors = checks.index_size_problems(data_dict, messages.problem_message)
    if errors:
        raise tk.ValidationError(errors)


def _guarded(name: str):
    @tk.chained_action
    def guarded(original_action, context, data_dict):
        refuse_unsafe_text(data_dict, dataset=name in DATASET_ACTIONS)
        return original_action(context, data_dict)

    guarded.__name__ = guarded.__qualname__ = name
    guarded.__doc__ = f"``{name}``, refusing unstorable or oversized text first (input guard)."
    return guarded


@functools.cache
def chained_actions() -> dict:
    return {name: _guarded(name) for name in GUARDED_ACTIONS}
