"""One search-index commit per harvest job instead of one per dataset.

CKAN commits Solr after every dataset it indexes (``ckan.search.solr_commit``), and a Solr
commit costs more the bigger the index: with thousands of harvested datasets the commits
dominate the import. During a harvester's import stage we index without committing; when
``harvest_jobs_run`` finishes jobs (the runner, or ``ckan harvester run`` from cron), one
commit makes the job's datasets searchable. The database is committed per dataset as before.

Import stages run in the fetch consumer (or the runner), never in a web request, so switching
the process-wide option for the duration of one import does not affect other requests.
"""

from __future__ import annotations

import contextlib
import logging

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import make_connection

log = logging.getLogger(__name__)

SOLR_COMMIT = "ckan.search.solr_commit"
DEFER_OPTION = "ckanext.datenraum.harvest.defer_index_commit"


@contextlib.contextmanager
def index_commit_deferred():
    """Index datasets saved inside this block without a Solr commit (if the option is on)."""
    if not tk.asbool(tk.config.get(DEFER_OPTION)):
        yield
        return
    previous = tk.config.get(SOLR_COMMIT)
    tk.config[SOLR_COMMIT] = False
    try:
        yield
    finally:
        tk.config[SOLR_COMMIT] = previous


def commit_index() -> None:
    """Make everything indexed so far searchable, and wait until it is."""
    try:
        make_connection().commit(waitSearcher=True)
    except Exception:  # noqa: BLE001 - Solr down: the next harvest_jobs_run commits again
        log.exception("search index commit after harvest jobs failed")
