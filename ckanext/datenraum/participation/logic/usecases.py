"""Use-case actions: submit, edit, read, list, review, delete.

A use case presents an application, visualisation, study or article built on catalogue datasets.
Submissions wait for review unless the submitter may review them (a sysadmin, or an editor of an
organisation whose dataset the use case uses: the city presenting its own work).
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.datenraum.common.slugs import name_from_title
from ckanext.datenraum.participation import images, permissions, workflow
from ckanext.datenraum.participation.logic import common, validation
from ckanext.datenraum.participation.model import (
    APPROVED,
    PENDING,
    REJECTED,
    UseCase,
    UseCaseDataset,
)


def _dataset_ids(usecase_id: str) -> list[str]:
    rows = model.Session.query(UseCaseDataset.dataset_id).filter_by(usecase_id=usecase_id)
    return [row[0] for row in rows]


def _get(reference) -> UseCase:
    usecase = None
    if isinstance(reference, str) and reference:
        usecase = model.Session.get(UseCase, reference) or (
            model.Session.query(UseCase).filter_by(name=reference).first()
        )
    return common.require_object(usecase, "Use case not found")


def may_review(context: dict, usecase: UseCase) -> bool:
    return permissions.can_review_usecase(context.get("user"), _dataset_ids(usecase.id))


def visible_usecase(context: dict, reference) -> UseCase:
    usecase = _get(reference)
    if usecase.moderation == APPROVED or may_review(context, usecase):
        return usecase
    user = common.caller(context)
    if user is not None and usecase.user_id == user.id:
        return usecase  # the submitter follows their submission through review
    raise tk.ObjectNotFound(tk._("Use case not found"))


def usecase_dictize(usecase: UseCase, context: dict) -> dict:
    datasets = [common.dataset_dict(dataset_id) for dataset_id in _dataset_ids(usecase.id)]
    return {
        "id": usecase.id,
        "name": usecase.name,
        "title": usecase.title,
        "description": usecase.description,
        "kind": usecase.kind,
        "kind_label": workflow.kind_label(usecase.kind),
        "url": usecase.url,
        "author": usecase.author,
        "image_url": tk.url_for("datenraum_participation.usecase_image", id=usecase.name)
        if usecase.image
        else "",
        "datasets": [dataset for dataset in datasets if dataset],
        "moderation": usecase.moderation,
        "moderation_note": usecase.moderation_note,
        "created": common.iso(usecase.created),
        "modified": common.iso(usecase.modified),
    }


def _unique_name(title: str) -> str:
    base = name_from_title(title, max_length=90, fallback="anwendung")
    name, number = base, 1
    while model.Session.query(UseCase.id).filter_by(name=name).first() is not None:
        number += 1
        name = f"{base}-{number}"
    return name


def _validated_fields(errors, data_dict: dict, context: dict, *, partial: bool) -> dict:
    """The use case's fields from ``data_dict``; with ``partial`` only those it gives."""

    def given(field: str) -> bool:
        return not partial or field in data_dict

    values = {}
    if given("title"):
        values["title"] = validation.text(
            errors, data_dict, "title", max_length=validation.TITLE_MAX, multiline=False
        )
    if given("description"):
        values["description"] = validation.text(
            errors, data_dict, "description", max_length=validation.DESCRIPTION_MAX, multiline=True
        )
    if given("kind"):
        values["kind"] = validation.choice(errors, data_dict.get("kind"), "kind", workflow.KINDS)
    if given("url"):
        values["url"] = validation.web_address(errors, data_dict, "url")
    if given("author"):
        values["author"] = validation.text(
            errors,
            data_dict,
            "author",
            max_length=validation.AUTHOR_MAX,
            multiline=False,
            required=False,
        )
    if given("datasets"):
        values["datasets"] = validation.dataset_list(
            errors, data_dict.get("datasets"), "datasets", context
        )
    return values


def _store_image(upload) -> str:
    """Store an uploaded image; '' when none was sent."""
    if not (isinstance(upload, bytes) or getattr(upload, "filename", None)):
        return ""
    try:
        return images.store(upload)
    except images.ImageError as error:
        message = tk._(error.message).format(**error.params)
        raise tk.ValidationError({"image": [message]}) from error


def datenraum_usecase_create(context, data_dict):
    """Present a use of catalogue datasets (accounts; reviewed before it appears).

    :param title: one line, at most 200 characters
    :param description: what it shows and how it uses the data (plain text)
    :param kind: application, visualisation, study or article
    :param url: where to find it (https:// or http://, optional)
    :param author: who made it, as it should be shown (optional)
    :param datasets: ids or names of the catalogue datasets it uses (a list, or comma-separated)
    :param image: an uploaded PNG, JPEG or WebP image (optional; web form or multipart API call)
    """
    tk.check_access("datenraum_usecase_create", context, data_dict)
    errors = validation.Errors()
    values = _validated_fields(errors, data_dict, context, partial=False)
    errors.raise_if_any()
    datasets = values.pop("datasets")
    user = common.caller(context)
    image = _store_image(data_dict.get("image"))
    try:
        common.take_allowance(user, "title")
    except tk.ValidationError:
        images.remove(image)
        raise
    reviewer = permissions.can_review_usecase(user.name, [package.id for package in datasets])
    usecase = UseCase(
        name=_unique_name(values["title"]),
        **values,
        image=image,
        user_id=user.id,
        moderation=APPROVED if reviewer else PENDING,
    )
    model.Session.add(usecase)
    model.Session.flush()
    for package in datasets:
        model.Session.add(UseCaseDataset(usecase_id=usecase.id, dataset_id=package.id))
    model.Session.commit()
    return usecase_dictize(usecase, context)


