"""Actions of the harvest capability."""

from __future__ import annotations

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.datenraum.harvest import health, indexing


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
