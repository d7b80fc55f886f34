"""The ``datenraum_portal`` plugin: the city's public portal and the managers' dataset form.

Home, About, legal and developer pages, localised error pages, no third-party requests
(Gravatar off), and the form widgets of ``schemas/dataset.yaml`` (partial dates, municipality
picker, searchable multi-selects, German URL names).
"""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.datenraum.i18n import DatenraumTranslation
from ckanext.datenraum.portal import pages


@tk.blanket.config_declarations
@tk.blanket.helpers
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.blueprints
class DatenraumPortalPlugin(p.SingletonPlugin, DatenraumTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)

    # IConfigurer

    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "datenraum_portal")

    def update_config_schema(self, schema):
        return pages.add_text_options(schema)
