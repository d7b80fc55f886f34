"""Small pieces every participation action uses: the caller, the clock, pagination, dictizing."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.datenraum.participation import antispam, permissions

MAX_LIMIT = 100
DEFAULT_LIMIT = 20


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def caller(context: dict) -> model.User | None:
    return permissions.user_object(context.get("user"))


def caller_name(context: dict) -> str | None:
    user = caller(context)
    return user.name if user else None


def paging(data_dict: dict) -> tuple[int, int]:
    errors = {}
    values = []
    for field, default in (("limit", DEFAULT_LIMIT), ("offset", 0)):
        raw = data_dict.get(field, default)
        try:
            value = int(raw if raw not in ("", None) else default)
        except (TypeError, ValueError):
            errors[field] = [tk._("Must be a whole number")]
            continue
        if value < 0:
            errors[field] = [tk._("Must not be negative")]
        values.append(value)
    if errors:
        raise tk.ValidationError(errors)
    return min(max(values[0], 1), MAX_LIMIT), values[1]


def organization_dict(organization_id: str | None) -> dict | None:
    if not organization_id:
        return None
    group = model.Group.get(organization_id)
    if group is None:
        return None
    return {"id": group.id, "name": group.name, "title": group.title or group.name}


def dataset_dict(dataset_id: str | None) -> dict | None:
    if not dataset_id:
        return None
    package = model.Package.get(dataset_id)
    if package is None or package.state != "active":
        return None
    return {"id": package.id, "name": package.name, "title": package.title or package.name}


def user_dict(user_id: str | None) -> dict | None:
    """The public face of an account: its name and display name; None once it is deleted."""
    if not user_id:
        return None
    user = model.User.get(user_id)
    if user is None or user.state != "active":
        return None
    return {"name": user.name, "display_name": user.display_name}


def iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def require_object(obj, message: str):
    if obj is None:
        raise tk.ObjectNotFound(tk._(message))
    return obj


def take_allowance(user: model.User | None, field: str) -> None:
    """Count one submission against the day's allowance (per account, or per visitor
    pseudonym); a ValidationError on ``field`` once it is used up."""
    try:
        if user is not None:
            antispam.take_user_submission(user.id)
        else:
            antispam.take_visitor_request()
    except antispam.Refused as error:
        raise tk.ValidationError(
            {field: [tk._("Too many submissions today; please try again tomorrow")]}
        ) from error


def like_pattern(q: str) -> str:
    """``%q%`` for ILIKE, with the wildcards of ``q`` taken literally (escape ``\\``)."""
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
