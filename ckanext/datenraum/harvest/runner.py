"""Run one harvest job to the end in this process, through ckanext-harvest's real queues.

The job goes onto the Redis gather queue and is taken off again by the same callbacks the
``ckan harvester gather-consumer``/``fetch-consumer`` workers run; then ``harvest_jobs_run``
marks it finished. Used by the tests and ``benchmarks/harvest.py``; operators try a source with
``ckan harvester run-test SOURCE`` and run jobs with the consumers and ``ckan harvester run``.
"""

from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob


def run_source_now(source_id: str) -> dict:
    """Create a job for ``source_id``, drain both queues, return the finished job dict."""
    context = {"user": _site_user(), "ignore_auth": True}
    job = tk.get_action("harvest_job_create")(dict(context), {"source_id": source_id})
    drain_queues()
    tk.get_action("harvest_jobs_run")(dict(context), {"source_id": source_id})
    model.Session.remove()
    return tk.get_action("harvest_job_show")(dict(context), {"id": job["id"]})


def drain_queues() -> None:
    _drain(queue.get_gather_consumer(), queue.get_gather_queue_name(), queue.gather_callback)
    _drain(queue.get_fetch_consumer(), queue.get_fetch_queue_name(), queue.fetch_callback)


def _drain(consumer, queue_name: str, callback) -> None:
    """Hand every message waiting in ``queue_name`` to ``callback``, then return."""
    while True:
        method, header, body = consumer.basic_get(queue=queue_name)
        if body is None:
            break
        callback(consumer, method, header, body)


def job_is_finished(job_id: str) -> bool:
    job = HarvestJob.get(job_id)
    return job is not None and job.status == "Finished"


def _site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
