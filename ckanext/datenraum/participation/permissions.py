"""Who may do what in participation: one place for the roles every auth function asks about.

- Everyone (also without an account) reads approved requests and use cases and proposes requests;
  visitors' proposals wait for moderation.
- Accounts vote, follow, comment, report and submit use cases.
- The responsible organisation's editors and admins drive a request's status and review use cases
  of their datasets ("drive").
- Moderators are sysadmins and the organisation's admins: they approve visitors' requests and
  hide comments ("moderate"). Only sysadmins delete.
"""

from __future__ import annotations

from collections.abc import Iterable

import ckan.authz as authz
from ckan import model

DRIVING_ROLES = ("admin", "editor")
MODERATING_ROLES = ("admin",)


def user_object(user_name: str | None) -> model.User | None:
    if not user_name:
        return None
    user = model.User.get(user_name)
    return user if user is not None and user.state == "active" else None


def is_sysadmin(user_name: str | None) -> bool:
    return bool(user_name) and authz.is_sysadmin(user_name)


def _has_role(user_name: str | None, organization_id: str | None, roles: tuple) -> bool:
    if not user_name or not organization_id:
        return False
    return authz.users_role_for_group_or_org(organization_id, user_name) in roles


def can_drive(user_name: str | None, organization_id: str | None) -> bool:
    return is_sysadmin(user_name) or _has_role(user_name, organization_id, DRIVING_ROLES)


def can_moderate(user_name: str | None, organization_id: str | None) -> bool:
    return is_sysadmin(user_name) or _has_role(user_name, organization_id, MODERATING_ROLES)


def organizations_of(user_name: str | None, roles: tuple) -> list[str]:
    """Ids of the organisations in which the user holds one of ``roles``."""
    user = user_object(user_name)
    if user is None:
        return []
    query = (
        model.Session.query(model.Member.group_id)
        .join(model.Group, model.Group.id == model.Member.group_id)
        .filter(model.Member.table_name == "user")
        .filter(model.Member.table_id == user.id)
        .filter(model.Member.state == "active")
        .filter(model.Member.capacity.in_(roles))
        .filter(model.Group.is_organization.is_(True))
        .filter(model.Group.state == "active")
    )
    return [row[0] for row in query]


def dataset_organizations(dataset_ids: Iterable[str]) -> set[str]:
    ids = list(dataset_ids)
    if not ids:
        return set()
    rows = model.Session.query(model.Package.owner_org).filter(model.Package.id.in_(ids))
    return {row[0] for row in rows if row[0]}


def can_review_usecase(user_name: str | None, dataset_ids: Iterable[str]) -> bool:
    if is_sysadmin(user_name):
        return True
    return bool(
        dataset_organizations(dataset_ids) & set(organizations_of(user_name, DRIVING_ROLES))
    )
