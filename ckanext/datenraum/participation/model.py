"""Tables of citizen participation. Every row that names a person names a CKAN user id, and only
that: no e-mail, IP address or browser identifier is stored. Deleting an account sets these ids
to NULL (requests, comments, use cases) or replaces them by a random token (votes, reports), see
``logic/anonymise.py``.
"""

from __future__ import annotations

import datetime
import uuid

import sqlalchemy as sa
from ckan.plugins import toolkit as tk


def _uuid() -> str:
    return str(uuid.uuid4())


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


PREFIX = "datenraum_participation_"

# Moderation states of what citizens submit: visitors' requests and citizens' use cases wait in a
# queue ("pending") until a moderator approves or rejects them.
PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
MODERATION_STATES = (PENDING, APPROVED, REJECTED)

# What a comment is about.
SUBJECT_REQUEST, SUBJECT_DATASET = "request", "dataset"
SUBJECTS = (SUBJECT_REQUEST, SUBJECT_DATASET)

# Comment visibility.
VISIBLE, HIDDEN = "visible", "hidden"


class DataRequest(tk.BaseModel):
    __tablename__ = PREFIX + "request"
    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    title = sa.Column(sa.UnicodeText, nullable=False)
    description = sa.Column(sa.UnicodeText, nullable=False)
    organization_id = sa.Column(sa.UnicodeText, index=True)
    user_id = sa.Column(sa.UnicodeText, index=True)  # NULL: a visitor or a deleted account
    moderation = sa.Column(sa.UnicodeText, nullable=False, default=APPROVED, index=True)
    status = sa.Column(sa.UnicodeText, nullable=False, default="new", index=True)
    status_note = sa.Column(sa.UnicodeText, nullable=False, default="")
    dataset_id = sa.Column(sa.UnicodeText)  # the dataset that fulfils a published request
    created = sa.Column(sa.DateTime, nullable=False, default=_now)
    modified = sa.Column(sa.DateTime, nullable=False, default=_now)


class Vote(tk.BaseModel):
    __tablename__ = PREFIX + "vote"
    request_id = sa.Column(
        sa.UnicodeText, sa.ForeignKey(DataRequest.id, ondelete="CASCADE"), primary_key=True
    )
    user_id = sa.Column(sa.UnicodeText, primary_key=True)
    created = sa.Column(sa.DateTime, nullable=False, default=_now)


class Follower(tk.BaseModel):
    __tablename__ = PREFIX + "follower"
    request_id = sa.Column(
        sa.UnicodeText, sa.ForeignKey(DataRequest.id, ondelete="CASCADE"), primary_key=True
    )
    user_id = sa.Column(sa.UnicodeText, primary_key=True)
    created = sa.Column(sa.DateTime, nullable=False, default=_now)


class Comment(tk.BaseModel):
    __tablename__ = PREFIX + "comment"
    __table_args__ = (sa.Index(PREFIX + "comment_subject", "subject_type", "subject_id"),)
    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    subject_type = sa.Column(sa.UnicodeText, nullable=False)
    subject_id = sa.Column(sa.UnicodeText, nullable=False)
    user_id = sa.Column(sa.UnicodeText, index=True)  # NULL: a deleted account
    text = sa.Column(sa.UnicodeText, nullable=False)
    state = sa.Column(sa.UnicodeText, nullable=False, default=VISIBLE)
    hidden_reason = sa.Column(sa.UnicodeText, nullable=False, default="")
    hidden_by = sa.Column(sa.UnicodeText)
    created = sa.Column(sa.DateTime, nullable=False, default=_now)


class Report(tk.BaseModel):
    __tablename__ = PREFIX + "report"
    comment_id = sa.Column(
        sa.UnicodeText, sa.ForeignKey(Comment.id, ondelete="CASCADE"), primary_key=True
    )
    user_id = sa.Column(sa.UnicodeText, primary_key=True)
    reason = sa.Column(sa.UnicodeText, nullable=False, default="")
    created = sa.Column(sa.DateTime, nullable=False, default=_now)


class UseCase(tk.BaseModel):
    __tablename__ = PREFIX + "usecase"
    id = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)
    name = sa.Column(sa.UnicodeText, nullable=False, unique=True)
    title = sa.Column(sa.UnicodeText, nullable=False)
    description = sa.Column(sa.UnicodeText, nullable=False)
    kind = sa.Column(sa.UnicodeText, nullable=False)
    url = sa.Column(sa.UnicodeText, nullable=False, default="")
    author = sa.Column(sa.UnicodeText, nullable=False, default="")  # shown as given, optional
    image = sa.Column(sa.UnicodeText, nullable=False, default="")  # file name in our storage
    user_id = sa.Column(sa.UnicodeText, index=True)
    moderation = sa.Column(sa.UnicodeText, nullable=False, default=PENDING, index=True)
    moderation_note = sa.Column(sa.UnicodeText, nullable=False, default="")
    created = sa.Column(sa.DateTime, nullable=False, default=_now)
    modified = sa.Column(sa.DateTime, nullable=False, default=_now)


class UseCaseDataset(tk.BaseModel):
    __tablename__ = PREFIX + "usecase_dataset"
    usecase_id = sa.Column(
        sa.UnicodeText, sa.ForeignKey(UseCase.id, ondelete="CASCADE"), primary_key=True
    )
    dataset_id = sa.Column(sa.UnicodeText, primary_key=True, index=True)


# In dependency order (parents first): what backups dump and restore.
TABLES = (DataRequest, Vote, Follower, Comment, Report, UseCase, UseCaseDataset)
