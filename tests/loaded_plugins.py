"""``with_plugins`` and ``app`` that keep plugins and web app between tests that use them alike.

CKAN's own ``with_plugins`` unloads every plugin after each test and loads them all again
before the next one: three runs of ``environment.update_config`` (every plugin's
``update_config``, the scheming schemas, the webassets, the config declarations) per test.
With the suite's 20 plugins that was most of the set-up time of the 430 tests that use it.

Here the plugins stay loaded when the next test asks for the same thing: the same
configuration before loading (``ckan_config`` marks included) and the very plugin objects
loaded last time (anything that loaded or unloaded plugins in between, as the security
world does, forces a fresh load). On a reuse the configuration is put back exactly as
loading left it, so the test sees what CKAN's fixture would have given it.

CKAN's ``app`` fixture builds a new web app per test, and ``load_environment`` loads every
plugin twice more for it. The web app is kept on the same terms: same configuration, same
plugin objects. Each test still gets its own test client, so no cookie or session carries over.
"""

from __future__ import annotations

import copy
import dataclasses

import ckan.plugins as plugins
import ckan.plugins.core as plugins_core
from ckan.common import config
from ckan.tests.helpers import CKANTestApp


@dataclasses.dataclass
class _Kept:
    before: dict | None = None  # the configuration the plugins (or the app) were set up under
    after: dict | None = None  # the configuration that left behind
    services: tuple = ()  # the plugin objects loaded then
    app: object = None  # the web app (CKAN's middleware stack), for _APP


_LOADED = _Kept()
_APP = _Kept()


def _services() -> tuple:
    return tuple(id(plugins_core._PLUGINS_SERVICE.get(name)) for name in plugins_core._PLUGINS)


def _snapshot() -> dict:
    return copy.deepcopy(dict(config))


def load_plugins() -> str:
    """Load the plugins of ``ckan.plugins``, or reuse them; says which ("loaded"/"reused")."""
    before = _snapshot()
    if _LOADED.services and _LOADED.services == _services() and before == _LOADED.before:
        config.clear()
        config.update(copy.deepcopy(_LOADED.after))
        return "reused"
    plugins.load_all()
    _LOADED.before, _LOADED.after, _LOADED.services = before, _snapshot(), _services()
    return "loaded"


def web_app(build):
    """CKAN's test app from ``build`` (CKAN's factory), or the one built last time under the
    same configuration and plugin objects, with a test client of its own."""
    before = _snapshot()
    if _APP.app is not None and _APP.services == _services() and before == _APP.before:
        config.clear()
        config.update(copy.deepcopy(_APP.after))
        return CKANTestApp(_APP.app)
    built = build()
    # load_environment loaded the plugins again, from the same configuration: the next test
    # may reuse these plugin objects.
    if _LOADED.before is not None:
        _LOADED.services = _services()
    _APP.before, _APP.after, _APP.services, _APP.app = before, _snapshot(), _services(), built.app
    return built
