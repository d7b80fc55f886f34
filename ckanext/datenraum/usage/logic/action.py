"""Usage actions: the three reports (by audience) and the aggregation job."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from ckanext.datenraum.common.http import FetchPolicy
from ckanext.datenraum.usage import aggregate, config, opendata, popularity, quality, reports
from ckanext.datenraum.usage.links import make_link_checker

MAX_DAYS = 366
# No statistics can predate the web; an earlier ``end`` would also let ``end - days`` underflow
# the calendar (OverflowError) for the smallest dates.
EARLIEST_END = datetime.date(1970, 1, 1)


__all__ = [
    "datenraum_usage_public_report",
    "datenraum_usage_site_report",
    "datenraum_usage_organization_report",
    "datenraum_usage_aggregate",
    "datenraum_usage_quality_score",
    "datenraum_usage_publish",
]


def _period(data_dict: dict) -> reports.Period:
    """``days`` (1-366, default from config) ending at ``end`` (ISO date, default today)."""
    errors = {}
    try:
        days = int(data_dict.get("days") or config.report_days())
        if not 1 <= days <= MAX_DAYS:
            raise ValueError
    except (TypeError, ValueError):
        errors["days"] = [tk._("Must be a whole number from 1 to {max}").format(max=MAX_DAYS)]
        days = 1
    end = None
    if data_dict.get("end"):
        try:
            end = datetime.date.fromisoformat(str(data_dict["end"]))
        except ValueError:
            errors["end"] = [tk._("Must be a date like 2025-01-31")]
        else:
            if end < EARLIEST_END:
                errors["end"] = [
                    tk._("Must be a date from {earliest} on").format(
                        earliest=EARLIEST_END.isoformat()
                    )
                ]
    if errors:
        raise tk.ValidationError(errors)
    return reports.Period.last_days(days, end)


@tk.side_effect_free
def datenraum_usage_public_report(context, data_dict):
    """Usage figures for everyone: public datasets, figures below k suppressed.

    :param days: number of days up to ``end`` (default: ckanext.datenraum.usage.report_days)
    :param end: last day, ISO date (default: today)
    """
    tk.check_access("datenraum_usage_public_report", context, data_dict)
    return reports.build_report(reports.PUBLIC, _period(data_dict))


@tk.side_effect_free
def datenraum_usage_site_report(context, data_dict):
    """All usage figures of the catalogue (sysadmins).

    :param days: see ``datenraum_usage_public_report``
    :param end: see ``datenraum_usage_public_report``
    """
    tk.check_access("datenraum_usage_site_report", context, data_dict)
    return reports.build_report(reports.SITE, _period(data_dict))


@tk.side_effect_free
def datenraum_usage_organization_report(context, data_dict):
    """Usage figures of one organisation's datasets (its admins and sysadmins).

    :param id: organisation id or name
    :param days: see ``datenraum_usage_public_report``
    :param end: see ``datenraum_usage_public_report``
    """
    tk.check_access("datenraum_usage_organization_report", context, data_dict)
    organization = context["model"].Group.get(data_dict.get("id") or "")
    if organization is None or not organization.is_organization:
        raise tk.ObjectNotFound(tk._("Organisation not found"))
    report = reports.build_report(reports.ORGANIZATION, _period(data_dict), organization.id)
    report["organization"] = {
        "id": organization.id,
        "name": organization.name,
        "title": organization.title or organization.name,
    }
    return report


def datenraum_usage_aggregate(context, data_dict):
    """Aggregate the buffered events into the daily tables; destroy expired buffers and salts.

    :param reindex: re-index datasets whose counts changed (popular sort), default true
    """
    tk.check_access("datenraum_usage_aggregate", context, data_dict)
    result = aggregate.aggregate(connect_to_redis())
    reindexed = 0
    if tk.asbool(data_dict.get("reindex", True)):
        reindexed = popularity.reindex(result.changed_datasets)
    return {
        "days": [day.isoformat() for day in result.days],
        "events": result.events,
        "dropped_buffers": [day.isoformat() for day in result.dropped_buffers],
        "destroyed_salts": result.destroyed_salts,
        "reindexed": reindexed,
    }


def datenraum_usage_quality_score(context, data_dict):
    """Score the metadata quality of every active dataset (MQA dimensions, at most 405 points).

    :param id: score only this dataset (id or name); default all
    """
    tk.check_access("datenraum_usage_quality_score", context, data_dict)
    model = context["model"]
    if data_dict.get("id"):
        package = model.Package.get(data_dict["id"])
        if package is None:
            raise tk.ObjectNotFound(tk._("Dataset not found"))
        ids = [package.id]
    else:
        ids = [
            row.id
            for row in model.Session.query(model.Package.id).filter(
                model.Package.state == "active", model.Package.type == "dataset"
            )
        ]
    show = tk.get_action("package_show")
    show_context = {"ignore_auth": True, "user": context.get("user")}
    scored = quality.store_scores(
        (show(dict(show_context), {"id": dataset_id}) for dataset_id in ids),
        _configured_link_checker(),
    )
    return {"scored": scored, "maximum": quality.MAXIMUM}


def _configured_link_checker():
    if not tk.config.get("ckanext.datenraum.usage.quality.check_links"):
        return None
    policy = FetchPolicy(
        allow_private_targets=tk.config.get("ckanext.datenraum.usage.quality.allow_private_links"),
        timeout=tk.config.get("ckanext.datenraum.usage.quality.link_timeout"),
        retries=0,
    )
    return make_link_checker(policy)


def datenraum_usage_publish(context, data_dict):
    """Publish a month's public usage figures as a CSV resource of the usage dataset.

    :param month: ``YYYY-MM`` (default: the previous month)
    """
    tk.check_access("datenraum_usage_publish", context, data_dict)
    month = data_dict.get("month") or opendata.previous_month(config.today())
    resource = opendata.publish_month(context, str(month))
    return {
        "month": month,
        "dataset": config.opendata_dataset_name(),
        "resource_id": resource["id"],
    }
