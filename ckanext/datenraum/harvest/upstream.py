"""One repair of ckanext-harvest 1.6.3 that our harvest plugin needs (decision 0217).

``ckanext.harvest.plugin._get_logic_functions`` collects the action and the auth functions
into its mutable default argument, ONE dict: whichever registry CKAN builds second gets both,
so auth functions became API actions (``auth_allow_anonymous_access``,
``harvest_sources_clear``) and actions without an auth function got the action itself as auth
function (``harvest_log_list``: 500 for every signed-in non-sysadmin). Each call now starts
from an empty dict, so each registry holds what its modules define.
"""

from __future__ import annotations

import ckanext.harvest.plugin as harvest_plugin


def separate_logic_registries() -> None:
    collect = harvest_plugin._get_logic_functions
    if getattr(collect, "datenraum_separate", False):
        return

    def separate(module_root, logic_functions=None):
        return collect(module_root, {})

    separate.datenraum_separate = True
    harvest_plugin._get_logic_functions = separate
