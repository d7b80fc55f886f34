"""The ``datenraum_dcatapde`` plugin: DCAT-AP.de 3.0 schema support, validation and the RDF profile.

The RDF profile itself is registered through the ``ckan.rdf.profiles`` entry point ``dcatap_de``.
"""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.datenraum.i18n import DatenraumTranslation


@tk.blanket.config_declarations
@tk.blanket.helpers
@tk.blanket.validators
@tk.blanket.actions
@tk.blanket.auth_functions
class DcatApDePlugin(p.SingletonPlugin, DatenraumTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)

    # IConfigurer

    def update_config(self, config):
        tk.add_template_directory(config, "templates")
