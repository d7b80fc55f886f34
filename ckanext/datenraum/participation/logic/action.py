"""The participation API: every page of the plugin does what one of these actions does."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.datenraum.participation import opendata
from ckanext.datenraum.participation.logic.comments import (
    datenraum_comment_create,
    datenraum_comment_delete,
    datenraum_comment_dismiss_reports,
    datenraum_comment_hide,
    datenraum_comment_list,
    datenraum_comment_report,
    datenraum_comment_unhide,
)
from ckanext.datenraum.participation.logic.moderation import datenraum_moderation_queue, user_delete
from ckanext.datenraum.participation.logic.requests import (
    datenraum_request_activity_list,
    datenraum_request_create,
    datenraum_request_delete,
    datenraum_request_edit,
    datenraum_request_follow,
    datenraum_request_list,
    datenraum_request_moderate,
    datenraum_request_show,
    datenraum_request_unfollow,
    datenraum_request_unvote,
    datenraum_request_update,
    datenraum_request_vote,
)
from ckanext.datenraum.participation.logic.usecases import (
    datenraum_usecase_create,
    datenraum_usecase_delete,
    datenraum_usecase_edit,
    datenraum_usecase_list,
    datenraum_usecase_review,
    datenraum_usecase_show,
)


@tk.side_effect_free
def datenraum_request_export(context, data_dict):
    """All public data requests as open data (no personal data): a list of flat rows."""
    tk.check_access("datenraum_request_export", context, data_dict)
    return opendata.rows(context)


def datenraum_request_publish(context, data_dict):
    """Write the requests as CSV and JSON into the catalogue dataset (sysadmins)."""
    tk.check_access("datenraum_request_publish", context, data_dict)
    return opendata.publish(context)


__all__ = [
    "datenraum_comment_create",
    "datenraum_comment_delete",
    "datenraum_comment_dismiss_reports",
    "datenraum_comment_hide",
    "datenraum_comment_list",
    "datenraum_comment_report",
    "datenraum_comment_unhide",
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
    "datenraum_request_unfollow",
    "datenraum_request_unvote",
    "datenraum_request_update",
    "datenraum_request_vote",
    "datenraum_usecase_create",
    "datenraum_usecase_delete",
    "datenraum_usecase_edit",
    "datenraum_usecase_list",
    "datenraum_usecase_review",
    "datenraum_usecase_show",
    "user_delete",
]
