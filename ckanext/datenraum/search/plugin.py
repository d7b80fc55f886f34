"""The ``datenraum_search`` plugin: German-first dataset search."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.datenraum.i18n import DatenraumTranslation
from ckanext.datenraum.search import query


@tk.blanket.config_declarations
class DatenraumSearchPlugin(p.SingletonPlugin, DatenraumTranslation):
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.ITranslation)

    # IPackageController

    def before_dataset_search(self, search_params):
        return query.with_query_fields(
            search_params, tk.config.get("ckanext.datenraum.search.query_fields")
        )
