"""Write a dataset's text fields straight into the database, past every validator.

Run in the catalogue's own environment: ``python store_text.py INI DATASET_JSON``. The JSON is a
package_show dict with changed text; its dataset and resource fields are written to the package
and resource rows as stored text (what a catalogue holds from before input was checked, or from
an import that did not clean), then the dataset is indexed again. The tests use it for text the
API refuses: control characters.
"""

from __future__ import annotations

import json
import sys

from ckan.cli import load_config
from ckan.config.middleware import make_app

CORE_COLUMNS = ("title", "notes", "version")
RESOURCE_COLUMNS = ("name", "description")


def _stored(value, old):
    """``value`` in the form the old value has: JSON text where a list was stored as text."""
    if isinstance(old, str) and isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def store(dataset: dict) -> None:
    from ckan import model
    from ckan.lib import search

    package = model.Package.get(dataset["id"])
    extras = dict(package.extras)
    for key, value in dataset.items():
        if key in CORE_COLUMNS:
            setattr(package, key, value)
        elif key in extras:
            extras[key] = _stored(value, extras[key])
    package.extras = extras
    by_id = {resource["id"]: resource for resource in dataset["resources"]}
    for resource in package.resources:
        changed = by_id[resource.id]
        for key in RESOURCE_COLUMNS:
            setattr(resource, key, changed.get(key))
        resource_extras = dict(resource.extras)
        for key, value in changed.items():
            if key in resource_extras:
                resource_extras[key] = _stored(value, resource_extras[key])
        resource.extras = resource_extras
    model.Session.commit()
    search.rebuild(package.id)


if __name__ == "__main__":
    app = make_app(load_config(sys.argv[1]))
    with app._wsgi_app.test_request_context(), open(sys.argv[2], encoding="utf-8") as handle:
        store(json.load(handle))
