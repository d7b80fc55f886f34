"""What waits for a moderator, and what happens to a person's contributions when they leave."""

from __future__ import annotations

import uuid

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.datenraum.participation import activity, permissions
from ckanext.datenraum.participation.logic.comments import comment_dictize
from ckanext.datenraum.participation.logic.requests import request_dictize
from ckanext.datenraum.participation.logic.usecases import usecase_dictize
from ckanext.datenraum.participation.model import (
    PENDING,
    SUBJECT_DATASET,
    SUBJECT_REQUEST,
    Comment,
    DataRequest,
    Follower,
    Report,
    UseCase,
    UseCaseDataset,
    Vote,
)


@tk.side_effect_free
def datenraum_moderation_queue(context, data_dict):
    """What the caller may moderate: visitors' requests, submitted use cases, reported comments.

    Editors see their organisations' requests and use cases of their datasets; organisation
    admins also the reported comments; sysadmins everything.
    """
    tk.check_access("datenraum_moderation_queue", context, data_dict)
    user_name = context.get("user")
    sysadmin = permissions.is_sysadmin(user_name)
    driving = permissions.organizations_of(user_name, permissions.DRIVING_ROLES)
    moderating = permissions.organizations_of(user_name, permissions.MODERATING_ROLES)

    requests = model.Session.query(DataRequest).filter(DataRequest.moderation == PENDING)
    if not sysadmin:
        requests = requests.filter(DataRequest.organization_id.in_(driving))

    usecases = model.Session.query(UseCase).filter(UseCase.moderation == PENDING)
    if not sysadmin:
        usecases = usecases.filter(
            UseCase.id.in_(
                sa.select(UseCaseDataset.usecase_id)
                .join(model.Package, model.Package.id == UseCaseDataset.dataset_id)
                .where(model.Package.owner_org.in_(driving))
            )
        )

    reported = model.Session.query(Comment).filter(Comment.id.in_(sa.select(Report.comment_id)))
    if not sysadmin:
        reported = reported.filter(
            sa.or_(
                sa.and_(
                    Comment.subject_type == SUBJECT_REQUEST,
                    Comment.subject_id.in_(
                        sa.select(DataRequest.id).where(DataRequest.organization_id.in_(moderating))
                    ),
                ),
                sa.and_(
                    Comment.subject_type == SUBJECT_DATASET,
                    Comment.subject_id.in_(
                        sa.select(model.Package.id).where(model.Package.owner_org.in_(moderating))
                    ),
                ),
            )
        )
    return {
        "requests": [
            request_dictize(row, context) for row in requests.order_by(DataRequest.created)
        ],
        "usecases": [usecase_dictize(row, context) for row in usecases.order_by(UseCase.created)],
        "comments": [
            dict(
                comment_dictize(row, context, moderator=True),
                report_reasons=[
                    report.reason
                    for report in model.Session.query(Report).filter_by(comment_id=row.id)
                    if report.reason
                ],
            )
            for row in reported.order_by(Comment.created)
        ],
    }


def anonymise_user(user_id: str) -> dict:
    """Cut every link between a (deleted) account and its contributions; commits nothing.

    Requests, comments and use cases stay (the public discussion keeps its sense) but no longer
    name anyone; votes and reports are kept as counts under a random token; following ends.
    """
    session = model.Session
    counts = {
        "requests": session.query(DataRequest)
        .filter_by(user_id=user_id)
        .update({"user_id": None}, synchronize_session=False),
        "comments": session.query(Comment)
        .filter_by(user_id=user_id)
        .update({"user_id": None}, synchronize_session=False),
        "usecases": session.query(UseCase)
        .filter_by(user_id=user_id)
        .update({"user_id": None}, synchronize_session=False),
        "hidden_by": session.query(Comment)
        .filter_by(hidden_by=user_id)
        .update({"hidden_by": None}, synchronize_session=False),
        "followers": session.query(Follower)
        .filter_by(user_id=user_id)
        .delete(synchronize_session=False),
        "activities": activity.forget_actor(user_id),
    }
    for model_class, key in ((Vote, "votes"), (Report, "reports")):
        rows = session.query(model_class).filter_by(user_id=user_id).all()
        for row in rows:
            row.user_id = f"anonymous:{uuid.uuid4().hex}"
        counts[key] = len(rows)
    return counts


@tk.chained_action
def user_delete(original_action, context, data_dict):
    """CKAN's user_delete, then the account's participation is anonymised."""
    result = original_action(context, data_dict)
    user = model.User.get(data_dict.get("id") or "")
    if user is not None:
        anonymise_user(user.id)
        model.Session.commit()
    return result
