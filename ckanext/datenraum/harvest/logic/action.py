"""Actions of the harvest capability."""

from __future__ import annotations

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchIndexError
from ckan.logic import auth_audit_exempt
from ckanext.harvest.model import HarvestSource

from ckanext.datenraum.common import index_retry
from ckanext.datenraum.harvest import health, indexing, sources, sync
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
    """ckanext-harvest's job bookkeeping, with the index in line before a job is Finished (see
    ``indexing.py``, decision 0507): a commit of what imports indexed without one, then the
    datasets of each job about to finish are reconciled with the index, and committed; a commit
    after upstream's bookkeeping catches objects completed meanwhile. Upstream re-indexes the
    source's own record after it saved the job Finished; when the index refuses that write for a
    transient reason, the record is re-indexed here once the index accepts writes again."""
    finishing = indexing.jobs_ready_to_finish(data_dict.get("source_id"))
    indexing.commit_index()
    if finishing:
        for job in finishing:
            indexing.reconcile_job_logged(job)
        indexing.commit_index()
    try:
        result = original_action(context, data_dict)
    except SearchIndexError as error:
        if not index_retry.is_transient(error):
            raise
        model.Session.rollback()
        indexing.reindex_sources({job.source_id for job in finishing})
        result = original_action(context, data_dict)  # the jobs after the one that failed
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


@tk.chained_action
def harvest_abort_failed_jobs(original_action, context, data_dict):
    """ckanext-harvest's action checks no access, and parses ``life_span`` first (a
    non-number answers 500): sysadmins only, checked first; a bad number is a 400."""
    tk.check_access("harvest_abort_failed_jobs", context, data_dict)
    life_span = data_dict.get("life_span")
    if life_span in (None, ""):
        life_span = 7  # upstream's default, which it reaches only for text that is no number
    try:
        life_span = int(life_span)
    except (TypeError, ValueError):
        raise tk.ValidationError({"life_span": [tk._("Must be a whole number of days")]}) from None
    return original_action(context, dict(data_dict, life_span=life_span))


@tk.chained_action
@tk.side_effect_free
def harvest_source_reindex(original_action, context, data_dict):
    """ckanext-harvest's action sets ``ignore_auth`` and checks nothing: anyone could re-index
    any source. The right is the source's update right, checked first."""
    tk.check_access("harvest_source_reindex", context, {"id": tk.get_or_bust(data_dict, "id")})
    return original_action(context, data_dict)


def _not_an_action(name: str):
    """ckanext-harvest registers every public function of its action modules as an action,
    also an exception class and its mail helpers: nobody may call them through the API."""

    def refused(original_action, context, data_dict):
        raise tk.NotAuthorized(tk._("This is not an action"))

    refused.__name__ = refused.__qualname__ = name
    return tk.chained_action(refused)


InactiveSource = _not_an_action("InactiveSource")
get_mail_extra_vars = _not_an_action("get_mail_extra_vars")
prepare_error_mail = _not_an_action("prepare_error_mail")
prepare_summary_mail = _not_an_action("prepare_summary_mail")
send_error_email = _not_an_action("send_error_email")
send_mail = _not_an_action("send_mail")
send_summary_email = _not_an_action("send_summary_email")


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
    _check_source_settings(context, data_dict, previous=None)
    return original_action(context, data_dict)


@tk.chained_action
@auth_audit_exempt  # as upstream: the auth is package_update's
def harvest_source_update(original_action, context, data_dict):
    _check_source_settings(context, data_dict, previous=_stored_config(data_dict))
    return original_action(context, data_dict)


@tk.chained_action
@auth_audit_exempt  # as upstream: the auth is package_patch's
def harvest_source_patch(original_action, context, data_dict):
    if "config" in data_dict:
        _check_source_settings(context, data_dict, previous=_stored_config(data_dict))
    return original_action(context, data_dict)


def _check_source_settings(context, data_dict: dict, previous: dict | None) -> None:
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
