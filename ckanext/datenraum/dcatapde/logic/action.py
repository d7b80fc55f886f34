"""Actions of the DCAT-AP.de plugin."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.datenraum.dcatapde import export, messages, validation

__all__ = ["datenraum_dataset_validate"]


def violation_dict(result: validation.Result) -> dict:
    return {
        "dataset": result.dataset,
        "focus": result.focus,
        "path": result.path,
        "field": messages.field_for(result.path),
        "message": result.message,
        "message_en": messages.english_message(result.path, result.component),
        "value": result.value,
    }


@tk.side_effect_free
def datenraum_dataset_validate(context, data_dict):
    """Validate one dataset's DCAT-AP.de export against the DCAT-AP.de 3.0 and GovData shapes.

    :param id: id or name of the dataset
    :type id: string
    :returns: ``{"dataset": name, "violations": [...], "warnings": [...]}``; each entry has
        ``path`` (the RDF property), ``field`` (the schema field, if any), ``message`` (German,
        from the shapes), ``message_en`` and ``value``
    :rtype: dict
    """
    tk.check_access("datenraum_dataset_validate", context, data_dict)
    dataset_id = tk.get_or_bust(data_dict, "id")
    dataset = tk.get_action("package_show")(dict(context), {"id": dataset_id})
    report = validation.validate_graph(export.datasets_graph([dataset], with_catalog=False))
    return {
        "dataset": dataset["name"],
        "violations": [violation_dict(result) for result in report.violations],
        "warnings": [violation_dict(result) for result in report.warnings],
    }
