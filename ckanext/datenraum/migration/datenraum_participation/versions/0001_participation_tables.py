"""Participation tables: data requests, votes, followers, comments, reports, use cases.

Revision ID: 8e2b4d6f0001
Revises:
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "8e2b4d6f0001"
down_revision = None
branch_labels = None
depends_on = None

P = "datenraum_participation_"


def _text(name, **kwargs):
    return sa.Column(name, sa.UnicodeText, **kwargs)


def _required(name, default=None, **kwargs):
    if default is not None:
        kwargs["server_default"] = default
    return sa.Column(name, sa.UnicodeText, nullable=False, **kwargs)


def _time(name):
    return sa.Column(name, sa.DateTime, nullable=False, server_default=sa.func.now())


def _parent(name, table):
    return sa.Column(
        name, sa.UnicodeText, sa.ForeignKey(f"{P}{table}.id", ondelete="CASCADE"), primary_key=True
    )


def upgrade():
    op.create_table(
        P + "request",
        _text("id", primary_key=True),
        _required("title"),
        _required("description"),
        _text("organization_id", index=True),
        _text("user_id", index=True),
        _required("moderation", "approved", index=True),
        _required("status", "new", index=True),
        _required("status_note", ""),
        _text("dataset_id"),
        _time("created"),
        _time("modified"),
    )
    for table in ("vote", "follower"):
        op.create_table(
            P + table,
            _parent("request_id", "request"),
            _text("user_id", primary_key=True),
            _time("created"),
        )
    op.create_table(
        P + "comment",
        _text("id", primary_key=True),
        _required("subject_type"),
        _required("subject_id"),
        _text("user_id", index=True),
        _required("text"),
        _required("state", "visible"),
        _required("hidden_reason", ""),
        _text("hidden_by"),
        _time("created"),
    )
    op.create_index(P + "comment_subject", P + "comment", ["subject_type", "subject_id"])
    op.create_table(
        P + "report",
        _parent("comment_id", "comment"),
        _text("user_id", primary_key=True),
        _required("reason", ""),
        _time("created"),
    )
    op.create_table(
        P + "usecase",
        _text("id", primary_key=True),
        sa.Column("name", sa.UnicodeText, nullable=False, unique=True),
        _required("title"),
        _required("description"),
        _required("kind"),
        _required("url", ""),
        _required("author", ""),
        _required("image", ""),
        _text("user_id", index=True),
        _required("moderation", "pending", index=True),
        _required("moderation_note", ""),
        _time("created"),
        _time("modified"),
    )
    op.create_table(
        P + "usecase_dataset",
        _parent("usecase_id", "usecase"),
        _text("dataset_id", primary_key=True, index=True),
    )


def downgrade():
    for table in ("usecase_dataset", "usecase", "report", "comment", "follower", "vote", "request"):
        op.drop_table(P + table)
