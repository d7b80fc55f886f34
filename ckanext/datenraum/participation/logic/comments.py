"""Comment actions: write, list, report, hide (with a reason), show again, delete."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.datenraum.participation import permissions
from ckanext.datenraum.participation.logic import common, validation
from ckanext.datenraum.participation.logic.requests import visible_request
from ckanext.datenraum.participation.model import (
    HIDDEN,
    SUBJECT_DATASET,
    SUBJECT_REQUEST,
    SUBJECTS,
    VISIBLE,
    Comment,
    Report,
)


def subject_organization(context: dict, subject_type: str, subject_id: str) -> str | None:
    """The organisation responsible for what a comment is about (NotFound if it is not there)."""
    if subject_type == SUBJECT_REQUEST:
        return visible_request(context, subject_id).organization_id
    package = model.Package.get(subject_id) if subject_id else None
    if package is None or package.state != "active":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return package.owner_org


def _subject(errors, context: dict, data_dict: dict) -> tuple[str, str]:
    subject_type = validation.choice(
        errors, data_dict.get("subject_type"), "subject_type", SUBJECTS
    )
    subject_id = data_dict.get("subject_id")
    if subject_type == SUBJECT_DATASET:
        package = validation.dataset(errors, subject_id, "subject_id", context)
        return subject_type, package.id if package else ""
    if subject_type == SUBJECT_REQUEST:
        try:
            return subject_type, visible_request(context, subject_id).id
        except tk.ObjectNotFound:
            errors.add("subject_id", tk._("Data request not found"))
    return subject_type, ""


def _get(comment_id) -> Comment:
    comment = model.Session.get(Comment, str(comment_id)) if comment_id else None
    return common.require_object(comment, "Comment not found")


def comment_dictize(comment: Comment, context: dict, moderator: bool | None = None) -> dict:
    if moderator is None:
        moderator = can_moderate_comment(context, comment)
    hidden = comment.state == HIDDEN
    result = {
        "id": comment.id,
        "subject_type": comment.subject_type,
        "subject_id": comment.subject_id,
        "user": common.user_dict(comment.user_id),
        "text": comment.text if (not hidden or moderator) else "",
        "state": comment.state,
        "hidden_reason": comment.hidden_reason if hidden else "",
        "created": common.iso(comment.created),
    }
    if moderator:
        result["reports"] = model.Session.query(Report).filter_by(comment_id=comment.id).count()
    return result


def can_moderate_comment(context: dict, comment: Comment) -> bool:
    user_name = context.get("user")
    if not user_name:
        return False
    try:
        organization_id = subject_organization(context, comment.subject_type, comment.subject_id)
    except tk.ObjectNotFound:
        organization_id = None
    return permissions.can_moderate(user_name, organization_id)


def datenraum_comment_create(context, data_dict):
    """Comment on a data request or a dataset (accounts only; plain text).

    :param subject_type: ``request`` or ``dataset``
    :param subject_id: the request's id, or the dataset's id or name
    :param text: the comment (at most 2000 characters, no HTML)
    """
    tk.check_access("datenraum_comment_create", context, data_dict)
    errors = validation.Errors()
    subject_type, subject_id = _subject(errors, context, data_dict)
    text = validation.text(
        errors, data_dict, "text", max_length=validation.COMMENT_MAX, multiline=True
    )
    errors.raise_if_any()
    user = common.caller(context)
    common.take_allowance(user, "text")
    comment = Comment(subject_type=subject_type, subject_id=subject_id, user_id=user.id, text=text)
    model.Session.add(comment)
    model.Session.commit()
    return comment_dictize(comment, context)


@tk.side_effect_free
def datenraum_comment_list(context, data_dict):
    """The comments on a request or dataset, oldest first; hidden ones without their text.

    :param subject_type: ``request`` or ``dataset``
    :param subject_id: the request's id, or the dataset's id or name
    """
    tk.check_access("datenraum_comment_list", context, data_dict)
    errors = validation.Errors()
    subject_type, subject_id = _subject(errors, context, data_dict)
    if errors:
        raise tk.ObjectNotFound(
            "; ".join(message for messages in errors.values() for message in messages)
        )
    organization_id = subject_organization(context, subject_type, subject_id)
    moderator = permissions.can_moderate(context.get("user"), organization_id)
    rows = (
        model.Session.query(Comment)
        .filter_by(subject_type=subject_type, subject_id=subject_id)
        .order_by(Comment.created, Comment.id)
    )
    return [comment_dictize(row, context, moderator) for row in rows]


def datenraum_comment_report(context, data_dict):
    """Report a comment to the moderators (once per account).

    :param id: the comment's id
    :param reason: why (optional, plain text)
    """
    tk.check_access("datenraum_comment_report", context, data_dict)
    comment = _get(data_dict.get("id"))
    errors = validation.Errors()
    reason = validation.text(
        errors, data_dict, "reason", max_length=validation.NOTE_MAX, multiline=True, required=False
    )
    errors.raise_if_any()
    user = common.caller(context)
    if model.Session.get(Report, (comment.id, user.id)) is None:
        common.take_allowance(user, "reason")
        model.Session.add(Report(comment_id=comment.id, user_id=user.id, reason=reason))
        model.Session.commit()
    return {"id": comment.id, "reported": True}


def datenraum_comment_hide(context, data_dict):
    """Hide a comment, with a reason shown in its place (moderators).

    :param id: the comment's id
    :param reason: why it is hidden (required)
    """
    tk.check_access("datenraum_comment_hide", context, data_dict)
    comment = _get(data_dict.get("id"))
    errors = validation.Errors()
    reason = validation.text(
        errors, data_dict, "reason", max_length=validation.NOTE_MAX, multiline=True
    )
    errors.raise_if_any()
    comment.state, comment.hidden_reason = HIDDEN, reason
    comment.hidden_by = common.caller(context).id
    model.Session.query(Report).filter_by(comment_id=comment.id).delete()
    model.Session.commit()
    return comment_dictize(comment, context)


def datenraum_comment_unhide(context, data_dict):
    """Show a hidden comment again (moderators). :param id: the comment's id"""
    tk.check_access("datenraum_comment_hide", context, data_dict)
    comment = _get(data_dict.get("id"))
    comment.state, comment.hidden_reason, comment.hidden_by = VISIBLE, "", None
    model.Session.commit()
    return comment_dictize(comment, context)


def datenraum_comment_dismiss_reports(context, data_dict):
    """Keep a reported comment and clear its reports (moderators). :param id: the comment's id"""
    tk.check_access("datenraum_comment_hide", context, data_dict)
    comment = _get(data_dict.get("id"))
    model.Session.query(Report).filter_by(comment_id=comment.id).delete()
    model.Session.commit()
    return comment_dictize(comment, context)


def datenraum_comment_delete(context, data_dict):
    """Delete a comment for good (sysadmins). :param id: the comment's id"""
    tk.check_access("datenraum_comment_delete", context, data_dict)
    comment = _get(data_dict.get("id"))
    model.Session.delete(comment)
    model.Session.commit()
    return {"id": comment.id, "deleted": True}
