"""The search index of harvested datasets: one commit per job, writes that outlast a failover,
and a job that ends with its datasets in the index exactly once.

CKAN commits Solr after every dataset it indexes (``ckan.search.solr_commit``), and a Solr
commit costs more the bigger the index: with thousands of harvested datasets the commits
dominate the import. During a harvester's import stage we index without committing; when
``harvest_jobs_run`` finishes jobs (the runner, or ``ckan harvester run`` from cron), one
commit makes the job's datasets searchable. The database is committed per dataset as before.

Import stages run in the fetch consumer (or the runner), never in a web request, so switching
the process-wide option for the duration of one import does not affect other requests.

When a SolrCloud node dies, the shards it led refuse writes until ZooKeeper has noticed and a
replica has taken over (``zkClientTimeout`` plus the election: 10-20 s). CKAN raises
``SearchIndexError`` and rolls the dataset back; commits in that window reach only some
replicas. So (decision 0507): an import whose index write fails with a *transient* error
(connection refused, 503, no leader) is rolled back and tried again within a bounded time, and
before jobs are marked Finished their datasets are reconciled with the index: each active
dataset of the job that the index lacks is indexed, each indexed document of the source whose
dataset is not in the database is removed, then one commit that must succeed.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import TypeVar

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.lib.search import SearchIndexError, rebuild
from ckan.lib.search.common import make_connection
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.datenraum.common import index_retry

log = logging.getLogger(__name__)

SOLR_COMMIT = "ckan.search.solr_commit"
DEFER_OPTION = "ckanext.datenraum.harvest.defer_index_commit"
RETRY_OPTION = "ckanext.datenraum.harvest.index_retry_seconds"

BATCH = 500  # ids per Solr terms query

T = TypeVar("T")


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


def with_index_retry(attempt: Callable[[], T]) -> T:
    """Run ``attempt`` (a database transaction that indexes), tried again within the harvest's
    budget when Solr refuses its index write for a transient reason (``common.index_retry``)."""
    return index_retry.with_index_retry(attempt, float(tk.config.get(RETRY_OPTION)))


def commit_index() -> bool:
    """Make everything indexed so far searchable, and wait until it is. A transient failure is
    tried again (bounded); returns whether the commit succeeded."""
    try:
        with_index_retry(lambda: _solr(lambda: make_connection().commit(waitSearcher=True)))
    except SearchIndexError:
        log.exception("search index commit after harvest jobs failed")
        return False
    return True


# reconciliation


def jobs_ready_to_finish(source_id: str | None = None) -> list[HarvestJob]:
    """Running jobs whose gather is over and no object is in progress: the jobs ckanext-harvest's
    ``harvest_jobs_run`` marks Finished now (its timeout aside)."""
    in_progress = (
        sa.select(HarvestObject.id)
        .where(HarvestObject.harvest_job_id == HarvestJob.id)
        .where(HarvestObject.state.notin_(["COMPLETE", "ERROR"]))
        .exists()
    )
    query = model.Session.query(HarvestJob).filter(
        HarvestJob.status == "Running",
        HarvestJob.gather_finished.isnot(None),
        ~in_progress,
    )
    if source_id:
        query = query.filter(HarvestJob.source_id == source_id)
    return query.all()


def reconcile_job(job: HarvestJob) -> dict:
    """Bring the index in line with the database for one job's datasets and its source.

    :returns: ``indexed`` (ids that were missing from the index) and ``removed`` (ids indexed
        for the source whose dataset is not in the database)
    """
    wanted = _active_package_ids(_job_package_ids(job) | {job.source_id})
    present = with_index_retry(lambda: _solr(_indexed_ids, wanted))
    missing = sorted(wanted - present)
    if missing:
        with_index_retry(lambda: rebuild(package_ids=missing, defer_commit=True, quiet=True))
    of_source = with_index_retry(lambda: _solr(_indexed_ids_of_source, job.source_id))
    stray = sorted(of_source - _active_package_ids(of_source))
    for package_id in stray:
        with_index_retry(lambda package_id=package_id: _solr(_remove, package_id))
    if missing or stray:
        log.warning(
            "harvest job %s: %d dataset(s) re-indexed, %d stray document(s) removed",
            job.id,
            len(missing),
            len(stray),
        )
    return {"indexed": missing, "removed": stray}


def reindex_sources(source_ids: set[str]) -> None:
    """Index the harvest sources' own records again (their status shows the last job)."""
    if source_ids:
        with_index_retry(
            lambda: rebuild(package_ids=sorted(source_ids), defer_commit=True, quiet=True)
        )


def reconcile_job_logged(job: HarvestJob) -> dict | None:
    """``reconcile_job``; when the index stays unreachable, the failure is logged and the job
    still finishes (the next job of the source reconciles its current datasets again)."""
    try:
        return reconcile_job(job)
    except SearchIndexError:
        log.exception("harvest job %s: index not reconciled", job.id)
        return None


def _job_package_ids(job: HarvestJob) -> set[str]:
    """The datasets the job's objects made, and those the source's current objects hold (a job
    of unchanged records has no objects, but may follow one whose commit never arrived)."""
    rows = model.Session.query(HarvestObject.package_id).filter(
        HarvestObject.package_id.isnot(None),
        sa.or_(
            HarvestObject.harvest_job_id == job.id,
            sa.and_(
                HarvestObject.harvest_source_id == job.source_id,
                HarvestObject.current == True,  # noqa: E712
            ),
        ),
    )
    return {row.package_id for row in rows}


def _active_package_ids(ids: set[str]) -> set[str]:
    """Of ``ids``, the packages CKAN keeps in the index (those not deleted)."""
    if not ids:
        return set()
    query = model.Session.query(model.Package.id).filter(
        model.Package.state != "deleted", model.Package.id.in_(list(ids))
    )
    return {row.id for row in query}


def _site_filter() -> str:
    return f'+site_id:"{tk.config.get("ckan.site_id")}"'


def _indexed_ids(ids: set[str]) -> set[str]:
    found: set[str] = set()
    ordered = sorted(ids)
    connection = make_connection(decode_dates=False)
    for start in range(0, len(ordered), BATCH):
        batch = ordered[start : start + BATCH]
        answer = connection.search(
            "*:*",
            fq=[_site_filter(), "{!terms f=id}" + ",".join(batch)],
            fl="id",
            rows=len(batch) * 2,
        )
        found.update(doc["id"] for doc in answer.docs)
    return found


def _indexed_ids_of_source(source_id: str) -> set[str]:
    """Documents ckanext-harvest's index hook marked as harvested by ``source_id``."""
    answer = make_connection(decode_dates=False).search(
        f'harvest_source_id:"{source_id}"', fq=[_site_filter()], fl="id", rows=1_000_000
    )
    return {doc["id"] for doc in answer.docs}


def _remove(package_id: str) -> None:
    make_connection().delete(q=f'+id:"{package_id}" {_site_filter()}', commit=False)


def _solr(call: Callable[..., T], *args) -> T:
    """``call(*args)``, with pysolr's and requests' errors raised as CKAN's index error."""
    try:
        return call(*args)
    except SearchIndexError:
        raise
    except Exception as error:  # noqa: BLE001 - pysolr raises its own and requests' errors
        raise SearchIndexError(str(error)) from error
