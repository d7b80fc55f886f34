"""E-mails to a request's followers, through CKAN's mailer (``smtp.*`` settings).

Accounts carry no language, so every mail is written in German and then in English. A mail that
cannot be sent is logged and never undoes the change it reports.
"""

from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import mailer
from flask_babel import force_locale

from ckanext.datenraum.participation import workflow
from ckanext.datenraum.participation.model import Follower

log = logging.getLogger(__name__)
LANGUAGES = ("de", "en")


def _request_url(request) -> str:
    return tk.url_for("datenraum_participation.request_read", id=request.id, _external=True)


def _texts(request, change: dict, organization_title: str) -> tuple[str, str]:
    """(subject, body) in the current locale."""
    status = workflow.label(request.status)
    subject = tk._('Data request "{title}": {status}').format(title=request.title, status=status)
    lines = [
        tk._('The data request "{title}" that you follow has changed.').format(title=request.title),
        "",
    ]
    if change.get("status"):
        lines.append(
            tk._("Status: {old} → {new}").format(
                old=workflow.label(change["status"][0]), new=status
            )
        )
    if change.get("organization"):
        lines.append(
            tk._("Now answered by: {organization}").format(organization=organization_title)
        )
    if request.status_note:
        lines += [tk._("Answer of {organization}:").format(organization=organization_title)]
        lines += [f"  {line}" for line in request.status_note.splitlines()]
    if change.get("dataset_url"):
        lines.append(tk._("The data: {url}").format(url=change["dataset_url"]))
    lines += [
        "",
        tk._("Details and comments: {url}").format(url=_request_url(request)),
        tk._("You receive this e-mail because you follow this request; unfollow it on its page."),
    ]
    return subject, "\n".join(lines)


def compose(request, change: dict) -> tuple[str, str]:
    """Subject and body in German and English."""
    organization = model.Group.get(request.organization_id) if request.organization_id else None
    organization_title = organization.title if organization else tk.config.get("ckan.site_title")
    subjects, bodies = [], []
    for language in LANGUAGES:
        with force_locale(language):
            subject, body = _texts(request, change, organization_title)
        subjects.append(subject)
        bodies.append(body)
    subject = subjects[0] if subjects[0] == subjects[1] else " / ".join(subjects)
    return subject, "\n\n-- English --\n\n".join(bodies)


def followers(request_id: str) -> list[model.User]:
    query = (
        model.Session.query(model.User)
        .join(Follower, Follower.user_id == model.User.id)
        .filter(Follower.request_id == request_id)
        .filter(model.User.state == "active")
    )
    return [user for user in query if user.email]


def changed(request, change: dict, actor_id: str | None = None) -> int:
    """Mail every follower except the actor; returns how many mails went out."""
    recipients = [user for user in followers(request.id) if user.id != actor_id]
    if not recipients:
        return 0
    if not tk.config.get("smtp.mail_from"):
        log.warning("smtp.mail_from is not set: followers of data requests get no e-mail")
        return 0
    subject, body = compose(request, change)
    sent = 0
    for user in recipients:
        try:
            mailer.mail_user(user, subject, body)
            sent += 1
        except Exception:  # a mail server's trouble never undoes the change it reports
            log.exception("data request %s: mail to a follower not sent", request.id)
    return sent
