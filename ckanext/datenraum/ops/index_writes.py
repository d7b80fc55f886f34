"""Dataset edits through a Solr failover (decision 0509).

While a SolrCloud node dies, the shards it led refuse writes for 10-20 s, and CKAN answers a
dataset edit with its index error: the edit is rolled back and the editor gets a 500. The edits
of the web form and the API (``package_create``/``update``, ``resource_create``/``update``;
the ``*_patch`` actions and ``package_revise`` end in them) are now run again, as harvest imports
are, within ``ckanext.datenraum.index_retry_web_seconds``. When the index stays unwritable
beyond that, nothing is saved and the editor is told so: the web form answers 503 with
``Retry-After`` in the page's language, the API 503 with its index error and the same
explanation. (CKAN's views turn any index error into a 500 themselves; the request remembers
that this one was a failover, and its answer is made a 503 on the way out.)
"""

from __future__ import annotations

import functools
import logging

import ckan.plugins.toolkit as tk
import flask
from ckan.lib.search import SearchIndexError

from ckanext.datenraum.common import index_retry

log = logging.getLogger(__name__)

WEB_RETRY_OPTION = "ckanext.datenraum.index_retry_web_seconds"
RETRIED_ACTIONS = ("package_create", "package_update", "resource_create", "resource_update")
RETRY_AFTER_SECONDS = 30
# The English original is the API's message; the web page shows its translation.
UNAVAILABLE = (
    "The search index cannot be written at the moment, so your change was not saved. "
    "Please send it again in a minute."
)


class IndexUnavailable(SearchIndexError):
    """A dataset edit the search index refused for longer than the budget: nothing was saved.
    Its message is for the editor: Solr's own text (which names the internal Solr URL) is
    logged, not answered."""

    transient = True  # common.index_retry.is_transient


def _plain_copy(value):
    """A copy of the dicts and lists of an action's data; other values (an uploaded file) are
    shared, since a first try that failed before the upload has not read them."""
    if isinstance(value, dict):
        return {key: _plain_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain_copy(item) for item in value]
    return value


def through_failover(original_action, context, data_dict):
    """``original_action``, run again after a rollback while Solr refuses its index write for a
    transient reason. A retry starts from the context and data as the caller passed them."""
    if index_retry.inside_retry():  # a harvest import, a resource's package_update: the outer
        return original_action(context, data_dict)  # transaction is the one run again
    pristine_context, pristine_data = dict(context), _plain_copy(data_dict)
    first = [True]

    def attempt():
        if first[0]:
            first[0] = False
            return original_action(context, data_dict)
        context.clear()
        context.update(pristine_context)
        return original_action(context, _plain_copy(pristine_data))

    try:
        return index_retry.with_index_retry(attempt, float(tk.config.get(WEB_RETRY_OPTION)))
    except SearchIndexError as error:
        if not index_retry.is_transient(error):
            raise
        if flask.has_request_context():
            flask.g.datenraum_index_unavailable = True
        log.warning("dataset edit not saved, the search index refused it: %s", error)
        raise IndexUnavailable(UNAVAILABLE) from error


def chained_actions(others: dict) -> dict:
    """``others`` (chained actions of the same plugin) with the retried edits added: where
    ``others`` chains an edit already, its chain runs first and the retry wraps the original
    action (a plugin gives CKAN one function per action name)."""
    actions = dict(others)
    for name in RETRIED_ACTIONS:
        outer = others.get(name)

        def retried(original_action, context, data_dict, outer=outer):
            if outer is None:
                return through_failover(original_action, context, data_dict)
            inner = functools.partial(through_failover, original_action)
            return outer(inner, context, data_dict)

        retried.__name__ = retried.__qualname__ = name
        retried.__doc__ = (outer.__doc__ if outer else f"``{name}``") + (
            " Run again while the search index fails over (decision 0509)."
        )
        actions[name] = tk.chained_action(retried)
    return actions


def answer_unavailable(response):
    """After a request whose edit the index refused too long: 503 with Retry-After instead of
    CKAN's 500, the web form with the explanation in the page's language."""
    if response.status_code != 500 or not flask.g.get("datenraum_index_unavailable"):
        return response
    if flask.request.path.startswith("/api/"):
        response.status_code = 503
    else:
        page = tk.render(
            "error_document_template.html",
            {"code": 503, "name": tk._("Service unavailable"), "content": tk._(UNAVAILABLE)},
        )
        response = flask.make_response(page, 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
