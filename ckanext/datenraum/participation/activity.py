"""Data-request changes in CKAN's activity stream (the ``activity`` plugin's table).

Activities are written with the activity model directly: ``activity_create`` only accepts the
core's object types. ``object_id`` is the request's id, ``user_id`` the acting account; ``data``
holds the request's title and status and the change, never a person's name or address.
"""

from __future__ import annotations

import ckan.plugins as p
from ckan import model

NEW_REQUEST = "new datarequest"
CHANGED_REQUEST = "changed datarequest"
ACTIVITY_TYPES = (NEW_REQUEST, CHANGED_REQUEST)


def _activity_model():
    if not p.plugin_loaded("activity"):
        return None
    from ckanext.activity.model import Activity

    return Activity


def record(activity_type: str, actor_id: str | None, request, change: dict | None = None) -> None:
    """Add an activity about ``request`` to the session (committed with the change)."""
    activity_class = _activity_model()
    if activity_class is None:
        return
    data = {"request": {"id": request.id, "title": request.title, "status": request.status}}
    if change:
        data["change"] = change
    model.Session.add(activity_class(actor_id, request.id, activity_type, data))


def stream(request_id: str, limit: int = 50) -> list[dict]:
    activity_class = _activity_model()
    if activity_class is None:
        return []
    rows = (
        model.Session.query(activity_class)
        .filter(activity_class.object_id == request_id)
        .filter(activity_class.activity_type.in_(ACTIVITY_TYPES))
        .order_by(activity_class.timestamp.desc())
        .limit(limit)
    )
    return [
        {
            "id": row.id,
            "timestamp": row.timestamp.isoformat(),
            "user_id": row.user_id,
            "activity_type": row.activity_type,
            "data": row.data,
        }
        for row in rows
    ]


def forget_actor(user_id: str) -> int:
    """Detach a deleted account from its participation activities."""
    activity_class = _activity_model()
    if activity_class is None:
        return 0
    return (
        model.Session.query(activity_class)
        .filter(activity_class.user_id == user_id)
        .filter(activity_class.activity_type.in_(ACTIVITY_TYPES))
        .update({"user_id": None}, synchronize_session=False)
    )
