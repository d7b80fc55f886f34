"""Data-request actions: propose, edit, read, list, vote, follow, drive the status, moderate."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.datenraum.participation import activity, notify, permissions, workflow
from ckanext.datenraum.participation.logic import common, validation
from ckanext.datenraum.participation.model import (
    APPROVED,
    PENDING,
    SUBJECT_REQUEST,
    VISIBLE,
    Comment,
    DataRequest,
    Follower,
    Vote,
)

SORTS = ("votes", "newest", "oldest", "status")


def _get(request_id) -> DataRequest:
    request = model.Session.get(DataRequest, str(request_id)) if request_id else None
    return common.require_object(request, "Data request not found")


def visible_request(context: dict, request_id) -> DataRequest:
    """The request if the caller may see it (approved, or theirs to moderate), else NotFound."""
    request = _get(request_id)
    if request.moderation != APPROVED and not permissions.can_drive(
        context.get("user"), request.organization_id
    ):
        raise tk.ObjectNotFound(tk._("Data request not found"))
    return request


def _count(model_class, request_id: str) -> int:
    return model.Session.query(model_class).filter(model_class.request_id == request_id).count()


def request_dictize(request: DataRequest, context: dict, personal: bool = True) -> dict:
    """A request as the API shows it; ``personal=False`` leaves out everything about accounts."""
    result = {
        "id": request.id,
        "title": request.title,
        "description": request.description,
        "organization": common.organization_dict(request.organization_id),
        "status": request.status,
        "status_label": workflow.label(request.status),
        "status_note": request.status_note,
        "dataset": common.dataset_dict(request.dataset_id),
        "moderation": request.moderation,
        "created": common.iso(request.created),
        "modified": common.iso(request.modified),
        "votes": _count(Vote, request.id),
        "comments": model.Session.query(Comment)
        .filter_by(subject_type=SUBJECT_REQUEST, subject_id=request.id, state=VISIBLE)
        .count(),
    }
    if personal:
        user = common.caller(context)
        result["user"] = common.user_dict(request.user_id)
        result["followers"] = _count(Follower, request.id)
        result["voted"] = bool(user) and _has(Vote, request.id, user.id)
        result["following"] = bool(user) and _has(Follower, request.id, user.id)
    return result


def _has(model_class, request_id: str, user_id: str) -> bool:
    return model.Session.get(model_class, (request_id, user_id)) is not None


def _follow(request_id: str, user_id: str) -> None:
    if not _has(Follower, request_id, user_id):
        model.Session.add(Follower(request_id=request_id, user_id=user_id))


def datenraum_request_create(context, data_dict):
    """Propose a dataset. Accounts publish directly; visitors' proposals wait for moderation.

    :param title: what data is wanted (one line, at most 200 characters)
    :param description: what it is needed for (at most 5000 characters)
    :param organization: id or name of the organisation that should answer (optional)
    :returns: the request; ``moderation`` is ``pending`` for visitors
    """
    tk.check_access("datenraum_request_create", context, data_dict)
    errors = validation.Errors()
    title = validation.text(
        errors, data_dict, "title", max_length=validation.TITLE_MAX, multiline=False
    )
    description = validation.text(
        errors,
        data_dict,
        "description",
        max_length=validation.DESCRIPTION_MAX,
        multiline=True,
    )
    organization_id = validation.organization(errors, data_dict.get("organization"))
    errors.raise_if_any()
    user = common.caller(context)
    common.take_allowance(user, "title")
    request = DataRequest(
        title=title,
        description=description,
        organization_id=organization_id,
        user_id=user.id if user else None,
        moderation=APPROVED if user else PENDING,
    )
    model.Session.add(request)
    model.Session.flush()
    if user:
        _follow(request.id, user.id)
        activity.record(activity.NEW_REQUEST, user.id, request)
    model.Session.commit()
    return request_dictize(request, context)


@tk.side_effect_free
def datenraum_request_show(context, data_dict):
    """A data request.

    :param id: the request's id
    """
    tk.check_access("datenraum_request_show", context, data_dict)
    return request_dictize(visible_request(context, data_dict.get("id")), context)


def _search(query, q: str):
    q = (q or "").strip()[:200]
    if not q:
        return query
    document = sa.func.to_tsvector(
        "german", sa.func.concat(DataRequest.title, " ", DataRequest.description)
    )
    pattern = common.like_pattern(q)
    return query.filter(
        sa.or_(
            document.op("@@")(sa.func.websearch_to_tsquery("german", q)),
            DataRequest.title.ilike(pattern, escape="\\"),
            DataRequest.description.ilike(pattern, escape="\\"),
        )
    )


def _filter_values(errors, data_dict, field, choices=None) -> list[str]:
    raw = data_dict.get(field)
    if raw in (None, "", []):
        return []
    values = raw if isinstance(raw, list) else [part for part in str(raw).split(",") if part]
    if choices is not None:
        for value in values:
            validation.choice(errors, value, field, choices)
    return values


@tk.side_effect_free
def datenraum_request_list(context, data_dict):
    """Approved data requests: searchable, filterable, sortable, paged.

    :param q: search words (German stemming, or a part of title or description)
    :param status: one status or several, comma-separated (new, review, planned, published,
        declined); ``open`` stands for new, review and planned
    :param organization: organisation name or id (several comma-separated)
    :param sort: votes (default), newest, oldest or status
    :param limit: at most 100 (default 20)
    :param offset: how many to skip
    :returns: ``{"count": n, "results": [...]}``
    """
    tk.check_access("datenraum_request_list", context, data_dict)
    errors = validation.Errors()
    statuses = _filter_values(errors, data_dict, "status", (*workflow.STATUSES, "open"))
    organizations = []
    for value in _filter_values(errors, data_dict, "organization"):
        organization_id = validation.organization(errors, value)
        if organization_id:
            organizations.append(organization_id)
    sort = data_dict.get("sort") or "votes"
    validation.choice(errors, sort, "sort", SORTS)
    errors.raise_if_any()
    limit, offset = common.paging(data_dict)

    if "open" in statuses:
        statuses = [s for s in statuses if s != "open"] + list(workflow.OPEN_STATUSES)
    votes = (
        sa.select(sa.func.count())
        .where(Vote.request_id == DataRequest.id)
        .correlate(DataRequest)
        .scalar_subquery()
    )
    query = model.Session.query(DataRequest).filter(DataRequest.moderation == APPROVED)
    if statuses:
        query = query.filter(DataRequest.status.in_(statuses))
    if organizations:
        query = query.filter(DataRequest.organization_id.in_(organizations))
    query = _search(query, data_dict.get("q"))
    order = {
        "votes": (votes.desc(), DataRequest.created.desc()),
        "newest": (DataRequest.created.desc(),),
        "oldest": (DataRequest.created.asc(),),
        "status": (
            sa.case(
                {status: index for index, status in enumerate(workflow.STATUSES)},
                value=DataRequest.status,
            ),
            votes.desc(),
        ),
    }[sort]
    count = query.count()
    rows = query.order_by(*order, DataRequest.id).limit(limit).offset(offset).all()
    return {"count": count, "results": [request_dictize(row, context) for row in rows]}


EDITABLE_FIELDS = ("title", "description", "organization")


def datenraum_request_edit(context, data_dict):
    """The proposer corrects their request while it is still new (sysadmins too).

    Once the organisation works on it (review and later), the words others voted for stay.
    Only the fields given change; the edit is recorded in the activity stream.

    :param id: the request's id
    :param title: what data is wanted (one line, at most 200 characters)
    :param description: what it is needed for (at most 5000 characters)
    :param organization: id or name of the organisation that should answer ("" for none)
    """
    tk.check_access("datenraum_request_edit", context, data_dict)
    request = visible_request(context, data_dict.get("id"))
    errors = validation.Errors()
    if request.status != workflow.NEW:
        errors.add("id", tk._("Only a new request can be edited"))
        errors.raise_if_any()
    values = {
        "title": request.title,
        "description": request.description,
        "organization_id": request.organization_id,
    }
    if "title" in data_dict:
        values["title"] = validation.text(
            errors, data_dict, "title", max_length=validation.TITLE_MAX, multiline=False
        )
    if "description" in data_dict:
        values["description"] = validation.text(
            errors, data_dict, "description", max_length=validation.DESCRIPTION_MAX, multiline=True
        )
    if "organization" in data_dict:
        values["organization_id"] = validation.organization(errors, data_dict["organization"])
    errors.raise_if_any()
    edited = sorted(field for field, value in values.items() if getattr(request, field) != value)
    if not edited:
        return request_dictize(request, context)
    for field in edited:
        setattr(request, field, values[field])
    request.modified = common.now()
    actor = common.caller(context)
    activity.record(
        activity.CHANGED_REQUEST, actor.id if actor else None, request, {"edited": edited}
    )
    model.Session.commit()
    return request_dictize(request, context)


def datenraum_request_update(context, data_dict):
    """Answer a request: change its status, answer, organisation or fulfilling dataset.

    Editors and admins of the responsible organisation and sysadmins. Every change is recorded
    in the activity stream and mailed to the followers.

    :param id: the request's id
    :param status: the new status (see the workflow); ``declined`` needs a ``note``,
        ``published`` a ``dataset``
    :param note: the organisation's answer (plain text)
    :param dataset: id or name of the public dataset that fulfils the request
    :param organization: hand the request to another organisation (id or name)
    """
    tk.check_access("datenraum_request_update", context, data_dict)
    request = visible_request(context, data_dict.get("id"))
    errors = validation.Errors()
    status = validation.status_change(errors, request.status, data_dict) or request.status
    note = request.status_note
    if "note" in data_dict:
        note = validation.text(
            errors,
            data_dict,
            "note",
            max_length=validation.NOTE_MAX,
            multiline=True,
            required=False,
        )
    dataset = None
    if data_dict.get("dataset") not in (None, ""):
        dataset = validation.public_dataset(errors, data_dict.get("dataset"), "dataset", context)
    elif status == workflow.PUBLISHED and request.status != workflow.PUBLISHED:
        errors.add("dataset", tk._("Name the dataset that fulfils the request"))
    if status == workflow.DECLINED and not note:
        errors.add("note", tk._("Give the reason for declining"))
    organization_id = request.organization_id
    if data_dict.get("organization") not in (None, ""):
        organization_id = validation.organization(errors, data_dict.get("organization"))
    errors.raise_if_any()

    change = {}
    if status != request.status:
        change["status"] = [request.status, status]
    if note != request.status_note:
        change["note"] = True
    if organization_id != request.organization_id:
        change["organization"] = [request.organization_id, organization_id]
    dataset_id = dataset.id if dataset else (request.dataset_id if status == "published" else None)
    if dataset_id != request.dataset_id:
        change["dataset"] = [request.dataset_id, dataset_id]
    if not change:
        return request_dictize(request, context)
    request.status, request.status_note = status, note
    request.organization_id, request.dataset_id = organization_id, dataset_id
    request.modified = common.now()
    actor = common.caller(context)
    activity.record(activity.CHANGED_REQUEST, actor.id if actor else None, request, change)
    model.Session.commit()
    fulfilling = model.Package.get(dataset_id) if dataset_id else None
    if fulfilling is not None and ("dataset" in change or "status" in change):
        change["dataset_url"] = tk.url_for("dataset.read", id=fulfilling.name, _external=True)
    notify.changed(request, change, actor.id if actor else None)
    return request_dictize(request, context)


def datenraum_request_moderate(context, data_dict):
    """Approve or reject a visitor's request waiting in the queue (rejected ones are deleted).

    :param id: the request's id
    :param decision: ``approve`` or ``reject``
    """
    tk.check_access("datenraum_request_moderate", context, data_dict)
    request = visible_request(context, data_dict.get("id"))
    errors = validation.Errors()
    decision = validation.choice(
        errors, data_dict.get("decision"), "decision", ("approve", "reject")
    )
    if request.moderation != PENDING:
        errors.add("id", tk._("This request is not waiting for moderation"))
    errors.raise_if_any()
    actor = common.caller(context)
    if decision == "reject":
        model.Session.delete(request)
        model.Session.commit()
        return {"id": request.id, "deleted": True}
    request.moderation = APPROVED
    request.modified = common.now()
    activity.record(activity.NEW_REQUEST, actor.id if actor else None, request)
    model.Session.commit()
    return request_dictize(request, context)


def datenraum_request_delete(context, data_dict):
    """Delete a request with its votes, followers and comments (sysadmins).

    :param id: the request's id
    """
    tk.check_access("datenraum_request_delete", context, data_dict)
    request = _get(data_dict.get("id"))
    model.Session.query(Comment).filter_by(
        subject_type=SUBJECT_REQUEST, subject_id=request.id
    ).delete(synchronize_session=False)
    model.Session.delete(request)
    model.Session.commit()
    return {"id": request.id, "deleted": True}


def _toggle(context, data_dict, model_class, on: bool, action: str):
    tk.check_access(action, context, data_dict)
    request = visible_request(context, data_dict.get("id"))
    user = common.caller(context)
    existing = model.Session.get(model_class, (request.id, user.id))
    if model_class is Vote and on and request.status not in workflow.OPEN_STATUSES:
        raise tk.ValidationError({"id": [tk._("Voting has closed for this request")]})
    if on and existing is None:
        model.Session.add(model_class(request_id=request.id, user_id=user.id))
        if model_class is Vote:
            _follow(request.id, user.id)
    elif not on and existing is not None:
        model.Session.delete(existing)
    model.Session.commit()
    return request_dictize(request, context)


def datenraum_request_vote(context, data_dict):
    """Vote for an open request (one vote per account; voting also follows it).

    :param id: the request's id
    """
    return _toggle(context, data_dict, Vote, True, "datenraum_request_vote")


def datenraum_request_unvote(context, data_dict):
    """Take back one's vote. :param id: the request's id"""
    return _toggle(context, data_dict, Vote, False, "datenraum_request_vote")


def datenraum_request_follow(context, data_dict):
    """Follow a request: its changes come by e-mail. :param id: the request's id"""
    return _toggle(context, data_dict, Follower, True, "datenraum_request_follow")


def datenraum_request_unfollow(context, data_dict):
    """Stop following a request. :param id: the request's id"""
    return _toggle(context, data_dict, Follower, False, "datenraum_request_follow")


@tk.side_effect_free
def datenraum_request_activity_list(context, data_dict):
    """The request's activity stream, newest first.

    :param id: the request's id
    """
    tk.check_access("datenraum_request_activity_list", context, data_dict)
    request = visible_request(context, data_dict.get("id"))
    return activity.stream(request.id)
