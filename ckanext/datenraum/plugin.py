"""The ``datenraum`` plugin: templates, translations, config declarations and the CLI group."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.datenraum import cli
from ckanext.datenraum.i18n import DatenraumTranslation
from ckanext.datenraum.ops.health import health


@tk.blanket.config_declarations
class DatenraumPlugin(p.SingletonPlugin, DatenraumTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IClick)
    p.implements(p.ITranslation)
    p.implements(p.IBlueprint)

    # IConfigurer

    def update_config(self, config):
        tk.add_template_directory(config, "templates")

    # IClick

    def get_commands(self):
        return [cli.datenraum]

    # IBlueprint

    def get_blueprint(self):
        return [health]
