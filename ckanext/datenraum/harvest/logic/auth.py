"""Auth of the harvest capability: sysadmins and organisation admins only; and the
ckanext-harvest auth functions that answer 500 instead of 403 (decision 0217)."""

from __future__ import annotations

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk


def datenraum_harvest_health(context, data_dict):
    user = context.get("user")
    # "membership" is the organisation admin's permission; editors and members lack it
    if user and (
        authz.is_sysadmin(user) or authz.has_user_permission_for_some_org(user, "membership")
    ):
        return {"success": True}
    return {"success": False, "msg": tk._("Only organisation administrators see harvest health")}


def datenraum_harvest_sources_sync(context, data_dict):
    # Sysadmins (and the site user of the scheduler) only; CKAN lets sysadmins through.
    return {"success": False, "msg": tk._("Only system administrators sync harvest sources")}


def _sysadmins_only(context) -> dict:
    if authz.is_sysadmin(context.get("user")):
        return {"success": True}
    return {"success": False, "msg": tk._("Only sysadmins may do this")}


def _signed_in_first(next_auth, context, data_dict) -> dict:
    """ckanext-harvest's ``user_is_sysadmin`` raises AttributeError (a typo in its
    ``ObjectNotFound``) for a caller who is no user: refuse them before it runs."""
    if model.User.get(context.get("user") or "") is None:
        return {"success": False, "msg": tk._("Only sysadmins may do this")}
    return next_auth(context, data_dict)


@tk.chained_auth_function
def harvest_jobs_run(next_auth, context, data_dict):
    return _signed_in_first(next_auth, context, data_dict)


@tk.chained_auth_function
def harvest_job_abort(next_auth, context, data_dict):
    return _signed_in_first(next_auth, context, data_dict)


@tk.chained_auth_function
def harvest_job_create_all(next_auth, context, data_dict):
    return _signed_in_first(next_auth, context, data_dict)


@tk.chained_auth_function
def harvest_objects_import(next_auth, context, data_dict):
    return _signed_in_first(next_auth, context, data_dict)


@tk.chained_auth_function
def harvest_sources_reindex(next_auth, context, data_dict):
    return _signed_in_first(next_auth, context, data_dict)


@tk.chained_auth_function
def harvest_sources_clear(next_auth, context, data_dict):
    """Also the auth of ``harvest_sources_job_history_clear``."""
    return _signed_in_first(next_auth, context, data_dict)


def harvest_log_list(context, data_dict):
    """ckanext-harvest's action checks this name but registers no auth function for it."""
    return _sysadmins_only(context)


def harvest_abort_failed_jobs(context, data_dict):
    """ckanext-harvest's action checks no access at all (see action.py)."""
    return _sysadmins_only(context)
