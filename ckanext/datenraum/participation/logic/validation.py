"""Input checks of the participation actions: every field error at once, nothing stored on any.

Each ``check_*`` returns clean values or raises ``tk.ValidationError`` with a message per field
in the page's language.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.datenraum.participation import plaintext, workflow

TITLE_MAX = 200
DESCRIPTION_MAX = 5000
COMMENT_MAX = 2000
NOTE_MAX = 2000
URL_MAX = 500
AUTHOR_MAX = 200
DATASETS_MAX = 50


class Errors(dict):
    """Field -> messages; ``raise_if_any`` turns them into CKAN's ValidationError."""

    def add(self, field: str, message: str) -> None:
        """Add a message (already translated, with its parameters filled in)."""
        self.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise tk.ValidationError(dict(self))


def text(errors: Errors, data: dict, field: str, **rules) -> str:
    try:
        return plaintext.check(data.get(field), **rules)
    except plaintext.TextError as error:
        errors.add(field, tk._(error.message).format(**error.params))
        return ""


def organization(errors: Errors, value, field: str = "organization") -> str | None:
    """The id of an active organisation named by id or name; None when none is given."""
    if value in (None, ""):
        return None
    group = model.Group.get(str(value)) if isinstance(value, str) else None
    if group is None or not group.is_organization or group.state != "active":
        errors.add(field, tk._("Organisation not found"))
        return None
    return group.id


def dataset(errors: Errors, value, field: str, context: dict) -> model.Package | None:
    """An active dataset the caller may read, named by id or name."""
    if not isinstance(value, str) or not value.strip():
        errors.add(field, tk._("Missing value"))
        return None
    package = model.Package.get(value.strip())
    if package is None or package.state != "active" or package.type != "dataset":
        errors.add(field, tk._("Dataset not found: {name}").format(name=value.strip()[:100]))
        return None
    try:
        tk.check_access("package_show", dict(context), {"id": package.id})
    except tk.NotAuthorized:
        errors.add(field, tk._("Dataset not found: {name}").format(name=value.strip()[:100]))
        return None
    return package


def public_dataset(errors: Errors, value, field: str, context: dict) -> model.Package | None:
    package = dataset(errors, value, field, context)
    if package is not None and package.private:
        errors.add(field, tk._("The dataset must be public"))
        return None
    return package


def dataset_list(errors: Errors, value, field: str, context: dict) -> list[model.Package]:
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split() if part]
    if not isinstance(value, list) or not value:
        errors.add(field, tk._("Name at least one dataset"))
        return []
    if len(value) > DATASETS_MAX:
        errors.add(field, tk._("At most {maximum} datasets").format(maximum=DATASETS_MAX))
        return []
    packages = []
    for item in value:
        package = public_dataset(errors, item, field, context)
        if package is not None and package not in packages:
            packages.append(package)
    return packages


def web_address(errors: Errors, data: dict, field: str, required: bool = False) -> str:
    value = text(errors, data, field, max_length=URL_MAX, multiline=False, required=required)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        errors.add(field, tk._("Must be a web address starting with https:// or http://"))
        return ""
    return value


def choice(errors: Errors, value, field: str, choices: tuple) -> str:
    if value not in choices:
        errors.add(field, tk._("Must be one of: {choices}").format(choices=", ".join(choices)))
        return ""
    return value


def status_change(errors: Errors, current: str, data: dict) -> str:
    target = data.get("status")
    if target in (None, ""):
        return ""
    if choice(errors, target, "status", workflow.STATUSES) and not workflow.allowed(
        current, target
    ):
        message = tk._("A request that is {current} cannot become {target}")
        errors.add(
            "status",
            message.format(current=workflow.label(current), target=workflow.label(target)),
        )
        return ""
    return target
