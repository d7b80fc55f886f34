"""Template helpers of participation: small reads for the pages and the suite's other pages
(home page, dataset page, zero-result search, the organisation's usage dashboard)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from markupsafe import Markup

from ckanext.datenraum.participation import antispam, permissions, plaintext, workflow


def _action(name: str, data_dict: dict):
    try:
        return tk.get_action(name)({}, data_dict)
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None


def datenraum_participation_text(text: str) -> Markup:
    """A citizen's plain text as HTML: escaped, with unfollowed links and line breaks."""
    return plaintext.render(text)


def datenraum_participation_top_requests(limit: int = 5, organization: str | None = None):
    data = {"status": "open", "sort": "votes", "limit": limit}
    if organization:
        data["organization"] = organization
    return _action("datenraum_request_list", data) or {"count": 0, "results": []}


def datenraum_participation_new_usecases(limit: int = 3) -> list[dict]:
    return (_action("datenraum_usecase_list", {"limit": limit}) or {}).get("results", [])


def datenraum_participation_dataset_usecases(dataset_id: str) -> list[dict]:
    data = {"dataset": dataset_id, "limit": 100}
    return (_action("datenraum_usecase_list", data) or {}).get("results", [])


def datenraum_participation_comments(subject_type: str, subject_id: str) -> list[dict]:
    data = {"subject_type": subject_type, "subject_id": subject_id}
    return _action("datenraum_comment_list", data) or []


def datenraum_participation_statuses() -> list[tuple[str, str]]:
    return [(status, workflow.label(status)) for status in workflow.STATUSES]


def datenraum_participation_status_label(status: str) -> str:
    return workflow.label(status)


def datenraum_participation_next_statuses(status: str) -> list[tuple[str, str]]:
    return [(target, workflow.label(target)) for target in workflow.TRANSITIONS.get(status, ())]


def datenraum_participation_kinds() -> list[tuple[str, str]]:
    return [(kind, workflow.kind_label(kind)) for kind in workflow.KINDS]


def datenraum_participation_can_drive(organization_id: str | None) -> bool:
    return permissions.can_drive(tk.g.user, organization_id)


def datenraum_participation_can_moderate(organization_id: str | None) -> bool:
    return permissions.can_moderate(tk.g.user, organization_id)


def datenraum_participation_may(action: str, object_id: str) -> bool:
    """Whether the logged-in user may call ``action`` on the object (to offer its button)."""
    try:
        tk.check_access(action, {"user": tk.g.user}, {"id": object_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False
    return True


def datenraum_participation_is_moderator() -> bool:
    return permissions.is_sysadmin(tk.g.user) or bool(
        permissions.organizations_of(tk.g.user, permissions.DRIVING_ROLES)
    )


def datenraum_participation_antispam() -> dict:
    """Names and the signed form time for the honeypot snippet of forms visitors may send."""
    return {
        "honeypot": antispam.HONEYPOT_FIELD,
        "token_field": antispam.TOKEN_FIELD,
        "token": antispam.issue_token(),
    }


def datenraum_participation_organizations() -> list[dict]:
    return tk.get_action("organization_list")({}, {"all_fields": True, "limit": 1000}) or []


__all__ = [name for name in dir() if name.startswith("datenraum_participation_")]
