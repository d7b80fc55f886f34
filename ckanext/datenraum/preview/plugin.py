"""The ``datenraum_preview`` plugin: wires ckanext-xloader's API token and the map previews."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.xloader.interfaces import IXloader

from ckanext.datenraum.i18n import DatenraumTranslation
from ckanext.datenraum.preview import proxy, xloader_guard, xloader_token


@tk.blanket.config_declarations
class DatenraumPreviewPlugin(p.SingletonPlugin, DatenraumTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.ITranslation)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(IXloader, inherit=True)

    # IConfigurer

    def update_config(self, config):
        # A blank base-map tile of our own (decision 0413): no third-party tile server.
        tk.add_public_directory(config, "public")
        # geoview's map view, taught the EU file-type codes of WMS and WFS (WMS_SRVC, WFS_SRVC)
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "datenraum_preview")

    # IConfigurable

    def configure(self, config):
        xloader_token.use_token_file(config)

    # IMiddleware

    def make_middleware(self, app, config):
        # CKAN's and geoview's resource proxies fetch through the safe fetcher (decision 0414).
        proxy.install(app)
        return app

    # IXloader

    def can_upload(self, resource_id):
        # Linked resources on private addresses are not loaded into the DataStore (0414).
        return xloader_guard.may_load(resource_id)
