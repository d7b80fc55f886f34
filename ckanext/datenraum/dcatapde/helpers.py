"""Template helpers of the DCAT-AP.de plugin."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.datenraum.dcatapde import vocabularies

__all__ = ["datenraum_vocabulary_choices", "datenraum_dataset_violations"]


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
