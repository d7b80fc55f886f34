"""Template helpers of the DCAT-AP.de plugin."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.datenraum.dcatapde import messages, vocabularies

__all__ = [
    "datenraum_vocabulary_choices",
    "datenraum_dataset_violations",
    "datenraum_violation_message",
    "datenraum_is_filled",
]


def datenraum_vocabulary_choices(field: dict) -> list[dict]:
    """scheming ``choices_helper``: the concepts of the field's ``datenraum_vocabulary``."""
    return vocabularies.get(field["datenraum_vocabulary"]).choices()


def datenraum_dataset_violations(package: dict) -> list[dict] | None:
    """SHACL violations of a dataset for users who may edit it; None for everyone else."""
    context = {"user": tk.g.user}
    try:
        tk.check_access("package_update", context, {"id": package["id"]})
    except tk.NotAuthorized:
        return None
    report = tk.get_action("datenraum_dataset_validate")(context, {"id": package["id"]})
    return report["violations"]


def datenraum_violation_message(violation: dict) -> str:
    """A violation's message in the user's language."""
    return messages.localised(violation)


def datenraum_is_filled(value) -> bool:
    """Whether a field value holds anything to show: blank strings and all-empty groups do not."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict):
        return any(datenraum_is_filled(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(datenraum_is_filled(item) for item in value)
    return value is not None
