"""The ``datenraum_dcatapde`` plugin: DCAT-AP.de 3.0 schema support, validation and the RDF profile.

The RDF profile itself is registered through the ``ckan.rdf.profiles`` entry point ``dcatap_de``.
"""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.datenraum.dcatapde import atom, govdata, licences, rdf_cache, views
from ckanext.datenraum.i18n import DatenraumTranslation


@tk.blanket.config_declarations
@tk.blanket.helpers
@tk.blanket.validators
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.blueprints(views.blueprints)
class DcatApDePlugin(p.SingletonPlugin, DatenraumTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFeed, inherit=True)

    # IConfigurer

    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        # An operator's own licences_group_url wins over the dcat-ap.de list.
        if not config.get("licenses_group_url"):
            model.Package._license_register = licences.DcatApDeLicenceRegister()

    # IPackageController

    def before_dataset_index(self, pkg_dict):
        return govdata.add_index_fields(pkg_dict)

    def after_dataset_show(self, context, pkg_dict):
        # package_show answers from the search index, dictized in the indexing request's language.
        licences.localise_title(pkg_dict)

    def after_dataset_update(self, context, pkg_dict):
        _forget_cached_rdf(pkg_dict)

    def after_dataset_delete(self, context, pkg_dict):
        _forget_cached_rdf(pkg_dict)

    # IFeed

    def get_feed_class(self):
        return atom.CleanFeed


def _forget_cached_rdf(pkg_dict: dict) -> None:
    # The action's input may name the dataset instead of giving its id.
    package = model.Package.get(pkg_dict.get("id") or pkg_dict.get("name"))
    if package is not None:
        rdf_cache.forget(package.id)