@tk.side_effect_free
def datenraum_usecase_show(context, data_dict):
    """A use case. :param id: its id or name"""
    tk.check_access("datenraum_usecase_show", context, data_dict)
    return usecase_dictize(visible_usecase(context, data_dict.get("id")), context)


@tk.side_effect_free
def datenraum_usecase_list(context, data_dict):
    """Approved use cases, newest first.

    :param q: words of the title or description
    :param kind: application, visualisation, study or article
    :param dataset: only those using this dataset (id or name)
    :param limit: at most 100 (default 20)
    :param offset: how many to skip
    :returns: ``{"count": n, "results": [...]}``
    """
    tk.check_access("datenraum_usecase_list", context, data_dict)
    errors = validation.Errors()
    limit, offset = common.paging(data_dict)
    query = model.Session.query(UseCase).filter(UseCase.moderation == APPROVED)
    if data_dict.get("kind"):
        query = query.filter(
            UseCase.kind == validation.choice(errors, data_dict["kind"], "kind", workflow.KINDS)
        )
    if data_dict.get("dataset"):
        package = model.Package.get(str(data_dict["dataset"]))
        dataset_id = package.id if package else ""
        query = query.filter(
            UseCase.id.in_(
                sa.select(UseCaseDataset.usecase_id).where(UseCaseDataset.dataset_id == dataset_id)
            )
        )
    q = (data_dict.get("q") or "").strip()[:200]
    if q:
        pattern = common.like_pattern(q)
        query = query.filter(
            sa.or_(
                UseCase.title.ilike(pattern, escape="\\"),
                UseCase.description.ilike(pattern, escape="\\"),
            )
        )
    errors.raise_if_any()
    count = query.count()
    rows = query.order_by(UseCase.created.desc(), UseCase.id).limit(limit).offset(offset).all()
    return {"count": count, "results": [usecase_dictize(row, context) for row in rows]}


def datenraum_usecase_edit(context, data_dict):
    """Its submitter corrects a use case (sysadmins too). Only the fields given change.

    A submitter who may not review it sends it back to review: an approved use case
    disappears until a reviewer approves the new version, a rejected one is submitted again.

    :param id: its id or name
    :param title: see ``datenraum_usecase_create``, as are description, kind, url, author,
        datasets and image (a new image replaces the old one)
    """
    tk.check_access("datenraum_usecase_edit", context, data_dict)
    usecase = visible_usecase(context, data_dict.get("id"))
    errors = validation.Errors()
    values = _validated_fields(errors, data_dict, context, partial=True)
    errors.raise_if_any()
    datasets = values.pop("datasets", None)
    new_image = _store_image(data_dict.get("image"))
    changed = [field for field, value in values.items() if getattr(usecase, field) != value]
    for field in changed:
        setattr(usecase, field, values[field])
    if datasets is not None and {package.id for package in datasets} != set(
        _dataset_ids(usecase.id)
    ):
        model.Session.query(UseCaseDataset).filter_by(usecase_id=usecase.id).delete()
        for package in datasets:
            model.Session.add(UseCaseDataset(usecase_id=usecase.id, dataset_id=package.id))
        model.Session.flush()
        changed.append("datasets")
    old_image = ""
    if new_image:
        old_image, usecase.image = usecase.image, new_image
        changed.append("image")
    if not changed:
        return usecase_dictize(usecase, context)
    if not may_review(context, usecase):
        usecase.moderation, usecase.moderation_note = PENDING, ""
    usecase.modified = common.now()
    model.Session.commit()
    images.remove(old_image)
    return usecase_dictize(usecase, context)


def datenraum_usecase_review(context, data_dict):
    """Approve or reject a submitted use case (reviewers).

    :param id: its id or name
    :param decision: ``approve`` or ``reject``
    :param note: for the submitter (required when rejecting)
    """
    tk.check_access("datenraum_usecase_review", context, data_dict)
    usecase = visible_usecase(context, data_dict.get("id"))
    errors = validation.Errors()
    decision = validation.choice(
        errors, data_dict.get("decision"), "decision", ("approve", "reject")
    )
    note = validation.text(
        errors,
        data_dict,
        "note",
        max_length=validation.NOTE_MAX,
        multiline=True,
        required=decision == "reject",
    )
    errors.raise_if_any()
    usecase.moderation = APPROVED if decision == "approve" else REJECTED
    usecase.moderation_note = note
    usecase.modified = common.now()
    model.Session.commit()
    return usecase_dictize(usecase, context)


def datenraum_usecase_delete(context, data_dict):
    """Delete a use case and its image (reviewers). :param id: its id or name"""
    tk.check_access("datenraum_usecase_delete", context, data_dict)
    usecase = visible_usecase(context, data_dict.get("id"))
    image = usecase.image
    model.Session.delete(usecase)
    model.Session.commit()
    images.remove(image)
    return {"id": usecase.id, "deleted": True}
