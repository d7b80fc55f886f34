"""The ``datenraum`` plugin: templates, translations, config declarations, the CLI group and the
guard (``guard/``): input that cannot be stored is refused, visitors get no needless cookie;
dataset edits outlast a search-index failover (``ops/index_writes.py``)."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.datenraum import cli
from ckanext.datenraum.guard import actions as guarded_actions
from ckanext.datenraum.guard import cookies, incoming
from ckanext.datenraum.i18n import DatenraumTranslation
from ckanext.datenraum.ops import index_writes
from ckanext.datenraum.ops.health import health


@tk.blanket.config_declarations
class DatenraumPlugin(p.SingletonPlugin, DatenraumTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IClick)
    p.implements(p.ITranslation)
    p.implements(p.IActions)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IBlueprint)

    # IConfigurer

    def update_config(self, config):
        tk.add_template_directory(config, "templates")

    # IClick

    def get_commands(self):
        return [cli.datenraum]

    # IActions

    def get_actions(self):
        return index_writes.chained_actions(guarded_actions.chained_actions())

    # IMiddleware

    def make_middleware(self, app, config):
        app.before_request(incoming.refuse_unusable_requests)
        app.after_request(cookies.drop_needless_session)
        app.after_request(index_writes.answer_unavailable)
        return app

    # ITemplateHelpers

    def get_helpers(self):
        return {"csrf_input": cookies.csrf_input}

    # IBlueprint

    def get_blueprint(self):
        return [health]
