"""Harvest health per source: last run, added/updated/withdrawn/errors and the messages.

Messages are shown in the current language (``messages.localise``): the page's, or the
default locale's for ``ckan datenraum harvest-sources status``.
"""

from __future__ import annotations

import json

import ckan.model as model
from ckanext.harvest.model import (
    HarvestGatherError,
    HarvestJob,
    HarvestObject,
    HarvestObjectError,
    HarvestObjectExtra,
    HarvestSource,
)
from sqlalchemy import func

from ckanext.datenraum.harvest import messages

NOTES_KEY = "datenraum_notes"  # written by harvesters/base.py

MAX_MESSAGES = 20
MAX_MESSAGE_LENGTH = 500


def source_health(source: HarvestSource) -> dict:
    package = model.Package.get(source.id)
    job = (
        model.Session.query(HarvestJob)
        .filter(HarvestJob.source_id == source.id)
        .order_by(HarvestJob.created.desc())
        .first()
    )
    health = {
        "id": source.id,
        "name": package.name if package else source.id,
        "title": source.title or (package.title if package else ""),
        "type": source.type,
        "url": source.url,
        "active": bool(source.active),
        "organization": package.owner_org if package else None,
        "datasets": _dataset_count(source.id),
        "last_job": None,
    }
    if job is None:
        health["state"] = "never"
        return health
    counts = dict(
        model.Session.query(HarvestObject.report_status, func.count(HarvestObject.id))
        .filter(HarvestObject.harvest_job_id == job.id)
        .group_by(HarvestObject.report_status)
        .all()
    )
    gather_errors = [
        messages.localise(error.message)
        for error in model.Session.query(HarvestGatherError)
        .filter(HarvestGatherError.harvest_job_id == job.id)
        .order_by(HarvestGatherError.created)
        .limit(MAX_MESSAGES)
    ]
    object_errors = [
        f"{guid}: {messages.localise(message)}"
        if guid and guid not in message
        else messages.localise(message)
        for message, guid in model.Session.query(HarvestObjectError.message, HarvestObject.guid)
        .join(HarvestObject, HarvestObject.id == HarvestObjectError.harvest_object_id)
        .filter(HarvestObject.harvest_job_id == job.id)
        .order_by(HarvestObjectError.created)
        .limit(MAX_MESSAGES)
    ]
    notes = [
        f"{guid}: {note}"
        for guid, value in model.Session.query(HarvestObject.guid, HarvestObjectExtra.value)
        .join(HarvestObjectExtra, HarvestObjectExtra.harvest_object_id == HarvestObject.id)
        .filter(HarvestObject.harvest_job_id == job.id)
        .filter(HarvestObjectExtra.key == NOTES_KEY)
        .order_by(HarvestObject.guid)
        .limit(MAX_MESSAGES)
        for note in _json_list(value)
    ][:MAX_MESSAGES]
    errors = counts.get("errored", 0) + len(gather_errors)
    imported = sum(counts.get(status, 0) for status in ("added", "updated", "deleted"))
    health["last_job"] = {
        "id": job.id,
        "status": job.status,
        "created": _iso(job.created),
        "finished": _iso(job.finished),
        "added": counts.get("added", 0),
        "updated": counts.get("updated", 0),
        "withdrawn": counts.get("deleted", 0),
        "errors": errors,
        "messages": [_short(message) for message in gather_errors + object_errors],
        "notes": [_short(note) for note in notes],
    }
    all_failed = counts.get("errored", 0) > 0 and imported == 0
    if gather_errors or all_failed:
        health["state"] = "failing"
    else:
        health["state"] = "warnings" if errors or notes else "ok"
    if job.status != "Finished":
        health["state"] = "running"
    return health


def all_sources(organization_ids: set[str] | None = None) -> list[HarvestSource]:
    """Every harvest source (of ``organization_ids`` when given), by title."""
    query = model.Session.query(HarvestSource).join(
        model.Package, model.Package.id == HarvestSource.id
    )
    if organization_ids is not None:
        query = query.filter(model.Package.owner_org.in_(organization_ids or {""}))
    return sorted(query.all(), key=lambda source: (source.title or "").lower())


def _dataset_count(source_id: str) -> int:
    return (
        model.Session.query(func.count(func.distinct(HarvestObject.package_id)))
        .join(model.Package, model.Package.id == HarvestObject.package_id)
        .filter(HarvestObject.harvest_source_id == source_id)
        .filter(HarvestObject.current == True)  # noqa: E712
        .filter(model.Package.state == "active")
        .scalar()
    )


def _json_list(value: str) -> list:
    try:
        parsed = json.loads(value or "[]")
    except ValueError:
        return []
    return parsed if isinstance(parsed, list) else []


def _short(message: str) -> str:
    """Messages are summaries: a partner's body quoted in full belongs in no report."""
    message = str(message)
    return (
        message if len(message) <= MAX_MESSAGE_LENGTH else message[: MAX_MESSAGE_LENGTH - 1] + "…"
    )


def _iso(value) -> str | None:
    return value.isoformat(timespec="seconds") if value else None
