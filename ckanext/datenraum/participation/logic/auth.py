"""Who may call which participation action. Deny by default: anonymous access is opt-in
(``auth_allow_anonymous_access``), sysadmins pass CKAN's own check before any of these runs.
The roles themselves are defined once, in ``permissions``.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.datenraum.participation import permissions
from ckanext.datenraum.participation.model import Comment, DataRequest, UseCase, UseCaseDataset

ALLOWED = {"success": True}


def _denied(message: str) -> dict:
    return {"success": False, "msg": message}


def _request(data_dict) -> DataRequest:
    request_id = (data_dict or {}).get("id")
    request = model.Session.get(DataRequest, str(request_id)) if request_id else None
    if request is None:
        raise tk.ObjectNotFound(tk._("Data request not found"))
    return request


def _anyone(context, data_dict):
    return ALLOWED


def _account(context, data_dict):
    # CKAN's own refusal of anonymous callers ("requires an authenticated user") does not hold
    # over HTTP: there the context's auth_user_obj is an AnonymousUser object, which is truthy.
    if permissions.user_object(context.get("user")) is None:
        return _denied(tk._("Please log in to do this"))
    return ALLOWED


def _author_only(context, author_id: str | None, message: str) -> dict:
    user = permissions.user_object(context.get("user"))
    if user is not None and author_id == user.id:
        return ALLOWED
    return _denied(message)


def datenraum_request_edit(context, data_dict):
    """Its proposer (an account; visitors' proposals have none)."""
    message = tk._("Only the proposer may edit this request")
    return _author_only(context, _request(data_dict).user_id, message)


def _sysadmins_only(context, data_dict):
    return _denied(tk._("Only system administrators may do this"))


datenraum_request_create = tk.auth_allow_anonymous_access(_anyone)
datenraum_request_show = tk.auth_allow_anonymous_access(_anyone)
datenraum_request_list = tk.auth_allow_anonymous_access(_anyone)
datenraum_request_activity_list = tk.auth_allow_anonymous_access(_anyone)
datenraum_request_export = tk.auth_allow_anonymous_access(_anyone)
datenraum_comment_list = tk.auth_allow_anonymous_access(_anyone)
datenraum_usecase_show = tk.auth_allow_anonymous_access(_anyone)
datenraum_usecase_list = tk.auth_allow_anonymous_access(_anyone)

datenraum_request_vote = _account
datenraum_request_follow = _account
datenraum_comment_create = _account
datenraum_comment_report = _account
datenraum_usecase_create = _account

datenraum_request_delete = _sysadmins_only
datenraum_comment_delete = _sysadmins_only
datenraum_request_publish = _sysadmins_only


def datenraum_request_update(context, data_dict):
    if permissions.can_drive(context.get("user"), _request(data_dict).organization_id):
        return ALLOWED
    return _denied(tk._("Only editors of the responsible organisation may answer this request"))


datenraum_request_moderate = datenraum_request_update


def datenraum_comment_hide(context, data_dict):
    comment_id = (data_dict or {}).get("id")
    comment = model.Session.get(Comment, str(comment_id)) if comment_id else None
    if comment is None:
        raise tk.ObjectNotFound(tk._("Comment not found"))
    if comment.subject_type == "request":
        request = model.Session.get(DataRequest, comment.subject_id)
        organization_id = request.organization_id if request else None
    else:
        package = model.Package.get(comment.subject_id)
        organization_id = package.owner_org if package else None
    if permissions.can_moderate(context.get("user"), organization_id):
        return ALLOWED
    return _denied(tk._("Only moderators (administrators of the organisation) may do this"))


def _usecase(data_dict) -> UseCase:
    reference = (data_dict or {}).get("id")
    usecase = None
    if isinstance(reference, str) and reference:
        usecase = model.Session.get(UseCase, reference) or (
            model.Session.query(UseCase).filter_by(name=reference).first()
        )
    if usecase is None:
        raise tk.ObjectNotFound(tk._("Use case not found"))
    return usecase


def datenraum_usecase_edit(context, data_dict):
    """Who submitted it."""
    message = tk._("Only who submitted this use case may edit it")
    return _author_only(context, _usecase(data_dict).user_id, message)


def datenraum_usecase_review(context, data_dict):
    usecase = _usecase(data_dict)
    dataset_ids = [
        row[0]
        for row in model.Session.query(UseCaseDataset.dataset_id).filter_by(usecase_id=usecase.id)
    ]
    if permissions.can_review_usecase(context.get("user"), dataset_ids):
        return ALLOWED
    return _denied(
        tk._("Only editors of an organisation whose data it uses may review this use case")
    )


datenraum_usecase_delete = datenraum_usecase_review


def datenraum_moderation_queue(context, data_dict):
    user_name = context.get("user")
    if permissions.organizations_of(user_name, permissions.DRIVING_ROLES):
        return ALLOWED
    return _denied(tk._("Only editors and administrators of an organisation may moderate"))


__all__ = [
    "datenraum_comment_create",
    "datenraum_comment_delete",
    "datenraum_comment_hide",
    "datenraum_comment_list",
    "datenraum_comment_report",
    "datenraum_moderation_queue",
    "datenraum_request_activity_list",
    "datenraum_request_create",
    "datenraum_request_delete",
    "datenraum_request_edit",
    "datenraum_request_export",
    "datenraum_request_follow",
    "datenraum_request_list",
    "datenraum_request_moderate",
    "datenraum_request_publish",
    "datenraum_request_show",
    "datenraum_request_update",
    "datenraum_request_vote",
    "datenraum_usecase_create",
    "datenraum_usecase_delete",
    "datenraum_usecase_edit",
    "datenraum_usecase_list",
    "datenraum_usecase_review",
    "datenraum_usecase_show",
]
