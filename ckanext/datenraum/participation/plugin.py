"""The ``datenraum_participation`` plugin: data requests, use cases, comments and moderation."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.datenraum.common.backup import IDatenraumBackup
from ckanext.datenraum.i18n import DatenraumTranslation
from ckanext.datenraum.participation import backup, views


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.helpers
class DatenraumParticipationPlugin(p.SingletonPlugin, DatenraumTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IBlueprint)
    p.implements(p.ITranslation)
    p.implements(IDatenraumBackup)

    # IConfigurer

    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "datenraum_participation")

    # IBlueprint

    def get_blueprint(self):
        return views.blueprints

    # IDatenraumBackup

    def datenraum_backup_parts(self):
        return backup.PARTS
