"""Actions of the harvest capability."""

from __future__ import annotations

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.logic import auth_audit_exempt
from ckanext.harvest.model import HarvestSource

from ckanext.datenraum.harvest import health, indexing, sources


@tk.side_effect_free
def datenraum_harvest_health(context, data_dict):
    """Harvest health of every source the user manages (sysadmins: all sources).

    :returns: list of dicts with ``name``, ``title``, ``type``, ``active``, ``state`` and
        ``last_job`` (``status``, ``created``, ``finished``, ``added``, ``updated``,
        ``withdrawn``, ``errors``, ``messages``)
    """
    tk.check_access("datenraum_harvest_health", context, data_dict)
    user = context.get("user")
    organization_ids = None
    if not context.get("ignore_auth") and not authz.is_sysadmin(user):
        user_obj = model.User.get(user)
        organization_ids = (
            {group.id for group in user_obj.get_groups("organization", "admin")}
            if user_obj
            else set()
        )
    return [health.source_health(source) for source in health.all_sources(organization_ids)]


@tk.chained_action
def harvest_jobs_run(original_action, context, data_dict):
    """ckanext-harvest's job bookkeeping, then one search-index commit for what imports indexed
    without committing (see ``indexing.py``)."""
    result = original_action(context, data_dict)
    indexing.commit_index()
    return result


# Security-relevant source settings: only sysadmins (and the source files, synced by the site
# user) may set them, and even then within bounds (issue 12, decision 0213).
PROTECTED_SETTINGS = ("allow_private_targets", "http", "priority", "withdrawal_guard")


@tk.chained_action
@tk.side_effect_free
@auth_audit_exempt  # as upstream: the auth is package_show's
def harvest_source_show(original_action, context, data_dict):
    """ckanext-harvest's source, completed from the database: after a source's first job
    CKAN may answer from the search index, whose copy lacks ``source_type``, ``config`` and
    ``frequency`` (``ckan harvester run-test`` and the edit form need them)."""
    result = original_action(context, data_dict)
    source = HarvestSource.get(result.get("id"))
    if source is not None:
        for key, value in (
            ("source_type", source.type),
            ("url", source.url),
            ("config", source.config),
            ("frequency", source.frequency),
        ):
            if result.get(key) in (None, ""):
                result[key] = value
    return result


@tk.chained_action
@auth_audit_exempt  # as upstream: the auth is package_create's
def harvest_source_create(original_action, context, data_dict):
    check_source_settings(context, data_dict, previous=None)
    return original_action(context, data_dict)


@tk.chained_action
@auth_audit_exempt  # as upstream: the auth is package_update's
def harvest_source_update(original_action, context, data_dict):
    check_source_settings(context, data_dict, previous=_stored_config(data_dict))
    return original_action(context, data_dict)


@tk.chained_action
@auth_audit_exempt  # as upstream: the auth is package_patch's
def harvest_source_patch(original_action, context, data_dict):
    if "config" in data_dict:
        check_source_settings(context, data_dict, previous=_stored_config(data_dict))
    return original_action(context, data_dict)


def check_source_settings(context, data_dict: dict, previous: dict | None) -> None:
    """``ValidationError`` when someone other than a sysadmin sets or changes a protected
    setting, or when a setting is outside its bounds."""
    config = sources.parse_config(data_dict.get("config"))
    if config is None:
        raise tk.ValidationError({"config": [tk._("The configuration must be a JSON object")]})
    user = context.get("user")
    privileged = context.get("ignore_auth") or authz.is_sysadmin(user)
    if not privileged:
        before = previous or {}
        changed = [key for key in PROTECTED_SETTINGS if config.get(key) != before.get(key)]
        if changed:
            raise tk.ValidationError(
                {
                    "config": [
                        tk._("Only sysadmins may set {settings}").format(
                            settings=", ".join(changed)
                        )
                    ]
                }
            )
    problems = sources.bound_problems(config)
    if problems:
        raise tk.ValidationError({"config": problems})


def _stored_config(data_dict: dict) -> dict:
    source = HarvestSource.get(data_dict.get("id") or data_dict.get("name") or "")
    if source is None and data_dict.get("name"):
        package = model.Package.get(data_dict["name"])
        source = HarvestSource.get(package.id) if package else None
    return (sources.parse_config(source.config) or {}) if source else {}
