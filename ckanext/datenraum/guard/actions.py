"""Chained write actions: every string of the data is checked before the original action runs.

Covers what text reaches from the web forms, the API, harvesters and the CLI: datasets and
resources (the ``*_patch`` actions and ``package_revise`` end in ``package_update``), their
views and relationships, organisations, groups, members, users, tags, vocabularies and the
runtime configuration. Nothing is half-written: the original action never starts.
"""

from __future__ import annotations

import functools
import logging

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import plugins as lib_plugins

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


log = logging.getLogger(__name__)

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
        if name not in DATASET_ACTIONS:
            refuse_unsafe_text(data_dict)
            return original_action(context, data_dict)
        try:
            refuse_unsafe_text(data_dict, dataset=True)
        except tk.ValidationError as refused:
            raise tk.ValidationError(
                with_schema_errors(name, context, data_dict, refused.error_dict)
            ) from None
        return original_action(context, data_dict)

    guarded.__name__ = guarded.__qualname__ = name
    guarded.__doc__ = f"``{name}``, refusing unstorable or oversized text first (input guard)."
    return guarded


def with_schema_errors(action: str, context, data_dict: dict, errors: dict) -> dict:
    """The guard's ``errors`` of a dataset, plus what the dataset schema says of its other
    fields, so that a form shows every error at once instead of one round per kind.

    The refused values are blanked before validating; the guard's message stands for them.
    Runs only for callers allowed to do ``action``; nothing is written."""
    tk.check_access(action, dict(context), data_dict)
    context = dict(context)
    package_type = data_dict.get("type") or "dataset"  # as package_create defaults it
    if action == "package_update":
        package = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
        if package is None:
            return errors
        context["package"], package_type = package, package.type
    plugin = lib_plugins.lookup_package_plugin(package_type)
    schema = context.get("schema") or (
        plugin.create_package_schema()
        if action == "package_create"
        else plugin.update_package_schema()
    )
    try:
        _data, schema_errors = lib_plugins.plugin_validate(
            plugin,
            context,
            dict(checks.blanked(data_dict, errors), type=package_type),
            schema,
            action,
        )
    except Exception:  # noqa: BLE001 - the guard's own errors are the answer either way
        log.exception("validating the other fields of a refused %s failed", action)
        return errors
    return checks.merged_errors(schema_errors, errors)


@functools.cache
def chained_actions() -> dict:
    return {name: _guarded(name) for name in GUARDED_ACTIONS}
