"""The ``datenraum_search`` plugin: German-first dataset search with DCAT-AP.de facets."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.datenraum.i18n import DatenraumTranslation, current_language
from ckanext.datenraum.search import facets, index, query


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.helpers
class DatenraumSearchPlugin(p.SingletonPlugin, DatenraumTranslation):
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.ITranslation)
    p.implements(p.IConfigurer)

    # IConfigurer

    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "datenraum_search")

    # IPackageController

    def before_dataset_search(self, search_params):
        return query.for_solr(
            search_params,
            tk.config.get("ckanext.datenraum.search.query_fields"),
            tk.config.get("ckan.search.solr_allowed_query_parsers"),
        )

    def before_dataset_index(self, pkg_dict):
        return index.index_fields(pkg_dict)

    def after_dataset_search(self, search_results, search_params):
        facets.label_facet_items(search_results.get("search_facets", {}), current_language())
        return search_results

    # IFacets

    def dataset_facets(self, facets_dict, package_type):
        return facets.with_facets(facets_dict)

    def organization_facets(self, facets_dict, organization_type, package_type):
        return facets.with_facets(facets_dict)

    def group_facets(self, facets_dict, group_type, package_type):
        return facets.with_facets(facets_dict)
