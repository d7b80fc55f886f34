"""The ``datenraum_preview`` plugin: wires ckanext-xloader's API token and the map previews."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.datenraum.i18n import DatenraumTranslation
from ckanext.datenraum.preview import xloader_token


@tk.blanket.config_declarations
class DatenraumPreviewPlugin(p.SingletonPlugin, DatenraumTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.ITranslation)

    # IConfigurer

    def update_config(self, config):
        # A blank base-map tile of our own (decision 0413): no third-party tile server.
        tk.add_public_directory(config, "public")

    # IConfigurable

    def configure(self, config):
        xloader_token.use_token_file(config)
