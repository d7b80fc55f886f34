"""The harvest plugins: five ``IHarvester`` plugins plus ``datenraum_harvest`` (health page).

Each harvester is its own plugin because ckanext-harvest finds harvesters by plugin; the
classes live in ``harvesters/`` and are only re-exported here for the entry points.
"""

from __future__ import annotations

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.datenraum.common.backup import IDatenraumBackup
from ckanext.datenraum.harvest import backup
from ckanext.datenraum.harvest.harvesters.ckan import DatenraumCKANHarvester
from ckanext.datenraum.harvest.harvesters.csw import DatenraumCSWHarvester
from ckanext.datenraum.harvest.harvesters.dcat import DatenraumDCATHarvester
from ckanext.datenraum.harvest.harvesters.gtfs import DatenraumGTFSHarvester
from ckanext.datenraum.harvest.harvesters.oaipmh import DatenraumOAIPMHHarvester
from ckanext.datenraum.harvest.upstream import separate_logic_registries
from ckanext.datenraum.i18n import DatenraumTranslation

separate_logic_registries()

__all__ = [
    "DatenraumCKANHarvester",
    "DatenraumCSWHarvester",
    "DatenraumDCATHarvester",
    "DatenraumGTFSHarvester",
    "DatenraumHarvestPlugin",
    "DatenraumOAIPMHHarvester",
]


@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.blueprints
class DatenraumHarvestPlugin(p.SingletonPlugin, DatenraumTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(IDatenraumBackup)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer

    def update_config(self, config):
        tk.add_template_directory(config, "templates")

    # IDatenraumBackup

    def datenraum_backup_parts(self):
        return backup.PARTS

    # IPackageController

    def after_dataset_create(self, context, data_dict):
        if data_dict.get("type") == "harvest":
            # ckanext-harvest (listed before us) adds the HarvestSource row unflushed, and
            # CKAN's session does not autoflush: package_create's closing package_show would
            # not see it and log "Harvest source not found" once per created source.
            model.Session.flush()
