"""The ``datenraum_usage`` plugin: wires counting, dashboards and the popular sort into CKAN."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.datenraum.common.backup import IDatenraumBackup
from ckanext.datenraum.i18n import DatenraumTranslation
from ckanext.datenraum.usage import backup, popularity, recorder, views


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.helpers
class DatenraumUsagePlugin(p.SingletonPlugin, DatenraumTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IBlueprint)
    p.implements(p.ITranslation)
    p.implements(IDatenraumBackup)

    # IConfigurer

    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "datenraum_usage")

    # IMiddleware

    def make_middleware(self, app, config):
        app.after_request(recorder.record_response)
        return app

    # IPackageController

    def after_dataset_search(self, search_results, search_params):
        recorder.remember_search(search_results, search_params)
        return search_results

    def before_dataset_index(self, pkg_dict):
        pkg_dict[popularity.INDEX_FIELD] = popularity.index_value(pkg_dict["id"])
        return pkg_dict

    # IBlueprint

    def get_blueprint(self):
        return [views.usage]

    # IDatenraumBackup

    def datenraum_backup_parts(self):
        return backup.PARTS
