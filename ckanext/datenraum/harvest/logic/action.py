"""Actions of the harvest capability."""

from __future__ import annotations

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.datenraum.harvest import health, indexing, sync
from ckanext.datenraum.harvest.sources import SourceFileError


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


def datenraum_harvest_sources_sync(context, data_dict):
    """Make the harvest sources match the source files (as ``harvest-sources sync`` does).

    The scheduler runs this periodically, so a new file in the sources folder is harvested
    without anyone touching CKAN.

    :param dry_run: only report what would change (default false)
    :returns: ``created``, ``updated``, ``deactivated``, ``unchanged`` (source names) and
        ``changes`` (one line per source)
    :raises ValidationError: a source file is invalid; then nothing is changed
    """
    tk.check_access("datenraum_harvest_sources_sync", context, data_dict)
    try:
        plan = sync.plan_sync(sync.sources_folder())
    except SourceFileError as error:
        problems = [f"{file}: key '{key}': {message}" for file, key, message in error.problems]
        raise tk.ValidationError({"sources": problems}) from error
    if not tk.asbool(data_dict.get("dry_run", False)):
        sync.apply_sync(plan)
    return {
        "created": [source.name for source in plan.create],
        "updated": [source.name for source, _changed in plan.update],
        "deactivated": plan.deactivate,
        "unchanged": plan.unchanged,
        "changes": plan.lines(),
    }
